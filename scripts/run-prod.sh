#!/usr/bin/env bash
# `make run-prod`: gunicorn with the production settings against this machine's PostgreSQL
# (database `gongjian`, created when missing) and Redis, after migrate, setup_site and
# collectstatic. Every value can be overridden from the environment; see README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

export DJANGO_SETTINGS_MODULE=gongjian_site.settings.production
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/gongjian}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
if [ -z "${SECRET_KEY:-}" ]; then
  # One random key per checkout, kept out of git (.gitignore) and readable by us only.
  if [ ! -s .prod-secret ]; then
    (umask 077 && $PY -c 'import secrets; print(secrets.token_urlsafe(50))' > .prod-secret)
  fi
  SECRET_KEY=$(cat .prod-secret)
  export SECRET_KEY
fi
# Plain HTTP on loopback: no redirect to HTTPS and no HSTS unless asked for. Behind a
# TLS-terminating proxy set SECURE_SSL_REDIRECT=true BEHIND_TLS_PROXY=true instead.
export SECURE_SSL_REDIRECT=${SECURE_SSL_REDIRECT:-false}
export SECURE_HSTS_SECONDS=${SECURE_HSTS_SECONDS:-0}
BIND=${BIND:-127.0.0.1:8001}
WORKERS=${WEB_CONCURRENCY:-3}

$PY - <<'PYTHON'
"""Create the database named in DATABASE_URL when it does not exist yet."""
import os

import dj_database_url
import psycopg
from psycopg import sql

config = dj_database_url.parse(os.environ["DATABASE_URL"])
if config["ENGINE"].endswith("postgresql"):
    with psycopg.connect(
        host=config["HOST"] or None, port=config["PORT"] or None, user=config["USER"] or None,
        password=config["PASSWORD"] or None, dbname="postgres", autocommit=True,
    ) as connection:
        name = config["NAME"]
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")
PYTHON

$PY manage.py migrate --noinput
$PY manage.py setup_site
$PY manage.py collectstatic --noinput --verbosity 0
$PY manage.py check --deploy --fail-level WARNING || echo "(check --deploy: see the warnings above)"
echo "gunicorn on http://$BIND/ with $WORKERS workers (admin: /${ADMIN_URL:-admin/})"
exec .venv/bin/gunicorn gongjian_site.wsgi --workers "$WORKERS" --bind "$BIND" --preload \
  --config python:gongjian_site.gunicorn_conf \
  --access-logfile - --timeout 60 --graceful-timeout 30
