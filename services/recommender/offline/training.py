"""Train the collaborative model on every rating the database holds and save it as a versioned artifact.

    <models_dir>/<version>/manifest.json   kind, params, counts, trained_at, blend params, metrics if known
    <models_dir>/<version>/arrays.npz      the model's arrays (item ids, EASE weights, ...)
    <models_dir>/current                   the version serving should load (replaced atomically)

version = UTC timestamp + 8 hex digits of a hash of the training data and parameters.
`python -m services.recommender.offline.training [--out DIR] [--kind ease]`.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from kit.auth import load_internal_token
from kit.config import Settings, load_settings
from services.recommender.config import RecommenderConfig, load_recommender_config
from services.recommender.models import Model, build_matrix, make_model, model_from_arrays
from services.recommender.ratings import Ratings, load_ratings
from services.recommender.zones.for_you import DEFAULT_BLEND, BlendParams

CURRENT = "current"
MANIFEST = "manifest.json"
ARRAYS = "arrays.npz"

# The model For you serves, chosen by the evaluation (docs/recommender-models.md).
DEFAULT_KIND = "ensemble"
DEFAULT_PARAMS: dict[str, dict[str, Any]] = {   # tuned on the validation split (evaluation.py --tune)
    "popularity": {"signal": "binary"},
    "itemknn": {"k": 50, "shrink": 20.0, "signal": "liked"},
    "ease": {"lam": 150.0, "signal": "liked"},
    "als": {"factors": 32, "regularization": 0.05, "alpha": 2.0, "iterations": 15, "signal": "liked"},
}
# EASE + item-kNN + ALS, z-scores summed (weights chosen on two validation splits of the training data)
DEFAULT_PARAMS["ensemble"] = {"members": {k: dict(DEFAULT_PARAMS[k]) for k in ("ease", "itemknn", "als")},
                              "weights": {"ease": 1.0, "itemknn": 0.3, "als": 0.3}, "signal": "liked"}
# Films with fewer ratings are left out of the CF model (EASE's memory and time grow with items^2..3;
# content similarity covers them).
MIN_ITEM_RATINGS = 3


@dataclass
class ModelVersion:
    version: str
    path: Path
    kind: str
    params: dict[str, Any]
    n_users: int
    n_items: int
    n_ratings: int
    trained_at: str
    fit_seconds: float


@dataclass
class LoadedModel:
    model: Model
    version: str
    item_ids: np.ndarray
    manifest: dict[str, Any] = field(default_factory=dict)
    blend: BlendParams = field(default_factory=BlendParams)

    @property
    def item_index(self) -> dict[int, int]:
        return self.model._index


def fit_model(ratings: Ratings, kind: str = DEFAULT_KIND, params: dict[str, Any] | None = None,
              min_item_ratings: int = MIN_ITEM_RATINGS) -> tuple[Model, dict[str, int]]:
    matrix, users, items = build_matrix(ratings.user_ids, ratings.movie_ids, ratings.values, min_item_ratings)
    model = make_model(kind, **(params if params is not None else DEFAULT_PARAMS[kind]))
    model.fit(matrix, items)
    rated, counts = np.unique(np.asarray(ratings.movie_ids, dtype=np.int64), return_counts=True)
    model.set_rated_counts(rated, counts)
    return model, {"users": len(users), "items": len(items), "ratings": int(len(ratings)),
                   "ratings_in_model": int(matrix.nnz), "min_item_ratings": min_item_ratings}


def _version(ratings: Ratings, kind: str, params: dict[str, Any], now: datetime) -> str:
    h = hashlib.sha256()
    h.update(json.dumps({"kind": kind, "params": params}, sort_keys=True).encode())
    for a in (ratings.movie_ids, ratings.values, ratings.ts):
        h.update(np.ascontiguousarray(a).tobytes())
    h.update("\x00".join(map(str, ratings.user_ids)).encode())
    return now.strftime("%Y%m%dT%H%M%SZ") + "-" + h.hexdigest()[:8]


def save_model(model: Model, models_dir: Path, version: str, manifest: dict[str, Any]) -> Path:
    """Write <models_dir>/<version>/ (into a temporary folder first, renamed when complete), then point
    `current` at it (tmp file + os.replace)."""
    models_dir = Path(models_dir)
    models_dir.mkdir(parents=True, exist_ok=True)
    final = models_dir / version
    tmp = models_dir / f".{version}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    # allow_pickle given (numpy's default): else mypy matches the arrays' ** against that bool parameter
    np.savez(tmp / ARRAYS, allow_pickle=True, **model.arrays())
    (tmp / MANIFEST).write_text(json.dumps({**manifest, "version": version, "kind": model.kind,
                                            "params": model.params()}, indent=2, sort_keys=True))
    if final.exists():
        shutil.rmtree(final)
    os.replace(tmp, final)
    set_current(models_dir, version)
    return final


def set_current(models_dir: Path, version: str) -> None:
    ptr_tmp = Path(models_dir) / f".{CURRENT}.{os.getpid()}.tmp"
    ptr_tmp.write_text(version + "\n")
    os.replace(ptr_tmp, Path(models_dir) / CURRENT)


def load_version(models_dir: Path, version: str) -> LoadedModel:
    folder = Path(models_dir) / version
    manifest = json.loads((folder / MANIFEST).read_text())
    with np.load(folder / ARRAYS, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    model = model_from_arrays(manifest["kind"], manifest["params"], arrays)
    blend = BlendParams.from_dict(manifest["blend"]) if manifest.get("blend") else BlendParams()
    return LoadedModel(model=model, version=version, item_ids=model.item_ids, manifest=manifest, blend=blend)


def load_latest(models_dir: Path) -> LoadedModel | None:
    """The version `current` names; None when nothing was trained yet (or the pointer names a missing folder)."""
    ptr = Path(models_dir) / CURRENT
    if not ptr.is_file():
        return None
    version = ptr.read_text().strip()
    if not version or not (Path(models_dir) / version / MANIFEST).is_file():
        return None
    return load_version(models_dir, version)


def train_from_ratings(ratings: Ratings, models_dir: Path, kind: str = DEFAULT_KIND,
                       params: dict[str, Any] | None = None, metrics: dict[str, Any] | None = None,
                       blend: BlendParams = DEFAULT_BLEND, min_item_ratings: int = MIN_ITEM_RATINGS) -> ModelVersion:
    params = dict(params if params is not None else DEFAULT_PARAMS[kind])
    t0 = time.perf_counter()
    model, counts = fit_model(ratings, kind, params, min_item_ratings)
    fit_s = time.perf_counter() - t0
    now = datetime.now(UTC)
    version = _version(ratings, kind, params, now)
    manifest = {"trained_at": now.isoformat(), "counts": counts, "fit_seconds": round(fit_s, 2),
                "blend": blend.to_dict(), "metrics": metrics or {}}
    path = save_model(model, models_dir, version, manifest)
    return ModelVersion(version=version, path=path, kind=kind, params=model.params(), n_users=counts["users"],
                        n_items=counts["items"], n_ratings=counts["ratings"], trained_at=now.isoformat(),
                        fit_seconds=fit_s)


async def train(settings: Settings | None = None, config: RecommenderConfig | None = None,
                kind: str = DEFAULT_KIND, models_dir: Path | None = None) -> ModelVersion:
    """Read every rating from the users service (ExportRatings), fit, save, point `current` at it.
    The fit runs in a worker thread so a serving event loop keeps answering."""
    settings = settings or load_settings()
    config = config or load_recommender_config()
    token = load_internal_token(settings.secrets_dir)
    ratings = await load_ratings(settings.users_addr, token)
    if len(ratings) == 0:
        raise RuntimeError("no ratings to train on")
    metrics = _known_metrics(kind)
    return await asyncio.to_thread(train_from_ratings, ratings, models_dir or config.models_dir, kind, None, metrics)


def _known_metrics(kind: str) -> dict[str, Any]:
    """The last offline evaluation's numbers for this model and For you, when reports/eval.json exists."""
    from kit.config import REPO_ROOT

    path = REPO_ROOT / "reports" / "eval.json"
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return {k: data[k] for k in (kind, "for_you", "hidden_gems", "protocol") if k in data}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=None, help="models folder (default RECOMMENDER_MODELS_DIR)")
    ap.add_argument("--kind", default=DEFAULT_KIND, choices=sorted(DEFAULT_PARAMS))
    args = ap.parse_args(argv)
    mv = asyncio.run(train(kind=args.kind, models_dir=args.out))
    print(json.dumps({"version": mv.version, "path": str(mv.path), "kind": mv.kind, "params": mv.params,
                      "users": mv.n_users, "items": mv.n_items, "ratings": mv.n_ratings,
                      "fit_seconds": round(mv.fit_seconds, 2)}, indent=2))


if __name__ == "__main__":
    main()
