"""Comments take a client idempotency key: a retried AddComment after a lost answer creates nothing twice.

`client_key` is the caller's key (unique per author), `request_hash` the SHA-256 of what was asked
(film and body), so the same key with a different comment is refused instead of answered with the
first one. Rows written before this revision have neither.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        ALTER TABLE users.comments ADD COLUMN client_key text, ADD COLUMN request_hash bytea;
        CREATE UNIQUE INDEX comments_client_key_idx ON users.comments (author_id, client_key)
            WHERE client_key IS NOT NULL;
        """
    )


def downgrade() -> None:
    op.execute(
        """
        DROP INDEX IF EXISTS users.comments_client_key_idx;
        ALTER TABLE users.comments DROP COLUMN IF EXISTS client_key, DROP COLUMN IF EXISTS request_hash;
        """
    )
