"""Title match keys for importing a history (MatchFilms, services/catalog/matching.py).

- `catalog.title_key(text)`: the title as an import matches it: folded (`catalog.fold`: lower case,
  accents removed), `&` read as `and`, a trailing English article moved off (`Matrix, The`) and a
  leading one dropped (`The Matrix`), every run of punctuation and spaces as one space, ends trimmed;
  NULL when nothing is left. `The Matrix`, `Matrix, The` and `the matrix` are all `matrix`;
  `Amélie` and `Amelie` are `amelie`; `WALL·E` and `WALL-E` are `wall e`.
- `movies.title_key` and `movies.original_title_key` (stored, generated) with b-tree indexes: an
  import looks up thousands of rows by equality, one index probe each.

The queries are keyed with the same function, so the two sides cannot drift. ~1 s on a loaded
catalogue (the table is rewritten once), instant on an empty one.

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
    # A SQL-standard body (RETURN ...) is bound at creation: no search_path lookups at call time.
    op.execute(
        r"""
        CREATE FUNCTION catalog.title_key(t text) RETURNS text
            LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
            RETURN nullif(btrim(regexp_replace(
                regexp_replace(
                    regexp_replace(
                        replace(catalog.fold(t), '&', ' and '),
                        ',\s*(the|a|an)\s*$', ''),
                    '^\s*(the|a|an)\s+', ''),
                '[^[:alnum:]]+', ' ', 'g')), '');
        COMMENT ON FUNCTION catalog.title_key(text) IS
            'Import matching: folded, & as and, a leading or trailing English article removed, punctuation as spaces.';
        ALTER TABLE catalog.movies
            ADD COLUMN title_key text GENERATED ALWAYS AS (catalog.title_key(title)) STORED,
            ADD COLUMN original_title_key text GENERATED ALWAYS AS (catalog.title_key(original_title)) STORED;
        CREATE INDEX movies_title_key_idx ON catalog.movies (title_key);
        CREATE INDEX movies_original_title_key_idx ON catalog.movies (original_title_key);
        CREATE INDEX movies_imdb_id_idx ON catalog.movies (imdb_id);
        """
    )


def downgrade() -> None:
    op.execute(
        """
        DROP INDEX catalog.movies_imdb_id_idx;
        DROP INDEX catalog.movies_original_title_key_idx;
        DROP INDEX catalog.movies_title_key_idx;
        ALTER TABLE catalog.movies DROP COLUMN original_title_key, DROP COLUMN title_key;
        DROP FUNCTION catalog.title_key(text);
        """
    )
