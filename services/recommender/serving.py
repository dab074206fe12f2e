"""The model a replica serves, and how it changes without downtime.

`ModelHolder.state` is one immutable `ModelState` (model + content index + Vibe's evidence + version); a request reads
the reference once and uses that pair throughout. A watcher polls the models folder's `current`
pointer (written atomically by `train`): a new version is loaded in a worker thread while the old one
keeps serving, then swapped in with one assignment. The content index (film vectors) is reloaded with
each model and every `content_refresh_s`, so re-encoded films reach the zones too.

Retraining: `python -m services.recommender train` (a command, a Kubernetes CronJob), and, when
`RECOMMENDER_RETRAIN_INTERVAL_S` > 0, a periodic job inside the service; a PostgreSQL advisory lock
lets one replica train at a time, and every replica picks the new version up through the pointer.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg

from kit.gc_freeze import refreeze_heap
from kit.logging import get_logger
from services.recommender import vectors
from services.recommender.content import ContentIndex
from services.recommender.films import Films
from services.recommender.models import Model
from services.recommender.offline.training import CURRENT, load_latest
from services.recommender.vibe_evidence import VibeEvidence
from services.recommender.zones.for_you import BlendParams

log = get_logger(__name__)


@dataclass
class ModelState:
    """The serving model and content index; swapped as a whole (one reference) when a new model
    version is published, so a request sees one consistent pair."""
    model: Model | None          # None until a first model is trained: For you is content + quality then
    content: ContentIndex
    version: str
    blend: BlendParams = field(default_factory=BlendParams)
    evidence: VibeEvidence | None = None   # genre and keyword centroids for Vibe (None: Vibe ranks by story alone)

# The state a request started with: a swap during the request does not change its model mid-way (and
# its answer is cached under the version that computed it). Each gRPC call runs in its own task, and
# worker threads (asyncio.to_thread) inherit the context.
PINNED: ContextVar[ModelState | None] = ContextVar("recommender_model_state", default=None)


def _pointer(models_dir: Path) -> str | None:
    try:
        return (models_dir / CURRENT).read_text().strip() or None
    except OSError:
        return None


class ModelHolder:
    def __init__(self, pool: asyncpg.Pool, films: Films, models_dir: Path, poll_s: float = 2.0,
                 content_refresh_s: float = 900.0, refresh_films: Callable[[list[int]], Awaitable[None]] | None = None,
                 on_load: Callable[[str], Awaitable[None]] | None = None):
        self.pool, self.films, self.models_dir = pool, films, models_dir
        self.poll_s, self.content_refresh_s = poll_s, content_refresh_s
        self.refresh_films = refresh_films   # loads the encoded films the store lacks, before each content load
        self.on_load = on_load               # told each version once it serves (Generations.publish_serving)
        self._state: ModelState | None = None
        self.swaps = 0

    @property
    def state(self) -> ModelState:
        """The request's pinned state when it has one, else the current one."""
        pinned = PINNED.get()
        if pinned is not None:
            return pinned
        assert self._state is not None, "ModelHolder.load() first"
        return self._state

    async def load(self) -> ModelState:
        if self.refresh_films is not None:
            await self.refresh_films(await vectors.encoded_ids(self.pool))
        content = await ContentIndex.load(self.pool, self.films)
        evidence = await VibeEvidence.load(self.pool, self.films)
        loaded = await asyncio.to_thread(load_latest, self.models_dir)
        if loaded is None:
            log.warning("no_model_yet", models_dir=str(self.models_dir),
                        note="For you serves content + quality until `train` runs")
            self._state = ModelState(model=None, content=content, version="content-only", evidence=evidence)
        else:
            self._state = ModelState(model=loaded.model, content=content, version=loaded.version, blend=loaded.blend,
                                     evidence=evidence)
        self.swaps += 1
        # The old model and index, frozen at start or at the last swap, freed; the new ones frozen (kit/gc_freeze.py).
        log.info("model_serving", version=self._state.version, films=len(content), frozen_objects=refreeze_heap())
        if self.on_load is not None:
            await self.on_load(f"{self._state.version}#{self.swaps}")
        return self._state

    async def watch(self) -> None:
        """Swap in a new version when `current` changes; refresh the content index periodically."""
        last_content = time.monotonic()
        while True:
            await asyncio.sleep(self.poll_s)
            pointer = _pointer(self.models_dir)
            stale = time.monotonic() - last_content > self.content_refresh_s
            serving = self._state.version if self._state is not None else None  # None: not loaded yet
            if (pointer is not None and pointer != serving) or stale:
                try:
                    await self.load()
                    last_content = time.monotonic()
                except Exception as e:  # a half-written or broken version: keep serving the old one
                    log.error("model_swap_failed", pointer=pointer, error=f"{type(e).__name__}: {e}")


async def retrain_periodically(pool: asyncpg.Pool, interval_s: float, train) -> None:
    """Every interval, one replica (advisory lock) retrains; the watchers swap the new version in."""
    while True:
        await asyncio.sleep(interval_s)
        async with pool.acquire() as conn:
            if not await conn.fetchval("SELECT pg_try_advisory_lock(hashtext('recommender.train'))"):
                continue
            try:
                version = await train()
                log.info("model_retrained", version=version.version)
            except Exception as e:
                log.error("retrain_failed", error=f"{type(e).__name__}: {e}")
            finally:
                with contextlib.suppress(Exception):
                    await conn.execute("SELECT pg_advisory_unlock(hashtext('recommender.train'))")
