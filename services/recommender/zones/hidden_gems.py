"""Hidden gems: films close to an anchor film or to the user's taste that few people know and the
people who saw them rated well. What a gem is lives in quality.py (obscure, trusted, good, never the
catalogue's top 10%); this zone finds the closest ones.

- anchored: More like this's scoring (zones.similar.scored_like, the default axis weights) over the
  nearest films under the ceiling on each axis (from the anchor's precomputed nearest-film lists when
  enough of a list is under the ceiling, else HNSW with the ceiling inside the query), keeping the gems;
  when fewer than asked are gems (a tight ceiling, a long list), the nearest gems on each axis by an
  exact scan of the gems' vectors (420 films at the lowest ceiling, 4,763 at the highest). A band filter
  [trust floor, ceiling] inside the HNSW query was tried and dropped: it rejects most of a film's nearest
  neighbours (the closest are often obscure, untrusted films), and each iterative index scan took
  about 27 ms instead of 3-5;
- from taste: the For-you blend (with its own CF share) over the gems only, with a preference for the
  less known among them (rank_hidden_gems_for_taste).

The ceiling: the request's, else the user's learnt one (gem_ceiling.py), else quality.GEM_CEILING;
always clamped to the range where gems exist (quality.clamp_ceiling).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import replace

import numpy as np
from movierec.common.v1 import common_pb2 as cz
from movierec.recommender.v1 import recommender_pb2 as pb

from kit.errors import InvalidArgument, NotFound
from services.recommender import gem_ceiling, quality, reasons, vectors
from services.recommender.content import ContentIndex, rank01
from services.recommender.models import Model
from services.recommender.tastes import Taste
from services.recommender.zones import similar
from services.recommender.zones.common import Scored, ZoneContext, candidate_mask, exclusions, item, top
from services.recommender.zones.for_you import DEFAULT_BLEND, BlendParams, _norm, because, blend_scores, taste_item

GEM_POOL = 60    # nearest gems fetched per axis per anchored request (at least 3 x the films asked)


def rank_hidden_gems_for_taste(model: Model | None, content: ContentIndex, history: Mapping[int, float],
                               exclude: set[int], k: int, ceiling: float | None = None,
                               params: BlendParams = DEFAULT_BLEND, explain: bool = True) -> list[Scored]:
    """Gems (quality.gem_mask under `ceiling`) that fit the user's taste. Over the gems, with z = z-score
    among them:

        (1 - q) * z(For-you blend with the gem CF share) + q * z(rating) - o * z(log votes)

    q = gem_quality_weight, o = gem_obscurity_weight: the collaborative scores favour what many people
    rated, so without o the list crowds against the ceiling; o is chosen offline (tune_ensemble: the best
    accuracy on gems whose lists keep a median popularity percentile of at most 60)."""
    gem_blend = params if params.gem_cf_weight is None else replace(params, cf_weight=params.gem_cf_weight)
    score, cf, ct, mode = blend_scores(model, content, history, gem_blend)
    mask = candidate_mask(content, exclude) & content.gem_mask(ceiling)
    if mode != "cold" and params.gem_genre_gate and (liked := liked_genres(content, history)):
        mask &= content.with_any_genre(liked)
    cand = np.flatnonzero(mask)
    gem = np.full(len(content), -np.inf, dtype=np.float32)
    if len(cand):
        if mode == "cold":
            gem[cand] = rank01(content.rating_score[cand])
        else:
            q, o = params.gem_quality_weight, params.gem_obscurity_weight
            gem[cand] = ((1 - q) * _norm(score[cand], "z") + q * _norm(content.rating_score[cand], "z")
                         - o * _norm(np.log1p(content.vote_count[cand].astype(np.float32)), "z"))
    out = []
    for i in top(gem, mask, k):
        mid = int(content.movie_ids[i])
        why = because(model, content, history, mid, mode == "blend") if explain and mode != "cold" else []
        out.append(Scored(mid, float(gem[i]), float(cf[i]), float(ct[i]), why))
    return out


LIKED_GENRE_SHARE = 0.2   # a genre the user likes: in at least this share (and 2) of the films they liked


def liked_genres(content: ContentIndex, history: Mapping[int, float]) -> set[str]:
    """The genres of the films the user liked (rated above their centre) that recur: in at least 2 and at
    least LIKED_GENRE_SHARE of them. Empty with fewer than 3 liked films (no gate then). Also requiring a
    genre to be over-represented against the catalogue (so Drama, in half of all films, would not count)
    was measured and dropped: it cost a third of the accuracy on gems and still let documentaries in."""
    liked = [m for m, w in content.weights(history).items() if w > 0]
    if len(liked) < 3:
        return set()
    rows = [i for m in liked if (i := content.index_of(m)) is not None]  # all of them: weights() keeps known films
    counts = content.genre_matrix[rows].sum(axis=0)
    need = max(2, LIKED_GENRE_SHARE * len(liked))
    return {g for g, n in zip(content.genre_names, counts, strict=True) if n >= need}


async def ceiling_for(ctx: ZoneContext, taste: Taste | None, asked: float | None) -> float:
    if asked is None and taste is not None:
        asked = await gem_ceiling.ceiling_of(ctx.pool, taste.user_id)
    return quality.clamp_ceiling(asked)


async def hidden_gems(ctx: ZoneContext, movie_id: int | None, k: int, ceiling: float | None, taste: Taste | None,
                      include_seen: bool) -> list[pb.Recommendation]:
    ceiling = await ceiling_for(ctx, taste, ceiling)
    exclude = exclusions(taste, include_seen)
    if movie_id is not None:
        return await _anchored(ctx, movie_id, k, ceiling, exclude)
    if taste is None:
        raise InvalidArgument("hidden gems without a film need a signed-in user")
    st = ctx.state()
    ranked = await asyncio.to_thread(rank_hidden_gems_for_taste, st.model, st.content, taste.ratings, exclude, k,
                                     ceiling, params=st.blend)
    # the content index is a snapshot (refreshed every few minutes): each pick is checked on the live store
    return [taste_item(ctx, s, cz.ZONE_HIDDEN_GEMS, reasons.hidden(f)) for s in ranked
            if (f := ctx.films.get(s.movie_id)) is not None and ctx.films.is_gem(f, ceiling)]


async def _anchored(ctx: ZoneContext, movie_id: int, k: int, ceiling: float, exclude: set[int],
                    ) -> list[pb.Recommendation]:
    films = ctx.films
    anchor = films.get(movie_id)
    if anchor is None:
        raise NotFound(f"No film with id {movie_id}.")
    av, listed = await vectors.anchor(ctx.pool, movie_id)
    exclude = exclude | {movie_id}
    pool = max(GEM_POOL, 3 * k)
    scored = await similar.scored_like(ctx, anchor, av, similar.DEFAULT_WEIGHTS, exclude, pool, max_percentile=ceiling,
                                       listed=listed)
    gems = [t for t in scored if films.is_gem(films[t[1]], ceiling)]
    if len(gems) < k:  # the nearest films under the ceiling were mostly not gems (a tight ceiling, a long list)
        content = ctx.state().content
        gems = await similar.scored_like(ctx, anchor, av, similar.DEFAULT_WEIGHTS, exclude, pool,
                                         among=content.movie_ids[content.gem_mask(ceiling)].tolist())
        gems = [t for t in gems if films.is_gem(films[t[1]], ceiling)]
    out = []
    for score, mid, parts in gems[:k]:
        film = films[mid]
        why = reasons.hidden(film) + reasons.shared_with(anchor, film, parts.get("story"))
        out.append(item(films, mid, score, cz.ZONE_HIDDEN_GEMS, why))
    return out


def ceiling_scale(ctx: ZoneContext, yours: float | None = None, step: float = 5.0) -> pb.GemCeilingScaleResponse:
    """The ceiling's range, default, the caller's own (`yours`: their learnt ceiling) and steps in votes,
    read off the film store (a slider's labels)."""
    scale = ctx.films.vote_scale()

    def at(p: float) -> pb.GemCeilingStep:
        return pb.GemCeilingStep(percentile=p, max_votes=scale.max_votes_at(p), text=scale.describe(p))

    lo, hi = quality.GEM_CEILING_MIN, quality.GEM_CEILING_MAX
    steps = [at(lo + i * step) for i in range(int((hi - lo) // step) + 1)]
    return pb.GemCeilingScaleResponse(min=at(lo), max=at(hi), default=at(quality.GEM_CEILING), steps=steps,
                                      yours=at(quality.clamp_ceiling(yours)),
                                      trusted_min_votes=quality.TRUST_MIN_VOTES,
                                      good_min_average=quality.GOOD_MIN_AVERAGE)
