#!/usr/bin/env bash
# Backup and restore drill: dump a PostgreSQL database with pg_dump, restore the dump into a
# fresh database, and compare the row count of every table. Exits non-zero when a table
# differs, when the restore fails, or when the source has no rows at all.
#
#   ops/backup_drill.sh SOURCE_DATABASE_URL [RESTORE_DB_NAME] [DUMP_FILE]
#
# SOURCE_DATABASE_URL  postgres://user@host:port/name of the database to back up
# RESTORE_DB_NAME      scratch database to restore into (default ostportal_restore_check);
#                      it is dropped and created again, so never name a real database here
# DUMP_FILE            where to keep the dump (default: a temporary file, removed afterwards)
#
# PG_DUMP_EXTRA_ARGS adds pg_dump options (the tests use it to check that the drill notices
# a table whose rows did not come back).
#
# The dump is pg_dump's custom format (-Fc): compressed, restorable table by table with
# pg_restore. In production run the same pg_dump nightly to storage off the server.
set -euo pipefail

SOURCE_URL="${1:?usage: ops/backup_drill.sh SOURCE_DATABASE_URL [RESTORE_DB_NAME] [DUMP_FILE]}"
RESTORE_DB="${2:-ostportal_restore_check}"
DUMP_FILE="${3:-}"
export PGOPTIONS="-c client_min_messages=warning"

SOURCE_DB="${SOURCE_URL##*/}"
SERVER_URL="${SOURCE_URL%/*}"
RESTORE_URL="$SERVER_URL/$RESTORE_DB"
if [ "$RESTORE_DB" = "$SOURCE_DB" ]; then
  echo "backup drill: the restore database must not be the source database" >&2
  exit 2
fi
case "$RESTORE_DB" in
  *restore*) ;;
  *) echo "backup drill: the restore database name must contain 'restore' (it is dropped)" >&2; exit 2 ;;
esac

cleanup_dump=0
if [ -z "$DUMP_FILE" ]; then
  DUMP_FILE="$(mktemp -t ostportal-backup.XXXXXX.dump)"
  cleanup_dump=1
fi
trap '[ $cleanup_dump = 1 ] && rm -f "$DUMP_FILE"' EXIT

# Row count of every table in the public schema, one "table|rows" line each, sorted.
count_rows() {
  psql "$1" -XAtq -v ON_ERROR_STOP=1 <<'SQL'
SELECT t.table_name || '|' || (xpath('/row/n/text()', query_to_xml(
         format('SELECT count(*) AS n FROM %I.%I', t.table_schema, t.table_name),
         false, true, '')))[1]::text
FROM information_schema.tables t
WHERE t.table_schema = 'public' AND t.table_type = 'BASE TABLE'
ORDER BY t.table_name;
SQL
}

start=$(date +%s)
# shellcheck disable=SC2086  # word splitting of the extra options is wanted
pg_dump --format=custom --no-owner ${PG_DUMP_EXTRA_ARGS:-} --file="$DUMP_FILE" "$SOURCE_URL"
dump_bytes=$(stat -c %s "$DUMP_FILE")

psql "$SERVER_URL/postgres" -XAtq -v ON_ERROR_STOP=1 \
  -c "DROP DATABASE IF EXISTS \"$RESTORE_DB\"" -c "CREATE DATABASE \"$RESTORE_DB\""
pg_restore --no-owner --exit-on-error --dbname="$RESTORE_URL" "$DUMP_FILE"

source_counts="$(count_rows "$SOURCE_URL")"
restored_counts="$(count_rows "$RESTORE_URL")"
elapsed=$(( $(date +%s) - start ))

tables=$(printf '%s\n' "$source_counts" | grep -c '|' || true)
total_rows=$(printf '%s\n' "$source_counts" | awk -F'|' '{s += $2} END {print s + 0}')
printf 'backup drill: %s -> %s, %s tables, %s rows, dump %s bytes, %ss\n' \
  "$SOURCE_DB" "$RESTORE_DB" "$tables" "$total_rows" "$dump_bytes" "$elapsed"

if [ "$source_counts" != "$restored_counts" ]; then
  echo "backup drill: FAILED, row counts differ (table|source vs table|restored):" >&2
  diff <(printf '%s\n' "$source_counts") <(printf '%s\n' "$restored_counts") >&2 || true
  exit 1
fi
if [ "$total_rows" -eq 0 ]; then
  echo "backup drill: FAILED, the source database has no rows to check" >&2
  exit 1
fi
printf '%s\n' "$source_counts" | awk -F'|' '$2 > 0 {printf "  %-45s %10s\n", $1, $2}'
echo "backup drill: every table has the same row count after the restore"
psql "$SERVER_URL/postgres" -XAtq -c "DROP DATABASE IF EXISTS \"$RESTORE_DB\""
