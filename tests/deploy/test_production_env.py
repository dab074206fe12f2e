"""Production mode: MOVIEREC_ENV=prod makes the stores' URLs, with credentials, mandatory (kit/config.py), and
the prod overlay sets it, requires the Secret movierec-stores, and turns GraphiQL and introspection off.
The dev overlay and the local stack keep their defaults."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from kit.config import REPO_ROOT, Settings, SettingsError, load_settings, production_problems

K8S = REPO_ROOT / "deploy" / "k8s"
STORES = {
    "DATABASE_URL": "postgresql://movierec:s3cret@db.internal:5432/movierec?sslmode=require",
    "NATS_URL": "nats://movierec:s3cret@nats.internal:4222",
    "REDIS_URL": "rediss://:s3cret@redis.internal:6379/0",
}


@pytest.fixture
def clean_env(monkeypatch):
    for name in ("MOVIEREC_ENV", *STORES):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


# ---------------------------------------------------------------- kit.config


def test_dev_keeps_the_local_defaults(clean_env):
    s = load_settings()
    assert s.movierec_env == "dev"
    assert s.database_url.startswith("postgresql://movierec@127.0.0.1:")  # the local stack, trust auth


def test_prod_with_the_stores_configured(clean_env):
    clean_env.setenv("MOVIEREC_ENV", "prod")
    for name, value in STORES.items():
        clean_env.setenv(name, value)
    s = load_settings()
    assert (s.database_url, s.nats_url, s.redis_url) == tuple(STORES.values())


def test_prod_without_the_stores_refuses_to_start(clean_env):
    clean_env.setenv("MOVIEREC_ENV", "prod")
    with pytest.raises(SettingsError) as e:
        load_settings()
    assert str(e.value).startswith(
        "MOVIEREC_ENV=prod: DATABASE_URL is not set; NATS_URL is not set; REDIS_URL is not set.")


@pytest.mark.parametrize("name,value,problem", [
    ("DATABASE_URL", "", "DATABASE_URL is empty"),
    ("DATABASE_URL", "  ", "DATABASE_URL is empty"),
    ("DATABASE_URL", "postgresql://movierec@db.internal:5432/movierec", "DATABASE_URL has no credentials"),
    ("NATS_URL", "nats://nats.internal:4222", "NATS_URL has no credentials"),
    ("REDIS_URL", "redis://redis.internal:6379/0", "REDIS_URL has no credentials"),
    ("REDIS_URL", "redis://default@redis.internal:6379/0", "REDIS_URL has no credentials"),  # a user, no password
    ("REDIS_URL", "redis://[bad", "REDIS_URL has no credentials"),  # unparsable
])
def test_prod_refuses_each_store_without_credentials(clean_env, name, value, problem):
    clean_env.setenv("MOVIEREC_ENV", "prod")
    for n, v in STORES.items():
        clean_env.setenv(n, value if n == name else v)
    with pytest.raises(SettingsError) as e:
        load_settings()
    assert f"MOVIEREC_ENV=prod: {problem}." in str(e.value)
    assert "s3cret" not in str(e.value)  # never the values


@pytest.mark.parametrize("name,value", [
    ("DATABASE_URL", "postgresql:///movierec?host=/cloudsql/x&user=movierec&password=s3cret"),  # libpq style
    ("NATS_URL", "nats://s3cret-token@nats.internal:4222"),  # a token
    ("REDIS_URL", "rediss://movierec:s3cret@redis.internal:6380/0"),  # an ACL user
])
def test_prod_accepts_other_credential_forms(name, value):
    s = Settings(movierec_env="prod", **{k.lower(): (value if k == name else v) for k, v in STORES.items()})
    assert production_problems(s) == []


def test_an_unknown_environment_is_refused(clean_env):
    clean_env.setenv("MOVIEREC_ENV", "production")
    with pytest.raises(ValueError):
        load_settings()


def test_a_service_refuses_to_start_in_prod_without_its_stores(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if k not in STORES} | {"MOVIEREC_ENV": "prod"}
    out = subprocess.run([sys.executable, "-m", "services.gateway"], env=env, cwd=REPO_ROOT,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode != 0
    assert "SettingsError: MOVIEREC_ENV=prod: DATABASE_URL is not set" in out.stderr, out.stderr[-2000:]


# ---------------------------------------------------------------- the overlays


def render(overlay: str) -> list[dict[str, Any]]:
    kubectl = Path(sys.executable).parent / "kubectl"
    out = subprocess.run([str(kubectl), "kustomize", str(K8S / "overlays" / overlay)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return [d for d in yaml.safe_load_all(out.stdout) if d]


@pytest.fixture(scope="module")
def rendered() -> dict[str, list[dict[str, Any]]]:
    return {name: render(name) for name in ("dev", "prod")}


def config(objs: list[dict]) -> dict[str, str]:
    return next(o for o in objs if o["kind"] == "ConfigMap" and o["metadata"]["name"] == "movierec-config")["data"]


def python_containers(objs: list[dict]) -> list[tuple[str, dict]]:
    """(workload/container, container) for every container that reads the ConfigMap."""
    out = []
    for o in objs:
        if o["kind"] not in ("Deployment", "Job", "CronJob", "StatefulSet"):
            continue
        template = o["spec"]["jobTemplate"]["spec"]["template"] if o["kind"] == "CronJob" else o["spec"]["template"]
        spec = template["spec"]
        for c in spec.get("initContainers", []) + spec["containers"]:
            if any(e.get("configMapRef", {}).get("name") == "movierec-config" for e in c.get("envFrom", [])):
                out.append((f"{o['metadata']['name']}/{c['name']}", c))
    return out


def stores_ref(container: dict) -> dict | None:
    return next((e["secretRef"] for e in container.get("envFrom", [])
                 if e.get("secretRef", {}).get("name") == "movierec-stores"), None)


def test_prod_overlay_sets_production_mode(rendered):
    cfg = config(rendered["prod"])
    assert cfg["MOVIEREC_ENV"] == "prod"
    assert cfg["GATEWAY_GRAPHIQL"] == "false" and cfg["GATEWAY_INTROSPECTION"] == "false"
    dev = config(rendered["dev"])
    assert dev.get("MOVIEREC_ENV", "dev") == "dev"
    assert dev.get("GATEWAY_GRAPHIQL", "true") == "true" and dev.get("GATEWAY_INTROSPECTION", "true") == "true"


def test_prod_requires_the_stores_secret_in_every_python_container(rendered):
    containers = python_containers(rendered["prod"])
    assert len(containers) >= 20  # every Deployment, Job and CronJob container and their waits
    for where, c in containers:
        ref = stores_ref(c)
        assert ref is not None, f"{where}: reads movierec-stores"
        assert ref.get("optional", False) is False, f"{where}: movierec-stores must exist in prod"
        # and the Secret comes after the ConfigMap, so its values win
        names = [e.get("configMapRef", e.get("secretRef", {})).get("name") for e in c["envFrom"]]
        assert names.index("movierec-stores") > names.index("movierec-config"), where
    for where, c in python_containers(rendered["dev"]):  # dev has no Secret: its stores are in the ConfigMap
        ref = stores_ref(c)
        assert ref is None or ref.get("optional") is True, where


def test_prod_containers_start_only_with_the_secret(rendered, clean_env):
    """What a prod container's environment resolves to, through kit.config: the ConfigMap alone (a
    Secret without the store keys) refuses to start; with the Secret's three URLs it starts."""
    cfg = config(rendered["prod"])
    for name, value in cfg.items():
        clean_env.setenv(name, value)
    with pytest.raises(SettingsError, match="DATABASE_URL is not set"):
        load_settings()
    for name, value in STORES.items():
        clean_env.setenv(name, value)
    assert load_settings().movierec_env == "prod"
    # the dev overlay's ConfigMap, on its own, is a working dev environment
    for name in cfg:
        clean_env.delenv(name, raising=False)
    for name in STORES:
        clean_env.delenv(name, raising=False)
    for name, value in config(rendered["dev"]).items():
        clean_env.setenv(name, value)
    assert load_settings().database_url == config(rendered["dev"])["DATABASE_URL"]
