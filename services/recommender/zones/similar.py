"""More like this: films close to an anchor on the axes the user weighs (story/vibe, cast and crew,
studio and style, genre), strong films first.

Candidates: the AXIS_POOL nearest films on each weighted embedding axis (the anchor's lists the embedder
precomputes, exact; pgvector's HNSW index where a list runs short after the user's exclusions). Score: the
weighted mean of the film's similarity on each weighted axis (genre: Jaccard of the genre sets), then
the quality re-rank (zones.common.quality_adjusted): an obscure film stays only when it is close and
good; a junk film (quality.is_junk) falls far behind, so it shows only when nothing better is close.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Collection

import numpy as np
from movierec.common.v1 import common_pb2 as cz
from movierec.recommender.v1 import recommender_pb2 as pb

from kit.errors import InvalidArgument, NotFound
from kit.limits import AXIS_WEIGHT_MAX
from services.recommender import reasons, vectors
from services.recommender.films import Film
from services.recommender.tastes import Taste
from services.recommender.zones.common import ZoneContext, exclusions, item, quality_adjusted

DEFAULT_WEIGHTS = {"story": 1.0, "people": 0.5, "style": 0.5, "genre": 0.3}
AXIS_POOL = 80            # nearest films fetched per axis


def normalise_weights(given: dict[str, float | None]) -> dict[str, float]:
    """No weight given: the defaults. Weights given: each 0-10, at least one above zero (all zero
    would rank by nothing; the caller is told so rather than handed a silent default)."""
    if all(given.get(k) is None for k in DEFAULT_WEIGHTS):
        return dict(DEFAULT_WEIGHTS)
    out = {k: float(given.get(k) or 0.0) for k in DEFAULT_WEIGHTS}
    for k, v in out.items():
        if not math.isfinite(v) or not 0 <= v <= AXIS_WEIGHT_MAX:
            raise InvalidArgument(f"weight {k} must be 0-{AXIS_WEIGHT_MAX:g}")
    if not any(out.values()):
        raise InvalidArgument("all axis weights are zero: give at least one axis (story, people, style, genre) "
                              "a weight above zero, or none for the defaults")
    return out


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


async def _nearest(ctx: ZoneContext, axis: str, vector: np.ndarray, n: int, exclude: set[int],
                   max_percentile: float | None, listed: list[int] | None) -> list[int]:
    """The n nearest films on one axis, at most `max_percentile` popular: from the anchor's precomputed list
    when n of its films pass (the list is exact, so they are the n nearest that pass), else from the HNSW
    index."""
    if listed is not None:
        films = ctx.films
        if max_percentile is None:
            ids = [m for m in listed if m not in exclude][:n]
        else:
            ids = [m for m in listed if m not in exclude and (f := films.get(m)) is not None
                   and f.popularity_percentile <= max_percentile][:n]
        if len(ids) == n:
            return ids
    return [h.movie_id for h in await vectors.nearest(ctx.pool, axis, vector, n, exclude, max_percentile)]


async def scored_like(ctx: ZoneContext, anchor: Film, av: dict[str, np.ndarray], weights: dict[str, float],
                      exclude: set[int], pool: int, *, max_percentile: float | None = None,
                      among: Collection[int] | None = None, listed: dict[str, list[int]] | None = None,
                      ) -> list[tuple[float, int, dict[str, float]]]:
    """(score, film, per-axis similarity) of the films near `anchor`, best first: the `pool` nearest on each
    weighted axis, at most `max_percentile` popular, from the anchor's precomputed lists (`listed`) or the
    HNSW index (with `among`: the nearest of those films, an exact scan), scored by the weighted mean
    similarity with the quality re-rank. Hidden gems anchored on a film use it too."""
    films = ctx.films
    axes = [a for a in vectors.AXES if weights.get(a, 0) > 0 and a in av] or ["style"]  # genre only: style pool
    n = pool if any(weights.get(a, 0) > 0 for a in vectors.AXES if a in av) else 2 * pool
    if among is None:
        pools = await asyncio.gather(*(_nearest(ctx, a, av[a], n, exclude, max_percentile, (listed or {}).get(a))
                                       for a in axes))
        cand = {m for ids in pools for m in ids}
    else:
        ids = [m for m in among if m not in exclude]
        found = await asyncio.gather(*(vectors.nearest_among(ctx.pool, a, av[a], ids, n) for a in axes))
        cand = {m for hits in found for m in hits}
    sims = await vectors.similarities(ctx.pool, av, cand)
    scored = []
    for mid, parts in sims.items():
        film = films.get(mid)
        if film is None:
            continue
        parts["genre"] = _jaccard(anchor.genres, film.genres)
        used = [a for a in parts if weights.get(a, 0) > 0]
        total_w = sum(weights[a] for a in used)
        s = sum(weights[a] * parts[a] for a in used) / (total_w or 1.0)
        scored.append((quality_adjusted(films, film, s), mid, parts))
    scored.sort(key=lambda t: (-t[0], t[1]))
    return scored


async def similar(ctx: ZoneContext, movie_id: int, k: int, weights: dict[str, float], taste: Taste | None,
                  include_seen: bool) -> list[pb.Recommendation]:
    films = ctx.films
    anchor = films.get(movie_id)
    if anchor is None:
        raise NotFound(f"No film with id {movie_id}.")
    av, listed = await vectors.anchor(ctx.pool, movie_id)
    scored = await scored_like(ctx, anchor, av, weights, {movie_id} | exclusions(taste, include_seen),
                               max(AXIS_POOL, 3 * k), listed=listed)
    out = []
    for s, mid, parts in scored[:k]:
        film = films[mid]
        why = reasons.shared_with(anchor, film, parts.get("story")) + reasons.quality(films, film)
        out.append(item(films, mid, s, cz.ZONE_SIMILAR, why))
    return out
