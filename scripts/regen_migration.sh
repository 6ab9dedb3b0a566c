#!/usr/bin/env bash
# Regenerates the single initial migration from the models (nothing is deployed yet).
set -euo pipefail
cd "$(dirname "$0")/.."
rm -f assistant/crm/migrations/versions/*.py
tmp=$(mktemp -d)
.venv/bin/python - "$tmp" <<'PY'
import sys
from alembic import command
from assistant.crm.migrate import alembic_config
config = alembic_config(f"sqlite:///{sys.argv[1]}/empty.db")
command.revision(config, message="initial schema", autogenerate=True, rev_id="0001")
PY
.venv/bin/ruff check --fix -q assistant/crm/migrations/versions || true
.venv/bin/ruff format -q assistant/crm/migrations/versions
rm -rf "$tmp"
