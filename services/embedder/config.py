"""Embedder-only settings (EMBEDDER_* env), next to the shared `kit.config.Settings`."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

from kit.config import REPO_ROOT


class EmbedderConfig(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="EMBEDDER_", env_file=None, extra="ignore", case_sensitive=False)

    model_dir: Path = REPO_ROOT / ".local" / "models" / "all-MiniLM-L6-v2"
    precision: Literal["auto", "int8", "fp32"] = "auto"   # auto: int8 if the export's quality check allows it
    max_length: int = 128                                 # tokens per text
    encode_batch_size: int = 32
    # backfill only: encodes side by side, each single-threaded (0: one per usable core on the CPU provider, 1 on
    # a GPU); the service keeps one encode using every core, for the latency of a single call
    backfill_lanes: int = 0
    # The service's encoder threads busy-wait for work (ONNX Runtime's default) or sleep: off, because the
    # Vibe encodes come one at a time between other services' work on the same cores (docs/performance.md).
    spin_threads: bool = False

    # JetStream consumer
    durable: str = "embedder"
    fetch_batch: int = 64          # events per batch
    fetch_wait_s: float = 0.5      # longest wait to fill a batch
    max_deliveries: int = 5        # a message failing this often goes to the dead-letter subject
    ack_wait_s: float = 30.0       # unacked this long (a crashed replica): redelivered to another
    deliver_policy: Literal["all", "new"] = "all"  # where a new durable consumer starts in the stream

    # EncodeText
    max_texts: int = 64
    max_text_chars: int = 2000
