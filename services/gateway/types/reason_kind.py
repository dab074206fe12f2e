from __future__ import annotations

from enum import Enum

import strawberry
from movierec.recommender.v1 import recommender_pb2


@strawberry.enum(description="Why a film is recommended.")
class ReasonKind(Enum):
    SIMILAR_STORY = strawberry.enum_value("SIMILAR_STORY", description="Its story is like the film's (`movies`).")
    SHARED_DIRECTOR = strawberry.enum_value("SHARED_DIRECTOR", description="Same director (`people`).")
    SHARED_CAST = strawberry.enum_value("SHARED_CAST", description="Shared cast members (`people`).")
    SHARED_GENRES = strawberry.enum_value("SHARED_GENRES", description="Shared genres (`genres`).")
    SHARED_KEYWORDS = strawberry.enum_value("SHARED_KEYWORDS", description="Shared themes and keywords.")
    SHARED_STUDIO = strawberry.enum_value("SHARED_STUDIO", description="Same production company.")
    BECAUSE_YOU_RATED = strawberry.enum_value(
        "BECAUSE_YOU_RATED", description="Close to films the user rated highly (`movies`)."
    )
    LIKED_BY_SIMILAR_VIEWERS = strawberry.enum_value(
        "LIKED_BY_SIMILAR_VIEWERS", description="Viewers with similar taste liked it."
    )
    FITS_EVERYONE = strawberry.enum_value(
        "FITS_EVERYONE",
        description="Together: every member has ratings and every member's fit is at least 0.95, each member's"
        " best 5% of the catalogue (`users`: everyone).",
    )
    MATCHES_VIBE = strawberry.enum_value("MATCHES_VIBE", description="It matches the described mood.")
    LOW_POPULARITY = strawberry.enum_value("LOW_POPULARITY", description="Lesser known: few people have seen it.")
    WELL_RATED = strawberry.enum_value("WELL_RATED", description="Rated well by those who have seen it.")
    POPULAR_START = strawberry.enum_value(
        "POPULAR_START", description="Onboarding: a widely seen film, good to rate first."
    )
    MAINLY_FOR = strawberry.enum_value(
        "MAINLY_FOR",
        description="Together, when not every fit reaches 0.95: it suits `users` (the members in the upper half"
        " of the fits, which lie 0.1 or more apart) more than the others, or, naming everyone, a middle ground"
        " (the fits are close together).",
    )
    ON_WATCHLIST = strawberry.enum_value(
        "ON_WATCHLIST", description="Together: on the watchlists of `users` (their chance of loving it is raised)."
    )
    EVENING_YES = strawberry.enum_value(
        "EVENING_YES", description="Tonight: `users` said yes to it; all the evening's members: it is the match."
    )


_PREFIX = "REASON_KIND_"
_FROM_PROTO = {recommender_pb2.ReasonKind.Value(_PREFIX + kind.name): kind for kind in ReasonKind}


def reason_kind_from_proto(value: recommender_pb2.ReasonKind.ValueType) -> ReasonKind | None:
    """The kind of a recommender_pb2.ReasonKind number; None for UNSPECIFIED or a kind this gateway
    does not know (added to the contract later)."""
    return _FROM_PROTO.get(value)
