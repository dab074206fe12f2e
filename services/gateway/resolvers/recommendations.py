"""Resolvers of the recommendation zones: check the caller and the cheap arguments, call the
recommender, and turn its list into `Recommendation`s.

Who may call:
  * similar, vibe, and hiddenGems with a `movieId`: anyone. Without an Authorization header the
    caller is anonymous (no `x-user-id`); with one, it must hold a valid access token, else
    UNAUTHENTICATED (a client with an expired token learns it must refresh, rather than silently
    getting anonymous results);
  * forYou, together, onboarding, and hiddenGems without a `movieId`: a valid token only.

The recommender is the authority on every rule (which partners, which films): its INVALID_ARGUMENT
comes back as BAD_USER_INPUT, PERMISSION_DENIED as FORBIDDEN, NOT_FOUND as NOT_FOUND (errors.py).
Nothing is cached here: the recommender caches its zone results itself.

Films and users: the recommended films, and the films the reasons point at when the query selects
`reasons { movies }`, are loaded through the request's movie DataLoader in one batch (one
`BatchGetMovies` for whatever the Redis cache lacks); the users of the reasons and fits, when selected,
through the user DataLoader (one `GetUsers`). Both are fetched before the list is returned (`Wants`,
`Fetched`), so nothing under a recommendation resolves on its own. A recommended film the catalogue
does not have is left out of the list (`movie` is non-null).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode, SelectionNode
from movierec.recommender.v1 import recommender_pb2
from strawberry.types import Info

from kit.logging import get_logger
from services.gateway.context import GatewayContext
from services.gateway.types.axis_weights import AxisWeights
from services.gateway.types.fetched import Fetched
from services.gateway.types.movie import Movie
from services.gateway.types.recommendation import Recommendation
from services.gateway.types.user import User
from services.gateway.types.vibe_answer import VibeAnswer, VibeReading
from services.gateway.types.zone import Zone
from services.gateway.validation import (
    parse_movie_id,
    validate_first,
    validate_optional_vibe,
    validate_percentile,
    validate_together_ids,
    validate_vibe_text,
)

log = get_logger(__name__)


# ---------------------------------------------------------------- shaping


def selects(info: Info[GatewayContext, None], *path: str) -> bool:
    """Whether the current field's selection reaches `path` (e.g. "reasons", "movies"), through
    fragments too. Directives are ignored: a field under @skip still counts (fetching is harmless).

    Walks the document's AST, not strawberry's `info.selected_fields`: that is built by expanding every
    fragment spread, so a document whose fragments spread earlier ones several times makes it
    exponential. Here each (fragment, step of `path`) is entered once, so the walk is linear in the
    document (times the length of `path`), and iterative. The document-limits step
    (document_limits.py) has bounded the expansion before any resolver runs anyway."""
    if not path:
        return True
    raw = info._raw_info
    entered: set[tuple[str, int]] = set()
    stack: list[tuple[Sequence[SelectionNode], int]] = [
        (node.selection_set.selections, 0) for node in raw.field_nodes if node.selection_set is not None
    ]
    while stack:
        selections, step = stack.pop()
        for sel in selections:
            if isinstance(sel, FieldNode):
                if sel.name.value == path[step]:
                    if step + 1 == len(path):
                        return True
                    if sel.selection_set is not None:
                        stack.append((sel.selection_set.selections, step + 1))
            elif isinstance(sel, InlineFragmentNode):
                stack.append((sel.selection_set.selections, step))
            elif isinstance(sel, FragmentSpreadNode):
                fragment = raw.fragments.get(sel.name.value)
                if fragment is not None and (sel.name.value, step) not in entered:
                    entered.add((sel.name.value, step))
                    stack.append((fragment.selection_set.selections, step))
    return False


@dataclass(frozen=True)
class Wants:
    """What the query selects beyond the recommended films, fetched with the list (one batch each): the
    reasons' films, and the users of the reasons and of the fits (Together)."""

    reason_movies: bool = True
    users: bool = True

    @classmethod
    def of(cls, info: Info[GatewayContext, None], *under: str) -> Wants:
        """From the current field's selection; `under`: the path to the recommendations (("picks",) for a
        VibeAnswer)."""
        return cls(reason_movies=selects(info, *under, "reasons", "movies"),
                   users=selects(info, *under, "reasons", "users") or selects(info, *under, "fits", "user"))


async def to_recommendations(
    ctx: GatewayContext,
    resp: recommender_pb2.RecommendationList,
    *,
    default_zone: Zone,
    wants: Wants,
) -> list[Recommendation]:
    """The list's items whose film the catalogue has, in the recommender's order. The films (and the
    reasons' films, when wanted) are loaded in one DataLoader batch, the users (when wanted) in another,
    both at once; each film and user is converted once for the whole list."""
    ids = [item.movie_id for item in resp.items]
    if wants.reason_movies:
        ids += [i for item in resp.items for reason in item.reasons for i in reason.movie_ids]
    unique = list(dict.fromkeys(i for i in ids if i > 0))
    user_ids = list(dict.fromkeys(
        u for item in resp.items for u in (*(f.user_id for f in item.fits),
                                           *(u for reason in item.reasons for u in reason.user_ids)) if u
    )) if wants.users else []
    if user_ids:
        found_movies, found_users = await asyncio.gather(ctx.movie_loader.load_many(unique),
                                                         ctx.user_loader.load_many(user_ids))
    else:
        found_movies, found_users = await ctx.movie_loader.load_many(unique), []
    movies = {i: Movie.from_proto(m) for i, m in zip(unique, found_movies, strict=True) if m is not None}
    users = {i: User.from_proto(u) for i, u in zip(user_ids, found_users, strict=True) if u is not None}
    fetched = Fetched(movies=movies if wants.reason_movies else {}, users=users)
    result: list[Recommendation] = []
    missing: list[int] = []
    for item in resp.items:
        movie = movies.get(item.movie_id)
        if movie is None:
            missing.append(item.movie_id)
            continue
        result.append(Recommendation.from_proto(item, movie, fetched, default_zone=default_zone,
                                                model_version=resp.model_version))
    if missing:
        log.info("recommended_films_not_in_catalogue", zone=default_zone.value, movie_ids=missing[:20])
    return result


# ---------------------------------------------------------------- the zones


async def resolve_similar(
    ctx: GatewayContext,
    movie_id: str,
    first: int | None,
    weights: AxisWeights | None,
    include_seen: bool | None,
    *,
    wants: Wants = Wants(),
) -> list[Recommendation]:
    user_id = ctx.optional_user()
    mid = parse_movie_id(movie_id)
    page_size = validate_first(first)
    weights_pb = weights.to_proto() if weights is not None else None
    resp = await ctx.recommender.similar(user_id, mid, page_size, weights=weights_pb, include_seen=bool(include_seen))
    return await to_recommendations(ctx, resp, default_zone=Zone.SIMILAR, wants=wants)


async def resolve_hidden_gems(
    ctx: GatewayContext,
    movie_id: str | None,
    first: int | None,
    max_popularity_percentile: float | None,
    include_seen: bool | None,
    *,
    wants: Wants = Wants(),
) -> list[Recommendation]:
    """Anchored on a film (anyone), or on the signed-in user's taste without `movieId`."""
    user_id = ctx.optional_user() if movie_id is not None else ctx.require_user()
    mid = parse_movie_id(movie_id) if movie_id is not None else None
    page_size = validate_first(first)
    percentile = validate_percentile("maxPopularityPercentile", max_popularity_percentile)
    resp = await ctx.recommender.hidden_gems(
        user_id, mid, page_size, max_popularity_percentile=percentile, include_seen=bool(include_seen)
    )
    return await to_recommendations(ctx, resp, default_zone=Zone.HIDDEN_GEMS, wants=wants)


async def resolve_for_you(
    ctx: GatewayContext, first: int | None, include_seen: bool | None, *, wants: Wants = Wants()
) -> list[Recommendation]:
    user_id = ctx.require_user()
    page_size = validate_first(first)
    resp = await ctx.recommender.for_you(user_id, page_size, include_seen=bool(include_seen))
    return await to_recommendations(ctx, resp, default_zone=Zone.FOR_YOU, wants=wants)


async def resolve_vibe(
    ctx: GatewayContext, text: str, first: int | None, include_seen: bool | None, *, wants: Wants = Wants()
) -> VibeAnswer:
    """Picks for a mood and how the text was read; a text the recommender cannot read gets no picks and a
    reading with `confident: false`, a message and suggestions (not an error: the client shows it)."""
    user_id = ctx.optional_user()
    vibe_text = validate_vibe_text(text)
    page_size = validate_first(first)
    resp = await ctx.recommender.vibe(user_id, vibe_text, page_size, include_seen=bool(include_seen))
    picks = await to_recommendations(ctx, resp, default_zone=Zone.VIBE, wants=wants)
    return VibeAnswer(picks=picks, reading=VibeReading.from_proto(resp.vibe_reading))


async def resolve_together(
    ctx: GatewayContext, user_ids: Sequence[str], first: int | None, vibe: str | None = None, *,
    wants: Wants = Wants(),
) -> list[Recommendation]:
    """For the signed-in user and `userIds`; the recommender checks they are partners (FORBIDDEN). With a
    `vibe` (blank: none), the group's picks among the films that match that mood; none when it cannot be read."""
    resp = await _together(ctx, user_ids, first, validate_optional_vibe(vibe))
    return await to_recommendations(ctx, resp, default_zone=Zone.TOGETHER, wants=wants)


async def resolve_together_with_mood(
    ctx: GatewayContext, user_ids: Sequence[str], vibe: str, first: int | None, *, wants: Wants = Wants()
) -> VibeAnswer:
    """Together in a mood, and how the mood was read, as `vibe` answers: a mood the recommender cannot read
    gets no picks and a reading with `confident: false` (not an error)."""
    resp = await _together(ctx, user_ids, first, validate_vibe_text(vibe, "vibe"))
    picks = await to_recommendations(ctx, resp, default_zone=Zone.TOGETHER, wants=wants)
    return VibeAnswer(picks=picks, reading=VibeReading.from_proto(resp.vibe_reading))


async def _together(
    ctx: GatewayContext, user_ids: Sequence[str], first: int | None, vibe: str | None
) -> recommender_pb2.RecommendationList:
    user_id = ctx.require_user()
    partners = validate_together_ids(user_id, user_ids)
    page_size = validate_first(first)
    return await ctx.recommender.together(user_id, partners, page_size, vibe=vibe)


async def resolve_onboarding(
    ctx: GatewayContext, first: int | None, *, wants: Wants = Wants()
) -> list[Recommendation]:
    """Films for the signed-in user to rate first. Their zone is FOR_YOU unless the recommender says
    otherwise: they are what For you starts from. A Tonight guest gets them too (what they rate first)."""
    user_id = ctx.require_user(guest_ok=True)
    page_size = validate_first(first)
    resp = await ctx.recommender.onboarding(user_id, page_size)
    return await to_recommendations(ctx, resp, default_zone=Zone.FOR_YOU, wants=wants)
