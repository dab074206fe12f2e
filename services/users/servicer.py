"""gRPC edge of the users service: reads the acting user from metadata, checks the request's
shape, calls the domain modules, converts to protobuf. Nothing else lives here."""

from __future__ import annotations

import functools
import inspect
from collections.abc import AsyncIterator
from datetime import datetime

import asyncpg
from google.protobuf.timestamp_pb2 import Timestamp
from movierec.users.v1 import users_pb2 as pb
from movierec.users.v1 import users_pb2_grpc

from kit import auth
from kit.errors import InvalidArgument, Unauthenticated
from services.users import evenings as evenings_mod
from services.users.accounts import Account, Accounts, Session
from services.users.comments import CommentPage, CommentRow, Comments
from services.users.evenings import EveningRow, Evenings, Member
from services.users.history_import import HistoryImports
from services.users.interactions import Interactions, ZoneValue, validate_zone
from services.users.movies import MovieChecker
from services.users.partners import PartnerRow, Partners

EXPORT_BATCH_MAX = 50_000
MAX_EVENING_MEMBERS = evenings_mod.MAX_MEMBERS


def _ts(at: datetime | None) -> Timestamp | None:
    if at is None:
        return None
    t = Timestamp()
    t.FromDatetime(at)
    return t


def _user(a: Account) -> pb.User:
    return pb.User(id=a.id, username=a.username, created_at=_ts(a.created_at), can_log_in=a.can_log_in)


def _auth(s: Session) -> pb.AuthResponse:
    return pb.AuthResponse(access_token=s.access_token, refresh_token=s.refresh_token,
                           access_expires_at=_ts(s.access_expires_at), user=_user(s.account))


def _comment(c: CommentRow) -> pb.Comment:
    author = pb.User(id=c.author_id, username=c.author_username, created_at=_ts(c.author_created_at),
                     can_log_in=c.author_can_log_in)
    return pb.Comment(id=str(c.id), movie_id=c.movie_id, author=author, body=c.body,
                      created_at=_ts(c.created_at), edited_at=_ts(c.edited_at))


def _comment_page(page: CommentPage) -> pb.ListCommentsResponse:
    return pb.ListCommentsResponse(comments=[_comment(c) for c in page.comments], has_next_page=page.has_next_page,
                                   next_page_token=page.next_page_token, total_count=page.total_count)


def _partner(p: PartnerRow) -> pb.Partner:
    user = pb.User(id=p.user_id, username=p.username, created_at=_ts(p.created_at), can_log_in=p.can_log_in)
    return pb.Partner(user=user, linked_at=_ts(p.linked_at))


def _member(m: Member, host_id: str) -> pb.EveningMember:
    user = pb.User(id=m.user_id, username=m.name if m.guest else m.username, created_at=_ts(m.created_at),
                   can_log_in=not m.guest)
    return pb.EveningMember(user=user, name=m.name, guest=m.guest, host=m.user_id == host_id,
                            joined_at=_ts(m.joined_at))


def _evening(e: EveningRow) -> pb.Evening:
    return pb.Evening(
        id=e.id, mood=e.mood, host_id=e.host_id, members=[_member(m, e.host_id) for m in e.members],
        votes=[pb.EveningVoteEntry(user_id=v.user_id, movie_id=v.movie_id, vote=pb.EveningVote.ValueType(v.vote),
                                   voted_at=_ts(v.voted_at)) for v in e.votes],
        created_at=_ts(e.created_at), expires_at=_ts(e.expires_at), version=e.version, join_token=e.join_token)


def _account_must_exist(cls: type) -> type:
    """A write for an account deleted meanwhile (its access token is still unexpired) violates a
    foreign key: answer UNAUTHENTICATED, as for any unknown account, not INTERNAL."""
    for name, fn in list(vars(cls).items()):
        if name[:1].isupper() and inspect.iscoroutinefunction(fn):
            @functools.wraps(fn)
            async def wrapped(self, request, context, _fn=fn):
                try:
                    return await _fn(self, request, context)
                except asyncpg.ForeignKeyViolationError:
                    raise Unauthenticated("This account no longer exists.") from None
            setattr(cls, name, wrapped)
    return cls


@_account_must_exist
class UsersServicer(users_pb2_grpc.UsersServiceServicer):
    def __init__(self, accounts: Accounts, interactions: Interactions, comments: Comments, partners: Partners,
                 movies: MovieChecker, public_key, evenings: Evenings, imports: HistoryImports) -> None:
        self.accounts, self.interactions, self.comments = accounts, interactions, comments
        self.partners, self.movies, self.public_key = partners, movies, public_key
        self.evenings, self.imports = evenings, imports

    # ------------------------------------------------------------ accounts

    async def Register(self, request: pb.RegisterRequest, context) -> pb.AuthResponse:
        return _auth(await self.accounts.register(request.username, request.password, request.client_address[:64]))

    async def Login(self, request: pb.LoginRequest, context) -> pb.AuthResponse:
        return _auth(await self.accounts.login(request.username, request.password, request.client_address[:64]))

    async def RefreshToken(self, request: pb.RefreshTokenRequest, context) -> pb.AuthResponse:
        return _auth(await self.accounts.refresh(request.refresh_token))

    async def Logout(self, request: pb.LogoutRequest, context) -> pb.LogoutResponse:
        await self.accounts.logout(request.refresh_token)
        return pb.LogoutResponse()

    async def ChangePassword(self, request: pb.ChangePasswordRequest, context) -> pb.ChangePasswordResponse:
        await self.accounts.change_password(auth.acting_user(context), request.current_password,
                                            request.new_password)
        return pb.ChangePasswordResponse()

    async def DeleteAccount(self, request: pb.DeleteAccountRequest, context) -> pb.DeleteAccountResponse:
        await self.accounts.delete(auth.acting_user(context), request.password)
        return pb.DeleteAccountResponse()

    async def VerifyAccessToken(self, request: pb.VerifyAccessTokenRequest, context) -> pb.VerifyAccessTokenResponse:
        try:
            claims = auth.verify_access_token(self.public_key, request.access_token)
        except auth.TokenError as e:
            raise Unauthenticated(str(e)) from None
        return pb.VerifyAccessTokenResponse(user_id=claims.user_id, expires_at=_ts(claims.expires_at),
                                            evening_id=claims.evening_id)

    async def GetUsers(self, request: pb.GetUsersRequest, context) -> pb.GetUsersResponse:
        return pb.GetUsersResponse(users=[_user(a) for a in await self.accounts.get(list(request.ids))])

    async def GetState(self, request: pb.GetStateRequest, context) -> pb.UserState:
        user_id = auth.acting_user(context)
        account = await self.accounts.require(user_id)
        s = await self.interactions.state(user_id)
        partners = await self.partners.list(user_id)
        return pb.UserState(
            user=_user(account),
            ratings=[pb.Rating(movie_id=r.movie_id, value=r.value, rated_at=_ts(r.rated_at)) for r in s.ratings],
            favorite_ids=s.favorites,
            watchlist=[pb.WatchlistEntry(movie_id=m, added_at=_ts(at)) for m, at in s.watchlist],
            watched_ids=s.watched,
            dismissed_ids=s.dismissed,
            partners=[_partner(p) for p in partners],
        )

    # ------------------------------------------------------------ film state

    async def _film_action(self, request: pb.MovieActionRequest, context) -> tuple[str, int, ZoneValue]:
        user_id = auth.acting_user(context)
        zone = validate_zone(request.zone)
        await self.movies.require(request.movie_id)
        # A deleted account's access token stays valid at the gateway until it expires: refuse here, also
        # for writes no foreign key would catch (opens, removals of nothing).
        await self.accounts.require(user_id)
        return user_id, request.movie_id, zone

    async def RateMovie(self, request: pb.RateMovieRequest, context) -> pb.RateMovieResponse:
        user_id = auth.acting_user(context)
        zone = validate_zone(request.zone)
        await self.movies.require(request.movie_id)
        row, _ = await self.interactions.rate(user_id, request.movie_id, request.value, zone)
        rating = pb.Rating(movie_id=row.movie_id, value=row.value, rated_at=_ts(row.rated_at))
        return pb.RateMovieResponse(rating=rating)

    async def ClearRating(self, request: pb.MovieActionRequest, context) -> pb.MovieActionResponse:
        changed = await self.interactions.clear_rating(*await self._film_action(request, context))
        return pb.MovieActionResponse(changed=changed)

    async def AddFavorite(self, request: pb.MovieActionRequest, context) -> pb.MovieActionResponse:
        return await self._list(request, context, "favorites", add=True)

    async def RemoveFavorite(self, request: pb.MovieActionRequest, context) -> pb.MovieActionResponse:
        return await self._list(request, context, "favorites", add=False)

    async def AddToWatchlist(self, request: pb.MovieActionRequest, context) -> pb.MovieActionResponse:
        return await self._list(request, context, "watchlist", add=True)

    async def RemoveFromWatchlist(self, request: pb.MovieActionRequest, context) -> pb.MovieActionResponse:
        return await self._list(request, context, "watchlist", add=False)

    async def DismissMovie(self, request: pb.MovieActionRequest, context) -> pb.MovieActionResponse:
        return await self._list(request, context, "dismissals", add=True)

    async def UndismissMovie(self, request: pb.MovieActionRequest, context) -> pb.MovieActionResponse:
        return await self._list(request, context, "dismissals", add=False)

    async def _list(self, request: pb.MovieActionRequest, context, table: str, add: bool) -> pb.MovieActionResponse:
        user_id, movie_id, zone = await self._film_action(request, context)
        op = self.interactions.add if add else self.interactions.remove
        return pb.MovieActionResponse(changed=await op(table, user_id, movie_id, zone))

    async def MarkWatched(self, request: pb.MovieActionRequest, context) -> pb.MovieActionResponse:
        changed = await self.interactions.mark_watched(*await self._film_action(request, context))
        return pb.MovieActionResponse(changed=changed)

    async def RecordOpen(self, request: pb.MovieActionRequest, context) -> pb.MovieActionResponse:
        await self.interactions.opened(*await self._film_action(request, context))
        return pb.MovieActionResponse(changed=True)

    # ------------------------------------------------------------ history import

    async def PreviewImport(self, request: pb.PreviewImportRequest, context) -> pb.ImportPreview:
        return await self.imports.preview(auth.acting_user(context), request.data, request.file_name)

    async def ConfirmImport(self, request: pb.ConfirmImportRequest, context) -> pb.ImportSummary:
        return await self.imports.confirm(auth.acting_user(context), request.preview_id)

    # ------------------------------------------------------------ comments

    async def AddComment(self, request: pb.AddCommentRequest, context) -> pb.Comment:
        user_id = auth.acting_user(context)
        await self.movies.require(request.movie_id)
        return _comment(await self.comments.add(user_id, request.movie_id, request.body, request.idempotency_key))

    async def EditComment(self, request: pb.EditCommentRequest, context) -> pb.Comment:
        return _comment(await self.comments.edit(auth.acting_user(context), request.id, request.body))

    async def DeleteComment(self, request: pb.DeleteCommentRequest, context) -> pb.DeleteCommentResponse:
        await self.comments.delete(auth.acting_user(context), request.id)
        return pb.DeleteCommentResponse()

    async def ListComments(self, request: pb.ListCommentsRequest, context) -> pb.ListCommentsResponse:
        return _comment_page(await self.comments.list(request.movie_id, request.page_size, request.page_token))

    async def BatchListComments(self, request: pb.BatchListCommentsRequest, context) -> pb.BatchListCommentsResponse:
        pages = await self.comments.first_pages(list(request.movie_ids), request.first_per_movie)
        return pb.BatchListCommentsResponse(
            movies=[pb.MovieComments(movie_id=movie_id, page=_comment_page(page)) for movie_id, page in pages])

    # ------------------------------------------------------------ partners

    async def CreateInvite(self, request: pb.CreateInviteRequest, context) -> pb.Invite:
        code, expires = await self.partners.create_invite(auth.acting_user(context), request.idempotency_key)
        return pb.Invite(code=code, expires_at=_ts(expires))

    async def AcceptInvite(self, request: pb.AcceptInviteRequest, context) -> pb.Partner:
        return _partner(await self.partners.accept(auth.acting_user(context), request.code))

    async def UnlinkPartner(self, request: pb.UnlinkPartnerRequest, context) -> pb.UnlinkPartnerResponse:
        if not request.partner_id:
            raise InvalidArgument("partner_id is required")
        await self.partners.unlink(auth.acting_user(context), request.partner_id)
        return pb.UnlinkPartnerResponse()

    async def ListPartners(self, request: pb.ListPartnersRequest, context) -> pb.ListPartnersResponse:
        partners = await self.partners.list(auth.acting_user(context))
        return pb.ListPartnersResponse(partners=[_partner(p) for p in partners])

    # ------------------------------------------------------------ Tonight

    async def StartEvening(self, request: pb.StartEveningRequest, context) -> pb.Evening:
        return _evening(await self.evenings.start(auth.acting_user(context), request.mood))

    async def GetEvening(self, request: pb.GetEveningRequest, context) -> pb.Evening:
        return _evening(await self.evenings.get(auth.acting_user(context), request.evening_id))

    async def PeekEvening(self, request: pb.PeekEveningRequest, context) -> pb.EveningPreview:
        p = await self.evenings.peek(request.join_token)
        return pb.EveningPreview(evening_id=p.evening_id, host_name=p.host_name, mood=p.mood,
                                 member_count=p.member_count, max_members=MAX_EVENING_MEMBERS,
                                 expires_at=_ts(p.expires_at))

    async def JoinEvening(self, request: pb.JoinEveningRequest, context) -> pb.Evening:
        return _evening(await self.evenings.join(auth.acting_user(context), request.join_token))

    async def JoinEveningAsGuest(self, request: pb.JoinEveningAsGuestRequest, context) -> pb.GuestSession:
        s = await self.evenings.join_as_guest(request.join_token, request.name)
        evening = _evening(s.evening)
        user = next(m.user for m in evening.members if m.user.id == s.member.user_id)
        return pb.GuestSession(access_token=s.access_token, access_expires_at=_ts(s.access_expires_at), user=user,
                               evening=evening)

    async def VoteEvening(self, request: pb.VoteEveningRequest, context) -> pb.Evening:
        user_id = auth.acting_user(context)
        if request.movie_id > 0 and request.vote:
            await self.movies.require(request.movie_id)
        return _evening(await self.evenings.vote(user_id, request.evening_id, request.movie_id, request.vote))

    # ------------------------------------------------------------ training data

    async def ExportRatings(self, request: pb.ExportRatingsRequest, context) -> AsyncIterator[pb.RatingBatch]:
        size = request.batch_size or 10_000
        if not 1 <= size <= EXPORT_BATCH_MAX:
            raise InvalidArgument(f"batch_size must be 1-{EXPORT_BATCH_MAX}")
        async for rows in self.interactions.export(size):
            yield pb.RatingBatch(ratings=[
                pb.UserRating(user_id=r["user_id"], movie_id=r["movie_id"], value=r["value"],
                              rated_at=_ts(r["rated_at"]))
                for r in rows])
