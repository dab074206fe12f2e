from __future__ import annotations

import strawberry
from movierec.recommender.v1 import recommender_pb2

from services.gateway.types.fetched import Fetched
from services.gateway.types.member_fit import MemberFit
from services.gateway.types.movie import Movie
from services.gateway.types.reason import Reason
from services.gateway.types.zone import Zone, zone_from_proto


@strawberry.type(description="A recommended film, with its score, zone and the reasons for it.")
class Recommendation:
    movie: Movie
    score: float = strawberry.field(description="Higher is better; comparable within one list only.")
    zone: Zone = strawberry.field(
        description="The zone the recommendation belongs to: pass it back with the user's actions on the film."
    )
    reasons: list[Reason] = strawberry.field(description="In the recommender's order.")
    fits: list[MemberFit] = strawberry.field(
        description="Together: every member's fit for the film (the caller first); empty in the other zones."
    )
    model_version: str = strawberry.field(description="The model that produced the list (the same on every item).")

    @classmethod
    def from_proto(
        cls,
        item: recommender_pb2.Recommendation,
        movie: Movie,
        fetched: Fetched,
        *,
        default_zone: Zone,
        model_version: str,
    ) -> Recommendation:
        reasons = (Reason.from_proto(r, fetched) for r in item.reasons)
        return cls(
            movie=movie,
            score=item.score,
            zone=zone_from_proto(item.zone, default_zone),
            reasons=[r for r in reasons if r is not None],
            fits=[MemberFit.from_proto(f, fetched) for f in item.fits if f.user_id],
            model_version=model_version,
        )
