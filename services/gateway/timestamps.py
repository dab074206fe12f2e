"""Protobuf timestamps as timezone-aware datetimes (GraphQL DateTime, ISO 8601 with offset)."""

from __future__ import annotations

from datetime import UTC, datetime

from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp


def to_datetime(ts: Timestamp) -> datetime:
    """A Timestamp as an aware UTC datetime."""
    return ts.ToDatetime(tzinfo=UTC)


def to_optional_datetime(message: Message, field: str) -> datetime | None:
    """`message.field` as an aware UTC datetime, or None when the field is not set."""
    if not message.HasField(field):
        return None
    return to_datetime(getattr(message, field))
