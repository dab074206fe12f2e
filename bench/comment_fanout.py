"""Comment fan-out (not a test; numbers for docs/security.md): what one document of thirty aliased
searches of 100 films selecting their comments costs the users service, and how `me` fares while ten
clients send it at once (the issue's document, and its cost-limit-passing variant that selects only
`totalCount`). Runs against a gateway that is already up (a test stack's, say):

    .venv/bin/python -m bench.comment_fanout --gateway http://127.0.0.1:28200 \\
        --users-metrics http://127.0.0.1:29302/metrics [--label after]

Users-service calls are read from its /metrics (grpc_server_handled_total by method), before and after
each request, so nothing else may use that users service meanwhile. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import statistics
import time
import uuid
from collections import Counter

import httpx
from prometheus_client.parser import text_string_to_metric_families

QUERIES = ["the", "love", "man", "night", "star", "war", "girl", "day", "life", "king", "house", "city", "dark",
           "dead", "last", "time", "world", "big", "blood", "black", "little", "lost", "american", "secret",
           "story", "road", "moon", "fire", "heart", "christmas"]  # fmt: skip
COMMENTS = "comments { totalCount nodes { id body } }"
TOTAL = "comments { totalCount }"
ME = "{ me { id state { ratings { movieId } } } }"


def document(distinct: bool, comments: str = COMMENTS) -> str:
    """Thirty aliases of searchMovies(first: 100) selecting each film's comments: thirty different
    searches (3,000 films, most distinct), or one search thirty times (100 films)."""
    node = f"edges {{ node {{ id {comments} }} }}"
    parts = [f'a{i}: searchMovies(query: "{q if distinct else "the"}", first: 100) {{ {node} }}'
             for i, q in enumerate(QUERIES)]  # fmt: skip
    return "{ " + " ".join(parts) + " }"


async def users_calls(client: httpx.AsyncClient, url: str) -> Counter[str]:
    text = (await client.get(url)).text
    calls: Counter[str] = Counter()
    for family in text_string_to_metric_families(text):
        if family.name == "grpc_server_handled":
            for s in family.samples:
                if s.name == "grpc_server_handled_total":
                    calls[s.labels["method"]] += int(s.value)  # a counter: whole calls
    return calls


def error_codes(body: dict) -> Counter[str]:
    return Counter(e.get("extensions", {}).get("code", "?") for e in body.get("errors") or [])


async def one_document(client: httpx.AsyncClient, metrics: str, doc: str) -> dict:
    before = await users_calls(client, metrics)
    t = time.perf_counter()
    r = await client.post("/graphql", json={"query": doc})
    wall = time.perf_counter() - t
    after = await users_calls(client, metrics)
    body = r.json()
    delta = {m: int(after[m] - before[m]) for m in after if after[m] != before[m]}
    films = sum(len(v["edges"]) for v in (body.get("data") or {}).values() if v)
    return {"users_calls": delta, "wall_s": round(wall, 2), "films": films, "errors": dict(error_codes(body)),
            "response_bytes": len(r.content)}  # fmt: skip


async def me_under_load(client: httpx.AsyncClient, doc: str, clients: int) -> dict:
    name = f"bench{uuid.uuid4().hex[:10]}"
    reg = await client.post("/graphql", json={
        "query": "mutation($u: String!, $p: String!) { register(username: $u, password: $p) { accessToken } }",
        "variables": {"u": name, "p": "pass-word-1"}})  # fmt: skip
    token = reg.json()["data"]["register"]["accessToken"]
    headers = {"Authorization": f"Bearer {token}"}
    heavy_codes: Counter[str] = Counter()
    heavy_walls: list[float] = []

    async def heavy() -> None:
        t = time.perf_counter()
        r = await client.post("/graphql", json={"query": doc})
        heavy_walls.append(time.perf_counter() - t)
        heavy_codes.update(error_codes(r.json()))

    flood = [asyncio.create_task(heavy()) for _ in range(clients)]
    await asyncio.sleep(0.3)
    me_walls: list[float] = []
    me_errors: Counter[str] = Counter()
    while not all(t.done() for t in flood):
        t = time.perf_counter()
        r = await client.post("/graphql", json={"query": ME}, headers=headers)
        me_walls.append(time.perf_counter() - t)
        me_errors.update(error_codes(r.json()))
        await asyncio.sleep(0.2)
    await asyncio.gather(*flood)
    return {
        "clients": clients,
        "heavy_wall_s": {"median": round(statistics.median(heavy_walls), 2), "max": round(max(heavy_walls), 2)},
        "heavy_error_codes": dict(heavy_codes),
        "me_calls": len(me_walls),
        "me_wall_s": {"median": round(statistics.median(me_walls), 3) if me_walls else None,
                      "max": round(max(me_walls), 3) if me_walls else None},  # fmt: skip
        "me_error_codes": dict(me_errors),
    }


async def main(args: argparse.Namespace) -> dict:
    async with httpx.AsyncClient(base_url=args.gateway, timeout=600) as client:
        result: dict = {"label": args.label, "cpu": platform.processor() or platform.machine()}
        docs = {
            # The document: each film's first 20 comments (estimated cost 135,060).
            "distinct_searches_comment_nodes": document(True),
            # The same with only the count (cost ~72,000: within document_limits' budget of 100,000).
            "distinct_searches_total_count": document(True, TOTAL),
            "same_search_total_count": document(False, TOTAL),
        }
        for key, doc in docs.items():
            await one_document(client, args.users_metrics, doc)  # warm the search cache: count comment calls only
            result[key] = await one_document(client, args.users_metrics, doc)
        result["me_under_load"] = await me_under_load(client, docs["distinct_searches_total_count"], args.clients)
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--gateway", required=True)
    parser.add_argument("--users-metrics", required=True)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--label", default="")
    print(json.dumps(asyncio.run(main(parser.parse_args())), indent=2))
