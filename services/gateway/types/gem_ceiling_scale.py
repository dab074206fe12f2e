from __future__ import annotations

import strawberry
from movierec.recommender.v1 import recommender_pb2


@strawberry.type(description="A Hidden-gems ceiling on the catalogue popularity percentile, said in votes.")
class GemCeilingStep:
    percentile: float = strawberry.field(description="0-100, a rank by TMDb vote count (100: the most votes).")
    max_votes: int = strawberry.field(description="The most votes a film at or under this percentile has.")
    text: str = strawberry.field(description='The ceiling in words ("at most 400 votes").')

    @classmethod
    def from_proto(cls, step: recommender_pb2.GemCeilingStep) -> GemCeilingStep:
        return cls(percentile=step.percentile, max_votes=step.max_votes, text=step.text)


@strawberry.type(
    description="What `hiddenGems(maxPopularityPercentile:)` can be set to and what each value means: a gem is"
    " at most that popular, has at least `trustedMinVotes` votes and at least `goodMinAverage`."
)
class GemCeilingScale:
    min: GemCeilingStep = strawberry.field(
        description="Lower ceilings are raised to this: under it no film has the trusted votes."
    )
    max: GemCeilingStep = strawberry.field(description="Higher ceilings are held here: the top 10% is never a gem.")
    default: GemCeilingStep = strawberry.field(description="The ceiling before a user has taken or skipped a gem.")
    steps: list[GemCeilingStep] = strawberry.field(description="From `min` to `max`, 5 percentile points apart.")
    yours: GemCeilingStep = strawberry.field(
        description="The signed-in user's ceiling: learnt from the gems they take and skip (anonymous: `default`)."
        " `hiddenGems` without `maxPopularityPercentile` uses it."
    )
    trusted_min_votes: int
    good_min_average: float

    @classmethod
    def from_proto(cls, r: recommender_pb2.GemCeilingScaleResponse) -> GemCeilingScale:
        return cls(min=GemCeilingStep.from_proto(r.min), max=GemCeilingStep.from_proto(r.max),
                   default=GemCeilingStep.from_proto(r.default), steps=[GemCeilingStep.from_proto(s) for s in r.steps],
                   yours=GemCeilingStep.from_proto(r.yours),
                   trusted_min_votes=r.trusted_min_votes, good_min_average=r.good_min_average)
