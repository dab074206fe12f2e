"""What Vibe and Together with a mood share: reading a mood text (vibe_query), the films that match it
within the genres, length and era it names and without what it says to avoid, how confidently it can
be answered (vibe_confidence), the soft evidence of the genres and keywords close to the mood
(vibe_evidence), a film's mood score, the reasons a pick gets for the mood, and the reading as the API
says it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from movierec.recommender.v1 import recommender_pb2 as pb

from services.recommender import reasons, vectors, vibe_confidence, vibe_evidence, vibe_query
from services.recommender.content import ContentIndex
from services.recommender.films import Film, Films
from services.recommender.zones.common import ZoneContext, quality_adjusted

VIBE_POOL = 60            # films a constrained text needs among the VIBE_SCAN nearest before an exact scan
VIBE_SCAN = 400           # nearest films a Vibe text's soft evidence re-ranks
TONE_PENALTY = 0.1        # a film a gentle tone softens (vibe_query.TONE_SOFTENS, its topics) falls behind


@dataclass(frozen=True, slots=True)
class MoodMatch:
    query: vibe_query.VibeQuery
    vector: np.ndarray                 # the mood (query.mood) encoded
    scores: dict[int, float]           # the films that match it: film -> story similarity to the mood
    reading: vibe_confidence.Reading


async def match(ctx: ZoneContext, text: str, k: int, exclude: set[int]) -> MoodMatch:
    """The films a text's mood matches, never one of `exclude`: the VIBE_SCAN (at least 3 x k) nearest on
    the story axis, within the text's constraints when it names any (candidates), and how confidently
    the text was read."""
    q = vibe_query.parse(text)
    query = await ctx.encode_text(q.mood)
    if q.constrained:
        scores = await candidates(ctx, q, query, k, exclude)
    else:
        hits = await vectors.nearest(ctx.pool, "story", query, max(VIBE_SCAN, 3 * k), exclude)
        scores = {h.movie_id: h.similarity for h in hits}
    reading = vibe_confidence.read(q, ctx.films.vocabulary, max(scores.values(), default=0.0))
    return MoodMatch(q, query, scores, reading)


def evidence(st, films: Films, m: MoodMatch) -> dict[int, vibe_evidence.Evidence]:
    """Each matched film's soft evidence (the genres and keywords close to the mood, a keyword it names)."""
    if st.evidence is None:
        return {}
    gz, kz = st.evidence.affinities(m.vector)
    named = st.evidence.named_in(m.query.mood)
    return st.evidence.of_many([f for mid in m.scores if (f := films.get(mid)) is not None], gz, kz, named)


def tone_penalty(q: vibe_query.VibeQuery, film: Film) -> float:
    """TONE_PENALTY for a film a gentle tone softens (its genres or keywords), else 0."""
    return TONE_PENALTY if film.genres & set(q.soften) or film.keywords & set(q.soften_keywords) else 0.0


def score(films: Films, q: vibe_query.VibeQuery, film: Film, similarity: float,
          ev: vibe_evidence.Evidence | None) -> float:
    """How well a matched film answers the mood, taste aside: its story similarity with its quality folded
    in (quality_adjusted: junk far behind), plus its soft evidence, less the tone penalty. What Vibe
    ranks an anonymous caller's picks by."""
    return (quality_adjusted(films, film, similarity) + (ev.bonus if ev is not None else 0.0)
            - tone_penalty(q, film))


def reasons_for(q: vibe_query.VibeQuery, film: Film, similarity: float,
                ev: vibe_evidence.Evidence | None) -> list[pb.Reason]:
    """A matched film's reasons for the mood: its story matches it; the constraints it meets, as asked;
    a keyword the mood names, or one of the closest to it."""
    why = [reasons.matches_vibe(q.mood, similarity)]
    if asked := vibe_query.describe(q, film.genres, film.runtime, film.year, keywords=film.keywords):
        why.append(reasons.as_asked(asked, similarity))
    if ev is not None and ev.named:
        why.append(reasons.theme_named(ev.named, similarity))
    elif ev is not None and ev.best_keyword_z >= vibe_evidence.KEYWORD_REASON_Z:
        why.append(reasons.theme_close_to_mood(ev.best_keyword, similarity))
    return why


def over_content(content: ContentIndex, films: Films, m: MoodMatch, ev: dict[int, vibe_evidence.Evidence],
                 weight: float, best: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The matched films as arrays over the content index, what Together's pick takes: `allowed` (bool: the
    `best` matched films by mood score, every one when None) and `bonus` (`weight` x their mood score, 0
    elsewhere)."""
    scored = []
    for mid, similarity in m.scores.items():
        i, film = content.index_of(mid), films.get(mid)
        if i is not None and film is not None:
            scored.append((score(films, m.query, film, similarity, ev.get(mid)), -mid, i))
    scored.sort(reverse=True)
    allowed = np.zeros(len(content), dtype=bool)
    bonus = np.zeros(len(content), dtype=np.float64)
    for s, _, i in scored[:best]:
        allowed[i] = True
        bonus[i] = weight * s
    return allowed, bonus


def reading_proto(m: MoodMatch) -> pb.VibeReading:
    q, r = m.query, m.reading
    return pb.VibeReading(
        confident=r.confident, message=r.message,
        suggestions=[] if r.confident else list(vibe_confidence.SUGGESTIONS), why=r.why,
        known_share=round(r.known_share, 4), best_match=r.best_match, genres=list(q.genres),
        avoid_genres=list(q.avoid), avoid_topics=list(q.avoid_topics), mood=q.mood)


async def candidates(ctx: ZoneContext, q: vibe_query.VibeQuery, query: np.ndarray, k: int,
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
        ids = [f.id for f in ctx.films.with_genres(narrowed.genres) if f.id not in exclude and vibe_query.fits(
            narrowed, f.genres, f.runtime, f.year, strict_length=relax["strict_length"], keywords=f.keywords)]
        scores = await vectors.nearest_among(ctx.pool, "story", query, ids, want)
        if len(scores) >= k:
            break
    return scores
