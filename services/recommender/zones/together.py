"""Together: one list for two or more people (the caller and linked partners).

Each member's fit for a film is on one calibrated scale in [0, 1]: the share of the catalogue that
member's For-you blend (zones.for_you.blend_scores) scores below the film, so 0.93 reads "fits ana
better than 93% of the catalogue", for every member alike, for every film (not a rank inside a
member's own top list). A new member without ratings gets the no-taste list's order (well-rated,
well-known films).

The list (`select`): greedy proportional fairness over each member's chance of loving a film (from its
place in their own ranking): each pick most raises the product over members of the chance that the list
holds a film that member loves, so films both rank high come first and, when tastes pull apart, no one is
left without a film of theirs. It won over Average, Least Misery and GFAR on the project's synthetic groups
(`make eval`, together section; docs/recommender.md). Every pick carries each member's fit; it "fits
everyone" only when every member's taste is known and every fit reaches FIT_THRESHOLD, says whose it
mainly is when the fits lie apart, and a middle ground when they are close (reasons.group_fit).
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
from services.recommender.zones.common import ZoneContext, candidate_mask, item
from services.recommender.zones.for_you import blend_scores

MAX_GROUP = limits.TOGETHER_GROUP_MAX  # people, the caller included (kit/limits.py: why 8)
FIT_THRESHOLD = 0.95      # a member's fit that counts as "fits": in their best 5% of the catalogue
FIT_FLOOR = 0.9           # no pick below this for any member while enough films clear it (their best 10%)
FLOOR_MIN_FILMS = 3       # x k: fewer films than this clear the floor: that many with the highest lowest fit
CHANCE_SCALE = 0.3        # a member's chance of loving their best-fitting film (select: chance())
CHANCE_OFFSET = 5.0       # how fast that chance falls with the film's place in their ranking
CHANCE_MAX = 0.999
WATCHLIST_LIFT = 3.0      # a film on a member's watchlist: x their chance of loving it (they mean to watch it)
POOL = 300                # each member's best films the greedy pick looks through
MOOD_WEIGHT = 3.0         # with a mood: x each allowed film's mood score (zones.mood.score), together_picks' bonus
MOOD_POOL = 100           # with a mood: the best films by mood score the list is drawn from (at least 5 x k)


def member_fits(st, members: Sequence[Taste]) -> tuple[np.ndarray, list[bool]]:
    """members x films: each member's calibrated fit for every film of the content index (unrounded: the
    list is picked on these; the reasons and the API get them rounded to 4 decimals, `together_picks`);
    and whether each member's taste is known (False: no usable rating, the fit is the no-taste list's
    order)."""
    rows, known = [], []
    for m in members:
        score, _, _, mode = blend_scores(st.model, st.content, m.ratings, st.blend)
        rows.append(rank01(score).astype(np.float64))
        known.append(mode != "cold")
    return (np.vstack(rows) if rows else np.zeros((0, len(st.content)))), known


def chance(fits: np.ndarray, n_films: int) -> np.ndarray:
    """A member's chance of loving a film from its place r in their own ranking of the catalogue (r = 1 for
    their best fit): CHANCE_SCALE / (r + CHANCE_OFFSET) (0.3 at r = 1, 0.12 at 10, 0.017 at 100), the shape
    of how often held-out favourites sit at each rank (chosen on a validation split, docs/recommender.md)."""
    r = (1.0 - fits) * (n_films - 1) + 1.0
    return np.minimum(CHANCE_SCALE * (1 + CHANCE_OFFSET) / (r + CHANCE_OFFSET), CHANCE_MAX)


def select(fits: np.ndarray, k: int, bonus: np.ndarray | None = None, n_films: int | None = None,
           floor: float = FIT_FLOOR, lift: np.ndarray | None = None) -> list[int]:
    """The group's list: positions into the candidates (the columns of `fits`, members x candidates, each a
    member's calibrated fit over a catalogue of `n_films`, by default the candidates), best first.

    Only films every member's fit puts at `floor` or above (their best 10% by default) are picked, so no
    pick is one a member would probably dislike; when fewer than FLOOR_MIN_FILMS x `k` films clear it (tastes
    far apart, or a mood's few films), the films with the highest lowest fit, that many. Among them, greedy
    proportional fairness (a Nash-welfare objective): each step takes the film that most raises the product
    over members of the chance that the list so far holds a film that member loves, P_u = 1 - the product
    over picks of (1 - chance(u, film)); in logs, the sum of log P_u. A film two members both rank high
    raises both; once one member is likely served, the next pick goes to the one who is not.
    `bonus`: per candidate, multiplies every member's chance by exp(bonus) (a mood's match: a film in the
    mood is likelier to be the one tonight). `lift`: members x candidates, multiplies one member's chance
    (a film on their watchlist)."""
    m, c = fits.shape
    if m == 0 or c == 0 or k <= 0:
        return []
    lowest = fits.min(axis=0)
    ok = np.flatnonzero(lowest >= floor)
    if len(ok) < FLOOR_MIN_FILMS * k:
        ok = np.sort(np.lexsort((np.arange(c), -lowest))[: FLOOR_MIN_FILMS * k])
    p = chance(fits[:, ok], n_films if n_films is not None else c)
    if bonus is not None:
        p = np.minimum(p * np.exp(bonus[ok])[None, :], CHANCE_MAX)
    if lift is not None:
        p = np.minimum(p * lift[:, ok], CHANCE_MAX)
    # only a member's own best films can raise their chance much: the union of each member's POOL best
    n_ok = len(ok)
    pool = np.unique(np.concatenate([np.argpartition(-p[u], POOL - 1)[:POOL] if n_ok > POOL else np.arange(n_ok)
                                     for u in range(m)])) if n_ok else np.zeros(0, dtype=np.int64)
    p = p[:, pool]
    log_miss = np.log1p(-p)                  # log(1 - chance) per member and film
    missed = np.zeros(m)                     # log of each member's chance that no pick so far is loved
    avail = np.ones(len(pool), dtype=bool)
    chosen: list[int] = []
    for _ in range(min(k, len(pool))):
        # log P_u after adding a film: log(1 - exp(missed_u + log_miss_u,film)), summed over members
        gain = np.log(-np.expm1(missed[:, None] + log_miss)).sum(axis=0)
        gain[~avail] = -np.inf
        best = int(np.argmax(gain))          # ties: the lower position
        chosen.append(int(ok[pool[best]]))
        avail[best] = False
        missed += log_miss[:, best]
    return chosen


def together_picks(st, members: Sequence[Taste], k: int, allowed: np.ndarray | None = None,
                   bonus: np.ndarray | None = None) -> tuple[list[tuple[int, float, list[float]]], list[bool]]:
    """(film, group fit, each member's fit) for the group in `select`'s order, and whether each member's
    taste is known (CPU only: a worker thread). The group fit is the members' mean fit. Over the content
    index: `allowed` (bool) narrows the candidates (a mood's films), `bonus` (float) is `select`'s."""
    seen = set().union(*(m.seen for m in members))
    fits, known = member_fits(st, members)
    mask = candidate_mask(st.content, seen)
    if allowed is not None:
        mask &= allowed
    cand = np.flatnonzero(mask)
    sub = fits[:, cand]
    lift = None
    if any(m.watchlist for m in members):
        lift = np.ones_like(sub)
        pos = {int(mid): j for j, mid in enumerate(st.content.movie_ids[cand])}
        for u, m in enumerate(members):
            cols = [pos[f] for f in m.watchlist if f in pos]
            lift[u, cols] = WATCHLIST_LIFT
    order = select(sub, k, None if bonus is None else bonus[cand], n_films=len(st.content), lift=lift)
    chosen = []
    for i in order:
        xs = [round(float(x), 4) for x in sub[:, i]]
        chosen.append((int(st.content.movie_ids[cand[i]]), round(float(np.mean(xs)), 4), xs))
    return chosen, known


async def together(ctx: ZoneContext, caller: Taste, members: Sequence[Taste], k: int, vibe: str | None = None, *,
                   evening_members: frozenset[str] = frozenset(),
                   ) -> list[pb.Recommendation] | pb.RecommendationList:
    """`members`: the caller and the partners named (each checked by the servicer). `vibe`: a mood text
    (normalised by the servicer; None or empty: no mood), read as Vibe reads it (zones.mood): the picks
    are then the group's among the films that match the mood, each film's mood score (MOOD_WEIGHT x
    mood.score) added to the group score, and the answer carries the reading; a mood that cannot be read
    gets the reading and no picks. `evening_members`: Tonight's members (checked by the users service),
    who may be in the group without being partners."""
    for m in members:
        if m.user_id != caller.user_id and m.user_id not in caller.partners and m.user_id not in evening_members:
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
    allowed, bonus = mood.over_content(st.content, ctx.films, matched, evidence, MOOD_WEIGHT,
                                       best=max(MOOD_POOL, 5 * k))
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
        why = [reasons.group_fit(members, xs, FIT_THRESHOLD, 1.0 + g, known)]
        if wanted := [m for m in members if mid in m.watchlist]:
            why.append(reasons.on_watchlist(wanted, 1.0 + g))
        why += more(mid) + reasons.quality(ctx.films, film)
        out.append(item(ctx.films, mid, g, cz.ZONE_TOGETHER, why, fits))
    return out
