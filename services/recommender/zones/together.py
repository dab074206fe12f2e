"""Together: one list for two or more people (the caller and linked partners).

Each member's fit for a film is on one calibrated scale in [0, 1]: the share of the catalogue that
member's For-you blend (zones.for_you.blend_scores) scores below the film, so 0.93 reads "fits ana
better than 93% of the catalogue", for every member alike, for every film (not a rank inside a
member's own top list). A new member without ratings gets the no-taste list's order (well-rated,
well-known films).

Group score: least misery plus the mean (0.6 * the lowest fit + 0.4 * the mean fit); the list is
picked greedily with a bonus for the member served least so far, so no one's taste is ignored when
tastes pull apart. Every pick carries each member's fit; it "fits everyone" only when every member's
taste is known and every fit reaches FIT_THRESHOLD, says whose it mainly is when the fits lie apart,
and a middle ground when they are close (reasons.group_fit).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

import numpy as np
from movierec.common.v1 import common_pb2 as cz
from movierec.recommender.v1 import recommender_pb2 as pb

from kit import limits
from kit.errors import PermissionDenied
from services.recommender import reasons
from services.recommender.content import rank01
from services.recommender.tastes import Taste
from services.recommender.zones import mood
from services.recommender.zones.common import ZoneContext, candidate_mask, item, top
from services.recommender.zones.for_you import blend_scores

MAX_GROUP = limits.TOGETHER_GROUP_MAX  # people, the caller included (kit/limits.py: why 8)
FIT_THRESHOLD = 0.95      # a member's fit that counts as "fits": in their best 5% of the catalogue
LEAST_MISERY = 0.6        # weight of the lowest fit in the group score (the rest: the mean fit)
FAIRNESS_BONUS = 0.15     # per unit of fit of the member served least so far
POOL = 200                # best group scores the greedy pick looks through (at least 10 x k)
MOOD_WEIGHT = 1.0         # with a mood: x each matched film's mood score (zones.mood.score), added to the group score


def member_fits(st, members: Sequence[Taste]) -> tuple[np.ndarray, list[bool]]:
    """members x films: each member's calibrated fit for every film of the content index, rounded to 4
    decimals once (the threshold, the reason's text and the API all read the same number); and whether
    each member's taste is known (False: no usable rating, the fit is the no-taste list's order)."""
    rows, known = [], []
    for m in members:
        score, _, _, mode = blend_scores(st.model, st.content, m.ratings, st.blend)
        rows.append(np.round(rank01(score).astype(np.float64), 4))
        known.append(mode != "cold")
    return (np.vstack(rows) if rows else np.zeros((0, len(st.content)))), known


def together_picks(st, members: Sequence[Taste], k: int, allowed: np.ndarray | None = None,
                   bonus: np.ndarray | None = None) -> tuple[list[tuple[int, float, list[float]]], list[bool]]:
    """(film, group score, each member's fit) for the group, best first, and whether each member's taste
    is known (CPU only: a worker thread). Over the content index: `allowed` (bool) narrows the candidates
    (a mood's films), `bonus` (float) is added to the group score the list is picked by."""
    seen = set().union(*(m.seen for m in members))
    fits, known = member_fits(st, members)
    group = LEAST_MISERY * fits.min(axis=0) + (1 - LEAST_MISERY) * fits.mean(axis=0)
    if bonus is not None:
        group = group + bonus
    mask = candidate_mask(st.content, seen)
    if allowed is not None:
        mask &= allowed
    pool = list(top(group, mask, max(POOL, 10 * k)))
    served = np.zeros(len(members))
    chosen: list[tuple[int, float, list[float]]] = []
    while pool and len(chosen) < k:
        worst = int(np.argmin(served))
        best = max(pool, key=lambda i: (group[i] + FAIRNESS_BONUS * fits[worst, i], -i))
        pool.remove(best)
        chosen.append((int(st.content.movie_ids[best]), float(group[best]), [float(x) for x in fits[:, best]]))
        served += fits[:, best]
    return chosen, known


async def together(ctx: ZoneContext, caller: Taste, members: Sequence[Taste], k: int, vibe: str | None = None,
                   ) -> list[pb.Recommendation] | pb.RecommendationList:
    """`members`: the caller and the partners named (each checked by the servicer). `vibe`: a mood text
    (normalised by the servicer; None or empty: no mood), read as Vibe reads it (zones.mood): the picks
    are then the group's among the films that match the mood, each film's mood score (MOOD_WEIGHT x
    mood.score) added to the group score, and the answer carries the reading; a mood that cannot be read
    gets the reading and no picks."""
    for m in members:
        if m.user_id != caller.user_id and m.user_id not in caller.partners:
            raise PermissionDenied("Together can only include you and your linked partners.")
    st = ctx.state()
    if not vibe:
        chosen, known = await asyncio.to_thread(together_picks, st, members, k)
        return _picks(ctx, members, chosen, known, lambda mid: [])
    matched = await mood.match(ctx, vibe, k, set().union(*(m.seen for m in members)))
    answer = pb.RecommendationList(vibe_reading=mood.reading_proto(matched))
    if not matched.reading.confident:
        return answer
    evidence = mood.evidence(st, ctx.films, matched)
    allowed, bonus = mood.over_content(st.content, ctx.films, matched, evidence, MOOD_WEIGHT)
    chosen, known = await asyncio.to_thread(together_picks, st, members, k, allowed, bonus)
    answer.items.extend(_picks(ctx, members, chosen, known, lambda mid: mood.reasons_for(
        matched.query, ctx.films[mid], matched.scores[mid], evidence.get(mid))))
    return answer


def _picks(ctx: ZoneContext, members: Sequence[Taste], chosen: list[tuple[int, float, list[float]]],
           known: list[bool], more: Callable[[int], list[pb.Reason]]) -> list[pb.Recommendation]:
    """Each pick with every member's fit, the group's reason, `more(film)` (the mood's) and its quality's."""
    out = []
    for mid, g, xs in chosen:
        film = ctx.films.get(mid)
        if film is None:
            continue
        fits = [pb.MemberFit(user_id=m.user_id, score=x, taste_known=kn)
                for m, x, kn in zip(members, xs, known, strict=True)]
        why = ([reasons.group_fit(members, xs, FIT_THRESHOLD, 1.0 + g, known)] + more(mid)
               + reasons.quality(ctx.films, film))
        out.append(item(ctx.films, mid, g, cz.ZONE_TOGETHER, why, fits))
    return out
