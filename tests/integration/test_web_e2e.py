"""The web client in a real browser: each `web/e2e/*.test.mjs` file (node:test + playwright-core driving
Debian's Chromium) against the production build the test stack's gateway serves, on the real services.
Screenshots of the screens the flows pass through land in .local/test/screenshots (`make screenshots`
refreshes docs/screenshots from a `make up` stack)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import httpx
import pytest

from kit.config import REPO_ROOT

WEB = REPO_ROOT / "web"
E2E_FILES = sorted(p.name for p in (WEB / "e2e").glob("*.test.mjs"))
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="module")
def web_url(stack) -> str:
    if not (WEB / "dist" / "index.html").is_file():
        pytest.fail("web/dist is not built: run `make web` (make test builds it)")
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"no Chromium at {CHROMIUM}: run `make chromium` (make test installs it)")
    if shutil.which("node") is None:
        pytest.fail("node is not on PATH")
    url = f"http://127.0.0.1:{stack.ports['gateway']}"
    shell = httpx.get(url + "/", timeout=10)
    assert shell.status_code == 200 and '<div id="root">' in shell.text, "the gateway does not serve web/dist"
    return url


def test_there_are_browser_flows():
    assert len(E2E_FILES) >= 5, E2E_FILES


@pytest.mark.parametrize("spec", E2E_FILES)
def test_browser_flow(web_url, stack, spec):
    shots = stack.base / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, BASE_URL=web_url, CHROMIUM_PATH=CHROMIUM, SCREENSHOT_DIR=str(shots))
    proc = subprocess.run(
        ["node", "--test", "--test-reporter=spec", f"e2e/{spec}"],
        cwd=WEB, env=env, capture_output=True, text=True, timeout=540,
    )
    report = (proc.stdout + proc.stderr)[-12000:]
    assert proc.returncode == 0, report
    passed = re.search(r"^ℹ pass (\d+)$", proc.stdout, re.MULTILINE)
    assert passed and int(passed.group(1)) > 0, report  # a file whose tests never ran is no pass
