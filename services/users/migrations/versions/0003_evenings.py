"""Tonight: evenings, their members and their votes; guest accounts that live only as long as their evening.

An evening's share link holds a token derived from the evening's id under the service's key
(services/users/evenings.py); only its SHA-256 is stored, for the look-up. A guest is an account without a
password whose `guest_evening_id` names its evening: deleting the evening (when it expires) deletes the
guest and, through the accounts' foreign keys, everything the guest wrote.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE users.evenings (
            id          uuid PRIMARY KEY,
            host_id     text NOT NULL REFERENCES users.accounts (id) ON DELETE CASCADE,
            mood        text NOT NULL DEFAULT '' CHECK (char_length(mood) <= 500),
            token_hash  bytea NOT NULL UNIQUE,
            version     bigint NOT NULL DEFAULT 1,
            created_at  timestamptz NOT NULL DEFAULT now(),
            expires_at  timestamptz NOT NULL
        );
        CREATE INDEX evenings_expires_idx ON users.evenings (expires_at);
        CREATE INDEX evenings_host_idx ON users.evenings (host_id);

        ALTER TABLE users.accounts
            ADD COLUMN guest_evening_id uuid REFERENCES users.evenings (id) ON DELETE CASCADE,
            ADD COLUMN display_name text CHECK (char_length(display_name) BETWEEN 1 AND 24);
        CREATE INDEX accounts_guest_evening_idx ON users.accounts (guest_evening_id)
            WHERE guest_evening_id IS NOT NULL;

        CREATE TABLE users.evening_members (
            evening_id  uuid NOT NULL REFERENCES users.evenings (id) ON DELETE CASCADE,
            user_id     text NOT NULL REFERENCES users.accounts (id) ON DELETE CASCADE,
            joined_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
            PRIMARY KEY (evening_id, user_id)
        );
        CREATE INDEX evening_members_user_idx ON users.evening_members (user_id);

        CREATE TABLE users.evening_votes (
            evening_id  uuid NOT NULL,
            user_id     text NOT NULL,
            movie_id    bigint NOT NULL CHECK (movie_id > 0),
            vote        smallint NOT NULL CHECK (vote BETWEEN 1 AND 3),
            voted_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
            PRIMARY KEY (evening_id, user_id, movie_id),
            FOREIGN KEY (evening_id, user_id) REFERENCES users.evening_members (evening_id, user_id)
                ON DELETE CASCADE
        );
        """
    )


def downgrade() -> None:
    op.execute(
        """
        DROP TABLE IF EXISTS users.evening_votes;
        DROP TABLE IF EXISTS users.evening_members;
        DELETE FROM users.accounts WHERE guest_evening_id IS NOT NULL;
        ALTER TABLE users.accounts DROP COLUMN IF EXISTS guest_evening_id, DROP COLUMN IF EXISTS display_name;
        DROP TABLE IF EXISTS users.evenings;
        """
    )
