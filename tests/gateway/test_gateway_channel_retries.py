"""The gateway's channels retry read-only calls on UNAVAILABLE (a backend restarting, or its database:
kit.grpc_server's retry-after) inside the call's deadline, and never retry a write. Real gRPC: a server
in this process that answers UNAVAILABLE first, a channel made with the gateway's options."""

from __future__ import annotations

import grpc
import pytest
from movierec.catalog.v1 import catalog_pb2, catalog_pb2_grpc
from movierec.recommender.v1 import recommender_pb2
from movierec.users.v1 import users_pb2, users_pb2_grpc

from services.gateway.clients.base import READ_ONLY_METHODS, USERS_SERVICE, channel_options


class Flaky:
    """Answers UNAVAILABLE to the first `failures` calls of each method, counting every call."""

    def __init__(self, failures: int) -> None:
        self.failures, self.calls = failures, {}

    def handler(self, name: str, response):
        async def handle(request, context: grpc.aio.ServicerContext):
            self.calls[name] = self.calls.get(name, 0) + 1
            if self.calls[name] <= self.failures:
                await context.abort(grpc.StatusCode.UNAVAILABLE, "database restarting")
            return response
        return handle


@pytest.fixture
async def server():
    flaky = Flaky(failures=2)
    srv = grpc.aio.server()

    def add(name: str, request_type, response) -> tuple[str, grpc.RpcMethodHandler]:
        return name, grpc.unary_unary_rpc_method_handler(
            flaky.handler(name, response), request_deserializer=request_type.FromString,
            response_serializer=type(response).SerializeToString)

    catalog = dict([add("GetMovie", catalog_pb2.GetMovieRequest, catalog_pb2.Movie(id=603))])
    users = dict([add("GetState", users_pb2.GetStateRequest, users_pb2.UserState()),
                  add("AddComment", users_pb2.AddCommentRequest, users_pb2.Comment(id="c"))])
    srv.add_generic_rpc_handlers((grpc.method_handlers_generic_handler("movierec.catalog.v1.CatalogService", catalog),
                                  grpc.method_handlers_generic_handler(USERS_SERVICE, users)))
    port = srv.add_insecure_port("127.0.0.1:0")
    await srv.start()
    yield flaky, f"127.0.0.1:{port}"
    await srv.stop(0)


async def test_reads_are_retried_within_their_deadline_and_writes_are_not(server):
    flaky, addr = server
    async with grpc.aio.insecure_channel(addr, options=channel_options("movierec.catalog.v1.CatalogService")) as ch:
        movie = await catalog_pb2_grpc.CatalogServiceStub(ch).GetMovie(catalog_pb2.GetMovieRequest(id=603), timeout=5)
    assert movie.id == 603 and flaky.calls["GetMovie"] == 3  # two UNAVAILABLE, then the answer
    async with grpc.aio.insecure_channel(addr, options=channel_options(USERS_SERVICE)) as ch:
        stub = users_pb2_grpc.UsersServiceStub(ch)
        await stub.GetState(users_pb2.GetStateRequest(), timeout=5)
        assert flaky.calls["GetState"] == 3
        with pytest.raises(grpc.aio.AioRpcError) as e:
            await stub.AddComment(users_pb2.AddCommentRequest(movie_id=603, body="hi"), timeout=5)
    assert e.value.code() == grpc.StatusCode.UNAVAILABLE and flaky.calls["AddComment"] == 1


def test_every_method_named_read_only_exists_and_changes_nothing():
    services = {d.services_by_name[n].full_name: d.services_by_name[n]
                for d, n in ((catalog_pb2.DESCRIPTOR, "CatalogService"), (users_pb2.DESCRIPTOR, "UsersService"),
                             (recommender_pb2.DESCRIPTOR, "RecommenderService"))}
    for service, methods in READ_ONLY_METHODS.items():
        names = {m.name for m in services[service].methods}
        for method in methods or ():
            assert method in names, (service, method)
            assert method.startswith(("Get", "List", "BatchList", "Verify")), method
