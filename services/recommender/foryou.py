"""For you: the blend of a collaborative model and the content profile, its fallbacks, the taste-anchored
hidden gems and the onboarding list. Pure functions over a fitted `models.Model` and a `ContentIndex`;
the service and the offline evaluation call exactly these.

Blend (chosen on a validation split carved from training data, docs/recommender-models.md):

    s = w_cf(n) * norm(cf) + (1 - w_cf(n)) * norm(content) + quality_weight * quality
    w_cf(n) = cf_weight * n / (n + cf_half)          n = the user's ratings the CF model knows

with norm = z-score over the catalogue ("z") or rank in [0, 1] ("rank"). Fewer than MIN_CF_RATINGS
ratings: content + quality only; no ratings: a quality/popularity list spread across genres.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace

import numpy as np

from services.recommender.content import ContentIndex, _rank01
from services.recommender.models import Model

MIN_CF_RATINGS = 5


@dataclass
class BlendParams:
    cf_weight: float = 0.6        # the CF share for a user with enough ratings
    cf_half: float = 0.0          # ratings at which the CF share is half of cf_weight (0: no ramp)
    quality_weight: float = 0.1   # vote-count-aware rating, added to the blend
    norm: str = "z"               # "z" or "rank"
    cold_content_weight: float = 0.7   # 1-4 ratings: content vs quality (not tunable offline: no such users)
    gem_quality_weight: float = 0.0    # hidden gems: extra quality weight on top of the blend's
    gem_max_percentile: float = 100.0  # default hidden-gem ceiling (catalogue popularity percentile)
    gem_head_share: float = 0.2        # hidden gems leave out the films in this share most rated by our users
    gem_cf_weight: float | None = 0.8  # the CF share inside the hidden-gem blend (None: cf_weight)

    def to_dict(self) -> dict:
        return asdict(self)


DEFAULT_BLEND = BlendParams()


@dataclass
class Scored:
    movie_id: int
    score: float
    cf: float
    content: float
    because: list[int] = field(default_factory=list)


def _norm(x: np.ndarray, how: str) -> np.ndarray:
    if how == "rank":
        return _rank01(x)
    sd = float(x.std())
    return ((x - x.mean()) / sd).astype(np.float32) if sd > 1e-12 else np.zeros_like(x, dtype=np.float32)


def cf_scores_on_content(model: Model | None, content: ContentIndex, history: Mapping[int, float]) -> \
        tuple[np.ndarray | None, int]:
    """The model's scores laid out on the content index (films the model does not know get the lowest
    score), and how many of the user's ratings the model knows."""
    if model is None:
        return None, 0
    row = model.history_row(history)
    if row.nnz == 0:
        return None, 0
    raw = model.score(row)
    pos = content.positions_cached(id(model), model.item_ids)
    ok = pos >= 0
    out = np.full(len(content), float(raw.min()) if len(raw) else 0.0, dtype=np.float32)
    out[pos[ok]] = raw[ok]
    return out, int(row.nnz)


def _candidate_mask(content: ContentIndex, exclude: Iterable[int], max_percentile: float | None) -> np.ndarray:
    mask = np.ones(len(content), dtype=bool)
    for m in exclude:
        i = content.index_of(m)
        if i is not None:
            mask[i] = False
    if max_percentile is not None:
        mask &= content.popularity_percentile <= max_percentile
    return mask


def blend_scores(model: Model | None, content: ContentIndex, history: Mapping[int, float],
                 params: BlendParams = DEFAULT_BLEND) -> tuple[np.ndarray, np.ndarray, np.ndarray, str]:
    """(score, cf part, content part, mode) over every film of the content index.
    mode: "blend", "content" (fewer than MIN_CF_RATINGS ratings) or "cold" (no usable rating)."""
    n = len(content)
    zeros = np.zeros(n, dtype=np.float32)
    cf, n_cf = cf_scores_on_content(model, content, history)
    prof = content.profile(history)
    ct = content.scores(prof) if prof is not None else None
    n_rated = len(content.weights(history))
    if max(n_cf, n_rated) == 0 or (ct is None and cf is None):
        return cold_scores(content), zeros, zeros, "cold"
    if n_cf < MIN_CF_RATINGS or cf is None:
        if ct is None:
            return cold_scores(content), zeros, zeros, "cold"
        c = _rank01(ct)
        w = params.cold_content_weight
        return w * c + (1 - w) * content.quality, zeros, ct.astype(np.float32), "content"
    w_cf = params.cf_weight * n_cf / (n_cf + params.cf_half)
    cf_n = _norm(cf, params.norm)
    ct_n = _norm(ct, params.norm) if ct is not None else zeros
    if ct is None:
        w_cf = 1.0
    s = w_cf * cf_n + (1 - w_cf) * ct_n + params.quality_weight * _norm(content.quality, params.norm)
    return s.astype(np.float32), cf, (ct if ct is not None else zeros).astype(np.float32), "blend"


def cold_scores(content: ContentIndex) -> np.ndarray:
    """No taste known: well-rated (vote-count-aware) films that many people know."""
    return (0.6 * content.quality + 0.4 * _rank01(content.popularity_percentile)).astype(np.float32)


def _because(model: Model | None, content: ContentIndex, history: Mapping[int, float], movie_id: int,
             use_cf: bool, top: int = 3) -> list[int]:
    out: list[int] = []
    if use_cf and model is not None:
        item = model.index_of(movie_id)
        if item is not None:
            idx = model.explain(model.history_row(history), item, top)
            if idx:
                out = [int(model.item_ids[i]) for i in idx]
    if len(out) < top:
        for m in content.liked_neighbours(history, movie_id, top):
            if m not in out and len(out) < top:
                out.append(m)
    return out


def _diversify(content: ContentIndex, order: np.ndarray, k: int, per_genre: int) -> list[int]:
    """Take films in `order`, at most `per_genre` per primary genre, topped up in order when short."""
    picked: list[int] = []
    seen: dict[str, int] = {}
    for i in order:
        g = content.genres[i][0] if content.genres[i] else ""
        if seen.get(g, 0) < per_genre:
            picked.append(int(i))
            seen[g] = seen.get(g, 0) + 1
            if len(picked) == k:
                return picked
    for i in order:
        if int(i) not in picked:
            picked.append(int(i))
            if len(picked) == k:
                break
    return picked


def _top(scores: np.ndarray, mask: np.ndarray, k: int) -> np.ndarray:
    cand = np.flatnonzero(mask)
    if len(cand) == 0 or k <= 0:
        return np.zeros(0, dtype=np.int64)
    s = scores[cand]
    if len(cand) > k:
        part = np.argpartition(-s, k - 1)[:k]
    else:
        part = np.arange(len(cand))
    return cand[part[np.argsort(-s[part], kind="stable")]]


def rank_for_you(model: Model | None, content: ContentIndex, history: Mapping[int, float], exclude: set[int],
                 k: int, max_percentile: float | None = None, params: BlendParams = DEFAULT_BLEND,
                 explain: bool = True) -> list[Scored]:
    """The user's For-you list. `history`: film id -> rating (the user's current ratings); `exclude`: films
    never to return (the caller passes rated, dismissed, ... films); `max_percentile`: keep films with
    catalogue popularity percentile <= it."""
    score, cf, ct, mode = blend_scores(model, content, history, params)
    mask = _candidate_mask(content, exclude, max_percentile)
    if mode == "cold":
        order = _top(score, mask, max(k * 5, k))
        picks = _diversify(content, order, k, per_genre=max(2, k // 5))
        return [Scored(int(content.movie_ids[i]), float(score[i]), 0.0, 0.0, []) for i in picks]
    out = []
    for i in _top(score, mask, k):
        mid = int(content.movie_ids[i])
        because = _because(model, content, history, mid, mode == "blend") if explain else []
        out.append(Scored(mid, float(score[i]), float(cf[i]), float(ct[i]), because))
    return out


def rank_hidden_gems_for_taste(model: Model | None, content: ContentIndex, history: Mapping[int, float],
                               exclude: set[int], k: int, max_percentile: float | None = None,
                               params: BlendParams = DEFAULT_BLEND, explain: bool = True) -> list[Scored]:
    """Little-known films that fit the user's taste: the For-you blend, restricted to catalogue popularity
    percentile <= max_percentile (default params.gem_max_percentile) and to films outside the
    params.gem_head_share most rated by our own users (the model's training counts), re-weighted towards
    vote-count-aware quality (an obscure film is a gem only when the people who saw it rated it well)."""
    ceiling = params.gem_max_percentile if max_percentile is None else max_percentile
    gem_blend = params if params.gem_cf_weight is None else replace(params, cf_weight=params.gem_cf_weight)
    score, cf, ct, mode = blend_scores(model, content, history, gem_blend)
    mask = _candidate_mask(content, exclude, ceiling)
    if model is not None and params.gem_head_share > 0:
        mask &= ~_head_mask(model, content, params.gem_head_share)
    if mode == "cold":
        gem = content.quality.copy()
    else:
        cand = np.flatnonzero(mask)
        gem = np.full(len(content), -np.inf, dtype=np.float32)
        if len(cand):
            q = params.gem_quality_weight
            gem[cand] = (1 - q) * _rank01(score[cand]) + q * _rank01(content.rating_score[cand])
    out = []
    for i in _top(gem, mask, k):
        mid = int(content.movie_ids[i])
        because = _because(model, content, history, mid, mode == "blend") if explain and mode != "cold" else []
        out.append(Scored(mid, float(gem[i]), float(cf[i]), float(ct[i]), because))
    return out


def _head_mask(model: Model, content: ContentIndex, share: float) -> np.ndarray:
    """Kept on the content index, which lives exactly as long as the models used with it (a swap
    replaces both), so an id() reused by a later model can never meet a stale mask."""
    cache = content.__dict__.setdefault("_head_cache", {})
    key = (id(model), share)
    cached = cache.get(key)
    if cached is None:
        cached = np.zeros(len(content), dtype=bool)
        pos = content.positions(model.head_item_ids(share))
        cached[pos[pos >= 0]] = True
        cache[key] = cached
    return cached


def onboarding(content: ContentIndex, k: int, min_percentile: float = 90.0) -> list[int]:
    """Well-known, well-rated films spread across genres: what a new user can rate first."""
    mask = content.popularity_percentile >= min_percentile
    if mask.sum() < k:
        mask = np.ones(len(content), dtype=bool)
    score = 0.5 * content.quality + 0.5 * _rank01(content.popularity_percentile)
    order = _top(score, mask, int(mask.sum()))
    return [int(content.movie_ids[i]) for i in _diversify(content, order, k, per_genre=max(1, k // 8))]
