from __future__ import annotations

import math

import strawberry
from movierec.recommender.v1 import recommender_pb2
from strawberry import UNSET

from kit.limits import AXIS_WEIGHT_MAX
from services.gateway.errors import BadUserInput

MAX_AXIS_WEIGHT = AXIS_WEIGHT_MAX
AXES = ("story", "people", "style", "genre")


@strawberry.input(
    description=f"Relative weights of the similarity axes, each 0-{MAX_AXIS_WEIGHT:g} when given (null: not given)."
    " None given: the default weights; given but all 0: BAD_USER_INPUT (nothing to rank by)."
)
class AxisWeights:
    # UNSET (omitted) and null mean the same: the default.
    story: float | None = strawberry.field(default=UNSET, description="Plot, tagline and themes.")
    people: float | None = strawberry.field(default=UNSET, description="Director and cast.")
    style: float | None = strawberry.field(default=UNSET, description="Genres, makers, era, length, language.")
    genre: float | None = strawberry.field(default=UNSET, description="Shared genres.")

    def to_proto(self) -> recommender_pb2.AxisWeights | None:
        """The weights to send; None when none was given (the recommender's defaults)."""
        given: dict[str, float] = {}
        for axis in AXES:
            value = getattr(self, axis)
            if value is UNSET or value is None:
                continue
            if not math.isfinite(value) or not 0.0 <= value <= MAX_AXIS_WEIGHT:
                raise BadUserInput(f"`weights.{axis}` must be between 0 and {MAX_AXIS_WEIGHT:g} (got {value:g}).")
            given[axis] = float(value)
        return recommender_pb2.AxisWeights(**given) if given else None
