"""The static checks `make test` makes (`make lint` runs the Python ones alone): ruff, mypy, the web
client's generated code against the gateway's schema, TypeScript, and the web client's unit tests (Vitest).

They are tests of this run rather than steps before it so that they run beside the session stack's start
(tests/conftest.py starts it before collection, and tests that do not need it run first), the longest
stretch of the run, instead of before it (docs/performance.md, "make test"). Each one fails with the tool's
own report."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kit.config import REPO_ROOT

VENV_BIN = Path(sys.executable).parent
WEB = REPO_ROOT / "web"
LINTED = ["kit", "devstack", "services", "tests", "bench", "deploy"]

CHECKS = {
    "ruff": ([str(VENV_BIN / "ruff"), "check", *LINTED], REPO_ROOT),
    "mypy": ([str(VENV_BIN / "mypy")], REPO_ROOT),
    "web-client-current": (["bash", "scripts/check_web_client.sh"], REPO_ROOT),
    "web-typecheck": (["npm", "run", "typecheck", "--silent"], WEB),
    "web-unit-tests": (["npm", "test", "--silent"], WEB),
}
NEEDS_NODE = {"web-client-current", "web-typecheck", "web-unit-tests"}


@pytest.mark.parametrize("name", CHECKS)
def test_static_check(name: str) -> None:
    command, cwd = CHECKS[name]
    if name in NEEDS_NODE:
        if shutil.which("npm") is None:
            pytest.fail("npm is not on PATH")
        if not (WEB / "node_modules").is_dir():
            pytest.fail("web/node_modules is missing: run `make web` (make test does)")
    env = dict(os.environ, PYTHON=sys.executable, FORCE_COLOR="0", NO_COLOR="1")
    proc = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"{' '.join(command)} failed:\n" + (proc.stdout + proc.stderr)[-12000:]
