# Two commands for a newcomer: `make demo` starts the platform with demo data, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed-stamp

.PHONY: demo demo-mail test lint install demo-codes messages clean bench bench-quick vendor

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	# deduce (de-identified text, issue 15) builds its lookup tables once, here, not on the first request.
	$(PY) -c "import deduce; deduce.Deduce()"
	touch $(INSTALLED)

install: $(INSTALLED)

# Demo: SQLite in db.sqlite3, debug on, demo two-factor codes printable. Never use these settings in production.
demo: export DEBUG = 1
demo: export DEMO_MODE = 1
demo: export EMAIL_PORT = 1025
demo: $(INSTALLED)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py runserver 127.0.0.1:8000

# Beside `make demo`, in a second terminal: a local mail server that writes the demo's notifications to var/mail/.
demo-mail: export DEMO_MODE = 1
demo-mail: export EMAIL_PORT = 1025
demo-mail: $(INSTALLED)
	$(PY) manage.py demo_mail

demo-codes: export DEMO_MODE = 1
demo-codes: $(INSTALLED)
	$(PY) manage.py demo_codes

lint: $(INSTALLED)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy kenniscentrum

# Every test; DATABASE_URL=postgres://... runs the same suite on PostgreSQL.
test: $(INSTALLED) lint
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest

# Fetches the NL Design System components and tokens again (pinned in tools/nlds-packages.json); commit the result.
vendor:
	$(PYTHON) tools/vendor_nlds.py

# Regenerates the catalogues after changing texts (needs GNU gettext); the compiled .mo files are committed.
messages: $(INSTALLED)
	$(PY) manage.py catalogues

# Start again from nothing: the virtualenv, the demo database, mail and other files (var/), and compiled Python files.
clean:
	rm -rf $(VENV) db.sqlite3 var
	find . -name __pycache__ -type d -not -path "./.git/*" -prune -exec rm -rf {} +

# Benchmarks on PostgreSQL (as root: starts the local cluster); results in docs/benchmarks.md.
bench: $(INSTALLED)
	DATABASE_URL="$$(.ci/start-postgres kenniscentrum_bench)" $(PY) bench/run.py

# The same table at a smaller scale and with shorter runs (a few minutes), printed, for checking a change.
bench-quick: $(INSTALLED)
	BENCH_QUICK=1 DATABASE_URL="$$(.ci/start-postgres kenniscentrum_bench)" $(PY) bench/run.py
