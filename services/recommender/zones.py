"""The five zones and onboarding: candidates, scores, exclusions and reasons. The gRPC edge
(servicer.py) checks arguments and identity; everything the zones decide is here.

Every zone leaves out what the asking user has rated, dismissed or marked watched unless asked to
include it (Together: what any member has), and every result carries at least one reason.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import asyncpg
import numpy as np
from movierec.common.v1 import common_pb2 as cz
from movierec.recommender.v1 import recommender_pb2 as pb

from kit.errors import InvalidArgument, NotFound, PermissionDenied
from services.recommender import gem_ceiling, reasons, vectors, vibe_query
from services.recommender.content import ContentIndex
from services.recommender.films import Films
from services.recommender.foryou import (
    BlendParams,
    Scored,
    onboarding,
    rank_for_you,
    rank_hidden_gems_for_taste,
)
from services.recommender.models import Model
from services.recommender.tastes import Taste

R = pb
DEFAULT_WEIGHTS = {"story": 1.0, "people": 0.5, "style": 0.5, "genre": 0.3}
AXIS_POOL = 80            # nearest films fetched per axis for More like this
GEM_POOL = 60             # films under the ceiling fetched for Hidden gems (re-ranked by quality)
VIBE_POOL = 60            # nearest films fetched for a Vibe text (at least 3 x the films asked for)
VIBE_SCAN = 400           # nearest films a constrained Vibe text looks through before an exact scan
VIBE_TASTE_WEIGHT = 0.25  # a signed-in user's content taste, added to the text match
VIBE_QUALITY_WEIGHT = 0.05  # per point of the vote-count-aware rating above the catalogue mean
TOGETHER_DEPTH = 300      # each member's ranked list depth that Together aggregates
MAX_GROUP = 8


@dataclass
class ModelState:
    """The serving model and content index; swapped as a whole (one reference) when a new model
    version is published, so a request sees one consistent pair."""
    model: Model | None          # None until a first model is trained: For you is content + quality then
    content: ContentIndex
    version: str
    blend: BlendParams = field(default_factory=BlendParams)
    # The films our viewers rate most (blend.gem_head_share of the rated films): never hidden gems.
    head: frozenset[int] = frozenset()


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def normalise_weights(given: dict[str, float | None]) -> dict[str, float]:
    w = {k: (given.get(k) if given.get(k) is not None else None) for k in DEFAULT_WEIGHTS}
    if all(v is None or v == 0 for v in w.values()):
        return dict(DEFAULT_WEIGHTS)
    out = {k: float(v or 0.0) for k, v in w.items()}
    for k, v in out.items():
        if not math.isfinite(v) or not 0 <= v <= 10:
            raise InvalidArgument(f"weight {k} must be 0-10")
    return out


class Zones:
    def __init__(self, pool: asyncpg.Pool, films: Films, state: Callable[[], ModelState],
                 encode_text: Callable[[str], asyncio.Future]) -> None:
        self.pool, self.films, self.state = pool, films, state
        self.encode_text = encode_text

    def _item(self, movie_id: int, score: float, zone: int, why: list[pb.Reason]) -> pb.Recommendation:
        film = self.films.get(movie_id)
        if not why and film is not None:
            why = [reasons.reason(R.REASON_KIND_SHARED_GENRES, f"{', '.join(sorted(film.genres)[:3])}.", 0.1,
                                  genres=sorted(film.genres)[:3])] if film.genres else []
        return pb.Recommendation(movie_id=movie_id, score=round(float(score), 6), zone=zone,
                                 reasons=reasons.ordered(why))

    # ------------------------------------------------------------ More like this

    async def similar(self, movie_id: int, k: int, weights: dict[str, float], taste: Taste | None,
                      include_seen: bool) -> list[pb.Recommendation]:
        anchor = self.films.get(movie_id)
        if anchor is None:
            raise NotFound(f"No film with id {movie_id}.")
        av = await vectors.anchor_vectors(self.pool, movie_id)
        exclude = {movie_id} | (set(taste.seen) if taste is not None and not include_seen else set())
        axes = [a for a in vectors.AXES if weights.get(a, 0) > 0 and a in av]
        pools = await asyncio.gather(*(vectors.nearest(self.pool, a, av[a], AXIS_POOL, exclude) for a in axes))
        cand = {h.movie_id for hits in pools for h in hits}
        if not axes:  # genre only: start from the style neighbourhood
            cand = {h.movie_id for h in await vectors.nearest(self.pool, "style", av["style"], AXIS_POOL * 2, exclude)}
        sims = await vectors.similarities(self.pool, av, cand)
        scored = []
        for mid, parts in sims.items():
            film = self.films.get(mid)
            if film is None:
                continue
            parts["genre"] = _jaccard(anchor.genres, film.genres)
            total_w = sum(weights[a] for a in parts if weights.get(a, 0) > 0)
            s = sum(weights[a] * parts[a] for a in parts if weights.get(a, 0) > 0) / (total_w or 1.0)
            scored.append((s, mid, parts))
        scored.sort(key=lambda t: (-t[0], t[1]))
        out = []
        for s, mid, parts in scored[:k]:
            film = self.films.get(mid)
            why = reasons.shared_with(anchor, film, parts.get("story"))
            why += reasons.obscurity_and_quality(self.films, film)
            out.append(self._item(mid, s, cz.ZONE_SIMILAR, why))
        return out

    # ------------------------------------------------------------ Hidden gems

    async def hidden_gems(self, movie_id: int | None, k: int, ceiling: float | None, taste: Taste | None,
                          include_seen: bool) -> list[pb.Recommendation]:
        if ceiling is None:
            ceiling = (await gem_ceiling.ceiling_of(self.pool, taste.user_id) if taste is not None
                       else gem_ceiling.DEFAULT_CEILING)
        exclude = set(taste.seen) if taste is not None and not include_seen else set()
        if movie_id is not None:
            anchor = self.films.get(movie_id)
            if anchor is None:
                raise NotFound(f"No film with id {movie_id}.")
            av = await vectors.anchor_vectors(self.pool, movie_id)
            hits = await vectors.nearest(self.pool, "combined", av["combined"], max(GEM_POOL, 3 * k),
                                         exclude | {movie_id} | self.state().head, max_percentile=ceiling)
            ranked = sorted(hits, key=lambda h: -(h.similarity * self._quality_factor(h.movie_id)))[:k]
            story = await vectors.similarities(self.pool, {"story": av["story"]}, [h.movie_id for h in ranked])
            out = []
            for h in ranked:
                film = self.films.get(h.movie_id)
                if film is None:
                    continue
                story_sim = story.get(h.movie_id, {}).get("story")
                why = [self._popularity_reason(film.popularity_percentile)]
                why += reasons.shared_with(anchor, film, story_sim)
                why += self._well_rated(film)
                out.append(self._item(h.movie_id, h.similarity * self._quality_factor(h.movie_id),
                                      cz.ZONE_HIDDEN_GEMS, why))
            return out
        if taste is None:
            raise InvalidArgument("hidden gems without a film need a signed-in user")
        st = self.state()
        ranked = await asyncio.to_thread(rank_hidden_gems_for_taste, st.model, st.content, taste.ratings, exclude, k,
                                         ceiling, params=st.blend)
        return [self._taste_item(s, cz.ZONE_HIDDEN_GEMS, gem=True) for s in ranked if s.movie_id in self.films]

    def _quality_factor(self, movie_id: int) -> float:
        q = self.films.quality(movie_id)
        return 0.6 + 0.4 * min(1.0, max(0.0, (q - 4.0) / 4.0))

    def _well_rated(self, film) -> list[pb.Reason]:
        return [r for r in reasons.obscurity_and_quality(self.films, film) if r.kind == R.REASON_KIND_WELL_RATED]

    @staticmethod
    def _popularity_reason(percentile: float) -> pb.Reason:
        if percentile <= 80:
            text = f"Off the beaten path: {100 - percentile:.0f}% of the catalogue is more popular."
        else:
            text = "Seldom rated by our viewers, though widely known elsewhere."
        return reasons.reason(R.REASON_KIND_LOW_POPULARITY, text, 0.95)

    def _taste_item(self, s: Scored, zone: int, gem: bool = False) -> pb.Recommendation:
        film = self.films.get(s.movie_id)
        why = reasons.because_you_rated(self.films, s.because, 0.9)
        if s.cf > 0:  # the collaborative model scores it above its average film (cf and content differ in scale)
            why.append(reasons.reason(R.REASON_KIND_LIKED_BY_SIMILAR_VIEWERS,
                                      "Viewers who rate like you liked it.", 0.7))
        if gem:
            why.append(self._popularity_reason(film.popularity_percentile))
            why += self._well_rated(film)
        else:
            why += reasons.obscurity_and_quality(self.films, film)
        return self._item(s.movie_id, s.score, zone, why)

    # ------------------------------------------------------------ For you, onboarding

    async def for_you(self, taste: Taste, k: int, include_seen: bool) -> list[pb.Recommendation]:
        st = self.state()
        exclude = set() if include_seen else set(taste.seen)
        ranked = await asyncio.to_thread(rank_for_you, st.model, st.content, taste.ratings, exclude, k,
                                         params=st.blend)
        return [self._taste_item(s, cz.ZONE_FOR_YOU) for s in ranked if s.movie_id in self.films]

    async def onboarding(self, k: int, taste: Taste | None) -> list[pb.Recommendation]:
        st = self.state()
        seen = set(taste.seen) if taste is not None else set()
        ids = [m for m in onboarding(st.content, k + len(seen)) if m not in seen and m in self.films][:k]
        out = []
        for rank, mid in enumerate(ids):
            film = self.films.get(mid)
            why = [reasons.reason(R.REASON_KIND_POPULAR_START,
                                  f"Widely seen ({film.vote_count:,} votes): rating it tunes For you.", 1.0)]
            out.append(self._item(mid, 1.0 - rank / max(1, len(ids)), cz.ZONE_FOR_YOU, why))
        return out

    # ------------------------------------------------------------ Vibe

    async def vibe(self, text: str, k: int, taste: Taste | None, include_seen: bool) -> list[pb.Recommendation]:
        """Films whose story matches the mood of `text`, within the genres, length and era it names
        (vibe_query), nudged by the user's taste and by how well each film is rated."""
        q = vibe_query.parse(text)
        query = await self.encode_text(q.mood)
        exclude = set(taste.seen) if taste is not None and not include_seen else set()
        if q.constrained:
            scores = await self._vibe_candidates(q, query, k, exclude)
        else:
            hits = await vectors.nearest(self.pool, "story", query, max(VIBE_POOL, 3 * k), exclude)
            scores = {h.movie_id: h.similarity for h in hits}
        st = self.state()
        taste_scores: dict[int, float] = {}
        if taste is not None and taste.ratings and st.content is not None:
            profile = st.content.profile(taste.ratings)
            if profile is not None:
                all_scores = st.content.scores(profile)
                for mid in scores:
                    i = st.content.index_of(mid)
                    if i is not None:
                        taste_scores[mid] = float(all_scores[i])
        mean = self.films.mean_rating

        def final(mid: int) -> float:
            return (scores[mid] + VIBE_TASTE_WEIGHT * taste_scores.get(mid, 0.0)
                    + VIBE_QUALITY_WEIGHT * (self.films.quality(mid) - mean))
        ranked = sorted(scores, key=lambda m: (-final(m), m))[:k]
        quoted = q.mood if len(q.mood) <= 40 else q.mood[:39] + "…"
        out = []
        for mid in ranked:
            film = self.films.get(mid)
            if film is None:
                continue
            why = [reasons.reason(R.REASON_KIND_MATCHES_VIBE, f"Its story matches “{quoted}”.", scores[mid] + 0.5)]
            asked = vibe_query.describe(q, film.genres, film.runtime, film.year)
            if asked:
                why.append(reasons.reason(R.REASON_KIND_MATCHES_VIBE, asked, scores[mid] + 0.4))
            if taste_scores.get(mid, 0.0) > 0.3:
                why.append(reasons.reason(R.REASON_KIND_BECAUSE_YOU_RATED, "Close to films you rated highly.",
                                          taste_scores[mid]))
            why += reasons.obscurity_and_quality(self.films, film)
            out.append(self._item(mid, final(mid), cz.ZONE_VIBE, why))
        return out

    async def _vibe_candidates(self, q: vibe_query.VibeQuery, query: np.ndarray, k: int,
                               exclude: set[int]) -> dict[int, float]:
        """The films nearest the mood among those that meet the text's genres, length and era, as many
        as the unconstrained path fetches. First from the index's VIBE_SCAN nearest films: when enough
        of them meet the constraints (a broad genre), the nearest that do are among them. Otherwise an
        exact scan of every film that meets them; too few of those (fewer than `k`): the length and era
        are let go, then the genres asked for (what to avoid stays), so an over-narrow text still gets
        an answer. The reasons name only what each film meets."""
        want = max(VIBE_POOL, 3 * k)
        hits = await vectors.nearest(self.pool, "story", query, VIBE_SCAN, exclude)
        meet = [h for h in hits if (f := self.films.get(h.movie_id)) is not None
                and vibe_query.fits(q, f.genres, f.runtime, f.year)]
        if len(meet) >= want:
            return {h.movie_id: h.similarity for h in meet[:want]}
        tries = ({"strict_length": True}, {"strict_length": False, "era": False},
                 {"strict_length": False, "era": False, "genres": False})
        scores: dict[int, float] = {}
        for relax in tries:
            narrowed = vibe_query.relaxed(q, era=relax.get("era", True), genres=relax.get("genres", True))
            ids = [f.id for f in self.films.by_id.values() if f.id not in exclude and vibe_query.fits(
                narrowed, f.genres, f.runtime, f.year, strict_length=relax["strict_length"])]
            scores = await vectors.nearest_among(self.pool, "story", query, ids, want)
            if len(scores) >= k:
                break
        return scores

    # ------------------------------------------------------------ Together

    async def together(self, caller: Taste, members: Sequence[Taste], k: int) -> list[pb.Recommendation]:
        """`members`: the caller and the partners named (each checked by the servicer)."""
        for m in members:
            if m.user_id != caller.user_id and m.user_id not in caller.partners:
                raise PermissionDenied("Together can only include you and your linked partners.")
        chosen = await asyncio.to_thread(self._together_picks, self.state(), members, k)
        out = []
        for mid, g, xs in chosen:
            if mid not in self.films:
                continue
            names = [m.username for m in members]
            fits = [f"{n} ({round(100 * x)}%)" for n, x in zip(names, xs, strict=True)]
            why = [reasons.reason(R.REASON_KIND_FITS_EVERYONE, f"Fits everyone: {', '.join(fits)}.", 1.0 + g,
                                  user_ids=[m.user_id for m in members])]
            why += reasons.obscurity_and_quality(self.films, self.films.get(mid))
            out.append(self._item(mid, g, cz.ZONE_TOGETHER, why))
        return out

    @staticmethod
    def _together_picks(st: ModelState, members: Sequence[Taste], k: int) -> list[tuple[int, float, list[float]]]:
        """(film, group score, each member's score) for the group, best first (CPU only: a worker thread)."""
        seen = set().union(*(m.seen for m in members))
        per_member: list[dict[int, float]] = []
        for m in members:
            ranked = rank_for_you(st.model, st.content, m.ratings, seen, TOGETHER_DEPTH, params=st.blend,
                                  explain=False)
            n = max(1, len(ranked))
            per_member.append({s.movie_id: 1.0 - i / n for i, s in enumerate(ranked)})
        # Least misery (the least happy member counts most) plus the mean.
        group: dict[int, tuple[float, list[float]]] = {}
        for mid in set().union(*per_member):
            xs = [pm.get(mid, 0.0) for pm in per_member]
            group[mid] = (0.6 * min(xs) + 0.4 * (sum(xs) / len(xs)), xs)
        # Greedy with fairness: each pick adds a bonus for the member least served so far, so no one's
        # taste is ignored when tastes pull apart.
        served = [0.0] * len(members)
        chosen: list[tuple[int, float, list[float]]] = []
        pool = sorted(group, key=lambda m: (-group[m][0], m))[: max(200, 10 * k)]
        while pool and len(chosen) < k:
            worst = min(range(len(members)), key=lambda i: served[i])
            best = max(pool, key=lambda m: group[m][0] + 0.15 * group[m][1][worst])
            pool.remove(best)
            g, xs = group[best]
            chosen.append((best, g, xs))
            served = [a + b for a, b in zip(served, xs, strict=True)]
        return chosen
