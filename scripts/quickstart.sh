#!/usr/bin/env bash
# Quick start: install retort, start a project on the embedded SQLite
# default, write two migrations, upgrade, and look around. Runs in a
# fresh folder (default ./retort-demo); needs only Go. A folder given as
# the argument must not exist yet or be empty; the script removes a
# folder only when it made it on an earlier run (it holds the marker
# file .retort-quickstart).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
demo=${1:-retort-demo}
marker=.retort-quickstart

echo "+ CGO_ENABLED=0 go install ./cmd/retort"
(cd "$here" && CGO_ENABLED=0 go install -buildvcs=auto ./cmd/retort)
# go install writes to GOBIN when it is set, else GOPATH/bin.
bin=$(cd "$here" && go env GOBIN)
[ -n "$bin" ] || bin="$(cd "$here" && go env GOPATH)/bin"
export PATH="$bin:$PATH"

if [ -e "$demo" ]; then
	if [ -f "$demo/$marker" ]; then
		rm -rf -- "$demo"
	elif [ -d "$demo" ] && [ -z "$(ls -A -- "$demo")" ]; then
		:
	else
		echo "quickstart: $demo exists and was not made by this script; give another folder (scripts/quickstart.sh DIR) or remove it yourself" >&2
		exit 2
	fi
fi
mkdir -p -- "$demo" && cd -- "$demo"
: > "$marker"
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
