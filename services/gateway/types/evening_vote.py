from __future__ import annotations

from enum import Enum

import strawberry
from movierec.users.v1 import users_pb2


@strawberry.enum(description="What a member of an evening says to one of its picks.")
class EveningVote(Enum):
    YES = strawberry.enum_value("YES", description="I'd watch it tonight. Everyone's yes makes it the match.")
    NO = strawberry.enum_value("NO", description="Not tonight: it leaves the evening's list for everyone.")
    SEEN = strawberry.enum_value("SEEN", description="I've seen it: it leaves the evening's list for everyone.")


_TO_PROTO = {
    EveningVote.YES: users_pb2.EVENING_VOTE_YES,
    EveningVote.NO: users_pb2.EVENING_VOTE_NO,
    EveningVote.SEEN: users_pb2.EVENING_VOTE_SEEN,
}
_FROM_PROTO = {v: k for k, v in _TO_PROTO.items()}


def vote_to_proto(vote: EveningVote | None) -> users_pb2.EveningVote.ValueType:
    """None: take the vote back (EVENING_VOTE_UNSPECIFIED)."""
    return users_pb2.EVENING_VOTE_UNSPECIFIED if vote is None else _TO_PROTO[vote]


def vote_from_proto(value: users_pb2.EveningVote.ValueType) -> EveningVote | None:
    return _FROM_PROTO.get(value)
