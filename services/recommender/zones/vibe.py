"""Vibe: films whose story matches the mood of a text, within the genres, length and era it names and
without the genres and content (TMDb keywords) it says to avoid (vibe_query), nudged by the user's
taste and by how well each film is rated (quality.py: junk falls behind, as in More like this)."""

from __future__ import annotations

import numpy as np
from movierec.common.v1 import common_pb2 as cz
from movierec.recommender.v1 import recommender_pb2 as pb

from services.recommender import reasons, vectors, vibe_query
from services.recommender.tastes import Taste
from services.recommender.zones.common import ZoneContext, exclusions, item, quality_adjusted

VIBE_POOL = 60            # nearest films fetched for a Vibe text (at least 3 x the films asked for)
VIBE_SCAN = 400           # nearest films a constrained Vibe text looks through before an exact scan
VIBE_TASTE_WEIGHT = 0.25  # a signed-in user's content taste, added to the text match


async def vibe(ctx: ZoneContext, text: str, k: int, taste: Taste | None, include_seen: bool,
               ) -> list[pb.Recommendation]:
    films = ctx.films
    q = vibe_query.parse(text)
    query = await ctx.encode_text(q.mood)
    exclude = exclusions(taste, include_seen)
    if q.constrained:
        scores = await _candidates(ctx, q, query, k, exclude)
    else:
        hits = await vectors.nearest(ctx.pool, "story", query, max(VIBE_POOL, 3 * k), exclude)
        scores = {h.movie_id: h.similarity for h in hits}
    st = ctx.state()
    taste_scores: dict[int, float] = {}
    if taste is not None and taste.ratings:
        profile = st.content.profile(taste.ratings)
        if profile is not None:
            all_scores = st.content.scores(profile)
            for mid in scores:
                i = st.content.index_of(mid)
                if i is not None:
                    taste_scores[mid] = float(all_scores[i])

    def final(mid: int) -> float:
        return quality_adjusted(films, films.get(mid), scores[mid]) + VIBE_TASTE_WEIGHT * taste_scores.get(mid, 0.0)

    ranked = sorted((m for m in scores if m in films), key=lambda m: (-final(m), m))[:k]
    out = []
    for mid in ranked:
        film = films.get(mid)
        why = [reasons.matches_vibe(q.mood, scores[mid])]
        if asked := vibe_query.describe(q, film.genres, film.runtime, film.year, keywords=film.keywords):
            why.append(reasons.as_asked(asked, scores[mid]))
        if taste_scores.get(mid, 0.0) > 0.3:
            why.append(reasons.close_to_your_taste(taste_scores[mid]))
        why += reasons.quality(films, film)
        out.append(item(films, mid, final(mid), cz.ZONE_VIBE, why))
    return out


async def _candidates(ctx: ZoneContext, q: vibe_query.VibeQuery, query: np.ndarray, k: int,
                      exclude: set[int]) -> dict[int, float]:
    """The films nearest the mood among those that meet the text's genres, length and era, as many
    as the unconstrained path fetches. First from the index's VIBE_SCAN nearest films: when enough
    of them meet the constraints (a broad genre), the nearest that do are among them. Otherwise an
    exact scan of every film that meets them; too few of those (fewer than `k`): the length and era
    are let go, then the genres asked for (what to avoid, genres and keywords, stays), so an
    over-narrow text still gets an answer. The reasons name only what each film meets."""
    want = max(VIBE_POOL, 3 * k)
    hits = await vectors.nearest(ctx.pool, "story", query, VIBE_SCAN, exclude)
    meet = [h for h in hits if (f := ctx.films.get(h.movie_id)) is not None
            and vibe_query.fits(q, f.genres, f.runtime, f.year, keywords=f.keywords)]
    if len(meet) >= want:
        return {h.movie_id: h.similarity for h in meet[:want]}
    tries = ({"strict_length": True}, {"strict_length": False, "era": False},
             {"strict_length": False, "era": False, "genres": False})
    scores: dict[int, float] = {}
    for relax in tries:
        narrowed = vibe_query.relaxed(q, era=relax.get("era", True), genres=relax.get("genres", True))
        ids = [f.id for f in ctx.films.by_id.values() if f.id not in exclude and vibe_query.fits(
            narrowed, f.genres, f.runtime, f.year, strict_length=relax["strict_length"], keywords=f.keywords)]
        scores = await vectors.nearest_among(ctx.pool, "story", query, ids, want)
        if len(scores) >= k:
            break
    return scores
