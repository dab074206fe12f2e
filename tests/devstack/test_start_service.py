"""devstack's service start: an early exit is reported with its status and its own log lines; a
process killed before it wrote anything is started once more, and only once."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from devstack.procs import free_port, pid_alive
from devstack.stack import ServiceSpec, Stack, StackAborted
from kit.config import DEFAULT_PORTS


def stack_for(tmp_path: Path, name: str) -> Stack:
    ports = dict.fromkeys(DEFAULT_PORTS, 1) | {name: free_port()}  # nothing but `name` is started
    return Stack(tmp_path / "stack", ports=ports, use_env_urls=False)


def counting(script: str, counter: Path) -> ServiceSpec:
    """A 'service' that appends a line to `counter` on every start, then runs `script`."""
    code = f"open({str(counter)!r}, 'a').write('start\\n')\n{script}"
    return ServiceSpec("fake", ("-c", code))


def test_an_early_exit_is_reported_with_its_status_and_log(tmp_path):
    stack, counter = stack_for(tmp_path, "fake"), tmp_path / "starts"
    stack.logfile("fake").parent.mkdir(parents=True)
    stack.logfile("fake").write_text("a line from an earlier run\n")
    spec = counting("print('cannot open the thing', flush=True)\nraise SystemExit(3)", counter)
    with pytest.raises(RuntimeError) as err:
        stack.start_service(spec)
    assert "fake exited at start (exit code 3)" in str(err.value)
    assert "cannot open the thing" in str(err.value)
    assert "earlier run" not in str(err.value)  # only this start's lines
    assert counter.read_text().count("start") == 1  # a failure of ours is not retried


def test_a_silent_kill_is_retried_once(tmp_path):
    stack, counter = stack_for(tmp_path, "fake"), tmp_path / "starts"
    spec = counting("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)", counter)
    with pytest.raises(RuntimeError, match=r"fake exited at start \(killed by SIGKILL\) \(the first start"):
        stack.start_service(spec)
    assert counter.read_text().count("start") == 2
    assert "starting it once more" in stack.logfile("fake").read_text()


def test_other_signals_are_not_retried(tmp_path):
    stack, counter = stack_for(tmp_path, "fake"), tmp_path / "starts"
    spec = counting("import os, signal\nos.kill(os.getpid(), signal.SIGTERM)", counter)
    with pytest.raises(RuntimeError, match=r"killed by SIGTERM"):
        stack.start_service(spec)
    assert counter.read_text().count("start") == 1


def test_a_service_that_never_listens_is_killed(tmp_path, monkeypatch):
    monkeypatch.setattr("devstack.stack.START_TIMEOUT_S", 1.0)
    stack, counter = stack_for(tmp_path, "fake"), tmp_path / "starts"
    pid_file = tmp_path / "pid"
    spec = counting(f"import os, time\nopen({str(pid_file)!r}, 'w').write(str(os.getpid()))\n"
                    "print('warming up', flush=True)\ntime.sleep(60)", counter)
    with pytest.raises(RuntimeError, match=r"did not listen.*\(killed\):\nwarming up"):
        stack.start_service(spec)
    assert not pid_alive(int(pid_file.read_text()))
    assert not stack.pidfile("fake").exists()


def test_a_silent_kill_then_a_good_start(tmp_path):
    stack, counter = stack_for(tmp_path, "fake"), tmp_path / "starts"
    port = stack.ports["fake"]
    script = (
        "import os, signal, socket, time\n"
        f"if open({str(counter)!r}).read().count('start') == 1:\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        f"s = socket.socket(); s.bind(('127.0.0.1', {port})); s.listen(); time.sleep(30)\n"
    )
    spec = counting(script, counter)
    try:
        assert stack.start_service(spec) is True
        assert counter.read_text().count("start") == 2
        assert stack.service_running(spec)
    finally:
        stack.stop_service(spec)
    assert not stack.service_running(spec)


def test_abort_stops_the_running_step_and_starts_nothing_after_it(tmp_path):
    """`Stack.abort` from another thread (the test run's background start, on Ctrl-C or -x): the step
    running now is terminated, `up` raises StackAborted, and no service is started afterwards."""
    stack = stack_for(tmp_path, "fake")
    stack.step_log = tmp_path / "logs" / "steps.log"
    errors: list[BaseException] = []

    def run() -> None:
        try:
            stack.run_module("-c", "import time; print('step started', flush=True); time.sleep(60)")
            stack.start_service(ServiceSpec("fake", ("-c", "import time; time.sleep(60)")))
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    t = threading.Thread(target=run)
    t.start()
    deadline = time.monotonic() + 20
    while "step started" not in (stack.step_log.read_text() if stack.step_log.exists() else ""):
        assert time.monotonic() < deadline, "the step did not start"
        time.sleep(0.05)
    stack.abort()
    t.join(20)
    assert not t.is_alive() and len(errors) == 1 and isinstance(errors[0], StackAborted), errors
    assert not stack.pidfile("fake").exists()
    with pytest.raises(StackAborted):
        stack.run_module("-c", "pass")


def test_steps_run_at_the_given_niceness_and_write_to_the_step_log(tmp_path):
    stack = stack_for(tmp_path, "fake")
    stack.step_log, stack.step_nice = tmp_path / "logs" / "steps.log", 7
    stack.run_module("-c", "import os; print('niceness', os.nice(0))")
    assert f"niceness {min(19, os.nice(0) + 7)}" in stack.step_log.read_text()
