"""Vibe: films whose story matches the mood of a text, within the genres, length and era it names and
without the genres and content (TMDb keywords) it says to avoid (vibe_query), led by the mood rather
than the literal words (vibe_evidence: genres and keywords close to the mood as soft evidence), nudged
by the user's taste and by how well each film is rated (quality.py: junk falls behind, as in More like
this). A text the catalogue cannot read (vibe_confidence: gibberish, nothing but filler, no story close
to it) gets no picks, and a reading that says so with moods to try. The reading, matching and scoring
of a mood are zones.mood's, shared with Together with a mood."""

from __future__ import annotations

from movierec.common.v1 import common_pb2 as cz
from movierec.recommender.v1 import recommender_pb2 as pb

from services.recommender import reasons
from services.recommender.tastes import Taste
from services.recommender.zones import mood
from services.recommender.zones.common import ZoneContext, exclusions, item

VIBE_TASTE_WEIGHT = 0.25  # a signed-in user's content taste, added to the text match


async def vibe(ctx: ZoneContext, text: str, k: int, taste: Taste | None, include_seen: bool,
               ) -> pb.RecommendationList:
    films = ctx.films
    matched = await mood.match(ctx, text, k, exclusions(taste, include_seen))
    q, scores = matched.query, matched.scores
    answer = pb.RecommendationList(vibe_reading=mood.reading_proto(matched))
    if not matched.reading.confident:
        return answer
    st = ctx.state()
    evidence = mood.evidence(st, films, matched)
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
        return (mood.score(films, q, films[mid], scores[mid], evidence.get(mid))
                + VIBE_TASTE_WEIGHT * taste_scores.get(mid, 0.0))

    ranked = sorted((m for m in scores if m in films), key=lambda m: (-final(m), m))[:k]
    for mid in ranked:
        film = films[mid]
        why = mood.reasons_for(q, film, scores[mid], evidence.get(mid))
        if taste_scores.get(mid, 0.0) > 0.3:
            why.append(reasons.close_to_your_taste(taste_scores[mid]))
        why += reasons.quality(films, film)
        answer.items.append(item(films, mid, final(mid), cz.ZONE_VIBE, why))
    return answer
