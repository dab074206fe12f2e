"""Collaborative-filtering taste models behind one small interface.

    model.fit(matrix, item_ids)   matrix: scipy.sparse.csr_matrix users x items of raw ratings (0.5-5)
    model.score(history)          history: csr row 1 x items (raw ratings) -> np.ndarray over items

`score` folds in the user's current history at serving time, so a new rating moves the scores at
once without retraining. Every model turns raw ratings into its training signal itself (`signal`),
so callers always pass ratings as they are:

- `binary`: every rating is an interaction (1)
- `liked`: ratings >= 3.5 are 1, lower ratings are dropped
- `graded`: rating / 5 (a 5 counts more than a 3, a 0.5 still counts a little)

The evaluation (docs/recommender-models.md) chose the signal per model.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, cast

import numpy as np
import scipy.sparse as sp

SIGNALS = ("binary", "liked", "graded")
LIKED_THRESHOLD = 3.5


def apply_signal(matrix: sp.csr_matrix, signal: str) -> sp.csr_matrix:
    m = sp.csr_matrix(matrix, dtype=np.float32, copy=True)
    if signal == "binary":
        m.data[:] = 1.0
    elif signal == "liked":
        m.data = (m.data >= LIKED_THRESHOLD).astype(np.float32)
        m.eliminate_zeros()
    elif signal == "graded":
        m.data = m.data / 5.0
    else:
        raise ValueError(f"unknown signal {signal!r}")
    return m


class Model:
    """Base: item ids, the history row helper, (de)serialisation."""

    kind: ClassVar[str] = ""

    def __init__(self, signal: str = "binary") -> None:
        if signal not in SIGNALS:
            raise ValueError(f"unknown signal {signal!r}")
        self.signal = signal
        self.item_ids = np.zeros(0, dtype=np.int64)
        self.item_counts = np.zeros(0, dtype=np.int64)   # training ratings per item (any value)
        self._index: dict[int, int] = {}

    # -- items
    def _set_items(self, item_ids: np.ndarray, matrix: sp.csr_matrix | None = None) -> None:
        self.item_ids = np.asarray(item_ids, dtype=np.int64)
        self._index = {int(m): i for i, m in enumerate(self.item_ids)}
        if matrix is not None:
            # scipy-stubs declares no elementwise __ne__ for sparse matrices (object's, -> bool): cast
            nonzero = cast(sp.csr_matrix, matrix != 0)
            self.item_counts = np.asarray(nonzero.sum(axis=0)).ravel().astype(np.int64)

    def set_rated_counts(self, movie_ids: np.ndarray, counts: np.ndarray) -> None:
        """Training ratings per film for every rated film, also those left out of the model (rarely rated)."""
        self.rated_ids = np.asarray(movie_ids, dtype=np.int64)
        self.rated_counts = np.asarray(counts, dtype=np.int64)

    @property
    def n_items(self) -> int:
        return len(self.item_ids)

    def index_of(self, movie_id: int) -> int | None:
        return self._index.get(int(movie_id))

    def history_row(self, history: Mapping[int, float]) -> sp.csr_matrix:
        """A user's ratings (film id -> value) as a 1 x items row; films the model does not know are left out."""
        cols, vals = [], []
        for movie_id, value in history.items():
            i = self._index.get(int(movie_id))
            if i is not None:
                cols.append(i)
                vals.append(float(value))
        return sp.csr_matrix((np.array(vals, dtype=np.float32), (np.zeros(len(cols), dtype=np.int64),
                                                                 np.array(cols, dtype=np.int64))),
                             shape=(1, self.n_items))

    # -- the interface
    def fit(self, matrix: sp.csr_matrix, item_ids: np.ndarray) -> Model:
        raise NotImplementedError

    def score(self, history: sp.csr_matrix) -> np.ndarray:
        raise NotImplementedError

    def explain(self, history: sp.csr_matrix, item: int, top: int = 3) -> list[int] | None:
        """Positions (in the model's items) of the rated films that push `item` up most; None when the model
        has no item-item weights (the caller falls back to content similarity)."""
        return None

    def score_history(self, history: Mapping[int, float]) -> np.ndarray:
        return self.score(self.history_row(history))

    # -- persistence
    def params(self) -> dict[str, Any]:
        return {"signal": self.signal}

    def arrays(self) -> dict[str, np.ndarray]:
        out = {"item_ids": self.item_ids, "item_counts": self.item_counts}
        if getattr(self, "rated_ids", None) is not None:
            out |= {"rated_ids": self.rated_ids, "rated_counts": self.rated_counts}
        return out

    def _load_arrays(self, arrays: Mapping[str, np.ndarray]) -> None:
        self._set_items(arrays["item_ids"])
        self.item_counts = np.asarray(arrays["item_counts"], dtype=np.int64)
        if "rated_ids" in arrays:
            self.set_rated_counts(arrays["rated_ids"], arrays["rated_counts"])

    def _weighted_explain(self, history: sp.csr_matrix, weights_col: np.ndarray, top: int) -> list[int]:
        contrib = history.data * weights_col
        order = np.argsort(-contrib, kind="stable")
        return [int(history.indices[j]) for j in order[:top] if contrib[j] > 0]


class Popularity(Model):
    """Films by how many users rated (signal) them; the history changes nothing."""

    kind = "popularity"

    def fit(self, matrix: sp.csr_matrix, item_ids: np.ndarray) -> Popularity:
        self._set_items(item_ids, matrix)
        x = apply_signal(matrix, self.signal)
        self.counts = np.asarray((x > 0).sum(axis=0)).ravel().astype(np.float32)
        return self

    def score(self, history: sp.csr_matrix) -> np.ndarray:
        return self.counts.copy()

    def arrays(self) -> dict[str, np.ndarray]:
        return {**super().arrays(), "counts": self.counts}

    def _load_arrays(self, arrays: Mapping[str, np.ndarray]) -> None:
        super()._load_arrays(arrays)
        self.counts = np.asarray(arrays["counts"], dtype=np.float32)


class ItemKNN(Model):
    """Item-item cosine on the signal, shrunk by co-rating support (sim = x_i.x_j / (|x_i||x_j| + shrink)),
    top-k neighbours kept per item. score = history @ S."""

    kind = "itemknn"

    def __init__(self, k: int = 100, shrink: float = 10.0, signal: str = "binary") -> None:
        super().__init__(signal)
        self.k = int(k)
        self.shrink = float(shrink)

    def fit(self, matrix: sp.csr_matrix, item_ids: np.ndarray) -> ItemKNN:
        self._set_items(item_ids, matrix)
        x = apply_signal(matrix, self.signal).tocsc()
        n = x.shape[1]
        gram = (x.T @ x).toarray().astype(np.float32)
        norms = np.sqrt(np.diag(gram)).astype(np.float32)
        sim = gram / (np.outer(norms, norms) + self.shrink + 1e-9)
        np.fill_diagonal(sim, 0.0)
        k = min(self.k, max(n - 1, 1))
        rows, cols, vals = [], [], []
        for j in range(n):  # top-k neighbours of column j
            col = sim[:, j]
            top = np.argpartition(-col, k - 1)[:k] if n > k else np.arange(n)
            top = top[col[top] > 0]
            rows.append(top)
            cols.append(np.full(len(top), j))
            vals.append(col[top])
        self.sim = sp.csr_matrix((np.concatenate(vals) if vals else np.zeros(0, np.float32),
                                  (np.concatenate(rows) if rows else np.zeros(0, int),
                                   np.concatenate(cols) if cols else np.zeros(0, int))),
                                 shape=(n, n), dtype=np.float32)
        return self

    def score(self, history: sp.csr_matrix) -> np.ndarray:
        h = apply_signal(history, self.signal)
        return np.asarray((h @ self.sim).todense()).ravel()

    def explain(self, history: sp.csr_matrix, item: int, top: int = 3) -> list[int]:
        h = apply_signal(history, self.signal)
        col = np.asarray(self.sim[h.indices][:, item].todense()).ravel()
        return self._weighted_explain(h, col, top)

    def params(self) -> dict[str, Any]:
        return {**super().params(), "k": self.k, "shrink": self.shrink}

    def arrays(self) -> dict[str, np.ndarray]:
        s = self.sim
        return {**super().arrays(), "sim_data": s.data, "sim_indices": s.indices, "sim_indptr": s.indptr}

    def _load_arrays(self, arrays: Mapping[str, np.ndarray]) -> None:
        super()._load_arrays(arrays)
        n = self.n_items
        self.sim = sp.csr_matrix((arrays["sim_data"], arrays["sim_indices"], arrays["sim_indptr"]), shape=(n, n))


class EASE(Model):
    """Steck's EASE (WWW 2019): B = I - P / diag(P), P = (X'X + lambda I)^-1, diag(B) = 0; score = history @ B."""

    kind = "ease"

    def __init__(self, lam: float = 500.0, signal: str = "binary") -> None:
        super().__init__(signal)
        self.lam = float(lam)

    def fit(self, matrix: sp.csr_matrix, item_ids: np.ndarray) -> EASE:
        self._set_items(item_ids, matrix)
        x = apply_signal(matrix, self.signal)
        g = (x.T @ x).toarray().astype(np.float64)
        g[np.diag_indices_from(g)] += self.lam
        p = np.linalg.inv(g)
        b = p / (-np.diag(p))
        b[np.diag_indices_from(b)] = 0.0
        self.B = b.astype(np.float32)
        return self

    def score(self, history: sp.csr_matrix) -> np.ndarray:
        h = apply_signal(history, self.signal)
        if h.nnz == 0:
            return np.zeros(self.n_items, dtype=np.float32)
        return h.data @ self.B[h.indices]

    def explain(self, history: sp.csr_matrix, item: int, top: int = 3) -> list[int]:
        h = apply_signal(history, self.signal)
        return self._weighted_explain(h, self.B[h.indices, item], top)

    def params(self) -> dict[str, Any]:
        return {**super().params(), "lam": self.lam}

    def arrays(self) -> dict[str, np.ndarray]:
        return {**super().arrays(), "B": self.B}

    def _load_arrays(self, arrays: Mapping[str, np.ndarray]) -> None:
        super()._load_arrays(arrays)
        self.B = np.asarray(arrays["B"], dtype=np.float32)


class ALS(Model):
    """Implicit-feedback matrix factorisation (Hu, Koren, Volinsky 2008) trained by
    `implicit.cpu.als.AlternatingLeastSquares` with confidence c = alpha * signal. Fold-in solves the
    user's factor from their current history against the fixed item factors with the same normal equations
    implicit uses: (Y'Y + reg I + sum_i (c_i - 1) y_i y_i') x = sum_i c_i y_i."""

    kind = "als"

    def __init__(self, factors: int = 64, regularization: float = 0.05, alpha: float = 10.0,
                 iterations: int = 15, signal: str = "binary", seed: int = 7) -> None:
        super().__init__(signal)
        self.factors = int(factors)
        self.regularization = float(regularization)
        self.alpha = float(alpha)
        self.iterations = int(iterations)
        self.seed = int(seed)

    def fit(self, matrix: sp.csr_matrix, item_ids: np.ndarray) -> ALS:
        from implicit.cpu.als import AlternatingLeastSquares
        from threadpoolctl import threadpool_limits

        self._set_items(item_ids, matrix)
        c = apply_signal(matrix, self.signal)
        c.data *= self.alpha
        with threadpool_limits(1, "blas"):  # implicit parallelises itself; a BLAS pool on top slows it
            als = AlternatingLeastSquares(factors=self.factors, regularization=self.regularization, alpha=1.0,
                                          iterations=self.iterations, random_state=self.seed, num_threads=2)
            als.fit(c, show_progress=False)
        self.item_factors = np.asarray(als.item_factors, dtype=np.float32)
        self._prepare()
        return self

    def _prepare(self) -> None:
        y = self.item_factors.astype(np.float64)
        self._yty = y.T @ y

    def user_factor(self, history: sp.csr_matrix) -> np.ndarray:
        h = apply_signal(history, self.signal)
        y = self.item_factors[h.indices].astype(np.float64)
        conf = h.data.astype(np.float64) * self.alpha
        a = self._yty + self.regularization * np.eye(y.shape[1]) + (y.T * (conf - 1.0)) @ y
        b = (y.T * conf).sum(axis=1)
        return np.linalg.solve(a, b)

    def score(self, history: sp.csr_matrix) -> np.ndarray:
        if history.nnz == 0:
            return np.zeros(self.n_items, dtype=np.float32)
        return (self.item_factors @ self.user_factor(history).astype(np.float32)).astype(np.float32)

    def params(self) -> dict[str, Any]:
        return {**super().params(), "factors": self.factors, "regularization": self.regularization,
                "alpha": self.alpha, "iterations": self.iterations, "seed": self.seed}

    def arrays(self) -> dict[str, np.ndarray]:
        return {**super().arrays(), "item_factors": self.item_factors}

    def _load_arrays(self, arrays: Mapping[str, np.ndarray]) -> None:
        super()._load_arrays(arrays)
        self.item_factors = np.asarray(arrays["item_factors"], dtype=np.float32)
        self._prepare()


def _zscore(x: np.ndarray) -> np.ndarray:
    sd = float(x.std())
    return ((x - x.mean()) / sd).astype(np.float32) if sd > 1e-12 else np.zeros(len(x), dtype=np.float32)


class Ensemble(Model):
    """Several CF models fitted on the same matrix and films; score = sum_k weight_k * z(score_k), each
    member's scores z-scored over the model's films (so their scales are comparable). `explain` asks the
    first member that has item-item weights (EASE, then item-kNN). Persisted as one artifact: each member's
    arrays under `<kind>__<name>`."""

    kind = "ensemble"

    def __init__(self, members: Mapping[str, Mapping[str, Any]] | None = None,
                 weights: Mapping[str, float] | None = None, signal: str = "liked") -> None:
        super().__init__(signal)
        members = members if members is not None else {"ease": {}}
        self.members: dict[str, Model] = {k: make_model(k, **dict(p)) for k, p in members.items()}
        self.weights = {k: float((weights or {}).get(k, 1.0)) for k in self.members}

    def fit(self, matrix: sp.csr_matrix, item_ids: np.ndarray) -> Ensemble:
        self._set_items(item_ids, matrix)
        for m in self.members.values():
            m.fit(matrix, item_ids)
        return self

    def score(self, history: sp.csr_matrix) -> np.ndarray:
        out = np.zeros(self.n_items, dtype=np.float32)
        for k, m in self.members.items():
            if self.weights[k]:
                out += self.weights[k] * _zscore(m.score(history))
        return out

    def explain(self, history: sp.csr_matrix, item: int, top: int = 3) -> list[int] | None:
        for k in ("ease", "itemknn"):
            if k in self.members and self.weights[k]:
                return self.members[k].explain(history, item, top)
        return None

    def params(self) -> dict[str, Any]:
        return {**super().params(), "members": {k: m.params() for k, m in self.members.items()},
                "weights": dict(self.weights)}

    def arrays(self) -> dict[str, np.ndarray]:
        out = super().arrays()
        for k, m in self.members.items():
            out |= {f"{k}__{name}": a for name, a in m.arrays().items() if name not in _MEMBER_ARRAYS}
        return out

    def _load_arrays(self, arrays: Mapping[str, np.ndarray]) -> None:
        super()._load_arrays(arrays)
        for k, m in self.members.items():
            prefix = f"{k}__"
            own = {name[len(prefix):]: a for name, a in arrays.items() if name.startswith(prefix)}
            m._load_arrays({**{n: arrays[n] for n in ("item_ids", "item_counts") if n in arrays}, **own})


# the ensemble's own arrays, shared by its members: stored once
_MEMBER_ARRAYS = ("item_ids", "item_counts", "rated_ids", "rated_counts")


MODELS: dict[str, type[Model]] = {m.kind: m for m in (Popularity, ItemKNN, EASE, ALS, Ensemble)}


def make_model(kind: str, **params: Any) -> Model:
    try:
        return MODELS[kind](**params)
    except KeyError:
        raise ValueError(f"unknown model kind {kind!r}") from None


def model_from_arrays(kind: str, params: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> Model:
    model = make_model(kind, **params)
    model._load_arrays(arrays)
    return model


def build_matrix(user_ids: np.ndarray, movie_ids: np.ndarray, values: np.ndarray,
                 min_item_ratings: int = 1) -> tuple[sp.csr_matrix, list[str], np.ndarray]:
    """Users x items csr of raw ratings over the films with at least `min_item_ratings` ratings.
    Returns (matrix, user order, item ids)."""
    movie_ids = np.asarray(movie_ids, dtype=np.int64)
    items, item_pos, counts = np.unique(movie_ids, return_inverse=True, return_counts=True)
    keep_item = counts >= min_item_ratings
    new_pos = np.cumsum(keep_item) - 1
    users, user_pos = np.unique(np.asarray(user_ids).astype(str), return_inverse=True)
    mask = keep_item[item_pos]
    m = sp.csr_matrix((np.asarray(values, dtype=np.float32)[mask], (user_pos[mask], new_pos[item_pos[mask]])),
                      shape=(len(users), int(keep_item.sum())))
    m.sum_duplicates()
    return m, [str(u) for u in users], items[keep_item]
