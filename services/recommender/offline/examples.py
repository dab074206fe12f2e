"""What a person sees: the top 10 of fixed, varied examples per zone, from a running stack.

    python -m services.recommender.offline.examples [--recommender ADDR] [--label NAME] [--out FILE.json]
    python -m services.recommender.offline.examples --render before.json after.json > docs/examples.md
    python -m services.recommender.offline.examples --vibe --out FILE.json   (Vibe's fixed moods only)
    python -m services.recommender.offline.examples --vibe --render before.json after.json > docs/vibe-examples.md
    make examples   (the stack's picks -> reports/examples.json, then docs/examples.md beside
                     reports/examples-before.json: the build before quality.py, commit 578ac65)

The taste profiles are accounts made through the gateway (GraphQL: register, rate, partner invite),
so For you, Hidden gems and Together see exactly what a signed-in person's request would. The zones
are asked through the recommender's gRPC API (`--recommender`, default the stack's), so two builds of
the recommender over the same stores can be compared side by side. Read the output as a film lover
would: junk, blockbusters called gems, a reason that is not true.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import grpc
import httpx
from movierec.catalog.v1 import catalog_pb2, catalog_pb2_grpc
from movierec.recommender.v1 import recommender_pb2 as pb
from movierec.recommender.v1 import recommender_pb2_grpc

from kit import auth
from kit.config import load_settings
from services.recommender import quality
from services.recommender.reasons import top_share

K = 10
# Anchors: a classic, a feel-good foreign film, a crime epic, an animated family film, the first film of
# a franchise, and an anime; Hidden gems anchors: the issue's own (Amélie), sci-fi and a thriller.
SIMILAR = {"Blade Runner": 78, "Amélie": 194, "The Godfather": 238, "Toy Story": 862, "The Matrix": 603,
           "Spirited Away": 129}
GEMS = {"Amélie": 194, "Blade Runner": 78, "Se7en": 807}
# Taste profiles: ratings a person of that taste would give (TMDb ids, 0.5-5).
PROFILES: dict[str, dict[int, float]] = {
    "scifi": {78: 5, 62: 5, 348: 5, 603: 4.5, 329865: 5, 157336: 4.5, 17431: 5, 782: 4.5, 9693: 5, 264660: 4.5,
              114: 1.5, 509: 1.5},
    "romance": {4348: 5, 509: 5, 76: 5, 194: 4.5, 38: 4.5, 313369: 5, 114: 4.5, 639: 5, 597: 4.5, 11036: 5,
                348: 1.5, 176: 1},
    "crime": {238: 5, 769: 5, 680: 5, 949: 4.5, 807: 4.5, 275: 5, 1422: 4.5, 500: 4.5, 829: 5, 6977: 5,
              10191: 1.5, 313369: 2},
}
# Together: opposite tastes, two other pairs, and all three (everyone is linked with everyone)
TOGETHER = (("scifi", "romance"), ("crime", "romance"), ("scifi", "crime"), ("scifi", "romance", "crime"))
# Together with a mood: two pairs, moods of different kinds (a tone, a genre with a story word, a feeling, a genre)
TOGETHER_MOODS = ((("scifi", "romance"), ("crime", "romance")),
                  ("cozy feel-good comedy for a rainy sunday", "a tense heist thriller",
                   "something romantic and a little sad", "a mind-bending sci-fi"))
# Vibe: the moods the Vibe issue was filed with (a word shared with a title, a negation, a gentle tone, a
# mood that is not a genre), varied moods, and gibberish; asked anonymously.
VIBE_MOODS = ("cozy feel-good comedy for a rainy sunday", "slow-burn sci-fi with a twist, not too long",
              "not gory, a creepy mystery", "a thriller that isn't a horror film",
              "something funny without any romance",
              "a heartwarming dog movie", "a disaster movie", "a sad film for a good cry",
              "something gentle and sweet to watch with my gran", "trippy and mind-bending",
              "a christmas movie for the family", "vampires", "asdfgh jkl")
PASSWORD = "examples-not-a-secret-1"


async def _gql(http: httpx.AsyncClient, query: str, variables: dict | None = None, token: str | None = None) -> dict:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    r = await http.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)
    body = r.json()
    if body.get("errors"):
        raise RuntimeError(body["errors"][0]["message"])
    return body["data"]


async def _account(http: httpx.AsyncClient, name: str) -> tuple[str, str]:
    """(user id, access token) of the examples' account `name`, made on first use."""
    q = "mutation($u:String!,$p:String!){ %s(username:$u, password:$p){ accessToken user { id } } }"
    try:
        d = (await _gql(http, q % "register", {"u": f"examples-{name}", "p": PASSWORD}))["register"]
    except RuntimeError:
        d = (await _gql(http, q % "login", {"u": f"examples-{name}", "p": PASSWORD}))["login"]
    return d["user"]["id"], d["accessToken"]


async def make_profiles(gateway: str) -> dict[str, str]:
    """Accounts with the profiles' ratings, every Together group's members linked; returns name -> user id."""
    async with httpx.AsyncClient(base_url=gateway, timeout=30) as http:
        ids, tokens = {}, {}
        for name, ratings in PROFILES.items():
            ids[name], tokens[name] = await _account(http, name)
            for mid, v in ratings.items():
                await _gql(http, "mutation($m:ID!,$v:Float!){ rateMovie(movieId:$m, value:$v){ value } }",
                           {"m": str(mid), "v": float(v)}, tokens[name])
        links = sorted({(a, b) for group in TOGETHER for a in group for b in group if a < b})
        for a, b in links:
            partners = await _gql(http, "{ me { partners { user { id } } } }", token=tokens[a])
            if ids[b] not in {p["user"]["id"] for p in partners["me"]["partners"]}:
                code = (await _gql(http, "mutation{ createInvite { code } }", token=tokens[a]))["createInvite"]["code"]
                await _gql(http, "mutation($c:String!){ acceptInvite(code:$c){ user { id } } }", {"c": code},
                           tokens[b])
        await asyncio.sleep(2.0)   # the feedback events reach the recommender (it bumps the generations)
        return ids


def _row(item: pb.Recommendation, film: catalog_pb2.Movie, names: dict[str, str]) -> dict[str, Any]:
    return {
        "id": film.id, "title": film.title, "year": film.year if film.HasField("year") else None,
        "average": round(film.vote_average, 1), "votes": film.vote_count,
        "percentile": round(film.popularity_percentile, 1),
        "junk": quality.is_junk(film.vote_average, film.vote_count),
        "reasons": [r.text for r in item.reasons],
        "fits": {names.get(f.user_id, f.user_id): f.score for f in item.fits},
    }


async def collect(recommender: str, users: dict[str, str]) -> dict[str, Any]:
    settings = load_settings()
    token = auth.load_internal_token(settings.secrets_dir)
    names = {v: k for k, v in users.items()}
    out: dict[str, Any] = {}
    async with grpc.aio.insecure_channel(recommender) as rch, grpc.aio.insecure_channel(settings.catalog_addr) as cch:
        rec = recommender_pb2_grpc.RecommenderServiceStub(rch)
        cat = catalog_pb2_grpc.CatalogServiceStub(cch)

        async def rows(call, request, user: str | None = None) -> list[dict]:
            resp = await call(request, metadata=auth.call_metadata(token, user), timeout=30)
            films = await cat.BatchGetMovies(catalog_pb2.BatchGetMoviesRequest(ids=[i.movie_id for i in resp.items]))
            by_id = {m.id: m for m in films.movies}
            return [_row(i, by_id[i.movie_id], names) for i in resp.items if i.movie_id in by_id]

        for title, mid in SIMILAR.items():
            out[f"More like {title}"] = await rows(rec.Similar, pb.SimilarRequest(movie_id=mid, first=K))
        for title, mid in GEMS.items():
            out[f"Hidden gems like {title}"] = await rows(rec.HiddenGems, pb.HiddenGemsRequest(movie_id=mid, first=K))
        for name in PROFILES:
            out[f"Hidden gems for the {name} profile"] = await rows(rec.HiddenGems, pb.HiddenGemsRequest(first=K),
                                                                     users[name])
        for first, *others in TOGETHER:
            out[f"Together: {' + '.join([first, *others])}"] = await rows(
                rec.Together, pb.TogetherRequest(user_ids=[users[o] for o in others], first=K), users[first])
        for first, *others in TOGETHER_MOODS[0]:
            for mood in TOGETHER_MOODS[1]:
                out[f"Together: {' + '.join([first, *others])}, \"{mood}\""] = await rows(
                    rec.Together, pb.TogetherRequest(user_ids=[users[o] for o in others], first=K, vibe=mood),
                    users[first])
    return out


async def collect_vibe(recommender: str) -> dict[str, Any]:
    """Vibe's fixed moods, anonymous: the picks, and whether the text was answered with confidence (a
    build before vibe_reading existed reads as confident)."""
    settings = load_settings()
    token = auth.load_internal_token(settings.secrets_dir)
    out: dict[str, Any] = {}
    async with grpc.aio.insecure_channel(recommender) as rch, grpc.aio.insecure_channel(settings.catalog_addr) as cch:
        rec = recommender_pb2_grpc.RecommenderServiceStub(rch)
        cat = catalog_pb2_grpc.CatalogServiceStub(cch)
        for text in VIBE_MOODS:
            resp = await rec.Vibe(pb.VibeRequest(text=text, first=K), metadata=auth.call_metadata(token, None),
                                  timeout=30)
            films = await cat.BatchGetMovies(catalog_pb2.BatchGetMoviesRequest(ids=[i.movie_id for i in resp.items]))
            by_id = {m.id: m for m in films.movies}
            rows = [_row(i, by_id[i.movie_id], {}) | {"genres": list(by_id[i.movie_id].genres)}
                    for i in resp.items if i.movie_id in by_id]
            reading = resp.vibe_reading if resp.HasField("vibe_reading") else None
            out[f"Vibe: {text}"] = {"confident": reading.confident if reading is not None else True,
                                    "message": reading.message if reading is not None else "", "picks": rows}
    return out


HEADER = """# What a person sees: fixed examples per zone

Generated by `make examples` (`services/recommender/offline/examples.py`) on the `make up` stack (15,834
films): the top 10 of fixed anchors, taste profiles and a pair of opposite tastes, asked through the
recommender's gRPC API as a signed-in person's request would be. **before**: the build before
`quality.py` (commit 578ac65, its picks kept in `reports/examples-before.json`); **after**: this build.
Junk = fewer than 50 votes or a TMDb average under 5.5; pct = the catalogue popularity percentile (100 =
the most votes). The profiles' ratings are in `PROFILES` in the script. Read it as a film lover would.
"""


VIBE_HEADER = """# What a person sees: Vibe's fixed moods

Generated by `make examples` (`services/recommender/offline/examples.py --vibe`) on the `make up` stack
(15,834 films): the top 10 Vibe gives each of `VIBE_MOODS`, asked anonymously through the recommender's
gRPC API. **before**: the build before the Vibe issue's mood evidence and confidence (commit dfe5ffa, run
beside this one over the same stores; its picks are kept in `reports/vibe-examples-before.json`);
**after**: this build. Junk = fewer than 50 votes or a TMDb average under 5.5; pct = the catalogue
popularity percentile (100 = the most votes). Read it as a film lover would: a horror film for a cozy
evening, a title that only shares a word, ten confident picks for gibberish.
"""


def render_vibe(before: dict[str, Any] | None, after: dict[str, Any]) -> str:
    lines = [VIBE_HEADER]
    for example, answer in after.items():
        lines += [f"### {example.removeprefix('Vibe: ')}", ""]
        for label, got in (("before", (before or {}).get(example)), ("after", answer)):
            if got is None:
                continue
            rows = got["picks"]
            if not got["confident"]:
                lines += [f"**{label}**: no picks, not confident: “{got['message']}”", ""]
                continue
            junk = sum(r["junk"] for r in rows)
            lines += [f"**{label}** ({junk} of {len(rows)} junk):", "", "| # | film | genres | rating | votes | pct |"
                      " reasons |", "|---|---|---|---|---|---|---|"]
            for i, r in enumerate(rows, 1):
                flag = " (junk)" if r["junk"] else ""
                lines.append(f"| {i} | {r['title']} ({r['year']}){flag} | {', '.join(r['genres'][:3])} | "
                             f"{r['average']} | {r['votes']:,} | {r['percentile']:.0f} | "
                             f"{' '.join(r['reasons'][:3])} |")
            lines.append("")
    return "\n".join(lines)


def render(before: dict[str, Any] | None, after: dict[str, Any]) -> str:
    lines = [HEADER]
    for example, picks in after.items():
        lines += [f"### {example}", ""]
        for label, rows in (("before", (before or {}).get(example)), ("after", picks)):
            if rows is None:
                continue
            junk = sum(r["junk"] for r in rows)
            lines.append(f"**{label}** ({junk} of {len(rows)} junk: fewer than {quality.TRUST_MIN_VOTES} votes or "
                         f"an average under {quality.JUNK_MAX_AVERAGE}):")
            lines.append("")
            lines.append("| # | film | rating | votes | pct | first reason |" + (" fits |" if rows and rows[0]["fits"]
                                                                             else ""))
            lines.append("|---|---|---|---|---|---|" + ("---|" if rows and rows[0]["fits"] else ""))
            for i, r in enumerate(rows, 1):
                fits = ""
                if r["fits"]:
                    fits = " " + ", ".join(f"{n} {top_share(v)}" for n, v in r["fits"].items()) + " |"
                flag = " (junk)" if r["junk"] else ""
                lines.append(f"| {i} | {r['title']} ({r['year']}){flag} | {r['average']} | {r['votes']:,} | "
                             f"{r['percentile']:.0f} | {r['reasons'][0] if r['reasons'] else ''} |{fits}")
            lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--recommender", default=None, help="recommender gRPC address (default: RECOMMENDER_ADDR)")
    ap.add_argument("--gateway", default="http://127.0.0.1:8000")
    ap.add_argument("--out", type=Path, default=None, help="write the picks as JSON here")
    ap.add_argument("--render", nargs="+", type=Path, default=None, metavar="JSON",
                    help="print markdown for [before.json] after.json")
    ap.add_argument("--vibe", action="store_true", help="Vibe's fixed moods (VIBE_MOODS) only")
    args = ap.parse_args(argv)
    if args.render:
        docs = [json.loads(p.read_text()) for p in args.render]
        print((render_vibe if args.vibe else render)(docs[0] if len(docs) > 1 else None, docs[-1]))
        return
    recommender = args.recommender or load_settings().recommender_addr
    if args.vibe:
        picks = asyncio.run(collect_vibe(recommender))
    else:
        picks = asyncio.run(collect(recommender, asyncio.run(make_profiles(args.gateway))))
    text = json.dumps(picks, indent=1, ensure_ascii=False)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text)
    else:
        sys.stdout.write(text + "\n")


if __name__ == "__main__":
    main()
