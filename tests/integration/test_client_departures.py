"""A client that goes away mid-request (a browser leaving a page while it loads, a timeout) leaves no error
and no traceback in the gateway's log: the request is counted as 499 and the gateway goes on serving."""

from __future__ import annotations

import asyncio
import socket
import time

import httpx

from tests.integration.test_graphql_fuzz import bad_log_lines, written_since

PATHS = ["/", "/tonight", "/healthz", "/graphql?query=%7B__typename%7D"]


def _leave_early(port: int) -> None:
    for path in PATHS:
        for timeout in (0.0005, 0.002, 0.01):
            try:
                httpx.get(f"http://127.0.0.1:{port}{path}", timeout=timeout)
            except httpx.TimeoutException:
                pass
    posts = [("/graphql", b"application/json", b'{"query":'),
             ("/graphql/upload", b"multipart/form-data; boundary=x", b'--x\r\nContent-Disposition: form-data; name="')]
    for path, content_type, start in posts:  # a POST whose body never comes whole
        for _ in range(2):
            with socket.create_connection(("127.0.0.1", port)) as s:
                s.sendall(b"POST " + path.encode() + b" HTTP/1.1\r\nHost: x\r\nContent-Type: " + content_type
                          + b"\r\nContent-Length: 1000\r\n\r\n" + start)
                time.sleep(0.05)


async def test_clients_leaving_mid_request_log_no_error(stack):
    port = stack.ports["gateway"]
    log = stack.logfile("gateway")
    offset = log.stat().st_size
    await asyncio.to_thread(_leave_early, port)
    await asyncio.sleep(1.0)  # what the gateway writes about them
    assert bad_log_lines(written_since(log, offset)) == []
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
        r = await client.post("/graphql", json={"query": "{ __typename }"})
        assert r.json() == {"data": {"__typename": "Query"}}
        metrics = (await client.get("/metrics")).text
    assert 'status="499"' in metrics
