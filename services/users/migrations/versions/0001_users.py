"""Users: accounts, refresh tokens, ratings, favourites, watchlist, dismissals, comments, partners, outbox.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from alembic import op

from kit.outbox import OUTBOX_DDL

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        -- id: a UUID for app users, 'ml:<movielens id>' for imported MovieLens users.
        -- password_hash NULL: cannot log in (imported users).
        CREATE TABLE users.accounts (
            id             text PRIMARY KEY CHECK (id <> ''),
            username       text NOT NULL CHECK (char_length(username) BETWEEN 3 AND 32),
            password_hash  text,
            created_at     timestamptz NOT NULL DEFAULT now(),
            password_changed_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE UNIQUE INDEX accounts_username_key ON users.accounts (lower(username));

        -- Rotating refresh tokens, stored as SHA-256 of the token. A family is one login; every
        -- refresh replaces its token with a new one of the same family. Presenting a replaced token
        -- again (reuse) revokes the whole family.
        CREATE TABLE users.refresh_tokens (
            token_hash   bytea PRIMARY KEY,
            family_id    uuid NOT NULL,
            user_id      text NOT NULL REFERENCES users.accounts (id) ON DELETE CASCADE,
            issued_at    timestamptz NOT NULL DEFAULT now(),
            expires_at   timestamptz NOT NULL,
            replaced_at  timestamptz,
            revoked_at   timestamptz
        );
        CREATE INDEX refresh_tokens_family_idx ON users.refresh_tokens (family_id);
        CREATE INDEX refresh_tokens_user_idx ON users.refresh_tokens (user_id);

        CREATE TABLE users.ratings (
            user_id   text NOT NULL REFERENCES users.accounts (id) ON DELETE CASCADE,
            movie_id  bigint NOT NULL CHECK (movie_id > 0),
            value     real NOT NULL CHECK (value BETWEEN 0.5 AND 5 AND value * 2 = round(value * 2)),
            rated_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
            PRIMARY KEY (user_id, movie_id)
        );
        CREATE INDEX ratings_movie_idx ON users.ratings (movie_id);

        CREATE TABLE users.favorites (
            user_id   text NOT NULL REFERENCES users.accounts (id) ON DELETE CASCADE,
            movie_id  bigint NOT NULL CHECK (movie_id > 0),
            added_at  timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (user_id, movie_id)
        );

        CREATE TABLE users.watchlist (
            user_id   text NOT NULL REFERENCES users.accounts (id) ON DELETE CASCADE,
            movie_id  bigint NOT NULL CHECK (movie_id > 0),
            added_at  timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (user_id, movie_id)
        );

        CREATE TABLE users.watched (
            user_id     text NOT NULL REFERENCES users.accounts (id) ON DELETE CASCADE,
            movie_id    bigint NOT NULL CHECK (movie_id > 0),
            watched_at  timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (user_id, movie_id)
        );

        CREATE TABLE users.dismissals (
            user_id       text NOT NULL REFERENCES users.accounts (id) ON DELETE CASCADE,
            movie_id      bigint NOT NULL CHECK (movie_id > 0),
            dismissed_at  timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (user_id, movie_id)
        );

        CREATE TABLE users.comments (
            id          uuid PRIMARY KEY,
            movie_id    bigint NOT NULL CHECK (movie_id > 0),
            author_id   text NOT NULL REFERENCES users.accounts (id) ON DELETE CASCADE,
            body        text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 2000),
            created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
            edited_at   timestamptz
        );
        CREATE INDEX comments_movie_idx ON users.comments (movie_id, created_at DESC, id DESC);
        CREATE INDEX comments_author_idx ON users.comments (author_id);

        -- Single-use partner invites, stored as SHA-256 of the code.
        CREATE TABLE users.invites (
            code_hash   bytea PRIMARY KEY,
            inviter_id  text NOT NULL REFERENCES users.accounts (id) ON DELETE CASCADE,
            created_at  timestamptz NOT NULL DEFAULT now(),
            expires_at  timestamptz NOT NULL,
            accepted_by text REFERENCES users.accounts (id) ON DELETE CASCADE,
            accepted_at timestamptz
        );
        CREATE INDEX invites_inviter_idx ON users.invites (inviter_id);

        -- A link is stored in both directions (one row each way), written and removed together.
        CREATE TABLE users.partners (
            user_id     text NOT NULL REFERENCES users.accounts (id) ON DELETE CASCADE,
            partner_id  text NOT NULL REFERENCES users.accounts (id) ON DELETE CASCADE,
            linked_at   timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (user_id, partner_id),
            CHECK (user_id <> partner_id)
        );
        """
    )
    op.execute(OUTBOX_DDL.format(schema="users"))


def downgrade() -> None:
    for table in ("outbox", "partners", "invites", "comments", "dismissals", "watched", "watchlist",
                  "favorites", "ratings", "refresh_tokens", "accounts"):
        op.execute(f"DROP TABLE IF EXISTS users.{table}")
