"""gRPC edge of the recommender: identity from metadata, argument checks, the answer cache, then
the zone (zones.py). The acting user comes from `x-user-id` (set by the gateway after verifying
the caller's token); anonymous callers may use More like this, Vibe, anchored Hidden gems and
Onboarding."""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable

from movierec.recommender.v1 import recommender_pb2 as pb
from movierec.recommender.v1 import recommender_pb2_grpc

from kit import auth, limits
from kit.errors import InvalidArgument, PermissionDenied, Unauthenticated
from services.recommender.generations import Generations
from services.recommender.serving import PINNED, ModelState
from services.recommender.tastes import Taste, Tastes
from services.recommender.zones import MAX_GROUP, Zones, evening, normalise_weights

# Checked by the gateway too: one value for both (kit/limits.py).
FIRST_DEFAULT, FIRST_MAX = limits.PAGE_SIZE_DEFAULT, limits.PAGE_SIZE_MAX
VIBE_MAX_CHARS = limits.VIBE_TEXT_MAX_CHARS  # counted after trimming


def _first(first: int) -> int:
    if first == 0:
        return FIRST_DEFAULT
    if not 1 <= first <= FIRST_MAX:
        raise InvalidArgument(f"first must be 1-{FIRST_MAX}")
    return first


def _user(context) -> str | None:
    return next((v for k, v in (context.invocation_metadata() or ()) if k == auth.MD_USER_ID and v), None)


def _taste(tastes: dict[str, Taste], user: str | None) -> Taste | None:
    """The asking user's taste; None for an anonymous call."""
    return tastes.get(user) if user is not None else None


def _vibe_text(text: str) -> str:
    """A mood text as it is matched: whitespace runs collapsed, the ends trimmed ("" when nothing is left);
    more than VIBE_MAX_CHARS after trimming is refused."""
    if len(limits.vibe_text(text)) > VIBE_MAX_CHARS:
        raise InvalidArgument(f"the text is at most {VIBE_MAX_CHARS} characters")
    return " ".join(text.split())


def _positive_id(movie_id: int) -> int:
    if movie_id <= 0:
        raise InvalidArgument("movie_id must be a positive TMDb id")
    return movie_id


class RecommenderServicer(recommender_pb2_grpc.RecommenderServiceServicer):
    def __init__(self, zones: Zones, tastes: Tastes, generations: Generations, state: Callable[[], ModelState]) -> None:
        self.zones, self.tastes, self.generations, self.state = zones, tastes, generations, state

    async def _cached(
        self, zone: str, users: list[str], args: str,
        compute: Callable[[dict[str, Taste]], Awaitable[list[pb.Recommendation] | pb.RecommendationList]],
    ) -> pb.RecommendationList:
        """The answer for (zone, users' generations, args, model version) from Redis, or computed."""
        st = self.state()
        PINNED.set(st)  # this request uses this model throughout, whatever a swap does meanwhile
        version = st.version
        gens = await self.generations.of(users)
        key = None
        if gens is not None:
            key = Generations.answer_key(zone, version, users, gens, args)
            if (hit := await self.generations.get_answer(key)) is not None:
                return pb.RecommendationList.FromString(hit)
        tastes = {u: await self.tastes.get(u, gens[i] if gens is not None else None) for i, u in enumerate(users)}
        got = await compute(tastes)
        answer = got if isinstance(got, pb.RecommendationList) else pb.RecommendationList(items=got)
        answer.model_version = version
        if key is not None:
            await self.generations.put_answer(key, answer.SerializeToString())
        return answer

    async def Similar(self, request: pb.SimilarRequest, context) -> pb.RecommendationList:
        movie_id, k = _positive_id(request.movie_id), _first(request.first)
        w = request.weights
        weights = normalise_weights({a: getattr(w, a) if w.HasField(a) else None
                                     for a in ("story", "people", "style", "genre")})
        user = _user(context)
        args = f"{movie_id}|{k}|{sorted(weights.items())}|{request.include_seen}"
        return await self._cached("similar", [user] if user else [], args, lambda t: self.zones.similar(
            movie_id, k, weights, _taste(t, user), request.include_seen))

    async def HiddenGems(self, request: pb.HiddenGemsRequest, context) -> pb.RecommendationList:
        k = _first(request.first)
        movie_id = _positive_id(request.movie_id) if request.HasField("movie_id") else None
        ceiling = None
        if request.HasField("max_popularity_percentile"):
            ceiling = request.max_popularity_percentile
            if not math.isfinite(ceiling) or not 0 <= ceiling <= 100:
                raise InvalidArgument("max_popularity_percentile must be 0-100")
        user = _user(context)
        if movie_id is None and user is None:
            raise Unauthenticated("hidden gems for your taste need a signed-in user (or give a film)")
        # The adaptive ceiling lives in PostgreSQL and moves with the user's generation (its events).
        args = f"{movie_id}|{k}|{ceiling}|{request.include_seen}"
        return await self._cached("gems", [user] if user else [], args, lambda t: self.zones.hidden_gems(
            movie_id, k, ceiling, _taste(t, user), request.include_seen))

    async def ForYou(self, request: pb.ForYouRequest, context) -> pb.RecommendationList:
        k = _first(request.first)
        user = _user(context)
        if user is None:
            raise Unauthenticated("For you needs a signed-in user")
        return await self._cached("foryou", [user], f"{k}|{request.include_seen}",
                                  lambda t: self.zones.for_you(t[user], k, request.include_seen))

    async def Vibe(self, request: pb.VibeRequest, context) -> pb.RecommendationList:
        k = _first(request.first)
        text = _vibe_text(request.text)
        if not text:
            raise InvalidArgument("describe a mood: the text is empty")
        user = _user(context)
        return await self._cached("vibe", [user] if user else [], f"{k}|{request.include_seen}|{text.lower()}",
                                  lambda t: self.zones.vibe(text, k, _taste(t, user), request.include_seen))

    async def Together(self, request: pb.TogetherRequest, context) -> pb.RecommendationList:
        k = _first(request.first)
        user = _user(context)
        if user is None:
            raise Unauthenticated("Together needs a signed-in user")
        if request.evening_id:
            return await self._evening(user, request.evening_id, k, _vibe_text(request.vibe))
        members = limits.together_group(user, request.user_ids)
        if len(members) < 2:
            raise InvalidArgument("name at least one partner to watch with")
        if len(members) > MAX_GROUP:
            raise InvalidArgument(f"at most {MAX_GROUP} people")
        if any(not m for m in members):
            raise InvalidArgument("user ids must not be empty")
        vibe = _vibe_text(request.vibe)  # a mood to watch in, read as Vibe's text is; empty: none
        # Partners checked against the current links: a link change bumps both users' generations, so
        # the caller's state at their current generation has them.
        gens = await self.generations.of([user])
        caller = await self.tastes.get(user, gens[0] if gens else None)
        outsiders = [m for m in members if m != user and m not in caller.partners]
        if outsiders:
            raise PermissionDenied("Together can only include you and your linked partners.")
        ordered = [user, *sorted(members[1:])]
        return await self._cached("together", ordered, f"{k}|{vibe.lower()}", lambda t: self.zones.together(
            t[user], [t[m] for m in ordered], k, vibe or None))

    async def _evening(self, user: str, evening_id: str, k: int, vibe: str) -> pb.RecommendationList:
        """Tonight: the evening's members (the caller first) and mood, the Together list for them with
        their votes applied (zones/evening.py); an evening of one (the host, waiting) gets the host's own
        list. The answer is keyed by the evening's version, so every join and vote shows at once."""
        ev = await self.tastes.evening(user, evening_id)
        ordered = [user, *sorted(m.user.id for m in ev.members if m.user.id != user)]
        names = {m.user.id: m.name for m in ev.members}
        votes = [(v.user_id, v.movie_id, int(v.vote)) for v in ev.votes]
        mood_text = vibe or _vibe_text(ev.mood)
        fetch = min(k + len(evening.blocked(votes)), 2 * FIRST_MAX)
        evening_members = frozenset(ordered)

        async def compute(t: dict[str, Taste]) -> pb.RecommendationList:
            got = await self.zones.together(t[user], [t[m] for m in ordered], fetch, mood_text or None,
                                            evening_members=evening_members)
            answer = got if isinstance(got, pb.RecommendationList) else pb.RecommendationList(items=got)
            if answer.HasField("vibe_reading") and not answer.vibe_reading.confident:
                return answer  # a mood that cannot be read: the reading says so, no picks
            items = evening.apply_votes(list(answer.items), votes, ordered, names, k)
            del answer.items[:]
            answer.items.extend(items)
            return answer

        return await self._cached("evening", ordered, f"{k}|{mood_text.lower()}|{ev.id}|{ev.version}", compute)

    async def Onboarding(self, request: pb.OnboardingRequest, context) -> pb.RecommendationList:
        k = _first(request.first)
        user = _user(context)
        return await self._cached("onboarding", [user] if user else [], str(k),
                                  lambda t: self.zones.onboarding(k, _taste(t, user)))

    async def GemCeilingScale(self, request: pb.GemCeilingScaleRequest, context) -> pb.GemCeilingScaleResponse:
        return await self.zones.gem_ceiling_scale(_user(context))
