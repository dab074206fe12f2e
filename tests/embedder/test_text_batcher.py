"""EncodeText's batching of overlapping calls (services/embedder/text_batcher.py), with the real int8 model."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import numpy as np
import pytest

from kit.config import REPO_ROOT
from services.embedder.model.encoder import Encoder
from services.embedder.model.export import CATALOGUE_CSV, DEFAULT_MODEL_DIR, cosines, ensure_model
from services.embedder.text_batcher import TextBatcher

DATA_DIR = Path(os.environ.get("DATA_DIR", REPO_ROOT.parent / "shared" / "data")).resolve()
pytestmark = pytest.mark.skipif(not (DATA_DIR / CATALOGUE_CSV).is_file(),
                                reason=f"catalogue csv not found under {DATA_DIR} (set DATA_DIR)")
MOODS = ["something funny", "a slow-burn thriller", "dark and violent", "heartwarming family film", "tense heist",
         "dreamy and weird", "an epic war story", "gentle romance", "a mind-bending sci-fi", "cozy rainy sunday",
         "a road movie with a great soundtrack", "coming-of-age story in the 1970s"]


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    return Encoder(ensure_model(DEFAULT_MODEL_DIR, data_dir=DATA_DIR), "int8")  # the folder the stack serves


def batcher_of(encoder: Encoder, max_texts: int = 64) -> TextBatcher:
    return TextBatcher(lambda texts: asyncio.to_thread(encoder.encode, texts), max_texts)


async def test_overlapping_calls_share_encodes_and_get_their_own_vectors(encoder):
    batcher = batcher_of(encoder, max_texts=5)
    got = await asyncio.gather(*(batcher.encode([t]) for t in MOODS))
    assert [g.shape for g in got] == [(1, 384)] * len(MOODS)
    assert batcher.encodes <= 4  # at most 5 texts per encode: 12 calls in 3, or 4 when the first ran alone
    alone = np.stack([encoder.encode([t])[0] for t in MOODS])
    together = np.concatenate(got)
    assert cosines(alone, together).min() >= 0.995  # int8 activations are quantised per encode
    assert (np.argmax(together @ alone.T, axis=1) == np.arange(len(MOODS))).all()  # each its own text


async def test_a_call_alone_is_encoded_alone_and_at_once(encoder):
    batcher = batcher_of(encoder)
    v = await batcher.encode(["something funny", "a tense heist"])
    assert batcher.encodes == 1 and v.shape == (2, 384)
    assert cosines(v, encoder.encode(["something funny", "a tense heist"])).min() >= 0.9999


async def test_a_caller_that_gives_up_leaves_the_others_their_answers(encoder):
    batcher = batcher_of(encoder)
    first = asyncio.ensure_future(batcher.encode(["a slow-burn thriller"]))
    gone = asyncio.ensure_future(batcher.encode(["gentle romance"]))
    kept = asyncio.ensure_future(batcher.encode(["dreamy and weird"]))
    await asyncio.sleep(0)
    gone.cancel()
    assert (await first).shape == (1, 384) and (await kept).shape == (1, 384)
    with pytest.raises(asyncio.CancelledError):
        await gone


async def test_an_encoder_error_reaches_every_caller_of_that_encode_and_the_next_one_works(encoder):
    calls = 0

    async def flaky(texts: list[str]) -> np.ndarray:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("encoder down")
        return await asyncio.to_thread(encoder.encode, texts)

    batcher = TextBatcher(flaky, 64)
    results = await asyncio.gather(*(batcher.encode([t]) for t in MOODS[:3]), return_exceptions=True)
    assert all(isinstance(r, RuntimeError) for r in results)
    assert (await batcher.encode(["epic"])).shape == (1, 384)
