"""History import benchmark: not a test, numbers for docs/import.md.

Against a running stack (`make up`, or a test stack): builds two 1,000-row files from the catalogue with a
fixed seed, as people's exports look to the matcher, and times previewImport and confirmImport through
the gateway (a new user each run, so every confirm writes).

- IMDb ratings CSV: 800 films of the catalogue drawn by vote count (popular films are the ones people
  rate), each with its IMDb id when the catalogue has one, else a made-up id (so it must match by title);
  100 made-up titles; 50 TV series rows; 50 rows of catalogue films with the year one off and no id.
- Letterboxd zip: ratings.csv with 1,000 rows: 850 catalogue films (every 10th title written "Title, The",
  every 7th without accents, every 20th with the year one off), 150 made-up titles.

    python -m bench.import_preview --base-url http://127.0.0.1:8000 --database-url postgresql://...
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import platform
import random
import statistics
import subprocess
import time
import unicodedata
import uuid
import zipfile
from pathlib import Path

import asyncpg
import httpx

PREVIEW = ("mutation($f: Upload!) { previewImport(file: $f) { id counts { rows matched notInCatalogue ambiguous"
           " notAFilm badRows ratingsNew } rows { status reason } } }")
CONFIRM = "mutation($id: ID!) { confirmImport(previewId: $id) { ratingsWritten } }"
HEADER = ("Const,Your Rating,Date Rated,Title,Original Title,URL,Title Type,IMDb Rating,Runtime (mins),Year,Genres,"
          "Num Votes,Release Date,Directors")


def cpu_model() -> str:
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, timeout=10).stdout
        for line in out.splitlines():
            if line.startswith("Model name:"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def q(s: str) -> str:
    return '"' + s.replace('"', '""') + '"'


async def films(dsn: str, n: int, rng: random.Random) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch("SELECT id, title, year, coalesce(imdb_id, '') AS imdb_id, vote_count FROM"
                                " catalog.movies WHERE year IS NOT NULL ORDER BY id")
    finally:
        await conn.close()
    weights = [r["vote_count"] + 1 for r in rows]
    picked: dict[int, asyncpg.Record] = {}
    while len(picked) < n:
        r = rng.choices(rows, weights)[0]
        picked[r["id"]] = r
    return list(picked.values())


def imdb_file(cat: list[asyncpg.Record], rng: random.Random) -> bytes:
    lines = [HEADER]
    for i, f in enumerate(cat[:800]):
        const = f["imdb_id"] or f"tt9{i:08d}"
        lines.append(f"{const},{rng.randint(1, 10)},2021-01-01,{q(f['title'])},,u,movie,7,100,{f['year']},Drama,1,,")
    for i in range(100):
        lines.append(f"tt8{i:08d},7,2021-01-01,Made Up Film Number {i},,u,movie,7,100,2001,Drama,1,,")
    for i in range(50):
        lines.append(f"tt7{i:08d},9,2021-01-01,Some Series {i},,u,tvSeries,8,45,2010,Drama,1,,")
    for f in cat[800:850]:
        lines.append(f"tt6{f['id']:08d},6,2021-01-01,{q(f['title'])},,u,movie,7,100,{f['year'] + 1},Drama,1,,")
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()


def letterboxd_file(cat: list[asyncpg.Record], rng: random.Random) -> bytes:
    lines = ["Date,Name,Year,Letterboxd URI,Rating"]
    for i, f in enumerate(cat[:850]):
        title, year = f["title"], f["year"]
        if i % 10 == 0 and title.startswith("The "):
            title = title[4:] + ", The"
        if i % 7 == 0:
            title = strip_accents(title)
        if i % 20 == 0:
            year += 1
        lines.append(f"2022-01-01,{q(title)},{year},https://boxd.it/{i},{rng.randint(1, 10) / 2}")
    for i in range(150):
        lines.append(f"2022-01-01,Nobody Filmed This {i},1999,https://boxd.it/x{i},3")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("ratings.csv", "\n".join(lines) + "\n")
    return buf.getvalue()


async def run(base_url: str, dsn: str, runs: int) -> dict:
    rng = random.Random(16)
    cat = await films(dsn, 850, rng)
    files = {"imdb": ("ratings.csv", imdb_file(cat, rng)), "letterboxd": ("letterboxd.zip", letterboxd_file(cat, rng))}
    out: dict = {"cpu": cpu_model(), "runs": runs, "files": {}}
    async with httpx.AsyncClient(base_url=base_url, timeout=120) as c:
        for kind, (name, data) in files.items():
            previews, confirms = [], []
            counts: dict = {}
            reasons: dict[str, int] = {}
            for _ in range(runs):
                u = f"bench{uuid.uuid4().hex[:10]}"
                reg = (await c.post("/graphql", json={"query": "mutation($u: String!) { register(username: $u,"
                       " password: \"bench-pass-1\") { accessToken } }", "variables": {"u": u}})).json()
                h = {"Authorization": f"Bearer {reg['data']['register']['accessToken']}"}
                t0 = time.perf_counter()
                r = await c.post("/graphql/upload", headers=h, data={
                    "operations": json.dumps({"query": PREVIEW, "variables": {"f": None}}),
                    "map": json.dumps({"0": ["variables.f"]})}, files={"0": (name, data, "application/octet-stream")})
                previews.append(time.perf_counter() - t0)
                p = r.json()["data"]["previewImport"]
                counts = p["counts"]
                reasons = {}
                for row in p["rows"]:
                    key = row["status"] if row["status"] != "MATCHED" else row["reason"].split(":")[0].split("(")[0]
                    reasons[key.strip(" .")] = reasons.get(key.strip(" ."), 0) + 1
                t0 = time.perf_counter()
                s = (await c.post("/graphql", headers=h, json={"query": CONFIRM, "variables": {"id": p["id"]}})).json()
                confirms.append(time.perf_counter() - t0)
                assert s["data"]["confirmImport"]["ratingsWritten"] == counts["ratingsNew"], s
            out["files"][kind] = {
                "bytes": len(data), "counts": counts, "how": dict(sorted(reasons.items(), key=lambda kv: -kv[1])),
                "preview_ms_median": round(statistics.median(previews) * 1000),
                "preview_ms_max": round(max(previews) * 1000),
                "confirm_ms_median": round(statistics.median(confirms) * 1000),
            }
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base-url", default="http://127.0.0.1:8000")
    ap.add_argument("--database-url", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", default="reports/import-bench.json")
    a = ap.parse_args()
    result = asyncio.run(run(a.base_url, a.database_url, a.runs))
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
