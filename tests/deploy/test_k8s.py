"""Offline checks of the deployment (deploy/k8s, the Dockerfiles): no cluster, no Docker engine.

Every overlay is rendered with `kubectl kustomize`, every rendered object is validated against the pinned
Kubernetes version (kubernetes-validate, strict), and the policies of docs/deploy.md are asserted over
every object: probes, requests and limits, non-root and read-only root filesystems, pinned images,
NetworkPolicies (evaluated, not just listed), the GPU embedder in prod, no secret material, the wiring
between the manifests and the code (ports, env, secret file names, entry points), and that each runtime
image's trimmed dependency set still imports its service.
"""

from __future__ import annotations

import copy
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from kit import auth
from kit.config import DEFAULT_PORTS, REPO_ROOT

K8S = REPO_ROOT / "deploy" / "k8s"
CHECK_SCRIPT = REPO_ROOT / "scripts" / "k8s_check.sh"
OVERLAYS = sorted(p.name for p in (K8S / "overlays").iterdir() if (p / "kustomization.yaml").is_file())
WORKLOADS = {"Deployment", "StatefulSet", "Job", "CronJob"}
GRPC_SERVICES = ("catalog", "users", "recommender", "embedder")
PY_IMAGES = ("catalog", "users", "recommender", "embedder", "gateway")
VENV_BIN = Path(sys.executable).parent

# readOnlyRootFilesystem is required of every container: none needs exceptions. The Python images write
# nothing outside /tmp (HOME=/tmp, PYTHONDONTWRITEBYTECODE, byte code compiled at build time), nginx and
# NATS/Redis/PostgreSQL write only to their volumes and emptyDirs. An entry here must say why.
READ_WRITE_ROOT_EXCEPTIONS: dict[str, str] = {}


# ---------------------------------------------------------------- rendering


def _tool(name: str) -> str:
    path = VENV_BIN / name
    if path.is_file() and os.access(path, os.X_OK):
        return str(path)
    found = shutil.which(name)
    if not found:
        pytest.fail(f"{name} not found: `make install` puts it in .venv (dev extras)")
    return found


def pinned_k8s_version() -> str:
    m = re.search(r"K8S_VERSION=\$\{K8S_VERSION:-([0-9.]+)\}", CHECK_SCRIPT.read_text())
    assert m, "scripts/k8s_check.sh pins the Kubernetes version as K8S_VERSION=${K8S_VERSION:-X.Y.Z}"
    return m.group(1)


def render(overlay: str) -> list[dict[str, Any]]:
    out = subprocess.run([_tool("kubectl"), "kustomize", str(K8S / "overlays" / overlay)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return [d for d in yaml.safe_load_all(out.stdout) if d]


@pytest.fixture(scope="module")
def rendered() -> dict[str, list[dict[str, Any]]]:
    return {name: render(name) for name in OVERLAYS}


def by_kind(objs: list[dict], kind: str) -> dict[str, dict]:
    return {o["metadata"]["name"]: o for o in objs if o["kind"] == kind}


def pod_spec(obj: dict) -> dict:
    if obj["kind"] == "CronJob":
        return obj["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return obj["spec"]["template"]["spec"]


def pod_labels(obj: dict) -> dict:
    if obj["kind"] == "CronJob":
        return obj["spec"]["jobTemplate"]["spec"]["template"]["metadata"]["labels"]
    return obj["spec"]["template"]["metadata"]["labels"]


def containers(obj: dict, init: bool = True) -> list[dict]:
    spec = pod_spec(obj)
    return (spec.get("initContainers", []) if init else []) + spec["containers"]


def workloads(objs: list[dict]) -> list[dict]:
    return [o for o in objs if o["kind"] in WORKLOADS]


def ours(obj: dict) -> bool:
    """A movierec workload (not an in-cluster store of the dev overlay)."""
    return pod_labels(obj).get("app.kubernetes.io/component") != "store"


def config(objs: list[dict]) -> dict[str, str]:
    return by_kind(objs, "ConfigMap")["movierec-config"]["data"]


def env_of(container: dict) -> dict[str, str]:
    return {e["name"]: e.get("value", "") for e in container.get("env", [])}


_QUANTITY = re.compile(r"^([0-9.]+)([a-zA-Z]*)$")
_UNITS = {"": 1, "m": 1e-3, "k": 1e3, "M": 1e6, "G": 1e9, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30}


def quantity(q: str | int) -> float:
    m = _QUANTITY.match(str(q))
    assert m and m.group(2) in _UNITS, f"unparsable quantity {q!r}"
    return float(m.group(1)) * _UNITS[m.group(2)]


# ---------------------------------------------------------------- validation


def test_both_overlays_render(rendered: dict) -> None:
    assert {"dev", "prod"} <= set(rendered)
    for name, objs in rendered.items():
        kinds = {o["kind"] for o in objs}
        assert {"Deployment", "Service", "ConfigMap", "ServiceAccount", "Job", "NetworkPolicy",
                "PodDisruptionBudget", "Namespace"} <= kinds, (name, kinds)
        assert all(o["metadata"].get("namespace") for o in objs if o["kind"] != "Namespace"), name


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_object_valid_against_pinned_kubernetes(rendered: dict, overlay: str) -> None:
    import kubernetes_validate

    version = pinned_k8s_version()
    errors = []
    for obj in rendered[overlay]:
        try:
            kubernetes_validate.validate(obj, version, strict=True)
        except kubernetes_validate.ValidationError as e:
            errors.append(f"{obj['kind']}/{obj['metadata']['name']}: {e.message}")
    assert not errors, "\n".join(errors)


def test_validator_rejects_a_misspelt_field(rendered: dict) -> None:
    """The strict validation above can fail: an unknown field in a rendered Deployment is refused."""
    import kubernetes_validate

    bad = copy.deepcopy(by_kind(rendered["prod"], "Deployment")["gateway"])
    bad["spec"]["template"]["spec"]["containers"][0]["readinesProbe"] = bad["spec"]["template"]["spec"][
        "containers"][0].pop("readinessProbe")
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(bad, pinned_k8s_version(), strict=True)


def test_k8s_check_script_passes() -> None:
    """`make k8s-check`: render + strict validation of every overlay and the Secret template, hadolint."""
    env = {**os.environ, "VENV_BIN": str(VENV_BIN)}
    out = subprocess.run(["bash", str(CHECK_SCRIPT)], capture_output=True, text=True, env=env, timeout=300,
                         cwd=REPO_ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
    for overlay in OVERLAYS:
        assert f"overlay {overlay}:" in out.stdout
    assert "Dockerfiles clean" in out.stdout


# ---------------------------------------------------------------- container policies


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_long_running_containers_have_probes(rendered: dict, overlay: str) -> None:
    for obj in rendered[overlay]:
        if obj["kind"] not in {"Deployment", "StatefulSet"}:
            continue
        for c in containers(obj, init=False):
            where = f"{overlay} {obj['kind']}/{obj['metadata']['name']}/{c['name']}"
            assert "readinessProbe" in c and "livenessProbe" in c, where
    deployments = by_kind(rendered[overlay], "Deployment")
    for name in GRPC_SERVICES:  # the standard grpc.health.v1 service, Kubernetes' native gRPC probes
        c = deployments[name]["spec"]["template"]["spec"]["containers"][0]
        port = next(p["containerPort"] for p in c["ports"] if p["name"] == "grpc")
        for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
            assert c[probe].get("grpc", {}).get("port") == port, (overlay, name, probe)
    gw = deployments["gateway"]["spec"]["template"]["spec"]["containers"][0]
    assert gw["readinessProbe"]["httpGet"]["path"] == "/healthz"
    assert gw["livenessProbe"]["httpGet"]["path"] == "/livez"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_container_has_requests_and_limits(rendered: dict, overlay: str) -> None:
    for obj in workloads(rendered[overlay]):
        for c in containers(obj):
            where = f"{overlay} {obj['metadata']['name']}/{c['name']}"
            res = c.get("resources", {})
            for kind in ("requests", "limits"):
                for r in ("cpu", "memory"):
                    assert r in res.get(kind, {}), f"{where}: no {kind}.{r}"
            for r in ("cpu", "memory"):
                assert quantity(res["requests"][r]) <= quantity(res["limits"][r]), f"{where}: {r} request > limit"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_container_non_root_no_privileges_read_only_root(rendered: dict, overlay: str) -> None:
    for obj in workloads(rendered[overlay]):
        spec = pod_spec(obj)
        pod_sec = spec.get("securityContext", {})
        assert spec.get("automountServiceAccountToken") is False, obj["metadata"]["name"]
        for c in containers(obj):
            where = f"{overlay} {obj['metadata']['name']}/{c['name']}"
            sec = {**pod_sec, **c.get("securityContext", {})}
            assert sec.get("runAsNonRoot") is True, where
            assert sec.get("runAsUser", 0) != 0, where
            assert sec.get("allowPrivilegeEscalation") is False, where
            assert sec.get("capabilities", {}).get("drop") == ["ALL"], where
            assert sec.get("seccompProfile", {}).get("type") == "RuntimeDefault", where
            if c["name"] not in READ_WRITE_ROOT_EXCEPTIONS:
                assert sec.get("readOnlyRootFilesystem") is True, where
            if ours(obj) and c["name"] != "data":  # the Python images and nginx write to /tmp only
                assert any(m["mountPath"] == "/tmp" for m in c.get("volumeMounts", [])), f"{where}: no /tmp"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_images_pinned_never_latest(rendered: dict, overlay: str) -> None:
    for obj in workloads(rendered[overlay]):
        for c in containers(obj):
            image = c["image"]
            name, _, digest = image.partition("@")
            last = name.rsplit("/", 1)[-1]
            assert digest or ":" in last, f"{overlay}: untagged image {image}"
            assert not last.endswith(":latest"), f"{overlay}: latest tag {image}"
            if ours(obj):
                # kustomize's images transformer applied: the overlay's registry, not a bare base name
                assert not image.startswith("movierec/"), f"{overlay}: {image} not mapped to a registry"


# ---------------------------------------------------------------- network policies


def _selects(selector: dict, labels: dict) -> bool:
    for k, v in selector.get("matchLabels", {}).items():
        if labels.get(k) != v:
            return False
    for e in selector.get("matchExpressions", []):
        val = labels.get(e["key"])
        if e["operator"] == "In" and val not in e["values"]:
            return False
        if e["operator"] == "NotIn" and val in e["values"]:
            return False
        if e["operator"] == "Exists" and e["key"] not in labels:
            return False
    return True


def _port_ok(rule: dict, port: int) -> bool:
    return not rule.get("ports") or any(p.get("port") == port for p in rule["ports"])


def _peer_pod(peers: list[dict], labels: dict) -> bool:
    """A same-namespace pod matches one of the peers (no peers: everything)."""
    if not peers:
        return True
    return any("podSelector" in p and "namespaceSelector" not in p and _selects(p["podSelector"], labels)
               for p in peers)


def allowed(policies: list[dict], src: dict, dst: dict, port: int) -> bool:
    """NetworkPolicy semantics for two pods of the namespace: the source's egress AND the target's ingress."""
    def side(direction: str, subject: dict, peer: dict, key: str) -> bool:
        applying = [p for p in policies if direction in p["spec"].get("policyTypes", ["Ingress"])
                    and _selects(p["spec"]["podSelector"], subject)]
        if not applying:
            return True
        return any(_port_ok(r, port) and _peer_pod(r.get(key, []), peer)
                   for p in applying for r in p["spec"].get(direction.lower(), []))

    return side("Egress", src, dst, "to") and side("Ingress", dst, src, "from")


def _pods(objs: list[dict]) -> dict[str, dict]:
    return {o["metadata"]["name"]: pod_labels(o) for o in workloads(objs)}


def test_network_policies_dev(rendered: dict) -> None:
    objs = rendered["dev"]
    pol = list(by_kind(objs, "NetworkPolicy").values())
    pods = _pods(objs)
    ok = lambda a, b, port: allowed(pol, pods[a], pods[b], port)  # noqa: E731

    deny = by_kind(objs, "NetworkPolicy")["default-deny"]["spec"]
    assert deny["podSelector"] == {} and set(deny["policyTypes"]) == {"Ingress", "Egress"}
    # the gateway reaches the services it calls, the web client nothing
    for svc in ("catalog", "users", "recommender"):
        assert ok("gateway", svc, DEFAULT_PORTS[svc]), svc
        assert not ok("web", svc, DEFAULT_PORTS[svc]), svc
    assert not ok("gateway", "embedder", DEFAULT_PORTS["embedder"])
    # service-to-service calls the code makes, and no others
    assert ok("users", "catalog", DEFAULT_PORTS["catalog"])
    assert ok("recommender", "catalog", DEFAULT_PORTS["catalog"])
    assert ok("recommender", "users", DEFAULT_PORTS["users"])
    assert ok("recommender", "embedder", DEFAULT_PORTS["embedder"])
    assert not ok("catalog", "users", DEFAULT_PORTS["users"])
    assert not ok("users", "recommender", DEFAULT_PORTS["recommender"])
    assert not ok("embedder", "recommender", DEFAULT_PORTS["recommender"])
    assert not ok("catalog", "recommender", DEFAULT_PORTS["recommender"])
    # Jobs reach what they read
    assert ok("users-import", "catalog", DEFAULT_PORTS["catalog"])
    assert ok("embedder-backfill", "catalog", DEFAULT_PORTS["catalog"])
    assert ok("recommender-train", "users", DEFAULT_PORTS["users"])
    assert ok("recommender-retrain", "users", DEFAULT_PORTS["users"])
    assert not ok("migrate", "users", DEFAULT_PORTS["users"])
    # the services reach their stores and nothing else does
    pg, nats, redis = ("postgres", 5432), ("nats", 4222), ("redis", 6379)
    uses = {
        "catalog": {pg, nats}, "users": {pg, nats, redis}, "recommender": {pg, nats, redis},
        "embedder": {pg, nats}, "gateway": {nats, redis}, "web": set(), "migrate": {pg},
        "catalog-ingest": {pg}, "users-import": {pg}, "embedder-backfill": {pg}, "recommender-train": {pg},
    }
    for workload, stores in uses.items():
        for store in (pg, nats, redis):
            assert ok(workload, *store) == (store in stores), (workload, store)
    # stores reach nothing
    for store in ("postgres", "nats", "redis"):
        assert not ok(store, "catalog", DEFAULT_PORTS["catalog"])
    # the public edge admits only the ingress controller's namespace
    for name in ("gateway", "web"):
        rules = by_kind(objs, "NetworkPolicy")[name]["spec"]["ingress"]
        assert all("namespaceSelector" in peer and "podSelector" not in peer for r in rules for peer in r["from"])


def test_network_policies_prod_stores_external(rendered: dict) -> None:
    nps = by_kind(rendered["prod"], "NetworkPolicy")
    assert not {"postgres", "nats", "redis"} & set(by_kind(rendered["prod"], "StatefulSet")), "no stores in prod"
    for name, port in (("egress-postgres", 5432), ("egress-nats", 4222), ("egress-redis", 6379)):
        rules = nps[name]["spec"]["egress"]
        assert rules and all(set(peer) == {"ipBlock"} for r in rules for peer in r["to"]), name
        assert all(_port_ok(r, port) and len(r["ports"]) == 1 for r in rules), name
    # the service-to-service matrix is the base's, unchanged
    pol, pods = list(nps.values()), _pods(rendered["prod"])
    assert allowed(pol, pods["gateway"], pods["recommender"], DEFAULT_PORTS["recommender"])
    assert not allowed(pol, pods["web"], pods["catalog"], DEFAULT_PORTS["catalog"])


# ---------------------------------------------------------------- GPU, scaling, secrets, wiring


def test_prod_embedder_on_gpu_dev_on_cpu(rendered: dict) -> None:
    prod = rendered["prod"]
    gpu_workloads = [by_kind(prod, "Deployment")["embedder"], by_kind(prod, "Job")["embedder-backfill"]]
    for obj in gpu_workloads:
        spec = pod_spec(obj)
        c = spec["containers"][0]
        assert int(c["resources"]["limits"]["nvidia.com/gpu"]) >= 1, obj["metadata"]["name"]
        assert spec["nodeSelector"].get("nvidia.com/gpu.present") == "true"
        assert any(t["key"] == "nvidia.com/gpu" and t["effect"] == "NoSchedule" for t in spec["tolerations"])
        assert c["image"].endswith("-gpu"), c["image"]
    # one model file and precision for the service and the backfill (vectors are never mixed)
    assert config(prod)["EMBEDDER_PRECISION"] == "fp32"
    assert len({c["image"] for obj in gpu_workloads for c in containers(obj, init=False)}) == 1
    for overlay, objs in rendered.items():
        for obj in workloads(objs):
            if overlay == "prod" and obj in gpu_workloads:
                continue
            for c in containers(obj):
                assert "nvidia.com/gpu" not in c["resources"].get("limits", {}), (overlay, obj["metadata"]["name"])


def test_autoscalers_and_disruption_budgets(rendered: dict) -> None:
    for overlay, objs in rendered.items():
        deployments = by_kind(objs, "Deployment")
        hpas = by_kind(objs, "HorizontalPodAutoscaler")
        for hpa in hpas.values():
            target = hpa["spec"]["scaleTargetRef"]["name"]
            assert target in deployments and "replicas" not in deployments[target]["spec"], (overlay, target)
        for name in ("gateway", "recommender"):
            assert "replicas" not in deployments[name]["spec"], "the autoscaler owns replicas"
        pdbs = list(by_kind(objs, "PodDisruptionBudget").values())
        for name, d in deployments.items():
            if d["spec"]["template"]["metadata"]["labels"].get("app.kubernetes.io/component") == "store":
                continue
            labels = d["spec"]["template"]["metadata"]["labels"]
            assert any(_selects(p["spec"]["selector"], labels) for p in pdbs), (overlay, name)
    prod_hpas = by_kind(rendered["prod"], "HorizontalPodAutoscaler")
    assert set(prod_hpas) == {"gateway", "recommender"}
    assert all(h["spec"]["minReplicas"] >= 2 for h in prod_hpas.values())
    for name in ("catalog", "users", "embedder", "web"):
        assert by_kind(rendered["prod"], "Deployment")[name]["spec"]["replicas"] >= 2, name
    for name, d in by_kind(rendered["dev"], "Deployment").items():
        assert d["spec"].get("replicas", 1) == 1, name
    assert not by_kind(rendered["dev"], "HorizontalPodAutoscaler")


def test_no_secret_material_rendered(rendered: dict) -> None:
    for overlay, objs in rendered.items():
        assert not by_kind(objs, "Secret"), f"{overlay} renders a Secret: create them out of band"
        text = yaml.safe_dump_all(objs)
        assert "PRIVATE KEY" not in text and "BEGIN " not in text, overlay
        for key, value in config(objs).items():  # no credentials in a URL of the ConfigMap
            assert not re.search(r"://[^/@\s]*:[^/@\s]+@", value), (overlay, key)
    template = list(yaml.safe_load_all((K8S / "base" / "secret.template.yaml").read_text()))
    assert {t["metadata"]["name"] for t in template} == {"movierec-secrets", "movierec-stores"}
    for t in template:
        for key, value in t["stringData"].items():
            assert value.startswith("<") and value.endswith(">"), f"{key}: a placeholder, not a value"
    names = set(template[0]["stringData"])
    assert names == {auth.PRIVATE_KEY_FILE, auth.PUBLIC_KEY_FILE, auth.INTERNAL_TOKEN_FILE}
    base = (K8S / "base" / "kustomization.yaml").read_text()
    assert "secret.template.yaml" not in yaml.safe_load(base)["resources"]


def test_secret_files_least_privilege(rendered: dict) -> None:
    """Each workload mounts only the kit/auth.py files it reads, at SECRETS_DIR."""
    want = {
        "users": {auth.PRIVATE_KEY_FILE, auth.PUBLIC_KEY_FILE, auth.INTERNAL_TOKEN_FILE},
        "gateway": {auth.PUBLIC_KEY_FILE, auth.INTERNAL_TOKEN_FILE},
        "recommender": {auth.INTERNAL_TOKEN_FILE},
        "recommender-train": {auth.INTERNAL_TOKEN_FILE},
        "recommender-retrain": {auth.INTERNAL_TOKEN_FILE},
    }
    for overlay, objs in rendered.items():
        secrets_dir = config(objs)["SECRETS_DIR"]
        for obj in workloads(objs):
            name = obj["metadata"]["name"]
            volumes = {v["name"]: v for v in pod_spec(obj).get("volumes", [])}
            files: set[str] = set()
            for v in volumes.values():
                if "secret" in v:
                    assert v["secret"]["secretName"] == "movierec-secrets"
                    items = v["secret"].get("items")
                    assert items, f"{name}: mount only the keys it needs"
                    assert all(i["key"] == i["path"] for i in items)
                    files |= {i["key"] for i in items}
                    mounts = [m for c in containers(obj) for m in c.get("volumeMounts", []) if m["name"] == v["name"]]
                    assert mounts and all(m["mountPath"] == secrets_dir and m.get("readOnly") for m in mounts)
            assert files == want.get(name, set()), (overlay, name, files)


def test_ports_env_and_services_match_the_code(rendered: dict) -> None:
    for overlay, objs in rendered.items():
        cfg, services, deployments = config(objs), by_kind(objs, "Service"), by_kind(objs, "Deployment")
        assert cfg["HOST"] == "0.0.0.0"  # the default, 127.0.0.1, is unreachable from other pods
        for name in (*GRPC_SERVICES, "gateway"):
            port = DEFAULT_PORTS[name]
            c = deployments[name]["spec"]["template"]["spec"]["containers"][0]
            assert env_of(c)["PORT"] == str(port), (overlay, name)
            assert port in {p["containerPort"] for p in c["ports"]}
            assert port in {p["port"] for p in services[name]["spec"]["ports"]}
            assert _selects({"matchLabels": services[name]["spec"]["selector"]},
                            deployments[name]["spec"]["template"]["metadata"]["labels"])
            if name != "gateway":
                assert cfg[f"{name.upper()}_ADDR"] == f"{name}:{port}", (overlay, name)
        for obj in workloads(objs):
            if not ours(obj):
                continue
            for c in containers(obj):
                if c["image"].split("/")[-1].startswith(("data:", "web:")):
                    continue
                refs = [e.get("configMapRef", {}).get("name") for e in c.get("envFrom", [])]
                assert "movierec-config" in refs, (overlay, obj["metadata"]["name"], c["name"])
    dev_cfg = config(rendered["dev"])
    dev_services = by_kind(rendered["dev"], "Service")
    for var, svc, port in (("DATABASE_URL", "postgres", 5432), ("NATS_URL", "nats", 4222),
                           ("REDIS_URL", "redis", 6379)):
        assert f"{svc}:{port}" in dev_cfg[var] and port in {p["port"] for p in dev_services[svc]["spec"]["ports"]}
    assert not {"DATABASE_URL", "NATS_URL", "REDIS_URL"} & set(config(rendered["prod"])), "prod: from the Secret"


def test_jobs_entry_points_and_waits(rendered: dict) -> None:
    for overlay, objs in rendered.items():
        jobs = by_kind(objs, "Job")
        argv = {n: (c.get("command", []) + c.get("args", [])) for n, j in jobs.items()
                for c in containers(j, init=False)}
        assert argv["migrate"] == ["python", "-m", "kit.migrate"]
        assert argv["catalog-ingest"] == ["ingest", "--if-empty"]
        assert argv["users-import"] == ["import-movielens", "--if-empty"]
        assert argv["embedder-backfill"] == ["backfill", "--if-missing"]
        assert argv["recommender-train"] == ["train", "--if-missing"]
        images = {n: containers(j, init=False)[0]["image"] for n, j in jobs.items()}
        for job, image in (("migrate", "catalog"), ("catalog-ingest", "catalog"), ("users-import", "users"),
                           ("embedder-backfill", "embedder"), ("recommender-train", "recommender")):
            assert f"/{image}:" in images[job], (job, images[job])
        cron = by_kind(objs, "CronJob")["recommender-retrain"]
        assert cron["spec"]["concurrencyPolicy"] == "Forbid"
        assert "python -m services.recommender train\n" in containers(cron)[0]["command"][-1]
        # every service with a schema waits for the migrations before it starts
        for name in GRPC_SERVICES:
            init = pod_spec(by_kind(objs, "Deployment")[name]).get("initContainers", [])
            assert any(c["command"][-1] == "migrations" for c in init), (overlay, name)
        # the data for the loaders comes from the data image
        for job in ("catalog-ingest", "users-import"):
            init = pod_spec(jobs[job])["initContainers"]
            assert any("/data:" in c["image"] for c in init), job


def test_recommender_models_volume(rendered: dict) -> None:
    for overlay, objs in rendered.items():
        models_dir = config(objs)["RECOMMENDER_MODELS_DIR"]
        assert config(objs)["RECOMMENDER_RETRAIN_INTERVAL_S"] == "0", "the CronJob trains, not the replicas"
        readers = [by_kind(objs, "Deployment")["recommender"]]
        writers = [by_kind(objs, "Job")["recommender-train"], by_kind(objs, "CronJob")["recommender-retrain"]]
        for obj in readers + writers:
            claim = next(v for v in pod_spec(obj)["volumes"] if "persistentVolumeClaim" in v)
            assert claim["persistentVolumeClaim"]["claimName"] == "recommender-models"
            mount = next(m for c in containers(obj, init=False) for m in c["volumeMounts"]
                         if m["name"] == claim["name"])
            assert mount["mountPath"] == models_dir
            assert bool(mount.get("readOnly")) == (obj in readers), (overlay, obj["metadata"]["name"])
    prod_pvc = by_kind(rendered["prod"], "PersistentVolumeClaim")["recommender-models"]
    assert prod_pvc["spec"]["accessModes"] == ["ReadWriteMany"], "every replica on any node reads it"


# ---------------------------------------------------------------- images


def _stages(dockerfile: Path) -> dict[str, str]:
    """Stage name (or its index) -> its text."""
    text = dockerfile.read_text()
    parts = re.split(r"(?m)^FROM\s+", text)
    out = {}
    for i, part in enumerate(parts[1:]):
        first = part.splitlines()[0]
        m = re.search(r"\bAS\s+(\S+)", first, re.IGNORECASE)
        out[m.group(1) if m else str(i)] = "FROM " + part
    return out


def test_dockerfiles_per_service() -> None:
    runtime_stage = {name: ["runtime"] for name in ("catalog", "users", "recommender", "gateway")}
    runtime_stage["embedder"] = ["cpu", "gpu"]
    for name, stages_wanted in runtime_stage.items():
        path = REPO_ROOT / "services" / name / "Dockerfile"
        text = path.read_text()
        stages = _stages(path)
        assert f"requirements.py {name}" in text, name
        for arg in re.findall(r"(?m)^ARG \w+_IMAGE=(\S+)", text):  # base images: explicit tags
            assert ":" in arg.rsplit("/", 1)[-1] and not arg.endswith(":latest"), (name, arg)
        for stage in stages_wanted:
            body = stages[stage]
            assert re.search(r"(?m)^USER 10001:10001$", body), (name, stage)
            assert not re.search(r"torch|transformers|build-essential|gcc|apt-get install", body), (name, stage)
            assert "pip install" not in body, f"{name}/{stage}: the runtime stage copies a built env"
    embedder = _stages(REPO_ROOT / "services" / "embedder" / "Dockerfile")
    assert "--export" in embedder["model-export"] and "services.embedder.model.export" in embedder["model-export"]
    assert "nvidia/cuda" in embedder["gpu"] or "CUDA_IMAGE" in embedder["gpu"]
    assert "--gpu" in embedder["build-gpu"]
    assert "COPY --from=model /model /app/model" in embedder["cpu"] and "COPY --from=model" in embedder["gpu"]
    web = (REPO_ROOT / "web" / "Dockerfile").read_text()
    assert "npm ci" in web and "nginx-unprivileged" in web and re.search(r"(?m)^USER 101", web)


def _drops() -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    sys.path.insert(0, str(REPO_ROOT / "deploy" / "docker"))
    try:
        import requirements as reqs  # deploy/docker/requirements.py
    finally:
        sys.path.pop(0)
    for service in reqs.DROP:  # raises when a dropped name is no longer a dependency
        reqs.requirements(service)
    return reqs.DROP, reqs.DROP_ALWAYS


ENTRY_MODULES = {
    "catalog": ["services.catalog.__main__", "services.catalog.ingest.loader", "kit.migrate", "kit.outbox"],
    "users": ["services.users.__main__", "services.users.movielens"],
    "recommender": ["services.recommender.__main__", "services.recommender.offline.training",
                    "services.recommender.serving"],
    "embedder": ["services.embedder.__main__", "services.embedder.model.encoder", "services.embedder.servicer",
                 "services.embedder.backfill"],
    "gateway": ["services.gateway.__main__", "services.gateway.app"],
}
# deploy/docker/wait_for.py, the init containers of every image but the gateway's
WAIT_MODULES = ["alembic.runtime.migration", "alembic.script", "sqlalchemy", "psycopg",
                "grpc_health.v1.health_pb2_grpc"]


@pytest.mark.parametrize("service", PY_IMAGES)
def test_runtime_image_dependencies_import_the_service(service: str) -> None:
    """Each image installs pyproject's dependencies less deploy/docker/requirements.py's drop list: the
    service's entry points must import with the dropped distributions' modules blocked."""
    try:
        import movierec  # noqa: F401  (gen/python, made by make proto)
    except ImportError:
        pytest.fail("gen/python missing: run make proto")
    drop, always = _drops()
    dropped = {re.sub(r"[-_.]+", "-", d).lower() for d in drop[service] | always} | {"psutil"}
    blocked = sorted(mod for mod, dists in importlib.metadata.packages_distributions().items()
                     if all(re.sub(r"[-_.]+", "-", d).lower() in dropped for d in dists))
    modules = ENTRY_MODULES[service] + ([] if service == "gateway" else WAIT_MODULES)
    code = textwrap.dedent(f"""
        import importlib, importlib.abc, sys
        BLOCKED = set({json.dumps(blocked)})
        class Block(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path, target=None):
                if name.split(".")[0] in BLOCKED:
                    raise ImportError(f"{{name}} is not in the {service} image")
                return None
        sys.meta_path.insert(0, Block())
        for m in {json.dumps(modules)}:
            importlib.import_module(m)
        print("ok")
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, timeout=120)
    assert out.returncode == 0 and out.stdout.strip().endswith("ok"), out.stderr[-3000:]


def test_gateway_trusts_x_forwarded_for_only_from_the_ingress_range(rendered: dict) -> None:
    """The client must not pick its own address (the sign-in throttle and the rate limits count by it):
    no `FORWARDED_ALLOW_IPS=*`, and each overlay names the ingress controller's CIDRs, which parse
    as the gateway parses them and are neither everything nor loopback-only."""
    from services.gateway.client_address import parse_trusted_proxies

    for overlay, objs in rendered.items():
        gw = by_kind(objs, "Deployment")["gateway"]["spec"]["template"]["spec"]["containers"][0]
        assert "FORWARDED_ALLOW_IPS" not in env_of(gw), overlay
        assert "GATEWAY_TRUSTED_PROXIES" not in env_of(gw), (overlay, "set in the overlay's ConfigMap")
        networks = parse_trusted_proxies(config(objs)["GATEWAY_TRUSTED_PROXIES"])
        assert networks, overlay
        for net in networks:
            assert net.prefixlen >= 8 and not net.is_loopback, (overlay, str(net))
