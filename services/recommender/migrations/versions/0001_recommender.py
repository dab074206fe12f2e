"""Recommender: the adaptive hidden-gems ceiling per user, and the feedback events already applied.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE recommender.gem_prefs (
            user_id     text PRIMARY KEY,
            ceiling     real NOT NULL CHECK (ceiling BETWEEN 0 AND 100),
            takes       int NOT NULL DEFAULT 0,
            skips       int NOT NULL DEFAULT 0,
            updated_at  timestamptz NOT NULL DEFAULT now()
        );
        -- Idempotency keys of feedback events whose effects are stored (a redelivery changes nothing).
        CREATE TABLE recommender.applied_events (
            idempotency_key text PRIMARY KEY,
            applied_at      timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX applied_events_at_idx ON recommender.applied_events (applied_at);
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS recommender.applied_events; DROP TABLE IF EXISTS recommender.gem_prefs")
