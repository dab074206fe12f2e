"""The recommender's own settings (env prefix RECOMMENDER_); the shared ones come from kit.config."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from kit.config import REPO_ROOT


class RecommenderConfig(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RECOMMENDER_", env_file=None, extra="ignore", case_sensitive=False)

    # Versioned model folders and the `current` pointer (services/recommender/offline/training.py).
    models_dir: Path = Field(default=REPO_ROOT / ".local" / "models" / "recommender")

    # Serving (services/recommender/serving.py, servicer.py, users.py)
    model_poll_s: float = 2.0              # how often a replica checks the `current` pointer
    # BLAS threads of the serving process (threadpoolctl; 0 leaves OpenBLAS's default, one per core): each
    # request's products are small, requests run side by side, and OpenBLAS's idle threads busy-wait, which
    # on shared cores takes CPU from every other service (docs/performance.md).
    blas_threads: int = 1
    content_refresh_s: float = 900.0       # film vectors reloaded at least this often
    retrain_interval_s: float = 0.0        # > 0: retrain inside the service this often (one replica at a time)
    answer_ttl_s: int = 120                # zone answers cached in Redis (keys change with every event anyway)
    taste_ttl_s: float = 60.0              # a user's state kept in process (checked against their generation)
    encode_timeout_s: float = 3.0          # Vibe: the embedder's EncodeText
    feedback_ack_wait_s: float = 30.0      # a feedback event not acked in this time is redelivered
    feedback_max_deliveries: int = 5       # failing on this delivery (no store down): dead-lettered


def load_recommender_config() -> RecommenderConfig:
    return RecommenderConfig()
