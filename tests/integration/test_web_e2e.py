"""The web client in a real browser: each `web/e2e/*.test.mjs` file (node:test + playwright-core driving
Debian's Chromium) against the production build the test stack's gateway serves, on the real services.
Screenshots of the screens the flows pass through land in .local/test/screenshots (`make screenshots`
refreshes docs/screenshots from a `make up` stack)."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.integration import browser_flows
from tests.integration.browser_flows import E2E_FILES

# The flows run in the background from the stack's start, beside the shared tests (browser_flows.py); these
# tests wait for each file's result and check it, and run after those shared tests (tests/conftest.py).
pytestmark = pytest.mark.background_results


@pytest.fixture(scope="module")
def web_url(stack) -> str:
    if (why := browser_flows.web_ready()) is not None:
        pytest.fail(why)
    url = f"http://127.0.0.1:{stack.ports['gateway']}"
    shell = httpx.get(url + "/", timeout=10)
    assert shell.status_code == 200 and '<div id="root">' in shell.text, "the gateway does not serve web/dist"
    return url


def test_there_are_browser_flows():
    assert len(E2E_FILES) >= 5, E2E_FILES


@pytest.mark.parametrize("spec", E2E_FILES)
def test_browser_flow(web_url, stack, spec):
    flows = browser_flows.start_once(stack)
    assert flows is not None, "the browser flows did not start"
    result = flows.result(spec)
    report = (result.stdout + result.stderr)[-12000:]
    assert result.returncode == 0, report
    passed = re.search(r"^ℹ pass (\d+)$", result.stdout, re.MULTILINE)
    assert passed and int(passed.group(1)) > 0, report  # a file whose tests never ran is no pass
