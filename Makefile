# The two commands a newcomer needs: `make run` and `make test`.
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin

# The first interpreter that really runs and is Python 3.12 or newer: PYTHON=... wins, then
# python3.14/3.13/3.12 on PATH, then any pyenv-installed 3.12+ (pyenv shims fail when the global
# version is older, so each candidate is tried, not just found).
FIND_PYTHON = for p in $(PYTHON) python3.14 python3.13 python3.12 python3 \
	  $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	  if "$$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then echo "$$p"; exit 0; fi; \
	done; exit 1

.PHONY: run test lint format migrate demo serve clean screenshots node-tools-missing

$(BIN)/.installed: pyproject.toml
	@py=$$($(FIND_PYTHON)) || { echo "newsroom needs Python 3.12 or newer (Django 6.1 requires it)."; \
	  echo "Install one, or point to it: make run PYTHON=/path/to/python3.12"; exit 1; }; \
	if [ ! -x $(BIN)/python ]; then echo "Creating $(VENV) with $$py"; "$$py" -m venv $(VENV); fi
	$(BIN)/python -m pip install --quiet --upgrade "pip>=25.1"
	$(BIN)/python -m pip install --quiet --group dev
	@touch $@

# The browser-side test tools (axe-core), pinned by package-lock.json; the site itself needs no
# Node. Installed again when the lock file changes or the tools have gone missing.
node_modules/.installed: package.json package-lock.json $(if $(wildcard node_modules/axe-core/axe.min.js),,node-tools-missing)
	@command -v npm >/dev/null || { echo "make test needs npm for its browser tools: apt-get install nodejs npm"; exit 1; }
	npm ci --no-audit --no-fund
	@touch $@

# This machine's development settings, read by newsroom/settings.py so that every
# `manage.py` command works without a prefix, after whichever target made the environment
# (run, test, lint, format, screenshots). Written once, never overwritten (edit it freely),
# readable by its owner only (it holds the secret key), and git-ignored. Variables set in the
# environment win over it: `DEBUG=false make run` still runs without debug.
.env: | $(BIN)/.installed
	@umask 077 && { \
	  echo "# Development settings for this machine, written by make. Never commit it."; \
	  echo "# Any variable of README.md's configuration table may be set here."; \
	  echo "DEBUG=true"; \
	  echo "SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')"; \
	} > $@.tmp && mv $@.tmp $@
	@echo "Wrote $@ (DEBUG=true and a new SECRET_KEY) for local development."

migrate: $(BIN)/.installed .env
	$(BIN)/python manage.py migrate --no-input

# load_demo ends by naming the demo accounts, and says how to make a superuser if there is none.
demo: migrate
	$(BIN)/python manage.py load_demo

# The site, and beside it the task queue's worker (mail, newsletters) and the minute's run of
# send_due_newsletters. Both are stopped with the server: Ctrl+C ends runserver, and the trap
# ends the other two (background jobs of a script ignore Ctrl+C themselves). On another PORT,
# SITE_URL follows it (unless set), so links in the emails the worker prints lead here.
run: demo
	@echo
	@echo "  newsroom is starting on http://127.0.0.1:$(PORT)/ (the admin: http://127.0.0.1:$(PORT)/admin/)"
	@echo "  with the task queue's worker; email is printed here, not sent"
	@echo
	@if [ "$(PORT)" != 8000 ] && [ -z "$$SITE_URL" ]; then export SITE_URL=http://127.0.0.1:$(PORT); fi; \
	trap 'kill $$worker $$ticker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py db_worker --queue-name '*' --no-reload --verbosity 0 & worker=$$!; \
	while sleep 1; do $(BIN)/python manage.py send_due_newsletters --verbosity 0; sleep 59; done & ticker=$$!; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: $(BIN)/.installed node_modules/.installed .env
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=tests.settings $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(BIN)/.installed .env
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/.installed .env
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Photographs of the demo site and the admin for README.md (needs /usr/bin/chromium).
screenshots: $(BIN)/.installed .env
	$(BIN)/python docs/screenshots.py

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache
