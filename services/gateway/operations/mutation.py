from __future__ import annotations

from typing import Annotated, TypeVar

import strawberry
from strawberry.file_uploads import Upload
from strawberry.types import Info

from kit.idempotency import KEY_RULE
from services.gateway.context import GatewayContext
from services.gateway.errors import BadUserInput
from services.gateway.resolvers import account, comments, evenings, film_state, history_import, partners
from services.gateway.types.auth_payload import AuthPayload
from services.gateway.types.comment import Comment
from services.gateway.types.evening import Evening
from services.gateway.types.evening_vote import EveningVote
from services.gateway.types.guest_payload import GuestPayload
from services.gateway.types.import_preview import ImportPreview
from services.gateway.types.import_summary import ImportSummary
from services.gateway.types.invite import Invite
from services.gateway.types.partner import Partner
from services.gateway.types.user_rating import UserRating
from services.gateway.types.zone import Zone

Ctx = Info[GatewayContext, None]
ZoneArg = Zone | None  # where the interaction came from; omitted or null: BROWSE
IdempotencyKeyArg = Annotated[str | None, strawberry.argument(description=(
    f"The client's key for this one creation, {KEY_RULE}: a retry with the same key (after a lost answer)"
    " answers what the first call created and creates nothing; the same key with another request is"
    " BAD_USER_INPUT. Omitted: every call creates."))]

_AUTH = " Needs `Authorization: Bearer <accessToken>` (UNAUTHENTICATED otherwise)."
_CHANGED = " True when it changed something, false when it was already so."

T = TypeVar("T")


def _given(value: T | None) -> T | None:
    """An omitted argument (UNSET) as None."""
    return None if value is strawberry.UNSET else value


async def _action(info: Ctx, action: str, movie_id: strawberry.ID, zone: Zone | None) -> bool:
    return await film_state.resolve_movie_action(info.context, action, movie_id, _given(zone))


@strawberry.type
class Mutation:
    # ------------------------------------------------------------ accounts and sessions

    @strawberry.mutation(description="Create an account and sign in.")
    async def register(self, info: Ctx, username: str, password: str) -> AuthPayload:
        return await account.resolve_register(info.context, username, password)

    @strawberry.mutation(description="Sign in. Repeated failures are throttled (RATE_LIMITED).")
    async def login(self, info: Ctx, username: str, password: str) -> AuthPayload:
        return await account.resolve_login(info.context, username, password)

    @strawberry.mutation(
        description="A new access token and a new refresh token for a refresh token, which is then used up."
    )
    async def refresh_token(self, info: Ctx, refresh_token: str) -> AuthPayload:
        return await account.resolve_refresh_token(info.context, refresh_token)

    @strawberry.mutation(description="End the session of a refresh token.")
    async def logout(self, info: Ctx, refresh_token: str) -> bool:
        return await account.resolve_logout(info.context, refresh_token)

    @strawberry.mutation(description="Change the signed-in user's password." + _AUTH)
    async def change_password(self, info: Ctx, current_password: str, new_password: str) -> bool:
        return await account.resolve_change_password(info.context, current_password, new_password)

    @strawberry.mutation(description="Delete the signed-in user's account and everything of theirs." + _AUTH)
    async def delete_account(self, info: Ctx, password: str) -> bool:
        return await account.resolve_delete_account(info.context, password)

    # ------------------------------------------------------------ film state

    @strawberry.mutation(description="Rate a film, 0.5-5 in half steps (replaces an earlier rating)." + _AUTH)
    async def rate_movie(
        self, info: Ctx, movie_id: strawberry.ID, value: float, zone: ZoneArg = strawberry.UNSET
    ) -> UserRating:
        return await film_state.resolve_rate_movie(info.context, movie_id, value, _given(zone))

    @strawberry.mutation(description="Remove the signed-in user's rating of a film." + _CHANGED + _AUTH)
    async def clear_rating(self, info: Ctx, movie_id: strawberry.ID, zone: ZoneArg = strawberry.UNSET) -> bool:
        return await _action(info, "clear_rating", movie_id, zone)

    @strawberry.mutation(description="Add a film to the favourites." + _CHANGED + _AUTH)
    async def add_favorite(self, info: Ctx, movie_id: strawberry.ID, zone: ZoneArg = strawberry.UNSET) -> bool:
        return await _action(info, "add_favorite", movie_id, zone)

    @strawberry.mutation(description="Remove a film from the favourites." + _CHANGED + _AUTH)
    async def remove_favorite(self, info: Ctx, movie_id: strawberry.ID, zone: ZoneArg = strawberry.UNSET) -> bool:
        return await _action(info, "remove_favorite", movie_id, zone)

    @strawberry.mutation(description="Add a film to the watchlist." + _CHANGED + _AUTH)
    async def add_to_watchlist(self, info: Ctx, movie_id: strawberry.ID, zone: ZoneArg = strawberry.UNSET) -> bool:
        return await _action(info, "add_to_watchlist", movie_id, zone)

    @strawberry.mutation(description="Remove a film from the watchlist." + _CHANGED + _AUTH)
    async def remove_from_watchlist(self, info: Ctx, movie_id: strawberry.ID, zone: ZoneArg = strawberry.UNSET) -> bool:
        return await _action(info, "remove_from_watchlist", movie_id, zone)

    @strawberry.mutation(description="Mark a film as watched." + _CHANGED + _AUTH)
    async def mark_watched(self, info: Ctx, movie_id: strawberry.ID, zone: ZoneArg = strawberry.UNSET) -> bool:
        return await _action(info, "mark_watched", movie_id, zone)

    @strawberry.mutation(description="Never recommend this film again." + _CHANGED + _AUTH)
    async def dismiss_movie(self, info: Ctx, movie_id: strawberry.ID, zone: ZoneArg = strawberry.UNSET) -> bool:
        return await _action(info, "dismiss_movie", movie_id, zone)

    @strawberry.mutation(description="Undo `dismissMovie`." + _CHANGED + _AUTH)
    async def undismiss_movie(self, info: Ctx, movie_id: strawberry.ID, zone: ZoneArg = strawberry.UNSET) -> bool:
        return await _action(info, "undismiss_movie", movie_id, zone)

    @strawberry.mutation(
        description="Record that the signed-in user opened a film's page (a signal for recommendations; nothing"
        " is stored for the user)." + _AUTH
    )
    async def open_movie(self, info: Ctx, movie_id: strawberry.ID, zone: ZoneArg = strawberry.UNSET) -> bool:
        return await _action(info, "record_open", movie_id, zone)

    # ------------------------------------------------------------ history import

    @strawberry.mutation(description=(
        "Read a Letterboxd export (the zip) or an IMDb ratings CSV and show what importing it would change:"
        " every row matched to a film or not, and why. Writes nothing: pass the answer's id to confirmImport."
        " Send it as a GraphQL multipart request to /graphql/upload; at most 4 MiB (BAD_USER_INPUT with"
        " extensions.limit beyond), 20,000 rows. A file that cannot be read is BAD_USER_INPUT with the reason."
        + _AUTH))
    async def preview_import(self, info: Ctx, file: Upload) -> ImportPreview:
        return await history_import.resolve_preview_import(info.context, file)

    @strawberry.mutation(description=(
        "Write what a preview showed (its new and changed ratings, watched marks, watchlist entries) in one"
        " transaction; the same preview confirmed again writes nothing and answers the first summary."
        " NOT_FOUND when the preview expired (an hour) or is not yours." + _AUTH))
    async def confirm_import(self, info: Ctx, preview_id: strawberry.ID) -> ImportSummary:
        return await history_import.resolve_confirm_import(info.context, preview_id)

    # ------------------------------------------------------------ comments

    @strawberry.mutation(description="Comment on a film." + _AUTH)
    async def add_comment(self, info: Ctx, movie_id: strawberry.ID, body: str,
                          idempotency_key: IdempotencyKeyArg = None) -> Comment:
        return await comments.resolve_add_comment(info.context, movie_id, body, idempotency_key)

    @strawberry.mutation(description="Change the body of one of the signed-in user's comments." + _AUTH)
    async def edit_comment(self, info: Ctx, id: strawberry.ID, body: str) -> Comment:
        return await comments.resolve_edit_comment(info.context, id, body)

    @strawberry.mutation(description="Delete one of the signed-in user's comments." + _AUTH)
    async def delete_comment(self, info: Ctx, id: strawberry.ID) -> bool:
        return await comments.resolve_delete_comment(info.context, id)

    # ------------------------------------------------------------ partners

    @strawberry.mutation(description="A single-use invite code for another user to become a partner." + _AUTH)
    async def create_invite(self, info: Ctx, idempotency_key: IdempotencyKeyArg = None) -> Invite:
        return await partners.resolve_create_invite(info.context, idempotency_key)

    @strawberry.mutation(description="Accept another user's invite: the two become partners." + _AUTH)
    async def accept_invite(self, info: Ctx, code: str) -> Partner:
        return await partners.resolve_accept_invite(info.context, code)

    @strawberry.mutation(description="Unlink a partner (both sides)." + _AUTH)
    async def unlink_partner(self, info: Ctx, user_id: strawberry.ID) -> bool:
        return await partners.resolve_unlink_partner(info.context, user_id)

    # ------------------------------------------------------------ Tonight

    @strawberry.mutation(description=(
        "Start an evening (Tonight), optionally in a mood (a Vibe text, at most 500 characters): share its"
        " `joinPath` for others to join. Not for guests (FORBIDDEN)." + _AUTH))
    async def start_evening(self, info: Ctx, mood: str | None = None) -> Evening:
        return await evenings.resolve_start_evening(info.context, mood)

    @strawberry.mutation(description=(
        "Join an evening by its link's token (or the whole link) as the signed-in account; joining again"
        " changes nothing. An ended evening or a bad token: NOT_FOUND; a full one: BAD_USER_INPUT." + _AUTH))
    async def join_evening(self, info: Ctx, token: str) -> Evening:
        return await evenings.resolve_join_evening(info.context, token)

    @strawberry.mutation(description=(
        "Join an evening by its link without an account: a guest named `name` (1-24 characters) whose session"
        " works only in this evening and ends with it; the guest and everything they rated are deleted then."
        " Counts against the client's sign-up rate limit."))
    async def join_evening_as_guest(self, info: Ctx, token: str, name: str) -> GuestPayload:
        return await evenings.resolve_join_evening_as_guest(info.context, token, name)

    @strawberry.mutation(description=(
        "Say yes, no or seen to a film of an evening's list; null takes the vote back. Members only"
        " (FORBIDDEN); the evening's subscribers get the new list at once." + _AUTH))
    async def vote_on_pick(
        self, info: Ctx, evening_id: strawberry.ID, movie_id: strawberry.ID,
        vote: EveningVote | None = strawberry.UNSET,
    ) -> Evening:
        if vote is strawberry.UNSET:  # nullable, so GraphQL lets it be left out: say it, or null to take it back
            raise BadUserInput("Say the vote (YES, NO or SEEN), or null to take yours back.")
        return await evenings.resolve_vote(info.context, evening_id, movie_id, vote)
