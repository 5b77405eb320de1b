# Two commands for people: `make demo` and `make test`. Everything else is for developers and CI.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Pure rule and calendar code (no Django): type-checked strictly in `make lint`.
PURE_PACKAGES := thenchot/core/text.py thenchot/core/validity.py thenchot/core/collation.py thenchot/core/due.py thenchot/core/calendar.py thenchot/appraisal/rules thenchot/discipline/rules.py thenchot/rotation/rules.py
# Nothing before serve_demo sends e-mail; serve_demo writes the demo's e-mails to files under
# var/demo-mail/ (DEMO_MAIL=console prints them instead). Demo addresses are never mailed.
DEMO_ENV := THENCHOT_DEBUG=true THENCHOT_EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend
DEMO_MAIL ?= file

.PHONY: demo test test-postgres lint format messages install clean-demo bench check-deploy

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev,pdf]'
	touch $@

install: $(VENV)/.installed

# serve_demo is exec'd: Ctrl+C reaches the server alone, which stops cleanly (exit 0); an
# intermediate shell would die of the signal and make would report "Interrupt".
demo: $(VENV)/.installed
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py load_demo --if-empty --no-logins
	$(DEMO_ENV) exec $(PY) manage.py serve_demo --port $(PORT) --mail $(DEMO_MAIL)

test: $(VENV)/.installed
	$(PY) -m pytest -q

# The same suite against PostgreSQL (DATABASE_URL, default the local server).
test-postgres: $(VENV)/.installed
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/thenchot} $(PY) -m pytest

# mypy (strict on the pure packages, non-strict over the package) runs the django-stubs plugin,
# which imports the settings: THENCHOT_TESTING=1 gives them the development key (none written).
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-logo
	$(PY) manage.py makemigrations --check --dry-run
	THENCHOT_TESTING=1 $(VENV)/bin/mypy --strict $(PURE_PACKAGES)
	THENCHOT_TESTING=1 $(VENV)/bin/mypy thenchot

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: $(VENV)/.installed
	cd thenchot && ../$(PY) ../manage.py makemessages -l vi -l en --no-obsolete --ignore '*/tests/*'
	cd thenchot && ../$(PY) ../manage.py compilemessages

bench: $(VENV)/.installed
	$(PY) bench/run_all.py

# Django's deployment checks under exactly the production environment of docs/operations.md
# (nothing inherited from the caller's shell), with a throwaway key: any warning fails.
PROD_ENV := THENCHOT_DEBUG=false \
	THENCHOT_ALLOWED_HOSTS=thenchot.example.gov.vn \
	THENCHOT_CSRF_TRUSTED_ORIGINS=https://thenchot.example.gov.vn \
	THENCHOT_TRUST_X_FORWARDED_PROTO=true \
	DATABASE_URL=postgres://thenchot@127.0.0.1:5432/thenchot \
	THENCHOT_CACHE_URL=redis://127.0.0.1:6379/1 \
	THENCHOT_JOBS_BACKEND=celery \
	THENCHOT_CELERY_BROKER_URL=redis://127.0.0.1:6379/0

check-deploy: $(VENV)/.installed
	env -i PATH="$$PATH" $(PROD_ENV) \
		THENCHOT_SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
		$(PY) manage.py check --deploy --fail-level WARNING

clean-demo:
	rm -f thenchot.sqlite3 thenchot.sqlite3-wal thenchot.sqlite3-shm
