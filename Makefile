# Một Cửa — two commands: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Debian packages: fonts with Vietnamese glyphs and Pango for PDF forms; Chromium for browser tests.
APT_RUN := fonts-liberation fonts-noto-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
APT_TEST := chromium
# wrk drives the HTTP load benchmarks (benchmarks/portal_lookup.py).
APT_BENCH := wrk

.PHONY: run test test-fast install install-dev apt apt-test apt-bench migrate demo worker bench clean check

$(BIN)/activate:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/activate
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/activate
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: apt $(VENV)/.installed
install-dev: apt apt-test $(VENV)/.installed-dev

# Installs those of the Debian packages $(1) that are missing (needs root or sudo; skipped when present).
define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "apt-get install$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; fi
endef

apt:
	$(call apt_install,$(APT_RUN))

apt-bench:
	$(call apt_install,$(APT_BENCH))

apt-test:
	$(call apt_install,$(APT_TEST))

migrate: install
	$(PYTHON) manage.py migrate --noinput

# Loads the demo province only into an empty database.
demo: migrate
	$(PYTHON) manage.py seed_demo --if-empty

# Serves http://$(HOST):$(PORT) with the huey worker beside it; Ctrl-C stops both.
run: demo
	@echo "Một Cửa: http://$(HOST):$(PORT)/  (tài khoản demo: xem README.md)"
	@trap 'kill 0' INT TERM EXIT; \
	$(PYTHON) manage.py run_huey --workers 2 & \
	$(PYTHON) manage.py runserver $(HOST):$(PORT)

worker: install
	$(PYTHON) manage.py run_huey --workers 2

test: install-dev
	$(PYTHON) manage.py check
	$(PYTHON) manage.py makemigrations --check --dry-run
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -q $(PYTEST_ARGS)

# Unit and integration tests only, without the browser.
test-fast: install-dev
	$(BIN)/pytest -q -m "not e2e" $(PYTEST_ARGS)

bench: install-dev apt-bench
	@for f in benchmarks/[!_]*.py; do echo "== $$f"; $(PYTHON) $$f --small || exit 1; done

clean:
	rm -rf var/*.sqlite3* var/static var/media
