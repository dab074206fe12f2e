"""Vibe: films whose story matches the mood of a text, within the genres, length and era it names and
without the genres and content (TMDb keywords) it says to avoid (vibe_query), led by the mood rather
than the literal words (vibe_evidence: genres and keywords close to the mood as soft evidence), nudged
by the user's taste and by how well each film is rated (quality.py: junk falls behind, as in More like
this). A text the catalogue cannot read (vibe_confidence: gibberish, nothing but filler, no story close
to it) gets no picks, and a reading that says so with moods to try."""

from __future__ import annotations

import numpy as np
from movierec.common.v1 import common_pb2 as cz
from movierec.recommender.v1 import recommender_pb2 as pb

from services.recommender import reasons, vectors, vibe_confidence, vibe_evidence, vibe_query
from services.recommender.tastes import Taste
from services.recommender.zones.common import ZoneContext, exclusions, item, quality_adjusted

VIBE_POOL = 60            # films a constrained text needs among the VIBE_SCAN nearest before an exact scan
VIBE_SCAN = 400           # nearest films a Vibe text's soft evidence re-ranks
VIBE_TASTE_WEIGHT = 0.25  # a signed-in user's content taste, added to the text match
TONE_PENALTY = 0.1        # a film a gentle tone softens (vibe_query.TONE_SOFTENS, its topics) falls behind


async def vibe(ctx: ZoneContext, text: str, k: int, taste: Taste | None, include_seen: bool,
               ) -> pb.RecommendationList:
    films = ctx.films
    q = vibe_query.parse(text)
    query = await ctx.encode_text(q.mood)
    exclude = exclusions(taste, include_seen)
    if q.constrained:
        scores = await _candidates(ctx, q, query, k, exclude)
    else:
        hits = await vectors.nearest(ctx.pool, "story", query, max(VIBE_SCAN, 3 * k), exclude)
        scores = {h.movie_id: h.similarity for h in hits}
    reading = vibe_confidence.read(q, films.vocabulary, max(scores.values(), default=0.0))
    answer = pb.RecommendationList(vibe_reading=_reading_proto(q, reading))
    if not reading.confident:
        return answer
    st = ctx.state()
    evidence: dict[int, vibe_evidence.Evidence] = {}
    if st.evidence is not None:
        gz, kz = st.evidence.affinities(query)
        named = st.evidence.named_in(q.mood)
        evidence = {m: st.evidence.of(f, gz, kz, named) for m in scores if (f := films.get(m)) is not None}
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
        film = films[mid]
        ev = evidence[mid].bonus if mid in evidence else 0.0
        soft = TONE_PENALTY if film.genres & set(q.soften) or film.keywords & set(q.soften_keywords) else 0.0
        return (quality_adjusted(films, film, scores[mid]) + ev - soft
                + VIBE_TASTE_WEIGHT * taste_scores.get(mid, 0.0))

    ranked = sorted((m for m in scores if m in films), key=lambda m: (-final(m), m))[:k]
    for mid in ranked:
        film = films[mid]
        why = [reasons.matches_vibe(q.mood, scores[mid])]
        if asked := vibe_query.describe(q, film.genres, film.runtime, film.year, keywords=film.keywords):
            why.append(reasons.as_asked(asked, scores[mid]))
        if (ev := evidence.get(mid)) is not None and ev.named:
            why.append(reasons.theme_named(ev.named, scores[mid]))
        elif ev is not None and ev.best_keyword_z >= vibe_evidence.KEYWORD_REASON_Z:
            why.append(reasons.theme_close_to_mood(ev.best_keyword, scores[mid]))
        if taste_scores.get(mid, 0.0) > 0.3:
            why.append(reasons.close_to_your_taste(taste_scores[mid]))
        why += reasons.quality(films, film)
        answer.items.append(item(films, mid, final(mid), cz.ZONE_VIBE, why))
    return answer


def _reading_proto(q: vibe_query.VibeQuery, r: vibe_confidence.Reading) -> pb.VibeReading:
    return pb.VibeReading(
        confident=r.confident, message=r.message,
        suggestions=[] if r.confident else list(vibe_confidence.SUGGESTIONS), why=r.why,
        known_share=round(r.known_share, 4), best_match=r.best_match, genres=list(q.genres),
        avoid_genres=list(q.avoid), avoid_topics=list(q.avoid_topics), mood=q.mood)


async def _candidates(ctx: ZoneContext, q: vibe_query.VibeQuery, query: np.ndarray, k: int,
                      exclude: set[int]) -> dict[int, float]:
    """The films nearest the mood among those that meet the text's genres, length and era, as many
    as the unconstrained path fetches. First from the index's VIBE_SCAN nearest films: when enough
    of them meet the constraints (a broad genre), the nearest that do are among them. Otherwise an
    exact scan of every film that meets them; too few of those (fewer than `k`): the length and era
    are let go, then the genres asked for (what to avoid, genres and keywords, stays), so an
    over-narrow text still gets an answer. The reasons name only what each film meets."""
    want = max(VIBE_SCAN, 3 * k)
    hits = await vectors.nearest(ctx.pool, "story", query, want, exclude)
    meet = [h for h in hits if (f := ctx.films.get(h.movie_id)) is not None
            and vibe_query.fits(q, f.genres, f.runtime, f.year, keywords=f.keywords)]
    if len(meet) >= max(VIBE_POOL, 3 * k):
        return {h.movie_id: h.similarity for h in meet}
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
