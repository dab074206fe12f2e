"""The whole local stack: infrastructure, migrations, catalogue load, services.

`python -m devstack up|down|status` (what `make up` / `make down` call). Everything lives under
one base folder (`.local/` for `make up`; the test run uses its own folder and ports). When
DATABASE_URL / NATS_URL / REDIS_URL are set, those servers are used and none is started for them.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from devstack.infra import Nats, Postgres, Redis
from devstack.procs import describe_exit, port_open, read_pid, spawn, stop_pidfile, wait_until
from kit.auth import ensure_dev_secrets
from kit.config import DEFAULT_PORTS, REPO_ROOT

WEB_DIST = REPO_ROOT / "web" / "dist"   # `make web` builds it
START_TIMEOUT_S = 60.0                  # how long a service may take to listen


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    argv: tuple[str, ...]
    metrics_offset: int | None = None   # metrics port = 9100 + offset (None: serves /metrics itself)


CATALOG = ServiceSpec("catalog", ("-m", "services.catalog", "serve"), metrics_offset=1)
USERS = ServiceSpec("users", ("-m", "services.users", "serve"), metrics_offset=2)
RECOMMENDER = ServiceSpec("recommender", ("-m", "services.recommender", "serve"), metrics_offset=3)
EMBEDDER = ServiceSpec("embedder", ("-m", "services.embedder", "serve"), metrics_offset=4)
GATEWAY = ServiceSpec("gateway", ("-m", "services.gateway"), metrics_offset=None)
# Every service built so far, in start order.
SERVICES: tuple[ServiceSpec, ...] = (CATALOG, USERS, EMBEDDER, RECOMMENDER, GATEWAY)


def _in_thread(fn: Callable[[], object]) -> Callable[[], None]:
    """Start `fn` in a thread; the returned function waits for it and raises what it raised."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            fn()
        except BaseException as e:  # noqa: BLE001 - re-raised by the waiter
            errors.append(e)

    thread = threading.Thread(target=run, name=f"devstack-{getattr(fn, '__name__', 'step')}", daemon=True)
    thread.start()

    def wait() -> None:
        thread.join()
        if errors:
            raise errors[0]
    return wait


class StackAborted(RuntimeError):
    """`Stack.abort` stopped a start in progress."""


def _listener(port: int) -> str:
    import psutil

    for c in psutil.net_connections("tcp"):
        if c.laddr and c.laddr.port == port and c.status == psutil.CONN_LISTEN:
            try:
                return f"pid {c.pid}: {' '.join(psutil.Process(c.pid).cmdline())}" if c.pid else "unknown pid"
            except psutil.Error:
                return f"pid {c.pid}"
    return "no listener found"


@dataclass
class Stack:
    base: Path
    ports: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_PORTS))
    metrics_base: int = 9100
    data_dir: Path | None = None
    use_env_urls: bool = True   # honour DATABASE_URL etc. from the environment
    backfill_min_votes: int | None = None   # encode only films with this many votes (the test run)...
    backfill_low_vote_sample: tuple[int, tuple[int, ...]] = (0, ())  # ...and (every N-th by id, these ids) below
    service_env: dict[str, str] = field(default_factory=dict)  # extra env for every service
    step_log: Path | None = None   # where the one-off steps (migrate, ingest, ...) write (None: this process's output)
    step_nice: int = 0             # their niceness: a start running beside other work can yield the CPU to it

    def __post_init__(self) -> None:
        self.base = self.base.resolve()
        self.pg = Postgres(self.base, self.ports["postgres"])
        self.nats = Nats(self.base, self.ports["nats"])
        self.redis = Redis(self.base, self.ports["redis"])
        self._aborted = False
        self._steps: set[subprocess.Popen] = set()   # the one-off steps running now (the export runs beside others)

    # --- URLs and environment -------------------------------------------------------------
    def _external(self, var: str) -> str | None:
        return os.environ.get(var) if self.use_env_urls else None

    @property
    def database_url(self) -> str:
        return self._external("DATABASE_URL") or self.pg.url

    @property
    def nats_url(self) -> str:
        return self._external("NATS_URL") or self.nats.url

    @property
    def redis_url(self) -> str:
        return self._external("REDIS_URL") or self.redis.url

    def addr(self, service: str) -> str:
        return f"127.0.0.1:{self.ports[service]}"

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DATABASE_URL=self.database_url, NATS_URL=self.nats_url, REDIS_URL=self.redis_url,
            CATALOG_ADDR=self.addr("catalog"), USERS_ADDR=self.addr("users"),
            RECOMMENDER_ADDR=self.addr("recommender"), EMBEDDER_ADDR=self.addr("embedder"),
            SECRETS_DIR=str(self.base / "secrets"), RECOMMENDER_MODELS_DIR=str(self.base / "models" / "recommender"),
            PYTHONUNBUFFERED="1", PYTHONFAULTHANDLER="1",  # a crash in C code still leaves a traceback
            HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1",
        )
        env.setdefault("WEB_DIST_DIR", str(WEB_DIST))  # the gateway serves the web client when it is built
        env.update(self.service_env)
        if self.data_dir is not None:
            env["DATA_DIR"] = str(self.data_dir)
        env.update(extra)
        return env

    # --- infrastructure -------------------------------------------------------------------
    def start_infra(self) -> None:
        self.base.mkdir(parents=True, exist_ok=True)
        os.chmod(self.base, 0o755)
        if not self._external("DATABASE_URL"):
            self.pg.start()
        if not self._external("NATS_URL"):
            self.nats.start()
        if not self._external("REDIS_URL"):
            self.redis.start()

    def stop_infra(self) -> None:
        for part, var in ((self.redis, "REDIS_URL"), (self.nats, "NATS_URL"), (self.pg, "DATABASE_URL")):
            if not self._external(var):
                part.stop()

    def run_module(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        argv = [sys.executable, *args]
        if self.step_nice:
            argv = ["nice", "-n", str(self.step_nice), *argv]
        self._check_aborted()
        with contextlib.ExitStack() as files:
            out = None
            if self.step_log is not None:
                self.step_log.parent.mkdir(parents=True, exist_ok=True)
                out = files.enter_context(open(self.step_log, "ab"))
            step = subprocess.Popen(argv, env=self.env(), cwd=REPO_ROOT, stdout=out,
                                    stderr=subprocess.STDOUT if out else None)
            self._steps.add(step)
            if self._aborted:  # abort() ran between the check above and the start
                step.terminate()
            try:
                returncode = step.wait()
            finally:
                self._steps.discard(step)
        self._check_aborted()
        if check and returncode:
            raise subprocess.CalledProcessError(returncode, argv)
        return subprocess.CompletedProcess(argv, returncode)

    def abort(self) -> None:
        """Stop an `up` running in another thread: its current step is terminated and no further step or
        service starts (it raises StackAborted). What it started already stays up for `down`."""
        self._aborted = True
        self._terminate_steps()

    def _terminate_steps(self) -> None:
        for step in list(self._steps):
            if step.poll() is None:
                step.terminate()

    def _check_aborted(self) -> None:
        if self._aborted:
            raise StackAborted(f"start of the stack in {self.base} aborted")

    def migrate(self) -> None:
        self.run_module("-m", "kit.migrate")

    def load_catalogue(self) -> None:
        self.run_module("-m", "services.catalog", "ingest", "--if-empty")

    # --- services -------------------------------------------------------------------------
    def pidfile(self, name: str) -> Path:
        return self.base / "run" / f"{name}.pid"

    def logfile(self, name: str) -> Path:
        return self.base / "logs" / f"{name}.log"

    def service_pid(self, spec: ServiceSpec) -> int | None:
        return read_pid(self.pidfile(spec.name), expect=spec.argv[1])  # e.g. "services.catalog"

    def service_running(self, spec: ServiceSpec) -> bool:
        return self.service_pid(spec) is not None and port_open("127.0.0.1", self.ports[spec.name])

    def start_service(self, spec: ServiceSpec) -> bool:
        """Start one service unless it runs already; returns True when it was started.

        A service that SIGKILL ended before it wrote a single line is started once more: none of its
        own code ran far enough to fail, so the kernel (memory) or a supervisor ended it, and the note
        goes into its log. Any other early exit, a second one, or no port within 60 s raises with the
        exit status and this start's log lines (a process that never listened is killed first)."""
        if self.service_running(spec):
            return False
        self._check_aborted()
        first: str | None = None
        for attempt in (1, 2):
            error = self._start_once(spec)
            if error is None:
                return True
            returncode, tail = error
            status = describe_exit(returncode)
            if attempt == 1 and returncode == -signal.SIGKILL and not tail.strip():
                first = f"{spec.name} was {status} before it wrote a line; starting it once more"
                print(first, file=sys.stderr)
                with open(self.logfile(spec.name), "a") as log:
                    log.write(f"devstack: {first}\n")
                continue
            earlier = f" (the first start was {describe_exit(-signal.SIGKILL)} too)" if first else ""
            raise RuntimeError(f"{spec.name} exited at start ({status}){earlier}:\n{tail}")
        raise AssertionError("unreachable")

    def _start_once(self, spec: ServiceSpec) -> tuple[int, str] | None:
        """Spawn the service and wait for its port; None when it listens, else (return code, log tail)."""
        port = self.ports[spec.name]
        try:  # a process that has just exited may hold its port for a moment
            wait_until(lambda: not port_open("127.0.0.1", port), 5, f"port {port}")
        except TimeoutError:
            raise RuntimeError(f"port {port} for {spec.name} is taken by another process: {_listener(port)}") from None
        extra = {"PORT": str(port)}
        if spec.metrics_offset is not None:
            extra["METRICS_PORT"] = str(self.metrics_base + spec.metrics_offset)
        logfile = self.logfile(spec.name)
        offset = logfile.stat().st_size if logfile.exists() else 0
        proc = spawn([sys.executable, *spec.argv], self.pidfile(spec.name), logfile,
                     env=self.env(**extra), cwd=REPO_ROOT)

        def this_start() -> str:
            with open(logfile, "rb") as f:
                f.seek(offset)
                return "\n".join(f.read().decode(errors="replace").splitlines()[-30:])
        try:
            wait_until(lambda: port_open("127.0.0.1", port) or proc.poll() is not None, START_TIMEOUT_S, spec.name)
        except TimeoutError:
            proc.kill()  # never leave a half-started instance behind for the next start to collide with
            proc.wait()
            self.pidfile(spec.name).unlink(missing_ok=True)
            raise RuntimeError(f"{spec.name} did not listen on port {port} within {START_TIMEOUT_S:.0f} s "
                               f"(killed):\n{this_start()}") from None
        if proc.poll() is None:
            return None
        return proc.returncode, this_start()

    def stop_service(self, spec: ServiceSpec) -> None:
        stop_pidfile(self.pidfile(spec.name), timeout=20, expect=spec.argv[1])

    def import_movielens(self) -> None:
        """MovieLens users and ratings (needs the catalogue service for the id mapping)."""
        self.run_module("-m", "services.users", "import-movielens", "--if-empty")

    def export_model(self) -> None:
        self.run_module("-m", "services.embedder", "export")

    def backfill_vectors(self) -> None:
        extra = []
        if self.backfill_min_votes is not None:
            every, ids = self.backfill_low_vote_sample
            extra = ["--min-votes", str(self.backfill_min_votes), "--low-vote-sample", str(every),
                     "--also-ids", ",".join(map(str, ids))]
        self.run_module("-m", "services.embedder", "backfill", "--if-missing", *extra)

    def train_recommender(self) -> None:
        """A first collaborative-filtering model (needs the users service for the ratings)."""
        self.run_module("-m", "services.recommender", "train", "--if-missing")

    def up(self, load: bool = True, services: tuple[ServiceSpec, ...] = SERVICES) -> list[str]:
        """Infrastructure, secrets, migrations, catalogue, the catalogue service, MovieLens history,
        model export, vectors for every film (before the embedder starts, so its event replay finds
        them current), the users service, the embedder, a first recommender model, the rest."""
        self.start_infra()
        ensure_dev_secrets(self.base / "secrets")
        # The model export needs no database: it runs while the catalogue and the MovieLens history load
        # (on a fresh clone about 50 CPU-s of torch and ONNX Runtime beside about 20 of loading).
        wait_export = _in_thread(self.export_model) if EMBEDDER in services else None
        try:
            self.migrate()
            if load:
                self.load_catalogue()
            started = [CATALOG.name] if self.start_service(CATALOG) else []
            if load and USERS in services:
                self.import_movielens()
        except BaseException:
            if wait_export is not None:  # do not leave it running
                self._terminate_steps()
                with contextlib.suppress(BaseException):
                    wait_export()
            raise
        if wait_export is not None:
            wait_export()
            if load:
                self.backfill_vectors()
        for spec in services:
            if spec is CATALOG:
                continue
            if spec is RECOMMENDER:
                self.train_recommender()
            if self.start_service(spec):
                started.append(spec.name)
        return started

    def down(self) -> None:
        for spec in reversed(SERVICES):
            self.stop_service(spec)
        self.stop_infra()

    def status(self) -> dict[str, bool]:
        out = {s.name: self.service_running(s) for s in SERVICES}
        out |= {"postgres": self.pg.running(), "nats": self.nats.running(), "redis": self.redis.running()}
        return out
