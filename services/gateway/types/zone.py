from __future__ import annotations

from enum import Enum

import strawberry
from movierec.common.v1 import common_pb2


@strawberry.enum(
    description="The recommendation zone an interaction came from. Omitted: BROWSE (not from a recommendation)."
)
class Zone(Enum):
    SIMILAR = strawberry.enum_value("SIMILAR", description="Films similar to one film.")
    HIDDEN_GEMS = strawberry.enum_value("HIDDEN_GEMS", description="Lesser-known films the user may like.")
    FOR_YOU = strawberry.enum_value("FOR_YOU", description="Personal recommendations.")
    VIBE = strawberry.enum_value("VIBE", description="Films matching a described mood.")
    TOGETHER = strawberry.enum_value("TOGETHER", description="Films for the user and a partner.")
    BROWSE = strawberry.enum_value("BROWSE", description="Search, browsing, a film's page: no recommendation.")

    def to_proto(self) -> common_pb2.Zone.ValueType:
        return _TO_PROTO[self]


_TO_PROTO = {
    Zone.SIMILAR: common_pb2.ZONE_SIMILAR,
    Zone.HIDDEN_GEMS: common_pb2.ZONE_HIDDEN_GEMS,
    Zone.FOR_YOU: common_pb2.ZONE_FOR_YOU,
    Zone.VIBE: common_pb2.ZONE_VIBE,
    Zone.TOGETHER: common_pb2.ZONE_TOGETHER,
    Zone.BROWSE: common_pb2.ZONE_BROWSE,
}


def zone_to_proto(zone: Zone | None) -> common_pb2.Zone.ValueType:
    """The zone of an interaction; BROWSE when none was given."""
    return (zone or Zone.BROWSE).to_proto()


_FROM_PROTO = {value: zone for zone, value in _TO_PROTO.items()}


def zone_from_proto(value: common_pb2.Zone.ValueType, default: Zone) -> Zone:
    """The zone of a common.v1.Zone number; `default` for UNSPECIFIED or a number this gateway
    does not know (a zone added to the contract later)."""
    return _FROM_PROTO.get(value, default)
