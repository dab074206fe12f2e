"""Each film's nearest films per axis, precomputed (services/embedder/neighbours.py): More like this reads
one row per axis instead of running an HNSW query per axis.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE embedder.movie_neighbours (
            movie_id bigint NOT NULL,
            axis     text   NOT NULL CHECK (axis IN ('story', 'people', 'style')),
            -- the nearest films on the axis, most similar first, and their cosine similarity; every film
            -- not listed is at most as similar as the last one listed (exact, not approximate)
            ids      bigint[] NOT NULL,
            sims     real[]   NOT NULL CHECK (cardinality(sims) = cardinality(ids)),
            PRIMARY KEY (movie_id, axis)
        )
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE embedder.movie_neighbours")
