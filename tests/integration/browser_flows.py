"""The browser flows (`web/e2e/*.test.mjs`), run one after another in a background thread from the moment the
session stack is up, beside the Python integration tests that share the stack without stopping, restarting
or changing what the others use. `test_web_e2e.py::test_browser_flow[<file>]` waits for its file's result
and checks it; the modules marked `exclusive` (they kill services, restart stores, change the catalogue,
swap the model, or flood the gateway) run only
after every flow has ended (the order: tests/conftest.py).

Why: a flow spends much of its time waiting on the browser, the Python tests on the services; side by
side they use the second core that one alone leaves idle (docs/performance.md)."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

from kit.config import REPO_ROOT

WEB = REPO_ROOT / "web"
E2E_FILES = sorted(p.name for p in (WEB / "e2e").glob("*.test.mjs"))
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
FLOW_TIMEOUT_S = 540


@dataclass
class FlowResult:
    returncode: int
    stdout: str
    stderr: str


class BrowserFlows:
    """Runs `specs` in order against `base_url`, one node process at a time; `result(spec)` waits for one."""

    def __init__(self, base_url: str, specs: list[str], screenshots: Path) -> None:
        self.base_url = base_url
        self.specs = list(specs)
        self.screenshots = screenshots
        self._results: dict[str, FlowResult] = {}
        self._done = {spec: threading.Event() for spec in self.specs}
        self._stopped = threading.Event()
        self._proc: subprocess.Popen[str] | None = None
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="browser-flows", daemon=True)

    def start(self) -> None:
        self.screenshots.mkdir(parents=True, exist_ok=True)
        self._thread.start()

    def _run(self) -> None:
        env = dict(os.environ, BASE_URL=self.base_url, CHROMIUM_PATH=CHROMIUM, SCREENSHOT_DIR=str(self.screenshots))
        for spec in self.specs:
            try:
                with self._lock:
                    if self._stopped.is_set():
                        break
                    self._proc = subprocess.Popen(
                        ["node", "--test", "--test-reporter=spec", f"e2e/{spec}"],
                        cwd=WEB, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                    )
                try:
                    out, err = self._proc.communicate(timeout=FLOW_TIMEOUT_S)
                except subprocess.TimeoutExpired:
                    self._proc.kill()
                    out, err = self._proc.communicate()
                    err += f"\n(killed after {FLOW_TIMEOUT_S} s)"
                self._results[spec] = FlowResult(self._proc.returncode, out, err)
            except Exception as e:  # noqa: BLE001 - reported by the flow's test
                self._results[spec] = FlowResult(-1, "", f"the flow could not run: {e!r}")
            finally:
                self._done[spec].set()
        for event in self._done.values():  # stopped: the flows that never ran report so
            event.set()

    def result(self, spec: str) -> FlowResult:
        if spec not in self._done:
            raise KeyError(f"{spec} is not among the flows this run started: {self.specs}")
        self._done[spec].wait()
        return self._results.get(spec) or FlowResult(-1, "", "the run stopped before this flow began")

    def running(self) -> bool:
        return self._thread.is_alive()

    def stop(self) -> None:
        """Kill the flow running now and start no other (a run that ends early)."""
        with self._lock:
            self._stopped.set()
            if self._proc is not None and self._proc.poll() is None:
                self._proc.kill()
        if self._thread.is_alive():
            self._thread.join(30)


# ---------------------------------------------------------------- the run's flows (one per pytest process)

_selected: list[str] = []
_flows: BrowserFlows | None = None


def select(specs: list[str]) -> None:
    """The flow files this run collected (tests/integration/conftest.py, at the end of collection)."""
    _selected[:] = specs


def web_ready() -> str | None:
    """Why the flows cannot run here (None: they can)."""
    if not (WEB / "dist" / "index.html").is_file():
        return "web/dist is not built: run `make web` (make test builds it)"
    if not os.access(CHROMIUM, os.X_OK):
        return f"no Chromium at {CHROMIUM}: run `make chromium` (make test installs it)"
    if shutil.which("node") is None:
        return "node is not on PATH"
    return None


def start_once(stack) -> BrowserFlows | None:
    """The run's flows on `stack`, started at the first call (None: none selected, or they cannot run)."""
    global _flows
    if _flows is None and _selected and web_ready() is None:
        _flows = BrowserFlows(f"http://127.0.0.1:{stack.ports['gateway']}", _selected, stack.base / "screenshots")
        _flows.start()
    return _flows


def stop() -> None:
    if _flows is not None:
        _flows.stop()
