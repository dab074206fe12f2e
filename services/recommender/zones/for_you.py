"""For you: the blend of a collaborative model and the content profile, its fallbacks, and the
onboarding list. The ranking functions are pure over a fitted `models.Model` and a `ContentIndex`;
the service and the offline evaluation call exactly these.

Blend (chosen on a validation split carved from training data, docs/recommender-models.md):

    s = w_cf(n) * norm(cf) + (1 - w_cf(n)) * norm(content) + quality_weight * quality
    w_cf(n) = cf_weight * n / (n + cf_half)          n = the user's ratings the CF model knows

with norm = z-score over the catalogue ("z") or rank in [0, 1] ("rank"); quality is the rank of the
vote-count-aware rating (quality.py). Fewer than MIN_CF_RATINGS ratings: content + quality only; no
ratings: a quality/popularity list spread across genres.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields

import numpy as np
from movierec.common.v1 import common_pb2 as cz
from movierec.recommender.v1 import recommender_pb2 as pb

from services.recommender import reasons
from services.recommender.content import ContentIndex, rank01
from services.recommender.models import Model
from services.recommender.tastes import Taste
from services.recommender.zones.common import Scored, ZoneContext, candidate_mask, diversify, item, top

MIN_CF_RATINGS = 5


@dataclass
class BlendParams:
    cf_weight: float = 0.6        # the CF share for a user with enough ratings
    cf_half: float = 0.0          # ratings at which the CF share is half of cf_weight (0: no ramp)
    quality_weight: float = 0.1   # vote-count-aware rating, added to the blend
    norm: str = "z"               # "z" or "rank"
    cold_content_weight: float = 0.7   # 1-4 ratings: content vs quality (not tunable offline: no such users)
    gem_quality_weight: float = 0.0    # hidden gems: the weight of the z-score of the vote-count-aware rating
    gem_genre_gate: bool = True        # hidden gems: only gems with a genre the user's liked films share
    gem_obscurity_weight: float = 0.35  # hidden gems: minus this times the z-score of log votes (tune_ensemble)
    gem_cf_weight: float | None = 0.8  # the CF share inside the hidden-gem blend (None: cf_weight)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: Mapping) -> BlendParams:
        """From a stored manifest. Keys of older versions that no longer mean anything are ignored; a
        manifest from before the hidden-gem formula of quality.py (no `gem_obscurity_weight`) keeps its
        For-you blend and takes today's gem defaults (its gem weights were tuned for another formula)."""
        known = {f.name for f in fields(cls)}
        given = {k: v for k, v in d.items() if k in known}
        if "gem_obscurity_weight" not in given:
            given = {k: v for k, v in given.items() if not k.startswith("gem_")}
        return cls(**given)


DEFAULT_BLEND = BlendParams()


def _norm(x: np.ndarray, how: str) -> np.ndarray:
    if how == "rank":
        return rank01(x)
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
        c = rank01(ct)
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
    return (0.6 * content.quality + 0.4 * rank01(content.popularity_percentile)).astype(np.float32)


def because(model: Model | None, content: ContentIndex, history: Mapping[int, float], movie_id: int,
            use_cf: bool, k: int = 3) -> list[int]:
    """The rated films that explain a pick: the model's strongest contributors, then the liked films
    closest in content."""
    out: list[int] = []
    if use_cf and model is not None:
        i = model.index_of(movie_id)
        if i is not None:
            idx = model.explain(model.history_row(history), i, k)
            if idx:
                out = [int(model.item_ids[j]) for j in idx]
    if len(out) < k:
        for m in content.liked_neighbours(history, movie_id, k):
            if m not in out and len(out) < k:
                out.append(m)
    return out


def rank_for_you(model: Model | None, content: ContentIndex, history: Mapping[int, float], exclude: set[int],
                 k: int, max_percentile: float | None = None, params: BlendParams = DEFAULT_BLEND,
                 explain: bool = True) -> list[Scored]:
    """The user's For-you list. `history`: film id -> rating (the user's current ratings); `exclude`: films
    never to return (the caller passes rated, dismissed, ... films); `max_percentile`: keep films with
    catalogue popularity percentile <= it."""
    score, cf, ct, mode = blend_scores(model, content, history, params)
    mask = candidate_mask(content, exclude, max_percentile)
    if mode == "cold":
        order = top(score, mask, max(k * 5, k))
        picks = diversify(content, order, k, per_genre=max(2, k // 5))
        return [Scored(int(content.movie_ids[i]), float(score[i]), 0.0, 0.0, []) for i in picks]
    out = []
    for i in top(score, mask, k):
        mid = int(content.movie_ids[i])
        why = because(model, content, history, mid, mode == "blend") if explain else []
        out.append(Scored(mid, float(score[i]), float(cf[i]), float(ct[i]), why))
    return out


def onboarding_ids(content: ContentIndex, k: int, min_percentile: float = 90.0) -> list[int]:
    """Well-known, well-rated films spread across genres: what a new user can rate first."""
    mask = content.popularity_percentile >= min_percentile
    if mask.sum() < k:
        mask = np.ones(len(content), dtype=bool)
    score = 0.5 * content.quality + 0.5 * rank01(content.popularity_percentile)
    order = top(score, mask, int(mask.sum()))
    return [int(content.movie_ids[i]) for i in diversify(content, order, k, per_genre=max(1, k // 8))]


# ------------------------------------------------------------------ the zones


def taste_item(ctx: ZoneContext, s: Scored, zone: cz.Zone.ValueType,
               extra: list[pb.Reason] | None = None) -> pb.Recommendation:
    """A taste-ranked pick with its reasons: the rated films behind it, similar viewers when the
    collaborative model scores it above its average film, then `extra` (or the film's quality)."""
    film = ctx.films[s.movie_id]  # callers pick films the store holds
    why = reasons.because_you_rated(ctx.films, s.because, 0.9)
    if s.cf > 0:  # cf and content differ in scale: only a CF score above the model's mean says "liked by"
        why.append(reasons.liked_by_similar_viewers())
    why += extra if extra is not None else reasons.quality(ctx.films, film)
    return item(ctx.films, s.movie_id, s.score, zone, why)


async def for_you(ctx: ZoneContext, taste: Taste, k: int, include_seen: bool) -> list[pb.Recommendation]:
    st = ctx.state()
    exclude = set() if include_seen else set(taste.seen)
    ranked = await asyncio.to_thread(rank_for_you, st.model, st.content, taste.ratings, exclude, k, params=st.blend)
    return [taste_item(ctx, s, cz.ZONE_FOR_YOU) for s in ranked if s.movie_id in ctx.films]


async def onboarding(ctx: ZoneContext, k: int, taste: Taste | None) -> list[pb.Recommendation]:
    st = ctx.state()
    seen = set(taste.seen) if taste is not None else set()
    ids = [m for m in onboarding_ids(st.content, k + len(seen)) if m not in seen and m in ctx.films][:k]
    return [item(ctx.films, mid, 1.0 - rank / max(1, len(ids)), cz.ZONE_FOR_YOU,
                 [reasons.popular_start(ctx.films[mid])]) for rank, mid in enumerate(ids)]
