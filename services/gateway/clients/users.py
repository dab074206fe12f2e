"""The gateway's client of the users service: accounts, auth and a user's film state.

Every call goes through a `CallLimiter` (a deadline and a bound on calls in flight on the channel)
and carries the internal service token in metadata (`x-internal-token`). Calls acting for a user
take that user's id as their first argument (`user_id`, verified by the gateway from the access
token) and send it as `x-user-id`; request bodies never name the acting user (users.proto). The
calls that establish an identity (Register, Login, RefreshToken, Logout) and the public reads
(ListComments, BatchListComments, GetUsers) send no user id. Errors are left as
`grpc.aio.AioRpcError` (errors.py maps them).

Three lanes, each its own bound on calls in flight (settings `GATEWAY_GRPC_USERS_*_MAX_IN_FLIGHT`):
public reads anyone can make (`read`: comments, users named by reasons), the signed-in user's own
calls (`own`: every call with an acting user: `me`'s GetState, their writes, partners) and the calls
that establish an identity (`sign_in`). A flood of anonymous comment reads, or of logins, fills its
own lane and fails UNAVAILABLE there; `me` and the user's writes still find a slot. The `own` lane is
reachable only with an access token the gateway verified.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeAlias

import grpc
from movierec.common.v1 import common_pb2
from movierec.users.v1 import users_pb2, users_pb2_grpc

from kit import limits
from services.gateway.clients.base import CallLimiter, TrustedServiceClient

ZoneValue: TypeAlias = common_pb2.Zone.ValueType  # a common.v1.Zone number

# What the users service takes per call (kit/limits.py): longer lists are cut into several calls.
GET_USERS_MAX_IDS = limits.USERS_GET_USERS_MAX_IDS
BATCH_LIST_COMMENTS_MAX_IDS = limits.USERS_BATCH_LIST_COMMENTS_MAX_IDS
BATCH_LIST_COMMENTS_MAX_COMMENTS = limits.USERS_BATCH_LIST_COMMENTS_MAX_COMMENTS

# The limiter lanes (see the module's docstring); SIGN_IN_METHODS take the sign-in lane.
READ_LANE, OWN_LANE, SIGN_IN_LANE = "read", "own", "sign_in"
SIGN_IN_METHODS = frozenset({"Register", "Login", "RefreshToken", "Logout", "JoinEveningAsGuest"})
# History imports take a lane of their own, with a longer deadline (a preview reads and matches up to
# 20,000 rows) and few calls in flight, so large uploads never hold the `own` lane's slots.
IMPORT_LANE = "import"
IMPORT_METHODS = frozenset({"PreviewImport", "ConfirmImport"})

# The RPCs taking a MovieActionRequest, by the name of the client method that calls each.
MOVIE_ACTIONS = {
    "clear_rating": "ClearRating",
    "add_favorite": "AddFavorite",
    "remove_favorite": "RemoveFavorite",
    "add_to_watchlist": "AddToWatchlist",
    "remove_from_watchlist": "RemoveFromWatchlist",
    "mark_watched": "MarkWatched",
    "dismiss_movie": "DismissMovie",
    "undismiss_movie": "UndismissMovie",
    "record_open": "RecordOpen",
}


class UsersApi(Protocol):
    """What the resolvers need from the users service (UsersClient; tests may pass anything like it)."""

    async def register(self, username: str, password: str, client_address: str = "") -> users_pb2.AuthResponse: ...

    async def login(self, username: str, password: str, client_address: str) -> users_pb2.AuthResponse: ...

    async def refresh_token(self, refresh_token: str) -> users_pb2.AuthResponse: ...

    async def logout(self, refresh_token: str) -> None: ...

    async def change_password(self, user_id: str, current_password: str, new_password: str) -> None: ...

    async def delete_account(self, user_id: str, password: str) -> None: ...

    async def get_state(self, user_id: str) -> users_pb2.UserState: ...

    async def get_users(self, ids: Sequence[str]) -> list[users_pb2.User]: ...

    async def rate_movie(self, user_id: str, movie_id: int, value: float, zone: ZoneValue) -> users_pb2.Rating: ...

    async def movie_action(self, action: str, user_id: str, movie_id: int, zone: ZoneValue) -> bool: ...

    async def add_comment(self, user_id: str, movie_id: int, body: str,
                          idempotency_key: str = "") -> users_pb2.Comment: ...

    async def edit_comment(self, user_id: str, comment_id: str, body: str) -> users_pb2.Comment: ...

    async def delete_comment(self, user_id: str, comment_id: str) -> None: ...

    async def list_comments(
        self, movie_id: int, page_size: int, page_token: str
    ) -> users_pb2.ListCommentsResponse: ...

    async def batch_list_comments(
        self, movie_ids: Sequence[int], first_per_movie: int
    ) -> list[users_pb2.MovieComments]: ...

    async def create_invite(self, user_id: str, idempotency_key: str = "") -> users_pb2.Invite: ...

    async def accept_invite(self, user_id: str, code: str) -> users_pb2.Partner: ...

    async def unlink_partner(self, user_id: str, partner_id: str) -> None: ...

    async def start_evening(self, user_id: str, mood: str) -> users_pb2.Evening: ...

    async def get_evening(self, user_id: str, evening_id: str) -> users_pb2.Evening: ...

    async def peek_evening(self, join_token: str) -> users_pb2.EveningPreview: ...

    async def join_evening(self, user_id: str, join_token: str) -> users_pb2.Evening: ...

    async def join_evening_as_guest(self, join_token: str, name: str,
                                    client_address: str = "") -> users_pb2.GuestSession: ...

    async def vote_evening(self, user_id: str, evening_id: str, movie_id: int,
                           vote: users_pb2.EveningVote.ValueType) -> users_pb2.Evening: ...
    async def preview_import(self, user_id: str, data: bytes, file_name: str) -> users_pb2.ImportPreview: ...
    async def confirm_import(self, user_id: str, preview_id: str) -> users_pb2.ImportSummary: ...


class UsersClient(TrustedServiceClient):
    def __init__(
        self,
        channel: grpc.aio.Channel,
        internal_token: str,
        *,
        timeout_s: float = 5.0,
        max_in_flight: int = 200,
        own_max_in_flight: int | None = None,
        sign_in_max_in_flight: int | None = None,
        import_timeout_s: float = 60.0,
        import_max_in_flight: int = 8,
    ) -> None:
        """`max_in_flight` bounds the read lane (`limiter`); the own and sign-in lanes have their own
        bounds (default: the same number)."""
        lanes = {OWN_LANE: own_max_in_flight or max_in_flight, SIGN_IN_LANE: sign_in_max_in_flight or max_in_flight}
        super().__init__(users_pb2_grpc.UsersServiceStub(channel), internal_token, timeout_s=timeout_s,
                         max_in_flight=max_in_flight, lanes=lanes)
        self.lanes[IMPORT_LANE] = CallLimiter(import_timeout_s, import_max_in_flight)

    def _lane(self, method: str, user_id: str | None) -> CallLimiter:
        if method in IMPORT_METHODS:
            return self.lanes[IMPORT_LANE]
        if user_id is not None:
            return self.lanes[OWN_LANE]
        if method in SIGN_IN_METHODS:
            return self.lanes[SIGN_IN_LANE]
        return self.limiter  # READ_LANE

    # ------------------------------------------------------------ identity (no acting user)

    async def register(self, username: str, password: str, client_address: str = "") -> users_pb2.AuthResponse:
        request = users_pb2.RegisterRequest(username=username, password=password, client_address=client_address)
        return await self._call("Register", request)

    async def login(self, username: str, password: str, client_address: str) -> users_pb2.AuthResponse:
        request = users_pb2.LoginRequest(username=username, password=password, client_address=client_address)
        return await self._call("Login", request)

    async def refresh_token(self, refresh_token: str) -> users_pb2.AuthResponse:
        return await self._call("RefreshToken", users_pb2.RefreshTokenRequest(refresh_token=refresh_token))

    async def logout(self, refresh_token: str) -> None:
        await self._call("Logout", users_pb2.LogoutRequest(refresh_token=refresh_token))

    # ------------------------------------------------------------ public look-ups (no acting user)

    async def get_users(self, ids: Sequence[str]) -> list[users_pb2.User]:
        """Id and username of each known id (unknown ids skipped), in chunks of GET_USERS_MAX_IDS."""
        users: list[users_pb2.User] = []
        for i in range(0, len(ids), GET_USERS_MAX_IDS):
            request = users_pb2.GetUsersRequest(ids=list(ids[i : i + GET_USERS_MAX_IDS]))
            resp: users_pb2.GetUsersResponse = await self._call("GetUsers", request)
            users.extend(resp.users)
        return users

    # ------------------------------------------------------------ account (acting user)

    async def change_password(self, user_id: str, current_password: str, new_password: str) -> None:
        request = users_pb2.ChangePasswordRequest(current_password=current_password, new_password=new_password)
        await self._call("ChangePassword", request, user_id)

    async def delete_account(self, user_id: str, password: str) -> None:
        await self._call("DeleteAccount", users_pb2.DeleteAccountRequest(password=password), user_id)

    async def get_state(self, user_id: str) -> users_pb2.UserState:
        return await self._call("GetState", users_pb2.GetStateRequest(), user_id)

    # ------------------------------------------------------------ film state (acting user)

    async def rate_movie(self, user_id: str, movie_id: int, value: float, zone: ZoneValue) -> users_pb2.Rating:
        request = users_pb2.RateMovieRequest(movie_id=movie_id, value=value, zone=zone)
        resp: users_pb2.RateMovieResponse = await self._call("RateMovie", request, user_id)
        return resp.rating

    async def movie_action(self, action: str, user_id: str, movie_id: int, zone: ZoneValue) -> bool:
        """One of MOVIE_ACTIONS (by client method name); whether it changed anything."""
        request = users_pb2.MovieActionRequest(movie_id=movie_id, zone=zone)
        resp: users_pb2.MovieActionResponse = await self._call(MOVIE_ACTIONS[action], request, user_id)
        return resp.changed

    async def clear_rating(self, user_id: str, movie_id: int, zone: ZoneValue) -> bool:
        return await self.movie_action("clear_rating", user_id, movie_id, zone)

    async def add_favorite(self, user_id: str, movie_id: int, zone: ZoneValue) -> bool:
        return await self.movie_action("add_favorite", user_id, movie_id, zone)

    async def remove_favorite(self, user_id: str, movie_id: int, zone: ZoneValue) -> bool:
        return await self.movie_action("remove_favorite", user_id, movie_id, zone)

    async def add_to_watchlist(self, user_id: str, movie_id: int, zone: ZoneValue) -> bool:
        return await self.movie_action("add_to_watchlist", user_id, movie_id, zone)

    async def remove_from_watchlist(self, user_id: str, movie_id: int, zone: ZoneValue) -> bool:
        return await self.movie_action("remove_from_watchlist", user_id, movie_id, zone)

    async def mark_watched(self, user_id: str, movie_id: int, zone: ZoneValue) -> bool:
        return await self.movie_action("mark_watched", user_id, movie_id, zone)

    async def dismiss_movie(self, user_id: str, movie_id: int, zone: ZoneValue) -> bool:
        return await self.movie_action("dismiss_movie", user_id, movie_id, zone)

    async def undismiss_movie(self, user_id: str, movie_id: int, zone: ZoneValue) -> bool:
        return await self.movie_action("undismiss_movie", user_id, movie_id, zone)

    async def record_open(self, user_id: str, movie_id: int, zone: ZoneValue) -> bool:
        return await self.movie_action("record_open", user_id, movie_id, zone)

    # ------------------------------------------------------------ comments

    async def add_comment(self, user_id: str, movie_id: int, body: str,
                          idempotency_key: str = "") -> users_pb2.Comment:
        request = users_pb2.AddCommentRequest(movie_id=movie_id, body=body, idempotency_key=idempotency_key)
        return await self._call("AddComment", request, user_id)

    async def edit_comment(self, user_id: str, comment_id: str, body: str) -> users_pb2.Comment:
        return await self._call("EditComment", users_pb2.EditCommentRequest(id=comment_id, body=body), user_id)

    async def delete_comment(self, user_id: str, comment_id: str) -> None:
        await self._call("DeleteComment", users_pb2.DeleteCommentRequest(id=comment_id), user_id)

    async def list_comments(self, movie_id: int, page_size: int, page_token: str) -> users_pb2.ListCommentsResponse:
        """A film's comments, newest first (public: no acting user)."""
        request = users_pb2.ListCommentsRequest(movie_id=movie_id, page_size=page_size, page_token=page_token)
        return await self._call("ListComments", request)

    async def batch_list_comments(
        self, movie_ids: Sequence[int], first_per_movie: int
    ) -> list[users_pb2.MovieComments]:
        """The first page of each film's comments in one call (public): one entry per distinct id, in
        order. The caller keeps within BATCH_LIST_COMMENTS_MAX_IDS / _MAX_COMMENTS (loaders.py does)."""
        request = users_pb2.BatchListCommentsRequest(movie_ids=list(movie_ids), first_per_movie=first_per_movie)
        resp: users_pb2.BatchListCommentsResponse = await self._call("BatchListComments", request)
        return list(resp.movies)

    # ------------------------------------------------------------ partners (acting user)

    async def create_invite(self, user_id: str, idempotency_key: str = "") -> users_pb2.Invite:
        return await self._call("CreateInvite", users_pb2.CreateInviteRequest(idempotency_key=idempotency_key),
                                user_id)

    async def accept_invite(self, user_id: str, code: str) -> users_pb2.Partner:
        return await self._call("AcceptInvite", users_pb2.AcceptInviteRequest(code=code), user_id)

    async def unlink_partner(self, user_id: str, partner_id: str) -> None:
        await self._call("UnlinkPartner", users_pb2.UnlinkPartnerRequest(partner_id=partner_id), user_id)

    # ------------------------------------------------------------ history import (acting user)

    async def preview_import(self, user_id: str, data: bytes, file_name: str) -> users_pb2.ImportPreview:
        return await self._call("PreviewImport", users_pb2.PreviewImportRequest(data=data, file_name=file_name),
                                user_id)

    async def confirm_import(self, user_id: str, preview_id: str) -> users_pb2.ImportSummary:
        return await self._call("ConfirmImport", users_pb2.ConfirmImportRequest(preview_id=preview_id), user_id)

    # ------------------------------------------------------------ Tonight

    async def start_evening(self, user_id: str, mood: str) -> users_pb2.Evening:
        return await self._call("StartEvening", users_pb2.StartEveningRequest(mood=mood), user_id)

    async def get_evening(self, user_id: str, evening_id: str) -> users_pb2.Evening:
        return await self._call("GetEvening", users_pb2.GetEveningRequest(evening_id=evening_id), user_id)

    async def peek_evening(self, join_token: str) -> users_pb2.EveningPreview:
        return await self._call("PeekEvening", users_pb2.PeekEveningRequest(join_token=join_token))

    async def join_evening(self, user_id: str, join_token: str) -> users_pb2.Evening:
        return await self._call("JoinEvening", users_pb2.JoinEveningRequest(join_token=join_token), user_id)

    async def join_evening_as_guest(self, join_token: str, name: str,
                                    client_address: str = "") -> users_pb2.GuestSession:
        request = users_pb2.JoinEveningAsGuestRequest(join_token=join_token, name=name, client_address=client_address)
        return await self._call("JoinEveningAsGuest", request)

    async def vote_evening(self, user_id: str, evening_id: str, movie_id: int,
                           vote: users_pb2.EveningVote.ValueType) -> users_pb2.Evening:
        request = users_pb2.VoteEveningRequest(evening_id=evening_id, movie_id=movie_id, vote=vote)
        return await self._call("VoteEvening", request, user_id)
