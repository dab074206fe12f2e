from __future__ import annotations

import strawberry

from services.gateway.types.evening_member import EveningMember
from services.gateway.types.evening_vote import EveningVote
from services.gateway.types.recommendation import Recommendation


@strawberry.type(description="One member's vote on a pick.")
class EveningPickVote:
    member: EveningMember
    vote: EveningVote


@strawberry.type(description="A film on an evening's list, with what its members said to it.")
class EveningPick:
    recommendation: Recommendation
    votes: list[EveningPickVote] = strawberry.field(description="Each member's vote, in the members' order.")
    match: bool = strawberry.field(description="Every member said yes: the film for tonight.")
    my_vote: EveningVote | None = strawberry.field(description="The signed-in member's vote; null: none yet.")
