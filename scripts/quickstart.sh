#!/usr/bin/env bash
# Quick start: install retort, start a project on the embedded SQLite
# default, write two migrations, upgrade, and look around. Runs in a
# fresh folder (default ./retort-demo); needs only Go.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
demo=${1:-retort-demo}

echo "+ go install ./cmd/retort"
(cd "$here" && CGO_ENABLED=0 go install ./cmd/retort)
export PATH="$(go env GOPATH)/bin:$PATH"

rm -rf "$demo" && mkdir -p "$demo" && cd "$demo"
run() { echo "+ $*"; "$@"; }

run retort init migrations
run retort revision -m "create customer table" --rev-id 1a2b3c4d5e6f
cat > migrations/versions/1a2b3c4d5e6f_create_customer_table.sql <<'SQL'
-- create customer table
--
-- Revision ID: 1a2b3c4d5e6f
-- Revises:
-- Branch Labels:
-- Depends On:
-- Create Date: 2026-11-21 10:00:00.000000+00:00

-- +retort upgrade
CREATE TABLE customer (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL
);

-- +retort downgrade
DROP TABLE customer;
SQL
run retort revision -m "add customer email" --rev-id 2b3c4d5e6f70
f=migrations/versions/2b3c4d5e6f70_add_customer_email.sql
sed -i.bak -e 's/^-- write the upgrade SQL here.*/ALTER TABLE customer ADD COLUMN email TEXT;/' \
           -e 's/^-- write the downgrade SQL here.*/ALTER TABLE customer DROP COLUMN email;/' "$f" && rm -f "$f.bak"

run retort upgrade head --sql
run retort upgrade head
run retort current
run retort history
run retort check
run retort downgrade -1
run retort current
run retort upgrade head
echo "retort's quick start ran end to end in $(pwd)"
