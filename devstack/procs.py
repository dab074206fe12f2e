"""Start, find and stop background processes by PID file."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child counts as dead.
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ", 1)[1][0] != "Z"
    except OSError:
        return True


def read_pid(pidfile: Path, expect: str | None = None) -> int | None:
    """The live PID in a PID file, or None. With `expect`, the process's command line must contain
    it: after a reboot a stale PID file can name an unrelated process, which must not be signalled."""
    try:
        pid = int(pidfile.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    if not pid_alive(pid):
        return None
    if expect is not None:
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            return None
        if expect not in cmdline:
            return None
    return pid


def free_port() -> int:
    """A loopback port the OS has just handed out and nobody holds now (for a process started next, or as
    a port where nothing listens)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(host: str, port: int, timeout: float = 0.2) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_until(check: Callable[[], bool], timeout: float, what: str, logfile: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    tail = ""
    if logfile and logfile.exists():
        tail = "\n--- last lines of " + str(logfile) + " ---\n" + "\n".join(
            logfile.read_text(errors="replace").splitlines()[-30:]
        )
    raise TimeoutError(f"{what} not ready after {timeout:.0f}s{tail}")


def spawn(argv: list[str], pidfile: Path, logfile: Path, env: dict[str, str] | None = None,
          cwd: Path | None = None) -> subprocess.Popen:
    """Start a detached process (own session, output to logfile) and record its PID. The returned
    handle tells the caller, without any PID-file guesswork, whether the process is still alive."""
    logfile.parent.mkdir(parents=True, exist_ok=True)
    pidfile.parent.mkdir(parents=True, exist_ok=True)
    with open(logfile, "ab") as log:
        proc = subprocess.Popen(
            argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env=env, cwd=cwd, start_new_session=True,
        )
    pidfile.write_text(f"{proc.pid}\n")
    return proc


def describe_exit(returncode: int) -> str:
    """'exit code 1' or 'killed by SIGKILL' for a Popen return code."""
    if returncode < 0:
        try:
            return f"killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"killed by signal {-returncode}"
    return f"exit code {returncode}"


def stop_pid(pid: int, timeout: float = 15.0, sig: int = signal.SIGTERM) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not pid_alive(pid):
            _reap(pid)
            return
        time.sleep(0.05)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    _reap(pid)


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def stop_pidfile(pidfile: Path, timeout: float = 15.0, expect: str | None = None) -> bool:
    pid = read_pid(pidfile, expect)
    if pid is not None:
        stop_pid(pid, timeout)
    pidfile.unlink(missing_ok=True)
    return pid is not None
