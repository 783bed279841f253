#!/bin/sh
# First start of the compose `postgres` volume only: a login role for Grafana that can read
# every table (the projection schemas usage_v<N> come and go with replays) and write nothing.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v reader_role="${GRAFANA_PG_USER:-ccpulse_reader}" \
  -v reader_password="$GRAFANA_PG_PASSWORD" <<'SQL'
CREATE ROLE :"reader_role" LOGIN PASSWORD :'reader_password';
GRANT pg_read_all_data TO :"reader_role";
ALTER ROLE :"reader_role" SET default_transaction_read_only = on;
ALTER ROLE :"reader_role" SET statement_timeout = '10s';
SQL
