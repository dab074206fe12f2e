"""Recommender service entry point.

    python -m services.recommender serve                   gRPC server, feedback consumers, model watcher
    python -m services.recommender train [--if-missing] [--kind ease|itemknn|als|popularity]
    python -m services.recommender.offline.evaluation [--holdout FILE]   offline evaluation (make eval)
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json

import grpc
import numpy as np
from movierec.embedder.v1 import embedder_pb2, embedder_pb2_grpc
from movierec.recommender.v1 import recommender_pb2, recommender_pb2_grpc
from nats.aio.client import Client as NATS
from redis.asyncio import Redis

from kit import auth, bus, db
from kit.config import DEFAULT_PORTS, Settings, load_settings
from kit.errors import InvalidArgument, Unavailable
from kit.grpc_server import ServiceHost
from kit.logging import configure_logging, get_logger
from services.recommender import gem_ceiling
from services.recommender.config import RecommenderConfig, load_recommender_config
from services.recommender.feedback import FeedbackConsumer
from services.recommender.films import Films
from services.recommender.generations import Generations
from services.recommender.offline.training import DEFAULT_KIND, DEFAULT_PARAMS, load_latest, train
from services.recommender.servicer import RecommenderServicer
from services.recommender.serving import ModelHolder, retrain_periodically
from services.recommender.tastes import Tastes
from services.recommender.zones import Zones

SERVICE_NAME = recommender_pb2.DESCRIPTOR.services_by_name["RecommenderService"].full_name
log = get_logger(__name__)


def text_encoder(channel: grpc.aio.Channel, timeout_s: float):
    stub = embedder_pb2_grpc.EmbedderServiceStub(channel)

    async def encode(text: str) -> np.ndarray:
        try:
            resp = await stub.EncodeText(embedder_pb2.EncodeTextRequest(texts=[text]), timeout=timeout_s)
        except grpc.aio.AioRpcError as e:
            if e.code() == grpc.StatusCode.INVALID_ARGUMENT:
                raise InvalidArgument(e.details() or "the embedder refused the text") from None
            raise Unavailable(f"the embedder is unavailable ({e.code().name}); try again") from None
        return np.asarray(resp.vectors[0].values, dtype=np.float32)

    return encode


async def follow_catalogue(nc: NATS, films: Films) -> None:
    """Keep film metadata current (core NATS: a film missed while disconnected is refreshed by the
    next change to it; the reasons it feeds are descriptive)."""
    from movierec.catalog.v1 import events_pb2 as catalog_events

    async def on_upserted(msg) -> None:
        try:
            films.put_movie(catalog_events.MovieUpserted.FromString(msg.data).movie)
        except Exception as e:  # noqa: BLE001 - a bad event must not stop the subscription
            log.warning("bad_movie_event", error=str(e))

    await nc.subscribe(bus.CATALOG_MOVIE_UPSERTED, cb=on_upserted)


async def build_host(settings: Settings, config: RecommenderConfig) -> ServiceHost:
    internal_token = auth.load_internal_token(settings.secrets_dir)
    pool = await db.create_pool(settings.database_url, settings.db_pool_min, settings.db_pool_max)
    redis = Redis.from_url(settings.redis_url, socket_timeout=0.5, socket_connect_timeout=0.5)
    catalog = grpc.aio.insecure_channel(settings.catalog_addr)
    users = grpc.aio.insecure_channel(settings.users_addr)
    embedder = grpc.aio.insecure_channel(settings.embedder_addr)

    films = Films()
    generations = Generations(redis, config.answer_ttl_s)
    holder = ModelHolder(pool, films, config.models_dir, config.model_poll_s, config.content_refresh_s,
                         refresh_films=lambda ids: films.ensure(catalog, ids), on_load=generations.publish_serving)
    await holder.load()
    tastes = Tastes(users, internal_token, config.taste_ttl_s)
    zones = Zones(pool, films, lambda: holder.state, text_encoder(embedder, config.encode_timeout_s))
    servicer = RecommenderServicer(zones, tastes, generations, lambda: holder.state)

    host = ServiceHost("recommender", settings.host, settings.port or DEFAULT_PORTS["recommender"],
                       settings.metrics_port, settings.shutdown_grace_s, settings.shutdown_drain_delay_s,
                       interceptors=(auth.InternalTokenInterceptor(internal_token),))
    host.add_servicer(recommender_pb2_grpc.add_RecommenderServiceServicer_to_server, servicer, SERVICE_NAME)
    host.add_background(holder.watch)

    async def purge_applied_events() -> None:
        while True:
            await asyncio.sleep(3600)
            try:
                await gem_ceiling.purge_applied(pool)
            except Exception as e:  # noqa: BLE001 - retried next hour
                log.warning("purge_applied_failed", error=str(e))

    host.add_background(purge_applied_events)
    if config.retrain_interval_s > 0:
        host.add_background(lambda: retrain_periodically(
            pool, config.retrain_interval_s, lambda: train(settings, config)))

    events = bus.BackgroundBus(settings.nats_url, "recommender")

    async def consume(js) -> None:
        if events.nc is None:  # BackgroundBus.run connects before it starts a worker
            raise RuntimeError("the recommender's bus is not connected")
        await follow_catalogue(events.nc, films)
        await FeedbackConsumer(js, pool, films, generations, config.feedback_ack_wait_s,
                               config.feedback_max_deliveries).run()

    host.add_background(lambda: events.run(consume))
    host.add_cleanup(events.close)
    host.add_cleanup(redis.aclose)
    for ch in (catalog, users, embedder):
        host.add_cleanup(functools.partial(ch.close, grace=1.0))
    host.add_cleanup(pool.close)
    return host


async def serve(settings: Settings, config: RecommenderConfig) -> None:
    if config.blas_threads > 0:
        from threadpoolctl import threadpool_limits

        threadpool_limits(config.blas_threads, "blas")   # for the life of the process
    host = await build_host(settings, config)
    await host.run()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.recommender")
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("serve")
    p_train = sub.add_parser("train", help="fit the collaborative model on every rating and publish it")
    p_train.add_argument("--if-missing", action="store_true", help="do nothing when a model is published")
    p_train.add_argument("--kind", default=DEFAULT_KIND, choices=sorted(DEFAULT_PARAMS))
    args = parser.parse_args(argv)
    settings, config = load_settings(), load_recommender_config()
    configure_logging("recommender", settings.log_level, settings.log_json)
    if args.cmd == "serve":
        asyncio.run(serve(settings, config))
        return 0
    if args.if_missing and load_latest(config.models_dir) is not None:
        print(f"a model is published in {config.models_dir}; skipping")
        return 0
    mv = asyncio.run(train(settings, config, kind=args.kind))
    print(json.dumps({"version": mv.version, "kind": mv.kind, "users": mv.n_users, "items": mv.n_items,
                      "ratings": mv.n_ratings, "fit_seconds": round(mv.fit_seconds, 2)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
