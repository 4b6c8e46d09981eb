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
# The suite's databases: test_$db, or one per pytest-xdist worker (test_${db}_gw0 …), and
# their copies at each starting point (…_at_demo, see tests/baselines.py).
cleanup() {
  dropdb --if-exists "$db" 2>/dev/null
  psql -Atq -d postgres -c "SELECT datname FROM pg_database WHERE datname LIKE 'test\_${db}%'" \
    | while read -r name; do dropdb --if-exists --force "$name" 2>/dev/null; done
}
trap cleanup EXIT
export DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$db"
"$@"
