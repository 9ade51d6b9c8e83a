#!/usr/bin/env bash
# Benchmarks: retort against Alembic, goose, golang-migrate and the floor
# (the same SQL run by sqlite3/psql). See BENCHMARKS.md for the figures.
#
#   bench/run.sh [all | heads | upgrade-sqlite | upgrade-postgres | upgrade-mysql | startup | memory | testkit | autogenerate | fleet]...
#
# Everything it builds, installs or generates goes under bench/out/
# (gitignored): bench/out/bin (retort, goose, migrate, gen, report),
# bench/out/work (workloads and databases), bench/out/results (hyperfine JSON,
# memory.tsv, env.txt, report.md). A run replaces the results of the suites
# it runs and keeps the others; report.md covers all of them.
#
# Environment:
#   BENCH_POSTGRES_URL   a PostgreSQL URL whose user may CREATE/DROP DATABASE;
#                        the benchmark uses a database named retort_bench on
#                        that server. Unset: start a throwaway server with
#                        scripts/test.sh --servers-only (or our own).
#   BENCH_MYSQL_URL      a MySQL/MariaDB URL (mysql://user:pass@host:port/db)
#                        whose user may CREATE/DROP DATABASE; upgrade-mysql
#                        uses a database named retort_bench there. Unset:
#                        RETORT_TEST_MYSQL_URL, else scripts/test.sh
#                        --servers-only starts one. The floor is the same
#                        SQL through the mariadb (or mysql) client.
#   BENCH_HEADS_SIZES    default "100 1000 5000"
#   BENCH_STARTUP_ROUNDS startup: hyperfine runs of the fast commands, pooled (default 3)
#   BENCH_STARTUP_RUNS   startup: runs of each fast command per round (default 40)
#   BENCH_UPGRADE_SIZES  default "100 1000"
#   BENCH_WARMUP         hyperfine --warmup (default 1)
#   BENCH_MIN_RUNS       hyperfine --min-runs (default 5)
#   BENCH_RUNS           hyperfine --runs (exact; overrides the above)
#   BENCH_SQLITE_DIR     where the SQLite databases of upgrade-sqlite live
#                        (default /dev/shm/retort-bench, tmpfs: no fsync cost,
#                        like the PostgreSQL server's fsync=off; set it to a
#                        folder on disk to include fsync)
#   BENCH_TOOLS          default "retort alembic goose migrate floor"
#   BENCH_NO_RETORT=1    skip retort (also automatic, with a warning, when
#                        ./cmd/retort does not build)
#   BENCH_NO_INSTALL=1   never call apt-get or go install
#   BENCH_FLEET_*        the fleet suite (not part of "all"; it measures the
#                        startup rows too): see bench/fleet.sh
#   BENCH_AUTOGEN_SIZES  tables in the autogenerate suite's database
#                        (default "100 1000"; see bench/autogenerate.sh;
#                        not part of "all"); BENCH_TOOLS may name atlas;
#                        BENCH_AUTOGEN_SCHEMAS=K spreads them over K schemas
#
# The testkit suite (not part of "all": pytest-alembic takes minutes) times
# `retort test` against pytest-alembic on the same history:
#   PYTEST_ALEMBIC_SRC   pytest-alembic's source: a folder containing
#                        src/pytest_alembic (a clone), or a git directory
#                        without a work tree, whose tag PYTEST_ALEMBIC_REF
#                        (default v0.12.1) is exported with git archive into
#                        bench/out/pytest-alembic. Required by testkit; never
#                        committed. It runs on Debian's python3-pytest,
#                        python3-alembic and python3-psycopg2 with
#                        PYTHONPATH=$PYTEST_ALEMBIC_SRC/src.
#   BENCH_TESTKIT_DIALECTS       default "sqlite postgres"
#   BENCH_TESTKIT_SIZES          default set of tests, default "200"
#   BENCH_TESTKIT_TRACE_SIZES    downgrade_leaves_no_trace, retort, default "50 100 200"
#   BENCH_TESTKIT_TRACE_SIZES_PYTEST  the same for pytest-alembic, default "50 100"
# Each command is run once unmeasured first (checking that its tests pass);
# from how long that took, hyperfine gets --warmup 1 --min-runs 5 (under
# 5 s), --runs 3 (under 20 s) or --runs 1 (longer), unless BENCH_RUNS is set.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
OUT=$ROOT/bench/out
BIN=$OUT/bin
WORK=$OUT/work
RES=$OUT/results
PY=/usr/bin/python3
# SQLite databases live on tmpfs by default: the PostgreSQL server runs with
# fsync=off, and on a shared disk fsync stalls (seconds, now and then) swamp
# what the tools themselves cost. BENCH_SQLITE_DIR=bench/out/work/sqlite puts
# them on disk.
if [[ -n ${BENCH_SQLITE_DIR:-} ]]; then
	SQLITE_DIR=$(mkdir -p "$BENCH_SQLITE_DIR" && cd "$BENCH_SQLITE_DIR" && pwd)
elif [[ -d /dev/shm && -w /dev/shm ]]; then
	SQLITE_DIR=/dev/shm/retort-bench
else
	SQLITE_DIR=$WORK/sqlite
fi

log() { printf 'run.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

HEADS_SIZES=${BENCH_HEADS_SIZES:-100 1000 5000}
UPGRADE_SIZES=${BENCH_UPGRADE_SIZES:-100 1000}
WARMUP=${BENCH_WARMUP:-1}
MIN_RUNS=${BENCH_MIN_RUNS:-5}
TOOLS=" ${BENCH_TOOLS:-retort alembic goose migrate atlas floor} "
[[ ${BENCH_NO_RETORT:-} == 1 ]] && TOOLS=${TOOLS/ retort / }
want() { [[ $TOOLS == *" $1 "* ]]; }

SUITES=("$@")
[[ ${#SUITES[@]} -eq 0 || " ${SUITES[*]} " == *" all "* ]] && SUITES=(startup heads memory upgrade-sqlite upgrade-postgres upgrade-mysql)
for s in "${SUITES[@]}"; do
	case $s in heads | memory | upgrade-sqlite | upgrade-postgres | upgrade-mysql | startup | testkit | autogenerate | fleet) ;; *) die "unknown suite $s (want all, heads, memory, upgrade-sqlite, upgrade-postgres, upgrade-mysql, startup, testkit, autogenerate, fleet)" ;; esac
done
suite() { [[ " ${SUITES[*]} " == *" $1 "* ]]; }

# ---------------------------------------------------------------- tools

apt_install() {
	[[ ${BENCH_NO_INSTALL:-} == 1 ]] && die "missing $* (BENCH_NO_INSTALL=1)"
	local sudo=()
	[[ $(id -u) -eq 0 ]] || sudo=(sudo -n)
	log "apt-get install $*"
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

setup_tools() {
	mkdir -p "$BIN" "$RES"
	command -v hyperfine >/dev/null || apt_install hyperfine
	[[ -x /usr/bin/time ]] || apt_install time
	command -v sqlite3 >/dev/null || apt_install sqlite3
	if want alembic; then
		"$PY" -c 'import alembic, sqlalchemy, psycopg2' 2>/dev/null || apt_install python3-alembic python3-psycopg2
	fi
	if suite testkit; then
		"$PY" -c 'import alembic, sqlalchemy, psycopg2' 2>/dev/null || apt_install python3-alembic python3-psycopg2
		"$PY" -c 'import pytest' 2>/dev/null || apt_install python3-pytest
		setup_pytest_alembic
	fi
	go build -o "$BIN/gen" bench/gen.go
	go build -o "$BIN/report" bench/report.go
	go build -o "$BIN/stampfloor" bench/stampfloor.go
	suite upgrade-mysql && go build -o "$BIN/mysqlloop" bench/mysqlloop.go
	suite fleet && go build -o "$BIN/fleetreport" bench/fleetreport.go
	if want retort; then
		# Built as the README installs it: static, pure Go (a binary
		# linked against libc starts about 1.5 ms later here, in ld.so).
		if CGO_ENABLED=0 go build -o "$BIN/retort" ./cmd/retort 2>"$OUT/retort-build.log"; then
			log "built retort ($(git rev-parse --short HEAD 2>/dev/null || echo '?'))"
		else
			log "warning: go build ./cmd/retort failed (see $OUT/retort-build.log); measuring the peers only"
			TOOLS=${TOOLS/ retort / }
		fi
	fi
	local peers=0 # the default builds of goose and migrate serve these suites
	if suite upgrade-sqlite || suite upgrade-postgres; then peers=1; fi
	if want goose && { ((peers)) || suite fleet; } && [[ ! -x $BIN/goose ]]; then
		[[ ${BENCH_NO_INSTALL:-} == 1 ]] && die "goose missing"
		log "go install goose"
		GOBIN=$BIN go install -tags 'no_clickhouse no_libsql no_mssql no_vertica no_ydb no_mysql' \
			github.com/pressly/goose/v3/cmd/goose@latest
	fi
	if want migrate && ((peers)) && [[ ! -x $BIN/migrate ]]; then
		[[ ${BENCH_NO_INSTALL:-} == 1 ]] && die "migrate missing"
		log "go install migrate (cgo, for sqlite3)"
		CGO_ENABLED=1 GOBIN=$BIN go install -tags 'postgres sqlite3' \
			github.com/golang-migrate/migrate/v4/cmd/migrate@latest
	fi
	if suite upgrade-mysql; then
		# goose and migrate built with their MySQL drivers, beside the
		# others (the default builds leave MySQL out).
		if want goose && [[ ! -x $BIN/mysql/goose ]]; then
			[[ ${BENCH_NO_INSTALL:-} == 1 ]] && die "goose (mysql) missing"
			log "go install goose with mysql"
			GOBIN=$BIN/mysql go install -tags 'no_clickhouse no_libsql no_mssql no_vertica no_ydb' \
				github.com/pressly/goose/v3/cmd/goose@latest
		fi
		if want migrate && [[ ! -x $BIN/mysql/migrate ]]; then
			[[ ${BENCH_NO_INSTALL:-} == 1 ]] && die "migrate (mysql) missing"
			log "go install migrate with mysql"
			GOBIN=$BIN/mysql go install -tags 'mysql' github.com/golang-migrate/migrate/v4/cmd/migrate@latest
		fi
		if want alembic; then
			"$PY" -c 'import alembic, sqlalchemy, pymysql' 2>/dev/null || apt_install python3-alembic python3-pymysql
		fi
		MYSQL_CLIENT=$(command -v mariadb || command -v mysql || true)
		[[ -n $MYSQL_CLIENT ]] || { apt_install mariadb-client; MYSQL_CLIENT=$(command -v mariadb); }
	fi
}

# setup_pytest_alembic sets PA_SRC, a folder holding src/pytest_alembic,
# from PYTEST_ALEMBIC_SRC (a source tree, or a git directory to export a tag
# of).
setup_pytest_alembic() {
	local src=${PYTEST_ALEMBIC_SRC:-} ref=${PYTEST_ALEMBIC_REF:-v0.12.1}
	if [[ -z $src ]]; then
		die "testkit needs pytest-alembic's source: set PYTEST_ALEMBIC_SRC to a folder containing src/pytest_alembic
  (git clone --branch $ref https://github.com/schireson/pytest-alembic /some/dir; PYTEST_ALEMBIC_SRC=/some/dir),
  or to a git directory without a work tree, whose tag $ref (PYTEST_ALEMBIC_REF) is exported into bench/out/pytest-alembic"
	fi
	if [[ -d $src/src/pytest_alembic ]]; then
		PA_SRC=$(cd "$src" && pwd)
		PA_VERSION="$(sed -n 's/^version = "\(.*\)"/\1/p' "$PA_SRC/pyproject.toml" 2>/dev/null | head -n1) ($PA_SRC)"
	elif git --git-dir="$src" rev-parse --verify -q "$ref^{commit}" >/dev/null 2>&1 ||
		git --git-dir="$src/.git" rev-parse --verify -q "$ref^{commit}" >/dev/null 2>&1; then
		local gd=$src
		git --git-dir="$gd" rev-parse --verify -q "$ref^{commit}" >/dev/null 2>&1 || gd=$src/.git
		PA_SRC=$OUT/pytest-alembic
		rm -rf "$PA_SRC"
		mkdir -p "$PA_SRC"
		git --git-dir="$gd" archive "$ref" | tar -x -C "$PA_SRC"
		PA_VERSION="$ref ($(git --git-dir="$gd" rev-parse --short "$ref^{commit}"), exported from $src)"
		log "exported pytest-alembic $ref into $PA_SRC"
	else
		die "PYTEST_ALEMBIC_SRC=$src holds neither src/pytest_alembic nor a git repository with tag $ref"
	fi
	PYTHONPATH=$PA_SRC/src "$PY" -c 'import pytest_alembic.plugin' ||
		die "pytest-alembic does not import from $PA_SRC/src with $PY"
}

write_env() {
	{
		echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
		echo "nproc: $(nproc)"
		echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
		echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
		echo "kernel: $(uname -sr)"
		echo "suites: ${SUITES[*]}; tools:$TOOLS"
		echo "sqlite databases in: $SQLITE_DIR ($(stat -f -c %T "$SQLITE_DIR" 2>/dev/null || echo '?'))"
		echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
		echo "go: $(go version | awk '{print $3}')"
		want retort && echo "retort: $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- . ':!bench' 2>/dev/null || echo ' (+ uncommitted changes)')"
		echo "alembic: $("$PY" -c 'import alembic, sqlalchemy, sys; print(alembic.__version__, "(SQLAlchemy", sqlalchemy.__version__ + ", Python", sys.version.split()[0] + ")")')"
		echo "psycopg2: $("$PY" -c 'import psycopg2; print(psycopg2.__version__.split()[0])' 2>/dev/null || echo none)"
		local b
		for b in goose mysql/goose; do
			want goose && [[ -x $BIN/$b ]] && echo "$b: $("$BIN/$b" --version 2>&1 | head -n1)"
		done
		for b in migrate mysql/migrate; do
			want migrate && [[ -x $BIN/$b ]] && echo "$b: $(go version -m "$BIN/$b" | awk '$1 == "mod" {print $3}')"
		done
		echo "sqlite3: $(sqlite3 --version | awk '{print $1}')"
		echo "psql: $(psql --version | awk '{print $3}')"
		echo "hyperfine: $(hyperfine --version | awk '{print $2}')"
		if suite testkit; then
			echo "pytest-alembic: $PA_VERSION"
			echo "pytest: $("$PY" -c 'import pytest; print(pytest.__version__)')"
		fi
	} >"$RES/env.txt"
}

# ---------------------------------------------------------------- PostgreSQL

PG_STOP=()
start_postgres() {
	if [[ -n ${BENCH_POSTGRES_URL:-} ]]; then
		PG_ADMIN_URL=$BENCH_POSTGRES_URL
		return
	fi
	if [[ -x scripts/test.sh ]]; then
		local out dir
		log "starting a throwaway PostgreSQL with scripts/test.sh --servers-only"
		out=$(scripts/test.sh --servers-only)
		PG_ADMIN_URL=$(printf '%s\n' "$out" | sed -n 's/^export RETORT_TEST_POSTGRES_URL=//p')
		PG_ADMIN_URL=$(eval "printf '%s' $PG_ADMIN_URL") # undo printf %q
		dir=$(printf '%s\n' "$out" | sed -n 's/^# stop them with: .* --stop //p')
		[[ -n $PG_ADMIN_URL && -n $dir ]] || die "could not read scripts/test.sh --servers-only output"
		PG_STOP=(scripts/test.sh --stop "$dir")
		return
	fi
	# Our own: PostgreSQL as user postgres in a temporary folder on a free port.
	local bin dir port pass
	bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
	[[ -n $bin ]] || apt_install postgresql
	bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
	dir=$(mktemp -d /tmp/retort-bench-pg.XXXXXX)
	chmod 755 "$dir"
	pass=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
	printf '%s\n' "$pass" >"$dir/pwfile"
	chown -R postgres:postgres "$dir"
	(cd / && runuser -u postgres -- "$bin/initdb" -D "$dir/data" -U bench --pwfile="$dir/pwfile" \
		--auth-local=trust --auth-host=scram-sha-256 --no-locale -E UTF8 --no-sync) >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; die "initdb failed"; }
	port=$((20000 + RANDOM % 40000))
	(cd / && runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start \
		-o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off") >&2 ||
		{ cat "$dir/server.log" >&2; die "PostgreSQL did not start"; }
	PG_ADMIN_URL="postgres://bench:$pass@127.0.0.1:$port/postgres?sslmode=disable"
	PG_STOP=(runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -m immediate stop)
	PG_OWN_DIR=$dir
}
stop_postgres() {
	[[ ${#PG_STOP[@]} -gt 0 ]] || return 0
	(cd / && "${PG_STOP[@]}") >/dev/null 2>&1 || log "could not stop PostgreSQL (${PG_STOP[*]})"
	[[ -n ${PG_OWN_DIR:-} ]] && rm -rf "$PG_OWN_DIR"
	PG_STOP=()
}
trap 'stop_postgres; stop_mysql' EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- MySQL / MariaDB

MY_STOP=()
start_mysql() {
	MY_ADMIN_URL=${BENCH_MYSQL_URL:-${RETORT_TEST_MYSQL_URL:-}}
	[[ -n $MY_ADMIN_URL ]] && return
	[[ -x scripts/test.sh ]] || die "set BENCH_MYSQL_URL to a MySQL/MariaDB server"
	local out dir
	log "starting a throwaway MariaDB with scripts/test.sh --servers-only"
	out=$(scripts/test.sh --servers-only)
	MY_ADMIN_URL=$(printf '%s\n' "$out" | sed -n 's/^export RETORT_TEST_MYSQL_URL=//p')
	MY_ADMIN_URL=$(eval "printf '%s' $MY_ADMIN_URL")
	dir=$(printf '%s\n' "$out" | sed -n 's/^# stop them with: .* --stop //p')
	[[ -n $MY_ADMIN_URL && -n $dir ]] || die "could not read scripts/test.sh --servers-only output"
	MY_STOP=("$ROOT/scripts/test.sh" --stop "$dir")
}
stop_mysql() {
	[[ ${#MY_STOP[@]} -gt 0 ]] || return 0
	(cd / && "${MY_STOP[@]}") >/dev/null 2>&1 || log "could not stop MariaDB (${MY_STOP[*]})"
	MY_STOP=()
}

# my_parts URL: sets MY_USER MY_PASS MY_HOST MY_PORT from a mysql:// URL
# (percent-escapes in the password are not undone: use a plain one).
my_parts() {
	local rest=${1#*://} userinfo hostport
	userinfo=${rest%%@*}
	hostport=${rest#*@}
	hostport=${hostport%%/*}
	MY_USER=${userinfo%%:*}
	MY_PASS=${userinfo#*:}
	if [[ $MY_PASS == "$userinfo" ]]; then MY_PASS=; fi
	MY_HOST=${hostport%%:*}
	MY_PORT=${hostport#*:}
	if [[ $MY_PORT == "$hostport" ]]; then MY_PORT=3306; fi
}

# my_client DB: the mysql client's command line for database DB, quoted
# for bash -c (the password goes through MYSQL_PWD, not the command line).
my_client() {
	printf 'MYSQL_PWD=%s %s -h %s -P %s -u %s %s' "$(q "$MY_PASS")" "$(q "$MYSQL_CLIENT")" "$(q "$MY_HOST")" "$(q "$MY_PORT")" "$(q "$MY_USER")" "$(q "$1")"
}

# pg_url_db URL DB: URL with its database replaced by DB.
pg_url_db() {
	local url=$1 db=$2 base query
	base=${url%%\?*}
	query=${url#"$base"}
	printf '%s/%s%s' "${base%/*}" "$db" "$query"
}

# ---------------------------------------------------------------- helpers

q() { printf '%q' "$1"; }

# measure GROUP NAME DIR PREPARE COMMAND: one hyperfine run, JSON in $RES/GROUP.
measure() {
	local group=$1 name=$2 dir=$3 prep=$4 cmd=$5 file
	file=$RES/$group/$(printf '%s' "$name" | tr -c 'A-Za-z0-9_.-' '_').json
	mkdir -p "$RES/$group"
	local args=(--style basic --warmup "$WARMUP" --export-json "$file" --command-name "$name")
	if [[ -n ${BENCH_RUNS:-} ]]; then args+=(--runs "$BENCH_RUNS"); else args+=(--min-runs "$MIN_RUNS"); fi
	[[ -n $prep ]] && args+=(--prepare "$prep")
	log "[$group] $name"
	(cd "$dir" && hyperfine "${args[@]}" "$cmd") >&2
}

# ---------------------------------------------------------------- heads / current / history

gen_heads() {
	local n=$1
	local d=$WORK/heads-$n
	rm -rf "$d"
	mkdir -p "$d"
	"$BIN/gen" -n "$n" -tool sql -out "$d/sql"
	rm -f "$d/current.db"
	sqlite3 "$d/current.db" <"$d/sql/stamp.sql"
	"$BIN/gen" -n "$n" -tool retort -out "$d/retort" -url "sqlite:///$d/current.db"
	"$BIN/gen" -n "$n" -tool alembic -out "$d/alembic" -url "sqlite:///$d/current.db"
}

run_heads() {
	local n d head
	for n in $HEADS_SIZES; do
		d=$WORK/heads-$n
		log "generating $n revisions for heads/current/history"
		gen_heads "$n"
		sleep 2.1 # past the graph index's racy window (see run_startup)
		head=$(printf '%012d' "$n")
		# Sanity: each tool reports the head before being timed.
		if want retort; then
			(cd "$d/retort" && "$BIN/retort" -c retort.toml heads) | grep "$head" >/dev/null || die "retort heads on $n revisions does not print $head"
			(cd "$d/retort" && "$BIN/retort" -c retort.toml current) | grep "$head" >/dev/null || die "retort current on $n revisions does not print $head"
		fi
		if want alembic; then
			(cd "$d/alembic" && "$PY" -m alembic heads) | grep "$head" >/dev/null || die "alembic heads on $n revisions does not print $head"
			(cd "$d/alembic" && "$PY" -m alembic current 2>/dev/null) | grep "$head" >/dev/null || die "alembic current on $n revisions does not print $head"
		fi
		local op
		for op in heads current history; do
			rm -rf "${RES:?}/$op-$n"
			want retort && measure "$op-$n" "retort" "$d/retort" "" "$(q "$BIN/retort") -c retort.toml $op"
			want alembic && measure "$op-$n" "alembic" "$d/alembic" "" "$PY -m alembic $op"
		done
	done
}

run_memory() {
	local n=5000 d=$WORK/heads-5000 tool op i kb
	[[ -d $d/sql ]] || gen_heads "$n"
	: >"$RES/memory.tsv"
	for tool in retort alembic; do
		want "$tool" || continue
		for op in heads current; do
			for i in 1 2 3; do
				if [[ $tool == retort ]]; then
					(cd "$d/retort" && /usr/bin/time -v "$BIN/retort" -c retort.toml "$op" >/dev/null 2>"$OUT/time.log") ||
						die "retort $op failed: $(cat "$OUT/time.log")"
				else
					(cd "$d/alembic" && /usr/bin/time -v "$PY" -m alembic "$op" >/dev/null 2>"$OUT/time.log") ||
						die "alembic $op failed: $(cat "$OUT/time.log")"
				fi
				kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$OUT/time.log")
				printf '%s %s %d\t%s\n' "$tool" "$op" "$n" "$kb" >>"$RES/memory.tsv"
			done
			log "peak RSS of $tool $op on $n revisions: $(grep "^$tool $op" "$RES/memory.tsv" | cut -f2 | tr '\n' ' ')KiB"
		done
	done
}

# ---------------------------------------------------------------- upgrade head

# count_tables DIALECT TARGET: number of tNNNN tables.
count_tables() {
	if [[ $1 == sqlite ]]; then
		sqlite3 "$2" "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name GLOB 't[0-9]*'"
	elif [[ $1 == mysql ]]; then
		MYSQL_PWD=$MY_PASS "$MYSQL_CLIENT" -h "$MY_HOST" -P "$MY_PORT" -u "$MY_USER" -N -B \
			-e "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'retort_bench' AND table_name REGEXP '^t[0-9]+\$'"
	else
		psql "$2" -XAtqc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename ~ '^t[0-9]+\$'"
	fi
}

run_upgrade() {
	local dialect=$1 n d db url reset group check target
	for n in $UPGRADE_SIZES; do
		d=$WORK/upgrade-$dialect-$n
		group=upgrade-$dialect-$n
		rm -rf "$d"
		mkdir -p "$d"
		if [[ $dialect == sqlite ]]; then
			mkdir -p "$SQLITE_DIR"
			db=$SQLITE_DIR/upgrade-$n.db
			url="sqlite:///$db"
			target=$db
			reset="rm -f $(q "$db") $(q "$db-journal") $(q "$db-wal") $(q "$db-shm")"
		elif [[ $dialect == mysql ]]; then
			url="mysql://$MY_USER:$MY_PASS@$MY_HOST:$MY_PORT/retort_bench"
			target=$url
			reset="$(my_client mysql) -e 'DROP DATABASE IF EXISTS retort_bench; CREATE DATABASE retort_bench'"
		else
			url=$(pg_url_db "$PG_ADMIN_URL" retort_bench)
			target=$url
			reset="psql $(q "$PG_ADMIN_URL") -Xq -c 'DROP DATABASE IF EXISTS retort_bench WITH (FORCE)' -c 'CREATE DATABASE retort_bench'"
		fi
		log "generating $n migrations for $dialect"
		"$BIN/gen" -n "$n" -tool sql -dialect "$dialect" -out "$d/sql"
		"$BIN/gen" -n "$n" -tool goose -dialect "$dialect" -out "$d/goose"
		"$BIN/gen" -n "$n" -tool migrate -dialect "$dialect" -out "$d/migrate"
		local txn
		for txn in single per-revision; do
			"$BIN/gen" -n "$n" -tool retort -dialect "$dialect" -url "$url" -txn "$txn" -out "$d/retort-$txn"
			"$BIN/gen" -n "$n" -tool alembic -dialect "$dialect" -url "$url" -txn "$txn" -out "$d/alembic-$txn"
		done

		# Each candidate: NAME DIR COMMAND. NAME ends with the transaction
		# policy in brackets; report.go compares rows of the same policy.
		local -a names=() dirs=() cmds=()
		add() { names+=("$1"); dirs+=("$2"); cmds+=("$3"); }
		for txn in single per-revision; do
			want retort && add "retort [$txn]" "$d/retort-$txn" "$(q "$BIN/retort") -c retort.toml upgrade head"
			want alembic && add "alembic [$txn]" "$d/alembic-$txn" "$PY -m alembic upgrade head"
		done
		if [[ $dialect == sqlite ]]; then
			want goose && add "goose [per-revision]" "$d/goose" "$(q "$BIN/goose") -dir . sqlite3 $(q "$db") up"
			want migrate && add "migrate [per-revision]" "$d/migrate" "$(q "$BIN/migrate") -path . -database $(q "sqlite3://$db") up"
			want floor && add "floor: sqlite3 [single]" "$d/sql" "sqlite3 $(q "$db") < single.sql"
			want floor && add "floor: sqlite3 [per-revision]" "$d/sql" "sqlite3 $(q "$db") < per-statement.sql"
			want floor && add "floor, BEGIN/COMMIT per revision: sqlite3 [per-revision]" "$d/sql" "sqlite3 $(q "$db") < per-revision.sql"
		elif [[ $dialect == mysql ]]; then
			# DDL commits at once on MySQL: every tool applies one revision
			# at a time, whatever its policy. The floor is the same SQL and
			# one version-row write per revision through the client.
			local dsn="$MY_USER:$MY_PASS@tcp($MY_HOST:$MY_PORT)/retort_bench"
			want goose && add "goose [per-revision]" "$d/goose" "$(q "$BIN/mysql/goose") -dir . mysql $(q "$dsn?parseTime=true") up"
			want migrate && add "migrate [per-revision]" "$d/migrate" "$(q "$BIN/mysql/migrate") -path . -database $(q "mysql://$dsn?multiStatements=true") up"
			want floor && add "floor: mariadb [single]" "$d/sql" "$(my_client retort_bench) < single.sql"
			want floor && add "floor: mariadb [per-revision]" "$d/sql" "$(my_client retort_bench) < per-statement.sql"
		else
			want goose && add "goose [per-revision]" "$d/goose" "$(q "$BIN/goose") -dir . postgres $(q "$url") up"
			want migrate && add "migrate [per-revision]" "$d/migrate" "$(q "$BIN/migrate") -path . -database $(q "$url") up"
			want floor && add "floor: psql [single]" "$d/sql" "psql $(q "$url") -X -q -v ON_ERROR_STOP=1 -f single.sql"
			want floor && add "floor: psql [per-revision]" "$d/sql" "psql $(q "$url") -X -q -v ON_ERROR_STOP=1 -f per-statement.sql"
			want floor && add "floor, BEGIN/COMMIT per revision: psql [per-revision]" "$d/sql" "psql $(q "$url") -X -q -v ON_ERROR_STOP=1 -f per-revision.sql"
		fi
		local i got
		rm -rf "${RES:?}/$group"
		for i in "${!names[@]}"; do
			measure "$group" "${names[$i]}" "${dirs[$i]}" "$reset" "${cmds[$i]}"
			# The database left by the last timed run must hold every table.
			got=$(count_tables "$dialect" "$target")
			[[ $got == "$n" ]] || die "${names[$i]}: $got of $n tables after upgrade"
		done
	done
}

# ---------------------------------------------------------------- process start-up

# run_startup times starting a process and doing nothing much, the cost
# every command above pays once, side by side in one hyperfine run (no
# shell, -N) with retort's graph commands on 5,000 revisions: /bin/true
# (the machine's process start-up), retort --version, goose --version,
# migrate -version, retort heads/current/history. BENCH_STARTUP_ROUNDS
# (default 3) such runs of BENCH_STARTUP_RUNS (default 40) each are
# pooled, so that a load changing during the suite weighs on every
# command alike. Then, in a second hyperfine run (5 runs each, Python
# being slower by far): python3 -c pass, Alembic's --version and its
# heads/current/history on the same 5,000 revisions (no warm-up: each
# ran once, unmeasured, to check its output). Peak RSS of each
# (/usr/bin/time -v, 3 runs). The fleet suite only needs the first rows
# and skips the 5,000 revisions.
run_startup() {
	local group=startup d=$WORK/heads-5000 rounds=${BENCH_STARTUP_ROUNDS:-3} runs=${BENCH_STARTUP_RUNS:-40}
	local graph=0 b i op
	suite startup && graph=1
	rm -rf "${RES:?}/$group" "$OUT/startup-rounds"
	mkdir -p "$RES/$group" "$OUT/startup-rounds"
	if ((graph)); then
		if ! [[ -f $d/retort/retort.toml && -f $d/alembic/alembic.ini ]]; then
			gen_heads 5000
			# A file modified within 2 s of the graph index is read again
			# on every run (git's racy rule): wait for the files to age, as
			# files in a real project have.
			sleep 2.1
		fi
	fi
	local head
	head=$(printf '%012d' 5000)
	local fast=(-n "/bin/true" /bin/true)
	want retort && fast+=(-n "retort --version" "$BIN/retort --version")
	for b in "$BIN/goose" "$BIN/mysql/goose"; do
		if want goose && [[ -x $b ]]; then
			fast+=(-n "goose --version" "$b --version")
			break
		fi
	done
	for b in "$BIN/migrate" "$BIN/mysql/migrate"; do
		if want migrate && [[ -x $b ]]; then
			fast+=(-n "migrate -version" "$b -version")
			break
		fi
	done
	if ((graph)); then
		# The least any check that never misses an edit in place can do:
		# a process that stats the 5,000 files by name (bench/stampfloor.go).
		(cd "$d/retort" && find migrations -name '*.sql' | sort >"$d/files.txt")
		fast+=(-n "stat 5,000 files (stampfloor)" "$BIN/stampfloor $d/files.txt")
	fi
	if ((graph)) && want retort; then
		# One unmeasured run each writes the graph index, as any earlier
		# run in the project would have.
		for op in heads current history; do
			(cd "$d/retort" && "$BIN/retort" "$op") | grep "$head" >/dev/null || die "retort $op on 5,000 revisions does not print $head"
			fast+=(-n "retort $op (5,000 revisions)" "$BIN/retort $op")
		done
	fi
	{
		echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
		echo "machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')), $(uname -sr)"
		echo "retort: $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- . ':!bench' 2>/dev/null || echo ' (+ uncommitted changes)')"
		echo "nice: $(nice); hyperfine -N, $rounds rounds of $runs runs (warmup 3) for the first group, 5 runs for Python's"
		echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
	} >"$RES/startup-env.txt"
	for ((i = 1; i <= rounds; i++)); do
		log "[startup] round $i of $rounds"
		(cd "$d/retort" 2>/dev/null || cd "$ROOT" && hyperfine -N --style basic --warmup 3 --runs "$runs" \
			--export-json "$OUT/startup-rounds/round-$i.json" "${fast[@]}") >&2
	done
	local slow=(-n "python3 -c pass" "$PY -c pass")
	want alembic && slow+=(-n "alembic --version" "$PY -m alembic --version")
	if ((graph)) && want alembic; then
		for op in heads current history; do
			(cd "$d/alembic" && "$PY" -m alembic "$op" 2>/dev/null) | grep "$head" >/dev/null || die "alembic $op on 5,000 revisions does not print $head"
			slow+=(-n "alembic $op (5,000 revisions)" "$PY -m alembic $op")
		done
	fi
	log "[startup] Python"
	# No warm-up: the checks above ran each once (Python's __pycache__).
	(cd "$d/alembic" 2>/dev/null || cd "$ROOT" && hyperfine -N --style basic --warmup 0 --runs 5 \
		--export-json "$OUT/startup-rounds/python.json" "${slow[@]}") >&2
	if command -v mariadb >/dev/null; then
		(cd "$ROOT" && hyperfine -N --style basic --warmup 3 --runs "$runs" \
			--export-json "$OUT/startup-rounds/mariadb.json" -n "mariadb --version" "mariadb --version") >&2
	fi
	: >"$RES/startup-memory.tsv"
	if ((graph)); then
		local name cmd dir
		for name in "retort --version" "goose --version" "retort heads (5,000 revisions)" "retort current (5,000 revisions)" \
			"retort history (5,000 revisions)" "alembic heads (5,000 revisions)" "alembic current (5,000 revisions)" "alembic history (5,000 revisions)"; do
			case $name in
			retort\ --version) want retort || continue; cmd=("$BIN/retort" --version) dir=$ROOT ;;
			goose*) [[ -x $BIN/goose ]] && want goose || continue; cmd=("$BIN/goose" --version) dir=$ROOT ;;
			retort*) want retort || continue; op=${name#retort }; cmd=("$BIN/retort" "${op%% *}") dir=$d/retort ;;
			alembic*) want alembic || continue; op=${name#alembic }; cmd=("$PY" -m alembic "${op%% *}") dir=$d/alembic ;;
			esac
			for i in 1 2 3; do
				(cd "$dir" && /usr/bin/time -v "${cmd[@]}" >/dev/null 2>"$OUT/time.log") || die "$name failed: $(cat "$OUT/time.log")"
				printf '%s\t%s\n' "$name" "$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$OUT/time.log")" >>"$RES/startup-memory.tsv"
			done
		done
	fi
	echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$RES/startup-env.txt"
	go run bench/startupreport.go -env "$RES/startup-env.txt" -memory "$RES/startup-memory.tsv" \
		-json "$RES/$group/startup.json" "$OUT"/startup-rounds/round-*.json "$OUT"/startup-rounds/python.json \
		$(ls "$OUT"/startup-rounds/mariadb.json 2>/dev/null) >"$RES/startup.md"
	cat "$RES/startup.md" >&2
	return 0
}

# ---------------------------------------------------------------- testkit

# The default set of pytest-alembic (its four non-experimental tests), as
# retort test --include takes it.
TESTKIT_DEFAULT=single_head_revision,upgrade,model_definitions_match_ddl,up_down_consistency

# measure_once GROUP NAME DIR EXPECT COMMAND: run COMMAND once, unmeasured;
# fail unless it exits 0 and its output matches EXPECT (an extended regex);
# then time it with hyperfine, as many runs as its duration allows.
measure_once() {
	local group=$1 name=$2 dir=$3 expect=$4 cmd=$5 t0 t1 secs
	local logf=$OUT/testkit-check.log
	log "[$group] $name: checking (one unmeasured run)"
	t0=$(date +%s.%N)
	(cd "$dir" && bash -c "$cmd") >"$logf" 2>&1 || { tail -n 30 "$logf" >&2; die "[$group] $name failed"; }
	t1=$(date +%s.%N)
	grep -Eq "$expect" "$logf" || { tail -n 30 "$logf" >&2; die "[$group] $name: output does not match /$expect/"; }
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%d", b - a}')
	local file
	file=$RES/$group/$(printf '%s' "$name" | tr -c 'A-Za-z0-9_.-' '_').json
	mkdir -p "$RES/$group"
	local args=(--style basic --export-json "$file" --command-name "$name")
	if [[ -n ${BENCH_RUNS:-} ]]; then
		args+=(--warmup 0 --runs "$BENCH_RUNS")
	elif ((secs >= 20)); then
		args+=(--warmup 0 --runs 1)
	elif ((secs >= 5)); then
		args+=(--warmup 0 --runs 3)
	else
		args+=(--warmup 1 --min-runs 5)
	fi
	echo "load average before [$group] $name: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$RES/testkit-load.txt"
	log "[$group] $name: ${secs}s unmeasured; hyperfine ${args[*]:4}"
	(cd "$dir" && hyperfine "${args[@]}" "$cmd") >&2
}

run_testkit() {
	local dialect n d group url paurl pytest retort
	local sizes=${BENCH_TESTKIT_SIZES:-200}
	local trace_sizes=${BENCH_TESTKIT_TRACE_SIZES:-50 100 200}
	local trace_sizes_py=${BENCH_TESTKIT_TRACE_SIZES_PYTEST:-50 100}
	: >"$RES/testkit-load.txt"
	rm -rf "$OUT/target-cache"
	for dialect in ${BENCH_TESTKIT_DIALECTS:-sqlite postgres}; do
		# On PostgreSQL retort caches the inspected target (schema.sql); a
		# cache folder of the benchmark's own, filled by the unmeasured run.
		retort="XDG_CACHE_HOME=$(q "$OUT/target-cache") $(q "$BIN/retort") -c retort.toml test"
		pytest="env PYTHONPATH=$(q "$PA_SRC/src")"
		if [[ $dialect == postgres ]]; then
			url=$PG_ADMIN_URL
			paurl=postgresql://${PG_ADMIN_URL#postgres://}
			retort+=" --url $(q "$url")"
			pytest+=" BENCH_PYTEST_ALEMBIC_URL=$(q "$paurl")"
		else
			url=sqlite:///bench.db # never opened: retort test runs on SQLite in memory
			paurl=sqlite:///
		fi
		pytest+=" $PY -m pytest -p pytest_alembic.plugin --test-alembic -q -p no:cacheprovider"

		# The default set.
		for n in $sizes; do
			d=$WORK/testkit-$dialect-$n
			group=testkit-$dialect-$n
			rm -rf "$d" "${RES:?}/$group"
			log "generating $n revisions for retort test / pytest-alembic on $dialect"
			# schema.sql (the N tables) is the target of retort's
			# model_definitions_match_ddl, as models.py is pytest-alembic's.
			"$BIN/gen" -n "$n" -tool retort -dialect "$dialect" -url "$url" -target-schema -out "$d/retort"
			"$BIN/gen" -n "$n" -tool pytest-alembic -dialect "$dialect" -url "$paurl" -out "$d/pytest-alembic"
			want retort && measure_once "$group" "retort test (default set)" "$d/retort" \
				'^PASS  model_definitions_match_ddl' "$retort --include $TESTKIT_DEFAULT"
			measure_once "$group" "pytest-alembic (4 default tests)" "$d/pytest-alembic" \
				'(^| )4 passed' "$pytest"
			measure_once "$group" "pytest-alembic (3, without model_definitions_match_ddl)" "$d/pytest-alembic" \
				'(^| )3 passed' "$pytest --alembic-exclude model_definitions_match_ddl"
		done

		# downgrade_leaves_no_trace alone.
		for n in $(printf '%s\n' $trace_sizes $trace_sizes_py | sort -nu); do
			d=$WORK/no-trace-$dialect-$n
			group=no-trace-$dialect-$n
			rm -rf "$d" "${RES:?}/$group"
			log "generating $n revisions for downgrade_leaves_no_trace on $dialect"
			if want retort && [[ " $trace_sizes " == *" $n "* ]]; then
				"$BIN/gen" -n "$n" -tool retort -dialect "$dialect" -url "$url" -out "$d/retort"
				measure_once "$group" "retort test --include downgrade_leaves_no_trace" "$d/retort" \
					'^PASS  downgrade_leaves_no_trace' "$retort --include downgrade_leaves_no_trace"
			fi
			if [[ " $trace_sizes_py " == *" $n "* ]]; then
				"$BIN/gen" -n "$n" -tool pytest-alembic -dialect "$dialect" -url "$paurl" \
					-experimental downgrade_leaves_no_trace -out "$d/pytest-alembic"
				measure_once "$group" "pytest-alembic (downgrade_leaves_no_trace)" "$d/pytest-alembic" \
					'(^| )1 passed' "$pytest"
			fi
		done
	done
}

# ---------------------------------------------------------------- autogenerate

source bench/autogenerate.sh

# ---------------------------------------------------------------- fleet

source bench/fleet.sh

# ---------------------------------------------------------------- main

T0=$SECONDS
setup_tools
mkdir -p "$WORK" "$SQLITE_DIR"
mkdir -p "$RES"
write_env
if suite upgrade-postgres || suite autogenerate || suite fleet || { suite testkit && [[ " ${BENCH_TESTKIT_DIALECTS:-sqlite postgres} " == *" postgres "* ]]; }; then
	start_postgres
	echo "postgres: $(psql "$PG_ADMIN_URL" -XAtqc 'SHOW server_version') ($(psql "$PG_ADMIN_URL" -XAtqc "SELECT string_agg(name || '=' || setting, ', ' ORDER BY name) FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes')"))" >>"$RES/env.txt"
fi
suite heads && run_heads
suite memory && run_memory
suite upgrade-sqlite && run_upgrade sqlite
suite upgrade-postgres && run_upgrade postgres
if suite upgrade-mysql; then
	start_mysql
	my_parts "$MY_ADMIN_URL"
	echo "mysql server: $(MYSQL_PWD=$MY_PASS "$MYSQL_CLIENT" -h "$MY_HOST" -P "$MY_PORT" -u "$MY_USER" -N -B -e 'SELECT VERSION()')" >>"$RES/env.txt"
	echo "mysql client: $("$MYSQL_CLIENT" --version)" >>"$RES/env.txt"
	echo "pymysql: $("$PY" -c 'import pymysql; print(pymysql.__version__)' 2>/dev/null || echo none)" >>"$RES/env.txt"
	run_upgrade mysql
	stop_mysql
fi
if suite startup || suite fleet; then run_startup; fi
suite testkit && run_testkit
suite autogenerate && run_autogenerate
suite fleet && run_fleet
stop_postgres
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$RES/env.txt"
suite testkit && cat "$RES/testkit-load.txt" >>"$RES/env.txt"
suite fleet && cat "$RES/fleet-load.txt" >>"$RES/env.txt"
echo "wall time: $((SECONDS - T0)) s" >>"$RES/env.txt"
"$BIN/report" -env "$RES/env.txt" -memory "$RES/memory.tsv" "$RES" | tee "$RES/report.md"
if [[ -f $RES/autogenerate.md ]]; then tee -a "$RES/report.md" <"$RES/autogenerate.md"; fi
if suite startup && [[ -f $RES/startup.md ]]; then tee -a "$RES/report.md" <"$RES/startup.md"; fi
if suite fleet; then
	"$BIN/fleetreport" -env "$RES/env.txt" -revisions "${BENCH_FLEET_REVISIONS:-20}" -full "${BENCH_FLEET_FULL:-200}" "$RES" >"$RES/fleet.md"
	tee -a "$RES/report.md" <"$RES/fleet.md"
fi
