"""Together reacts to every member: one member's action on a pick of the group's list (dismiss, rate,
watchlist) and what the OTHER members' Together lists show next, through the real stack (GraphQL ->
users -> outbox -> NATS -> the recommender's feedback consumer -> the answer cache keyed by every
member's generation). "Within a second" is the product's rule for feedback (docs/recommender.md); it is
measured, not asserted: `make bench-recs` (`together_feedback_to_effect_ms`). Here each effect must come
through the event path, well before any cache would expire (FEEDBACK_S, tests/integration/conftest.py).

What each action does, as measured here:
- dismiss (zone TOGETHER): the film leaves every list of a group the member is in, for every member;
- rate (any value): the member has seen it, so it leaves those lists too, and the member's taste moved,
  so their fits and the order of the rest move with it (the other members' fits do not);
- add to watchlist: the pick stays ("I'd like to watch this one" is not "seen"), moves up or keeps its
  place (that member's chance of loving it is raised), and says "On <member>'s watchlist." to everyone
  who sees the group.
"""

from __future__ import annotations

import redis.asyncio as aioredis

from tests.integration.conftest import FEEDBACK_S, eventually
from tests.integration.test_users_graphql import ok, register, state

TOGETHER = ("query($u: [ID!]!) { together(userIds: $u, first: 15) { movie { id } zone"
            " fits { user { id } score } } }")
# Three tastes far apart: crime (Godfathers, GoodFellas), Pixar (Toy Story 1-2, Monsters, Inc.),
# science fiction (The Matrix, Blade Runner, 2001: A Space Odyssey).
CRIME, PIXAR, SCIFI = (238, 240, 769), (862, 863, 585), (603, 78, 62)


async def _link(api, a: dict, b: dict) -> None:
    code = ok(await api("mutation { createInvite { code } }", token=a["accessToken"]))["createInvite"]["code"]
    ok(await api("mutation($c: String!) { acceptInvite(code: $c) { linkedAt } }", {"c": code},
                 token=b["accessToken"]))


async def _rate(api, user: dict, movie_id, value, zone: str = "BROWSE") -> None:
    ok(await api(f'mutation {{ rateMovie(movieId: "{movie_id}", value: {value}, zone: {zone}) {{ value }} }}',
                 token=user["accessToken"]))


async def _group(api, *tastes: tuple[int, ...]) -> list[dict]:
    """One signed-in user per taste (each rates its films 5/5), every two of them linked as partners."""
    people = [await register(api) for _ in tastes]
    for i, a in enumerate(people):
        for b in people[i + 1:]:
            await _link(api, a, b)
    for person, films in zip(people, tastes, strict=True):
        for mid in films:
            await _rate(api, person, mid, 5)
    return people


async def _list(api, viewer: dict, *others: dict) -> list[dict]:
    """The Together list `viewer` sees with `others`."""
    recs = ok(await api(TOGETHER, {"u": [o["user"]["id"] for o in others]}, token=viewer["accessToken"]))["together"]
    assert recs and all(r["zone"] == "TOGETHER" for r in recs)
    return recs


async def _ids(api, viewer: dict, *others: dict) -> list[str]:
    return [r["movie"]["id"] for r in await _list(api, viewer, *others)]


def _fits_of(recs: list[dict], user: dict) -> dict[str, float]:
    return {r["movie"]["id"]: next(f["score"] for f in r["fits"] if f["user"]["id"] == user["user"]["id"])
            for r in recs}


async def _gone_soon(api, film: str, *views: tuple[dict, ...]) -> None:
    """`film` leaves every view (viewer, others...) through the event path (FEEDBACK_S)."""
    async def gone():
        for view in views:
            if film in await _ids(api, *view):
                return False
        return True

    await eventually(gone, timeout=FEEDBACK_S)


async def _act(api, user: dict, action: str, film: str) -> None:
    docs = {"dismiss": f'mutation {{ dismissMovie(movieId: "{film}", zone: TOGETHER) }}',
            "watchlist": f'mutation {{ addToWatchlist(movieId: "{film}", zone: TOGETHER) }}'}
    if action.startswith("rate"):
        await _rate(api, user, film, int(action[4:]), zone="TOGETHER")
    else:
        assert ok(await api(docs[action], token=user["accessToken"]))


async def test_a_dismiss_leaves_every_other_members_list(api):
    alice, bob, carol = await _group(api, CRIME, PIXAR, SCIFI)

    # Bob dismisses a pick of the list Alice sees with him
    pair = await _ids(api, alice, bob)
    victim = pair[1]
    await _act(api, bob, "dismiss", victim)
    await _gone_soon(api, victim, (alice, bob), (bob, alice))

    # the reverse: Alice dismisses a pick of the list Bob sees with her
    victim = (await _ids(api, bob, alice))[2]
    await _act(api, alice, "dismiss", victim)
    await _gone_soon(api, victim, (bob, alice), (alice, bob))

    # three of them: Bob dismisses a pick of the list Carol sees with both; Alice's view of the three
    # loses it too, and a group without Bob keeps it
    trio = await _ids(api, carol, alice, bob)
    victim = trio[0]
    without_bob = await _ids(api, alice, carol)
    await _act(api, bob, "dismiss", victim)
    await _gone_soon(api, victim, (carol, alice, bob), (alice, bob, carol))
    assert await _ids(api, alice, carol) == without_bob


async def test_a_rating_leaves_the_others_lists_and_moves_only_the_raters_fits(api):
    alice, bob, carol = await _group(api, CRIME, PIXAR, SCIFI)

    for rater, viewer, value, position in ((bob, alice, 1, 1), (bob, alice, 5, 3), (alice, bob, 1, 2)):
        before = await _list(api, viewer, rater)
        victim = before[position]["movie"]["id"]
        await _act(api, rater, f"rate{value}", victim)
        await _gone_soon(api, victim, (viewer, rater))
        # the rater's taste moved: their fit of the films in both lists changed, or the list was re-picked;
        # the viewer's own fits stay what they were
        after = await _list(api, viewer, rater)
        old, new = _fits_of(before, rater), _fits_of(after, rater)
        common = old.keys() & new.keys()
        assert any(old[m] != new[m] for m in common) or len(new.keys() - old.keys()) > 1, (before, after)
        old_v, new_v = _fits_of(before, viewer), _fits_of(after, viewer)
        assert all(old_v[m] == new_v[m] for m in common)

    # three of them: Carol rates a pick of the trio's list; Alice and Bob no longer see it there
    victim = (await _ids(api, alice, bob, carol))[0]
    await _act(api, carol, "rate4", victim)
    await _gone_soon(api, victim, (alice, bob, carol), (bob, alice, carol))


async def test_a_watchlist_add_lifts_the_pick_for_the_group_and_says_whose_it_is(api, stack):
    """A watchlist add means "I'd like to watch this one": the pick stays on the group's list, moves up or
    stays (the member's chance of loving it is raised: zones.together WATCHLIST_LIFT) and carries the
    reason "On <member>'s watchlist." for every member who sees the group, through the event path (FEEDBACK_S)."""
    alice, bob, carol = await _group(api, CRIME, PIXAR, SCIFI)
    doc = ("query($u: [ID!]!) { together(userIds: $u, first: 15) { movie { id }"
           " reasons { kind text users { id } } } }")

    async def view(viewer: dict, *others: dict) -> list[dict]:
        return ok(await api(doc, {"u": [o["user"]["id"] for o in others]},
                            token=viewer["accessToken"]))["together"]

    r = aioredis.from_url(stack.redis_url)
    wanted: set[str] = set()
    try:
        for actor, viewer in ((bob, alice), (alice, bob)):
            recs = await view(viewer, actor)
            before = [x["movie"]["id"] for x in recs]
            pick = next(i for i in reversed(before) if i not in wanted)
            assert not any(x["kind"] == "ON_WATCHLIST" for x in recs[before.index(pick)]["reasons"])
            key = f"rec:gen:{actor['user']['id']}"
            gen = int(await r.get(key) or 0)
            await _act(api, actor, "watchlist", pick)

            async def handled(key=key, gen=gen):
                return int(await r.get(key) or 0) > gen

            await eventually(handled, timeout=FEEDBACK_S)  # the recommender has handled the event
            mine = (await state(api, actor["accessToken"]))["state"]
            assert pick in mine["watchlistIds"] and pick not in mine["dismissedIds"] + mine["watchedIds"]

            async def marked(viewer=viewer, actor=actor, pick=pick):
                recs = await view(viewer, actor)
                ids = [x["movie"]["id"] for x in recs]
                if pick not in ids:
                    return None
                why = [x for x in recs[ids.index(pick)]["reasons"] if x["kind"] == "ON_WATCHLIST"]
                return (ids.index(pick), why) if why else None

            place, why = await eventually(marked, timeout=FEEDBACK_S)
            wanted.add(pick)
            assert place <= before.index(pick)                    # kept, at its place or higher
            assert [u["id"] for u in why[0]["users"]] == [actor["user"]["id"]]
            assert actor["user"]["username"] in why[0]["text"] and "watchlist" in why[0]["text"]
            # only the films on a watchlist say so
            assert all(x["kind"] != "ON_WATCHLIST" for rec in await view(viewer, actor) for x in rec["reasons"]
                       if rec["movie"]["id"] not in wanted)
    finally:
        await r.aclose()
