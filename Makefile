# Värna. `make run` sets everything up and serves the demo; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
APP_LOCALES := $(wildcard src/varna/locale src/varna/*/locale)
export DJANGO_SETTINGS_MODULE ?= varna.settings.dev

.PHONY: run install assets messages migrate demo test crawl test-idps lint typecheck bench bench-smoke lock makemessages check-deploy audit api-fuzz clean

run: install assets messages migrate demo
	$(MANAGE) runserver 127.0.0.1:8000

$(BIN)/.installed: pyproject.toml constraints.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

install: $(BIN)/.installed

src/varna/static/vendor/.built: frontend/package.json frontend/package-lock.json frontend/copy-assets.sh
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	frontend/copy-assets.sh
	touch $@

assets: src/varna/static/vendor/.built

# Compile every app's Swedish/English catalogue (pure Python, no gettext needed).
messages: install
	@for dir in $(APP_LOCALES) src/varna/locale; do $(BIN)/pybabel compile --statistics -D django -d $$dir 2>&1 | grep -v '^$$' || exit 1; done

makemessages: install
	@for app in $(dir $(APP_LOCALES)); do (cd $$app && $(CURDIR)/$(BIN)/python $(CURDIR)/manage.py makemessages -l sv -l en --no-obsolete --add-location file >/dev/null) || exit 1; done

migrate: install
	mkdir -p var
	$(MANAGE) migrate --no-input

demo: migrate
	$(MANAGE) load_demo

lint: install
	$(BIN)/ruff check src tests $(wildcard benchmarks)

# mypy with django-stubs over src/ (configured in pyproject.toml); 0 errors, checked by `make test` too.
typecheck: install
	$(BIN)/mypy

# The identity providers the SSO tests start on loopback (npm oidc-provider; pinned in its package-lock.json).
tests/sso/idp/node_modules/.installed: tests/sso/idp/package.json tests/sso/idp/package-lock.json
	cd tests/sso/idp && npm ci --no-audit --no-fund --loglevel=error
	touch $@

test-idps: tests/sso/idp/node_modules/.installed

test: install assets messages test-idps
	scripts/system-deps.sh
	$(BIN)/ruff check src tests $(wildcard benchmarks)
	$(BIN)/mypy
	DJANGO_SETTINGS_MODULE=varna.settings.test $(BIN)/python -m pytest -n 2 --dist loadgroup -q -m "not browser" $(PYTEST_ARGS)
	@# Browser tests: two workers, whole files each; a worker runs one Playwright, one live server (a free port)
	@# and one test database. The guide's own browser suite runs its own demo server, in a process of its own.
	DJANGO_SETTINGS_MODULE=varna.settings.test $(BIN)/python -m pytest -n 2 --dist loadfile -q -m "browser and not crawl" tests/browser $(PYTEST_ARGS)
	DJANGO_SETTINGS_MODULE=varna.settings.test $(BIN)/python -m pytest -q -m browser tests/guidance $(PYTEST_ARGS)

# The browser crawl of every page of the URL table, as every role that may open it, in both languages (axe,
# overflow at 320/390/1280 px, clipped tables, 24 px targets, untranslated text): minutes, so not in `make test`.
crawl: install assets messages
	scripts/system-deps.sh
	DJANGO_SETTINGS_MODULE=varna.settings.test $(BIN)/python -m pytest -n 2 --dist load -q -m crawl tests/browser $(PYTEST_ARGS)

# Fuzz the API from its OpenAPI schema (schemathesis, through the WSGI app, with a token): no 5xx for any input.
api-fuzz: install messages
	DJANGO_SETTINGS_MODULE=varna.settings.test timeout 170 $(BIN)/python -m pytest -q -p no:cacheprovider tests/api/fuzz_api.py

# Static security analysis of our code, and known vulnerabilities in the installed packages (needs PyPI).
audit: install
	$(BIN)/bandit -q -r src -x '*/migrations/*'
	$(BIN)/python scripts/pip_audit.py

check-deploy: install assets
	SECRET_KEY=$$(head -c 48 /dev/urandom | base64) DATABASE_URL=sqlite:///:memory: \
	  VARNA_FIELD_ENCRYPTION_KEY=$$($(BIN)/python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())") \
	  DJANGO_SETTINGS_MODULE=varna.settings.production $(BIN)/python manage.py check --deploy --fail-level WARNING

# Every benchmark at full size (several minutes), then each ratio against its target (benchmarks/README.md).
bench: install assets messages
	scripts/system-deps.sh
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

# Every benchmark at small sizes (seconds each): fails when one breaks, never on a figure. Run by .ci/run.
bench-smoke: install assets messages
	scripts/system-deps.sh
	$(BIN)/python benchmarks/run.py --smoke $(BENCH_ARGS)

lock:
	$(BIN)/pip freeze --exclude-editable | grep -v '^-e' > constraints.txt

clean:
	rm -rf $(VENV) var src/varna/static/vendor frontend/node_modules
