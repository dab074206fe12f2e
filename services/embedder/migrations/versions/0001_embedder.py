"""Film vectors per axis (pgvector, HNSW cosine), their text hashes, and the outbox.

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

DIMS = 384
AXES = ("story", "people", "style", "combined")
# Chosen from the recall measurement in `make bench-embed` (docs/measurements.md).
HNSW_M = 16
HNSW_EF_CONSTRUCTION = 64


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS vector")
    cols = ",\n".join(f"{a} vector({DIMS}) NOT NULL" for a in AXES)
    hashes = ",\n".join(f"{a}_hash text NOT NULL" for a in AXES if a != "combined")
    op.execute(
        f"""
        CREATE TABLE embedder.movie_vectors (
            movie_id              bigint PRIMARY KEY,
            {cols},
            {hashes},
            has_story             boolean NOT NULL,
            has_people            boolean NOT NULL,
            model                 text NOT NULL,
            -- copied from the catalogue event, so filtered vector queries need no join
            popularity_percentile double precision NOT NULL,
            vote_count            int NOT NULL,
            year                  int,
            source_at             timestamptz NOT NULL,   -- occurred_at of the catalogue event applied
            updated_at            timestamptz NOT NULL DEFAULT now()
        )
        """
    )
    for a in AXES:
        op.execute(
            f"CREATE INDEX movie_vectors_{a}_hnsw ON embedder.movie_vectors USING hnsw ({a} vector_cosine_ops)"
            f" WITH (m = {HNSW_M}, ef_construction = {HNSW_EF_CONSTRUCTION})"
        )
    op.execute("CREATE INDEX movie_vectors_popularity_idx ON embedder.movie_vectors (popularity_percentile)")
    op.execute(OUTBOX_DDL.format(schema="embedder"))


def downgrade() -> None:
    op.execute("DROP TABLE embedder.movie_vectors, embedder.outbox")
