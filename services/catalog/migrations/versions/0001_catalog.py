"""Catalogue: films, normalised people/genres/keywords/companies, MovieLens links, outbox.

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
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute(
        """
        CREATE TABLE catalog.movies (
            id                    bigint PRIMARY KEY CHECK (id > 0),
            title                 text NOT NULL CHECK (title <> ''),
            original_title        text,
            overview              text,
            tagline               text,
            release_date          date,
            year                  int,
            runtime_minutes       int CHECK (runtime_minutes > 0),
            original_language     text,
            popularity            double precision NOT NULL DEFAULT 0,
            popularity_percentile double precision NOT NULL DEFAULT 0
                                  CHECK (popularity_percentile BETWEEN 0 AND 100),
            vote_count            int NOT NULL DEFAULT 0 CHECK (vote_count >= 0),
            vote_average          double precision NOT NULL DEFAULT 0,
            rating_score          double precision NOT NULL DEFAULT 0,
            imdb_id               text,
            poster_path           text,
            countries             text[] NOT NULL DEFAULT '{}',
            spoken_languages      text[] NOT NULL DEFAULT '{}',
            sources               text[] NOT NULL DEFAULT '{}',
            content_hash          text NOT NULL,
            created_at            timestamptz NOT NULL DEFAULT now(),
            updated_at            timestamptz NOT NULL DEFAULT now(),
            search_tsv            tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
                setweight(to_tsvector('simple', coalesce(original_title, '')), 'B') ||
                setweight(to_tsvector('english', coalesce(tagline, '')), 'C') ||
                setweight(to_tsvector('english', coalesce(overview, '')), 'D')
            ) STORED
        );
        COMMENT ON COLUMN catalog.movies.rating_score IS
            'Bayesian average of vote_average: (v*R + m*C)/(v+m), C the catalogue mean, m the median vote count';
        CREATE INDEX movies_search_idx ON catalog.movies USING gin (search_tsv);
        CREATE INDEX movies_title_trgm_idx ON catalog.movies USING gin (title gin_trgm_ops);
        CREATE INDEX movies_popularity_idx ON catalog.movies (popularity DESC, id DESC);
        CREATE INDEX movies_rating_idx ON catalog.movies (rating_score DESC, id DESC);
        CREATE INDEX movies_year_idx ON catalog.movies (year DESC NULLS LAST, id DESC);

        CREATE TABLE catalog.people (
            id   bigserial PRIMARY KEY,
            name text NOT NULL UNIQUE
        );
        CREATE TABLE catalog.movie_people (
            movie_id  bigint NOT NULL REFERENCES catalog.movies (id) ON DELETE CASCADE,
            person_id bigint NOT NULL REFERENCES catalog.people (id),
            role      text   NOT NULL CHECK (role IN ('director', 'cast')),
            ord       int    NOT NULL,
            PRIMARY KEY (movie_id, role, person_id)
        );
        CREATE INDEX movie_people_person_idx ON catalog.movie_people (person_id, role);

        CREATE TABLE catalog.genres (
            id   serial PRIMARY KEY,
            name text NOT NULL UNIQUE
        );
        CREATE TABLE catalog.movie_genres (
            movie_id bigint NOT NULL REFERENCES catalog.movies (id) ON DELETE CASCADE,
            genre_id int    NOT NULL REFERENCES catalog.genres (id),
            ord      int    NOT NULL,
            PRIMARY KEY (movie_id, genre_id)
        );
        CREATE INDEX movie_genres_genre_idx ON catalog.movie_genres (genre_id);

        CREATE TABLE catalog.keywords (
            id   bigserial PRIMARY KEY,
            name text NOT NULL UNIQUE
        );
        CREATE TABLE catalog.movie_keywords (
            movie_id   bigint NOT NULL REFERENCES catalog.movies (id) ON DELETE CASCADE,
            keyword_id bigint NOT NULL REFERENCES catalog.keywords (id),
            ord        int    NOT NULL,
            PRIMARY KEY (movie_id, keyword_id)
        );
        CREATE INDEX movie_keywords_keyword_idx ON catalog.movie_keywords (keyword_id);

        CREATE TABLE catalog.companies (
            id   bigserial PRIMARY KEY,
            name text NOT NULL UNIQUE
        );
        CREATE TABLE catalog.movie_companies (
            movie_id   bigint NOT NULL REFERENCES catalog.movies (id) ON DELETE CASCADE,
            company_id bigint NOT NULL REFERENCES catalog.companies (id),
            ord        int    NOT NULL,
            PRIMARY KEY (movie_id, company_id)
        );
        CREATE INDEX movie_companies_company_idx ON catalog.movie_companies (company_id);

        CREATE TABLE catalog.movielens_links (
            movielens_id bigint PRIMARY KEY,
            imdb_id      text,
            tmdb_id      bigint NOT NULL
        );
        CREATE INDEX movielens_links_tmdb_idx ON catalog.movielens_links (tmdb_id);

        CREATE TABLE catalog.ingest_runs (
            id          bigserial PRIMARY KEY,
            started_at  timestamptz NOT NULL,
            finished_at timestamptz NOT NULL DEFAULT now(),
            data_dir    text NOT NULL,
            stats       jsonb NOT NULL,
            problems    jsonb NOT NULL
        );
        """
    )
    op.execute(OUTBOX_DDL.format(schema="catalog"))


def downgrade() -> None:
    op.execute("DROP SCHEMA catalog CASCADE")  # the schema is this service's alone
