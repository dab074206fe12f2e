"""Soft evidence for Vibe: how close a mood is to each genre and to each of the catalogue's own TMDb
keywords, so the mood, not the literal words of a title, leads ("a heartwarming dog movie" finds
Marley & Me and Homeward Bound instead of Wag the Dog and The Power of the Dog).

Each genre and each keyword carried by at least MIN_KEYWORD_FILMS films is a centroid: the mean story
vector of its films (embedder.movie_vectors, averaged in PostgreSQL). For a mood vector q the genre
affinities cos(q, genre centroid) and the keyword affinities cos(q, keyword centroid) are turned into
z-scores over all genres / all keywords, and a film gains
    GENRE_WEIGHT   x the mean z of its genres            (a horror film loses for "cozy feel-good")
  + KEYWORD_WEIGHT x max(0, the largest z of its keywords) (a film about dogs gains for "dog movie")
  + MENTION_WEIGHT when it carries a keyword the mood names outright ("a disaster movie": the films
    tagged "disaster", a plural folded: "vampires" names "vampire")
on top of its own story similarity. Films without keywords gain no keyword term and lose nothing.

The weights were chosen on the TUNE half of the labelled moods (offline/moods.py) among the options in
docs/recommender.md ("Vibe: what was measured"): pseudo-relevance feedback, a query expanded with the
nearest keywords, genre evidence alone, keyword evidence alone, both, both with named keywords; the
last won there and held on the REPORT half and on the external set.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import asyncpg
import numpy as np

from services.recommender.films import Film, Films

MIN_KEYWORD_FILMS = 10
MIN_MENTION_FILMS = 3      # a keyword the mood names outright counts from this many films
GENRE_WEIGHT = 0.06
KEYWORD_WEIGHT = 0.03
MENTION_WEIGHT = 0.05
KEYWORD_REASON_Z = 3.0     # a keyword this close to the mood (z) is named in the film's reasons

CENTROIDS_SQL = """
SELECT t.label, avg(v.story) AS centroid
  FROM unnest($1::text[], $2::bigint[]) AS t(label, movie_id)
  JOIN embedder.movie_vectors v ON v.movie_id = t.movie_id
 GROUP BY t.label
"""


def _normalised(m: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(m, axis=1, keepdims=True)
    return m / np.where(n > 0, n, 1.0)


def _rows(m, n: int) -> np.ndarray:
    """`n` L2-normalised rows (none: an empty 0 x 0 matrix, which every product below skips)."""
    m = np.asarray(m, dtype=np.float32)
    return _normalised(m.reshape(n, -1)) if n else np.zeros((0, 0), dtype=np.float32)


def _z(x: np.ndarray) -> np.ndarray:
    sd = float(x.std())
    return (x - x.mean()) / sd if sd > 0 else np.zeros_like(x)


@dataclass(frozen=True, slots=True)
class Evidence:
    genre: float            # GENRE_WEIGHT x mean genre z
    keyword: float          # KEYWORD_WEIGHT x max(0, best keyword z)
    best_keyword: str       # the film's keyword closest to the mood ("" when none)
    best_keyword_z: float
    named: str = ""         # a keyword of the film the mood names outright ("" when none)

    @property
    def bonus(self) -> float:
        return self.genre + self.keyword + (MENTION_WEIGHT if self.named else 0.0)


class VibeEvidence:
    def __init__(self, genres: list[str], genre_centroids: np.ndarray, keywords: list[str],
                 keyword_centroids: np.ndarray, nameable: frozenset[str] = frozenset()) -> None:
        self.nameable = nameable   # keywords a mood can name outright (MIN_MENTION_FILMS or more films)
        self._words = frozenset(k for k in nameable if " " not in k)
        self._phrases: dict[str, list[str]] = {}   # a longer keyword, under its first word
        for k in sorted(nameable - self._words):
            self._phrases.setdefault(k.split(" ", 1)[0], []).append(k)
        self.genres = genres
        self.genre_centroids = _rows(genre_centroids, len(genres))
        self.keywords = keywords
        self.keyword_centroids = _rows(keyword_centroids, len(keywords))
        self._genre_col = {g: i for i, g in enumerate(genres)}
        self._keyword_col = {k: i for i, k in enumerate(keywords)}

    @classmethod
    async def load(cls, pool: asyncpg.Pool, films: Films) -> VibeEvidence:
        """Centroids of the films the store has and the embedder has encoded."""
        g_labels: list[str] = []
        g_ids: list[int] = []
        k_count: dict[str, int] = {}
        for f in films.by_id.values():
            for g in f.genres:
                g_labels.append(g)
                g_ids.append(f.id)
            for k in f.keywords:
                k_count[k] = k_count.get(k, 0) + 1
        k_labels: list[str] = []
        k_ids: list[int] = []
        for f in films.by_id.values():
            for k in f.keywords:
                if k_count[k] >= MIN_KEYWORD_FILMS:
                    k_labels.append(k)
                    k_ids.append(f.id)
        async with pool.acquire() as conn:
            g_rows = await conn.fetch(CENTROIDS_SQL, g_labels, g_ids)
            k_rows = await conn.fetch(CENTROIDS_SQL, k_labels, k_ids)

        def split(rows) -> tuple[list[str], np.ndarray]:
            rows = sorted(rows, key=lambda r: r["label"])
            vecs = [np.asarray(r["centroid"].to_numpy() if hasattr(r["centroid"], "to_numpy") else r["centroid"],
                               dtype=np.float32) for r in rows]
            return [r["label"] for r in rows], (np.stack(vecs) if vecs else np.zeros((0, 0), np.float32))

        nameable = frozenset(k for k, n in k_count.items() if n >= MIN_MENTION_FILMS)
        return cls(*split(g_rows), *split(k_rows), nameable=nameable)

    def named_in(self, mood: str) -> frozenset[str]:
        """The keywords the mood names outright: a one-word keyword as a word of the mood (a trailing "s"
        folded), a longer one as a phrase ("time travel")."""
        text = " ".join(re.findall(r"[a-z0-9']+", mood.lower()))
        words = set(text.split())
        words |= {w[:-1] for w in words if w.endswith("s") and len(w) > 3}
        # A phrase as whole words of the text (its words are joined by single spaces): a substring test,
        # not a regex per keyword, whose hundreds of patterns would overflow re's cache of compiled ones
        # and have every regex of the process compiled again on each request (a quarter of the
        # recommender's CPU under the load test, docs/performance.md).
        # Only the phrases whose first word the text has are tried, not every keyword there is.
        spaced = f" {text} "
        phrases = {k for w in words for k in self._phrases.get(w, ()) if f" {k} " in spaced}
        return frozenset(words & self._words) | phrases

    def affinities(self, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """z-scores of the mood's closeness to every genre and every keyword."""
        q = np.asarray(query, dtype=np.float32)
        gz = _z(self.genre_centroids @ q) if len(self.genres) else np.zeros(0, np.float32)
        kz = _z(self.keyword_centroids @ q) if len(self.keywords) else np.zeros(0, np.float32)
        return gz, kz

    def of(self, film: Film, gz: np.ndarray, kz: np.ndarray, named: frozenset[str] = frozenset()) -> Evidence:
        return self.of_many([film], gz, kz, named)[film.id]

    def of_many(self, films: Iterable[Film], gz: np.ndarray, kz: np.ndarray,
                named: frozenset[str] = frozenset()) -> dict[int, Evidence]:
        """Each film's evidence: the mean z of its genres, its keyword with the highest z (above 0; ties: the
        first by name) and the first of its keywords the mood names. In plain Python floats: numpy per film
        (a mean over two or three genres) was a third of Vibe's samples in a profile of the recommender."""
        gzl, kzl = gz.tolist(), kz.tolist()
        gcol, kcol = self._genre_col, self._keyword_col
        out = {}
        for film in films:
            gs = [gzl[c] for g in film.genres if (c := gcol.get(g)) is not None]
            genre = GENRE_WEIGHT * (sum(gs) / len(gs)) if gs else 0.0
            best, best_z = "", 0.0
            for k in film.keywords:
                j = kcol.get(k)
                if j is not None and (kzl[j] > best_z or (kzl[j] == best_z and best and k < best)):
                    best, best_z = k, kzl[j]
            hit = min(film.keywords & named) if named and not film.keywords.isdisjoint(named) else ""
            out[film.id] = Evidence(genre, KEYWORD_WEIGHT * max(0.0, best_z), best, best_z, hit)
        return out
