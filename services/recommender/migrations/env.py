from alembic import context

from kit.migrate import run_env

run_env(context, schema="recommender")
