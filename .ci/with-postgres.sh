#!/usr/bin/env bash
# Run a command with DATABASE_URL pointing at a throwaway PostgreSQL database on
# 127.0.0.1:5432, created first and dropped afterwards (even on failure).
# Exits 3 when no PostgreSQL answers, so callers can tell "skipped" from "failed".
set -euo pipefail
PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
export PGHOST PGPORT PGUSER
if ! pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null; then
  echo "PostgreSQL does not answer on $PGHOST:$PGPORT" >&2
  exit 3
fi
db="gongjian_ci_$$_$(date +%s)"
createdb "$db"
trap 'dropdb --if-exists "$db" 2>/dev/null; dropdb --if-exists "test_$db" 2>/dev/null' EXIT
export DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$db"
"$@"
