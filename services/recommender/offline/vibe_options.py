"""Which way of ranking a Vibe mood wins: the options measured on the labelled moods (docs/recommender.md,
"Vibe: what was measured").

    python -m services.recommender.offline.vibe_options [--title-free] [--out reports/vibe-options.json]
    (after make up; --title-free also encodes every film's story without its title, about 8 minutes)

An exact replica of Vibe's ranking over the whole catalogue in numpy (every film's story vector from
embedder.movie_vectors, the text read by vibe_query and embedded with the served model, the text's
constraints kept, the quality re-rank of zones/common.py), with one scoring change per option:

  base        story cosine + quality (the build before vibe_evidence; on TUNE it gives the same figures
              that build's make eval gave: precision@10 0.9136, exclusions 0.90, junk 0)
  prf         pseudo-relevance feedback: the query moved towards the mean of its 5 nearest films (Rocchio, 1.0)
  qexp        the query expanded with the mean of its 5 nearest keyword centroids (0.5)
  genre       + GENRE_WEIGHT x the mean genre z (vibe_evidence)
  keyword     + KEYWORD_WEIGHT x max(0, best keyword z)
  both        genre + keyword
  named       both + MENTION_WEIGHT for a keyword the mood names (what is served, less the gentle-tone rule)

Precision@10 counts a pick with one of the mood's genres or keywords, so keyword evidence is rewarded by
construction: the options were also judged by reading their top 10 (docs/vibe-examples.md). Chosen on
TUNE; REPORT and EXTERNAL (moods_external.py, written blind) only reported.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import re
from collections import Counter
from pathlib import Path

import numpy as np

from kit.config import REPO_ROOT, load_settings
from services.recommender import quality, vibe_evidence, vibe_query
from services.recommender.offline.moods import REPORT, TUNE, Mood
from services.recommender.offline.moods_external import EXTERNAL

K = 10
LOAD_SQL = """
SELECT v.movie_id, v.story, m.title, coalesce(m.overview, '') AS overview, coalesce(m.tagline, '') AS tagline,
       m.vote_count, m.vote_average, m.year, m.runtime_minutes,
       coalesce((SELECT array_agg(g.name ORDER BY g.name) FROM catalog.movie_genres mg
                 JOIN catalog.genres g ON g.id = mg.genre_id WHERE mg.movie_id = m.id), '{}') AS genres,
       coalesce((SELECT array_agg(k.name ORDER BY k.name) FROM catalog.movie_keywords mk
                 JOIN catalog.keywords k ON k.id = mk.keyword_id WHERE mk.movie_id = m.id), '{}') AS keywords
  FROM embedder.movie_vectors v JOIN catalog.movies m ON m.id = v.movie_id ORDER BY v.movie_id
"""
OPTIONS = ("base", "prf", "qexp", "genre", "keyword", "both", "named")


class Replica:
    def __init__(self, rows, vectors: np.ndarray, encode) -> None:
        self.rows, self.encode = rows, encode
        self.V = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
        n = len(rows)
        self.genres = [frozenset(r["genres"]) for r in rows]
        self.keywords = [frozenset(r["keywords"]) for r in rows]
        votes = np.array([r["vote_count"] for r in rows])
        avg = np.array([r["vote_average"] for r in rows])
        mean = quality.catalogue_mean(avg, votes)
        self.junk = quality.junk_mask(avg, votes)
        self.qadj = 0.04 * (quality.bayes_ratings(avg, votes, mean) - mean) - 0.25 * self.junk
        names = sorted({g for gs in self.genres for g in gs})
        self.GM = np.zeros((n, len(names)), np.float32)
        for i, gs in enumerate(self.genres):
            for g in gs:
                self.GM[i, names.index(g)] = 1
        self.gcent = self._centroids(self.GM)
        count = Counter(k for ks in self.keywords for k in ks)
        kws = sorted(k for k, c in count.items() if c >= vibe_evidence.MIN_KEYWORD_FILMS)
        col = {k: j for j, k in enumerate(kws)}
        self.KM = np.zeros((n, len(kws)), np.float32)
        for i, ks in enumerate(self.keywords):
            for k in ks:
                if k in col:
                    self.KM[i, col[k]] = 1
        self.kcent = self._centroids(self.KM)
        self.nameable = {k for k, c in count.items() if c >= vibe_evidence.MIN_MENTION_FILMS}

    def _centroids(self, member: np.ndarray) -> np.ndarray:
        c = (member.T @ self.V) / np.maximum(member.sum(0)[:, None], 1)
        return c / np.maximum(np.linalg.norm(c, axis=1, keepdims=True), 1e-9)

    def top(self, text: str, option: str) -> np.ndarray:
        q = vibe_query.parse(text)
        e = self.encode(q.mood)
        s = self.V @ e
        mask = np.ones(len(self.rows), bool)
        if q.constrained:
            mask = np.array([vibe_query.fits(q, g, r["runtime_minutes"], r["year"], keywords=k)
                             for r, g, k in zip(self.rows, self.genres, self.keywords, strict=True)])
            if mask.sum() < K:
                mask[:] = True
        if option == "prf":
            near = np.argsort(-np.where(mask, s + self.qadj, -9))[:5]
            e = e + self.V[near].mean(0)
            s = self.V @ (e / np.linalg.norm(e))
        if option == "qexp":
            near = np.argsort(-(self.kcent @ e))[:5]
            e = e + 0.5 * self.kcent[near].mean(0)
            s = self.V @ (e / np.linalg.norm(e))
        score = s + self.qadj
        if option in ("genre", "both", "named"):
            a = self.gcent @ e
            z = (a - a.mean()) / a.std()
            score = score + vibe_evidence.GENRE_WEIGHT * (self.GM * z).sum(1) / np.maximum(self.GM.sum(1), 1)
        if option in ("keyword", "both", "named"):
            a = self.kcent @ e
            z = (a - a.mean()) / a.std()
            score = score + vibe_evidence.KEYWORD_WEIGHT * np.clip((self.KM * z).max(1), 0, None)
        if option == "named":
            words = set(re.findall(r"[a-z0-9']+", q.mood.lower()))
            words |= {w[:-1] for w in words if w.endswith("s") and len(w) > 3}
            text_l = " ".join(re.findall(r"[a-z0-9']+", q.mood.lower()))
            named = {k for k in self.nameable if (k in words if " " not in k else f" {k} " in f" {text_l} ")}
            if named:
                score = score + vibe_evidence.MENTION_WEIGHT * np.array([bool(k & named) for k in self.keywords])
        return np.argsort(-np.where(mask, score, -9))[:K]

    def measure(self, moods: tuple[Mood, ...], option: str) -> dict[str, float | None]:
        precision, respected, junk = [], [], []
        for m in moods:
            top = self.top(m.text, option)
            precision.append(np.mean([bool(self.genres[i] & set(m.genres) or self.keywords[i] & set(m.keywords))
                                      for i in top]))
            if m.exclude:
                respected += [not self.genres[i] & set(m.exclude) for i in top]
            junk += [bool(self.junk[i]) for i in top]
        return {"precision@10": round(float(np.mean(precision)), 4),
                "exclusions_respected": round(float(np.mean(respected)), 4) if respected else None,
                "junk@10": round(float(np.mean(junk)), 4)}


def _cpu() -> str:
    """The CPU model and whether it has AVX-512 (the figures here are quality, not speed, but say where)."""
    try:
        info = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.machine()
    model = next((ln.split(":", 1)[1].strip() for ln in info.splitlines() if ln.startswith("model name")), "")
    return f"{model} ({'AVX-512' if 'avx512f' in info else 'no AVX-512'})"


def _vector(v) -> np.ndarray:
    return np.asarray(v.to_numpy() if hasattr(v, "to_numpy") else v, dtype=np.float32)


async def _load(database_url: str):
    from kit import db

    pool = await db.create_pool(database_url)
    try:
        async with pool.acquire() as conn:
            return await conn.fetch(LOAD_SQL)
    finally:
        await pool.close()


def main(argv: list[str] | None = None) -> None:
    from services.embedder.model.encoder import Encoder

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--title-free", action="store_true", help="also rank over story vectors without the title")
    ap.add_argument("--model-dir", type=Path, default=REPO_ROOT / ".local" / "models" / "all-MiniLM-L6-v2")
    ap.add_argument("--out", type=Path, default=REPO_ROOT / "reports" / "vibe-options.json")
    args = ap.parse_args(argv)
    rows = asyncio.run(_load(load_settings().database_url))
    enc = Encoder(args.model_dir)
    encode = lambda t: enc.encode([t])[0]  # noqa: E731
    spaces = {"story": np.stack([_vector(r["story"]) for r in rows])}
    if args.title_free:   # the embedder's story text (services/embedder/axes.py) less "{title}. " (keywords
        # in name order here, the catalogue's order there)
        texts = []
        for r in rows:
            parts = [p for p in (r["tagline"].strip(), r["overview"].strip()) if p]
            if r["keywords"]:
                parts.append("Themes: " + ", ".join(r["keywords"][:20]) + ".")
            texts.append(" ".join(parts) if parts else r["title"])
        spaces["story without title"] = enc.encode(texts)
    options: dict[str, dict] = {}
    report = {"cpu": _cpu(), "films": len(rows), "options": options}
    for space, vectors in spaces.items():
        replica = Replica(rows, vectors, encode)
        for option in OPTIONS:
            options[f"{space}: {option}"] = {
                split: replica.measure(moods, option)
                for split, moods in (("tune", TUNE), ("report", REPORT), ("external", EXTERNAL))}
            print(f"{space}: {option}", options[f"{space}: {option}"], flush=True)
    args.out.write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
