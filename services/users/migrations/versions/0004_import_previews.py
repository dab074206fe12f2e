"""History import: previews waiting for their confirm (services/users/history_import.py).

A preview holds what its confirm will write (`actions`: one JSON array per rating, watched mark or
watchlist entry the file matched), so the confirm writes exactly what was shown and the client cannot
change it. It expires an hour after it was made; `confirmed_at` and `summary` make a second confirm
answer the first one's summary instead of writing again. Deleted with the account.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE users.import_previews (
            id           uuid PRIMARY KEY,
            user_id      text NOT NULL REFERENCES users.accounts (id) ON DELETE CASCADE,
            source       text NOT NULL CHECK (source IN ('letterboxd', 'imdb')),
            file_name    text NOT NULL,
            file_sha256  text NOT NULL,
            actions      jsonb NOT NULL,
            created_at   timestamptz NOT NULL DEFAULT now(),
            expires_at   timestamptz NOT NULL,
            confirmed_at timestamptz,
            summary      jsonb
        );
        CREATE INDEX import_previews_user_idx ON users.import_previews (user_id, created_at DESC);
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE users.import_previews")
