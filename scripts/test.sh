#!/usr/bin/env bash
# Install perfgoals with its test dependencies into .venv, then lint, type-check and run the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[test]"
.venv/bin/ruff check perfgoals tests
.venv/bin/mypy perfgoals
.venv/bin/python -m pytest -n 2 -q "$@"
