"""Serving path of the sentence-embedding model: ONNX Runtime + `tokenizers` + numpy, nothing else.

The exported graph (see `export.py`) takes `input_ids` and `attention_mask` (int64, [batch, seq]) and
returns `sentence_embedding` (float32, [batch, 384]): mean pooling over the real tokens and L2
normalisation happen inside the graph, so what comes out is what gets stored.

`Encoder.encode` tokenises everything first, sorts the texts by token count, and runs batches that
are padded only to their own longest text (padding is masked out of the pooling, so a text's vector
does not depend on how long its neighbours in the batch are), then puts the vectors back in input order.

Threads: an `Encoder` may be called from several threads (an ONNX Runtime session's `run` and a
configured `tokenizers.Tokenizer` are safe for concurrent use), but each call already uses every
intra-op thread, so concurrent calls only compete for the same cores. The service runs one encode
at a time (`Pipeline` holds a lock and calls it via `asyncio.to_thread`); never call `encode` on the
event loop itself, a batch takes tens of milliseconds to seconds.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

from kit.config import usable_cores
from kit.logging import get_logger

log = get_logger(__name__)

MANIFEST = "manifest.json"
TOKENIZER_FILE = "tokenizer.json"
MODEL_FILES = {"fp32": "model-fp32.onnx", "int8": "model-int8.onnx"}
PRECISIONS = tuple(MODEL_FILES)
MAX_POSITIONS = 512  # BERT position embeddings: no text may be longer than this in tokens

# The rule: serve int8 only where, on real catalogue texts, every int8 vector stays this close
# to its fp32 vector and the top-10 neighbours mostly survive; otherwise serve fp32.
INT8_MIN_COSINE = 0.99
INT8_MIN_TOP10_OVERLAP = 0.9


def read_manifest(model_dir: Path) -> dict | None:
    """The export's manifest, or None when the folder holds no export (files are not hashed here:
    `export.manifest_problems` does that)."""
    path = Path(model_dir) / MANIFEST
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        return None


def choose_precision(manifest: dict) -> str:
    """"int8" when the manifest's int8 measurement (vs fp32, on real catalogue texts) meets the rule:
    cosine min >= INT8_MIN_COSINE and top-10 neighbour overlap >= INT8_MIN_TOP10_OVERLAP; else "fp32"."""
    q = manifest.get("int8") or {}
    if MODEL_FILES["int8"] not in manifest.get("files", {}):
        return "fp32"
    try:
        ok = float(q["cosine_min"]) >= INT8_MIN_COSINE and float(q["top10_overlap"]) >= INT8_MIN_TOP10_OVERLAP
    except (KeyError, TypeError, ValueError):
        return "fp32"
    return "int8" if ok else "fp32"


def default_providers() -> list[str]:
    """CUDA when onnxruntime-gpu is installed and sees a GPU build, else CPU."""
    if "CUDAExecutionProvider" in ort.get_available_providers():
        return ["CUDAExecutionProvider", "CPUExecutionProvider"]
    return ["CPUExecutionProvider"]


class Encoder:
    """Texts -> L2-normalised float32 sentence embeddings (all-MiniLM-L6-v2, 384-d) via ONNX Runtime."""

    def __init__(self, model_dir: Path, precision: str = "int8", max_length: int = 128,
                 threads: int | None = None, providers: list[str] | None = None, spinning: bool = True) -> None:
        """`spinning`: ONNX Runtime's intra-op threads busy-wait between work (its default, lowest latency
        on idle cores); off, they sleep, which leaves the CPU to the other services when cores are shared
        and busy (the service, EMBEDDER_SPIN_THREADS)."""
        if precision not in MODEL_FILES:
            raise ValueError(f"precision must be one of {PRECISIONS}, not {precision!r}")
        if not 2 <= max_length <= MAX_POSITIONS:
            raise ValueError(f"max_length must be between 2 and {MAX_POSITIONS}, not {max_length}")
        self.model_dir = Path(model_dir)
        model_file = self.model_dir / MODEL_FILES[precision]
        if not model_file.is_file():
            raise FileNotFoundError(f"{model_file} missing: run `python -m services.embedder export`")
        manifest = read_manifest(self.model_dir) or {}
        self.precision = precision
        self.max_length = max_length
        self.threads = threads or usable_cores()

        self._tokenizer = Tokenizer.from_file(str(self.model_dir / TOKENIZER_FILE))
        # tokenizer.json ships with fixed padding to 128 and truncation at 128: pad per batch ourselves.
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_length)
        self._pad_id = self._tokenizer.token_to_id("[PAD]") or 0

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = self.threads
        opts.inter_op_num_threads = 1
        if not spinning:
            opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        opts.log_severity_level = 3
        self._session = ort.InferenceSession(str(model_file), opts, providers=providers or default_providers())
        self._input_names = {i.name for i in self._session.get_inputs()}
        out = self._session.get_outputs()[0]
        self._output_name = out.name
        dims = out.shape[-1] if isinstance(out.shape[-1], int) else manifest.get("dimensions")
        self._dimensions = int(dims) if dims else int(self.encode_one("").shape[0])
        # The file's hash is part of the name: stored vectors are keyed by it (see axes.text_hash), so a
        # new export recipe re-encodes the catalogue instead of mixing vectors of two models.
        sha = (manifest.get("files", {}).get(MODEL_FILES[precision]) or {}).get("sha256", "")
        self._name = f"{manifest.get('model', self.model_dir.name)}/{precision}" + (f"@{sha[:8]}" if sha else "")
        self.provider = self._session.get_providers()[0]
        if precision == "int8" and self.provider != "CPUExecutionProvider":
            log.warning("int8 model on a GPU provider: its dynamically quantised MatMuls are a CPU "
                        "optimisation; fp32 is usually faster there (EMBEDDER_PRECISION=fp32)",
                        provider=self.provider)
        log.info("encoder loaded", model=self._name, precision=precision, provider=self.provider,
                 threads=self.threads, max_length=max_length, file=str(model_file))

    @property
    def name(self) -> str:
        """Model identity for stored vectors, e.g. "all-MiniLM-L6-v2/int8" (never mix precisions)."""
        return self._name

    @property
    def dimensions(self) -> int:
        return self._dimensions

    def _run(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._input_names:
            feed["token_type_ids"] = np.zeros_like(ids)
        return self._session.run([self._output_name], feed)[0]

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Embeddings of `texts`, shape (len(texts), dimensions), float32, unit length, in input order.
        Texts longer than `max_length` tokens are truncated; "" is encoded as is ([CLS] [SEP])."""
        if isinstance(texts, str):
            raise TypeError("encode takes a sequence of texts; use encode_one for a single text")
        if batch_size < 1:
            raise ValueError("batch_size must be >= 1")
        n = len(texts)
        out = np.empty((n, self._dimensions), dtype=np.float32)
        if n == 0:
            return out
        encodings = self._tokenizer.encode_batch(list(texts))
        lengths = np.fromiter((len(e.ids) for e in encodings), dtype=np.int64, count=n)
        order = np.argsort(lengths, kind="stable")
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            width = int(lengths[idx].max())
            ids = np.full((len(idx), width), self._pad_id, dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            for row, i in enumerate(idx):
                k = int(lengths[i])
                ids[row, :k] = encodings[i].ids
                mask[row, :k] = 1
            out[idx] = self._run(ids, mask)
        return out

    def token_counts(self, texts: Sequence[str]) -> list[int]:
        """Tokens each text becomes, [CLS] and [SEP] included, after truncation at max_length."""
        return [len(e.ids) for e in self._tokenizer.encode_batch(list(texts))]

    def encode_one(self, text: str) -> np.ndarray:
        """Embedding of one text, shape (dimensions,): the low-latency path for a single query."""
        ids = np.asarray([self._tokenizer.encode(text).ids], dtype=np.int64)
        return self._run(ids, np.ones_like(ids))[0].astype(np.float32, copy=False)
