#!/usr/bin/env bash
# `make simulate-ci` (and the end of `make test`): the simulator with every fault on SQLite and on PostgreSQL
# at once — two runs on CI's two cores — each line prefixed with its database; fails if either run fails.
# Usage: scripts/simulate-ci.sh BIN SEED OPS POSTGRES_URL
set -uo pipefail
bin=$1 seed=$2 ops=$3 postgres_url=$4

run() {  # run LABEL ARGS...: one simulation, its output prefixed with LABEL, its exit code kept
  local label=$1
  shift
  "$bin/paimai" simulate --seed "$seed" --ops "$ops" --faults "$@" 2>&1 | sed -u "s/^/[$label] /"
}

echo "paimai simulate --seed $seed --ops $ops --faults: SQLite and PostgreSQL at once"
run sqlite &
sqlite=$!
run postgresql --database-url "$postgres_url" &
postgresql=$!
wait "$sqlite"
sqlite_status=$?
wait "$postgresql"
postgresql_status=$?
echo "simulate: sqlite exit $sqlite_status, postgresql exit $postgresql_status"
exit $((sqlite_status != 0 || postgresql_status != 0))
