#!/usr/bin/env bash
# The project's test command.
#
#   ./scripts/test.sh [GO TEST ARGS...]  install what is missing (Debian, as root),
#                                        start PostgreSQL (with a PgBouncer in
#                                        transaction pooling mode in front of it)
#                                        and MariaDB on loopback,
#                                        run go vet and go test, stop the servers.
#   ./scripts/test.sh --servers-only     start the servers, print `export ...`
#                                        lines on stdout and leave them running:
#                                            eval "$(./scripts/test.sh --servers-only)"
#   ./scripts/test.sh --stop DIR         stop servers started with --servers-only.
#
# Each run uses a fresh folder under /tmp and free ports, so it works beside
# servers from an earlier run. Environment:
#   RETORT_TEST_PKGS="./config/... ./internal/dbtest"
#                             packages to vet and test (default ./...)
#   RETORT_TEST_RACE=1        add -race to go test (needs cgo)
#   RETORT_TEST_NO_INSTALL=1  never call apt-get
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { printf 'test.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ---------------------------------------------------------------- packages

PACKAGES=(postgresql pgbouncer mariadb-server python3-alembic python3-psycopg2 python3-pymysql sqlite3 chromium)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

install_packages() {
	local missing=() p
	command -v dpkg-query >/dev/null || { log "not a Debian system: install ${PACKAGES[*]} yourself"; return 0; }
	for p in "${PACKAGES[@]}"; do installed "$p" || missing+=("$p"); done
	[[ ${#missing[@]} -eq 0 ]] && return 0
	if [[ ${RETORT_TEST_NO_INSTALL:-} == 1 ]]; then
		log "missing packages (not installing, RETORT_TEST_NO_INSTALL=1): ${missing[*]}"
		return 0
	fi
	local sudo=()
	if [[ $(id -u) -ne 0 ]]; then
		command -v sudo >/dev/null || die "missing packages ${missing[*]}; install them as root"
		sudo=(sudo -n)
	fi
	log "installing: ${missing[*]}"
	# Keep the packages' own services from starting: we run our own servers.
	local policy=/usr/sbin/policy-rc.d added_policy=0
	if [[ ! -e $policy ]]; then
		printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
		"${sudo[@]}" chmod 755 "$policy"
		added_policy=1
	fi
	local i ok=0
	for i in 1 2 3; do
		if "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null >&2 &&
			"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
				-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
				"${missing[@]}" </dev/null >&2; then
			ok=1
			break
		fi
		log "apt-get failed (try $i of 3)"
		sleep $((i * 5))
	done
	[[ $added_policy == 1 ]] && "${sudo[@]}" rm -f "$policy"
	[[ $ok == 1 ]] || die "could not install ${missing[*]}"
}

# ---------------------------------------------------------------- helpers

# free_port prints a loopback TCP port nothing listens on.
free_port() {
	local p i
	for i in $(seq 1 100); do
		p=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	die "no free port found"
}

# as USER CMD...: run CMD as USER when root, else as ourselves.
as() {
	local user=$1
	shift
	if [[ $(id -u) -eq 0 ]]; then
		(cd / && runuser -u "$user" -- "$@")
	else
		(cd / && "$@")
	fi
}

first_cmd() {
	local c
	for c in "$@"; do
		if command -v "$c" >/dev/null 2>&1; then command -v "$c"; return 0; fi
		[[ -x /usr/sbin/$c ]] && { echo "/usr/sbin/$c"; return 0; }
	done
	return 1
}

random_password() { od -An -N12 -tx1 /dev/urandom | tr -d ' \n'; }

# ---------------------------------------------------------------- PostgreSQL

pg_bindir() {
	local d
	d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	if [[ -n $d ]]; then echo "$d"; return 0; fi
	command -v initdb >/dev/null && { dirname "$(command -v initdb)"; return 0; }
	return 1
}

start_postgres() {
	local bin dir=$WORK/pg port pass user=postgres try
	bin=$(pg_bindir) || die "PostgreSQL not found (install postgresql)"
	[[ $(id -u) -eq 0 ]] || user=$(id -un)
	mkdir -p "$dir/sock"
	pass=$(random_password)
	printf '%s\n' "$pass" >"$dir/pwfile"
	[[ $(id -u) -eq 0 ]] && chown -R postgres:postgres "$dir"
	if ! as "$user" "$bin/initdb" -D "$dir/data" -U retort --pwfile="$dir/pwfile" \
		--auth-local=trust --auth-host=scram-sha-256 -E UTF8 --no-locale --no-sync \
		>"$dir/initdb.log" 2>&1; then
		cat "$dir/initdb.log" >&2
		die "initdb failed"
	fi
	for try in 1 2 3; do
		port=$(free_port)
		if as "$user" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
			-o "-p $port -k $dir/sock -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
			>"$dir/pg_ctl.log" 2>&1; then
			break
		fi
		log "PostgreSQL did not start on port $port (try $try of 3):"
		cat "$dir/pg_ctl.log" "$dir/server.log" >&2 || true
		port=""
	done
	[[ -n $port ]] || die "could not start PostgreSQL"
	echo "$bin/pg_ctl" >"$dir/pg_ctl.path"
	echo "$user" >"$dir/user"
	local i
	for i in $(seq 1 60); do
		if PGPASSWORD=$pass "$bin/psql" -h 127.0.0.1 -p "$port" -U retort -d postgres -Atqc 'SELECT 1' >/dev/null 2>&1; then
			PG_URL="postgres://retort:$pass@127.0.0.1:$port/postgres?sslmode=disable"
			PG_PORT=$port PG_PASS=$pass PG_USER=$user
			log "started PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data $dir)"
			return 0
		fi
		sleep 1
	done
	cat "$dir/server.log" >&2 || true
	die "PostgreSQL on port $port did not accept connections"
}

stop_postgres() {
	local dir=$1/pg
	[[ -f $dir/pg_ctl.path && -f $dir/data/postmaster.pid ]] || return 0
	as "$(cat "$dir/user")" "$(cat "$dir/pg_ctl.path")" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 ||
		log "could not stop PostgreSQL in $dir"
}

# ---------------------------------------------------------------- PgBouncer

# start_pgbouncer runs a PgBouncer in transaction pooling mode in front of
# the test PostgreSQL, as PostgreSQL's user: every database of the server
# (wildcard), four server connections per database and user so that client
# sessions really share them, SCRAM for the retort user with its password
# (PgBouncer logs in to PostgreSQL with the same one). Without pgbouncer it
# only warns: the tests that need it skip.
start_pgbouncer() {
	local bin dir=$WORK/pgb port try i
	PGB_URL=""
	bin=$(first_cmd pgbouncer) || { log "pgbouncer not found: PgBouncer tests will skip"; return 0; }
	mkdir -p "$dir"
	printf '"retort" "%s"\n' "$PG_PASS" >"$dir/userlist.txt"
	chmod 600 "$dir/userlist.txt"
	[[ $(id -u) -eq 0 ]] && chown -R "$PG_USER" "$dir"
	for try in 1 2 3; do
		port=$(free_port)
		cat >"$dir/pgbouncer.ini" <<-INI
			[databases]
			* = host=127.0.0.1 port=$PG_PORT
			[pgbouncer]
			listen_addr = 127.0.0.1
			listen_port = $port
			unix_socket_dir =
			auth_type = scram-sha-256
			auth_file = $dir/userlist.txt
			pool_mode = transaction
			default_pool_size = 4
			max_client_conn = 200
			max_db_connections = 0
			server_reset_query =
			ignore_startup_parameters = extra_float_digits
			logfile = $dir/pgbouncer.log
			pidfile = $dir/pgbouncer.pid
			log_connections = 0
			log_disconnections = 0
		INI
		: >"$dir/pgbouncer.log"
		[[ $(id -u) -eq 0 ]] && chown "$PG_USER" "$dir/pgbouncer.ini" "$dir/pgbouncer.log"
		if as "$PG_USER" "$bin" -d -q "$dir/pgbouncer.ini" >>"$dir/pgbouncer.log" 2>&1; then
			for i in $(seq 1 50); do
				if PGPASSWORD=$PG_PASS "$(pg_bindir)/psql" -h 127.0.0.1 -p "$port" -U retort -d postgres -Atqc 'SELECT 1' >/dev/null 2>&1; then
					PGB_URL="postgres://retort:$PG_PASS@127.0.0.1:$port/postgres?sslmode=disable"
					log "started $("$bin" --version | head -n 1) on 127.0.0.1:$port (transaction pooling, in $dir)"
					return 0
				fi
				sleep 0.2
			done
		fi
		log "PgBouncer did not start on port $port (try $try of 3):"
		cat "$dir/pgbouncer.log" >&2 || true
		stop_pgbouncer "$WORK"
	done
	die "could not start PgBouncer"
}

stop_pgbouncer() {
	local pidfile=$1/pgb/pgbouncer.pid pid i
	[[ -f $pidfile ]] || return 0
	pid=$(cat "$pidfile")
	rm -f "$pidfile"
	[[ -n $pid ]] || return 0
	kill "$pid" 2>/dev/null || return 0
	for i in $(seq 1 50); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -9 "$pid" 2>/dev/null || true
}

# ---------------------------------------------------------------- MariaDB

start_mariadb() {
	local dir=$WORK/my server install client admin port pass try i user=()
	server=$(first_cmd mariadbd mysqld) || die "MariaDB server not found (install mariadb-server)"
	install=$(first_cmd mariadb-install-db mysql_install_db) || die "mariadb-install-db not found"
	client=$(first_cmd mariadb mysql) || die "mariadb client not found"
	admin=$(first_cmd mariadb-admin mysqladmin) || die "mariadb-admin not found"
	mkdir -p "$dir/data" "$dir/tmp"
	if [[ $(id -u) -eq 0 ]]; then
		chown -R mysql:mysql "$dir"
		user=(--user=mysql)
	fi
	if ! "$install" --no-defaults "${user[@]}" --datadir="$dir/data" \
		--auth-root-authentication-method=normal --skip-test-db \
		>"$dir/install.log" 2>&1 </dev/null; then
		cat "$dir/install.log" >&2
		die "mariadb-install-db failed"
	fi
	pass=$(random_password)
	for try in 1 2 3; do
		port=$(free_port)
		: >"$dir/error.log"
		[[ $(id -u) -eq 0 ]] && chown mysql:mysql "$dir/error.log"
		"$server" --no-defaults "${user[@]}" --datadir="$dir/data" --tmpdir="$dir/tmp" \
			--socket="$dir/sock" --port="$port" --bind-address=127.0.0.1 \
			--pid-file="$dir/mariadbd.pid" --log-error="$dir/error.log" \
			--skip-name-resolve --skip-log-bin --innodb-flush-log-at-trx-commit=0 \
			--innodb-buffer-pool-size=128M --innodb-log-file-size=64M --max-connections=300 \
			--character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
			</dev/null >/dev/null 2>&1 &
		echo $! >"$dir/server.pid"
		for i in $(seq 1 60); do
			if "$admin" --no-defaults --socket="$dir/sock" -uroot ping >/dev/null 2>&1; then
				break 2
			fi
			kill -0 "$(cat "$dir/server.pid")" 2>/dev/null || break
			sleep 1
		done
		log "MariaDB did not start on port $port (try $try of 3):"
		cat "$dir/error.log" >&2 || true
		kill "$(cat "$dir/server.pid")" 2>/dev/null || true
		wait "$(cat "$dir/server.pid")" 2>/dev/null || true
		port=""
	done
	[[ -n $port ]] || die "could not start MariaDB"
	"$client" --no-defaults --socket="$dir/sock" -uroot <<-SQL || die "could not create the retort user in MariaDB"
		CREATE USER 'retort'@'%' IDENTIFIED BY '$pass';
		GRANT ALL PRIVILEGES ON *.* TO 'retort'@'%' WITH GRANT OPTION;
		CREATE USER 'retort'@'localhost' IDENTIFIED BY '$pass';
		GRANT ALL PRIVILEGES ON *.* TO 'retort'@'localhost' WITH GRANT OPTION;
		FLUSH PRIVILEGES;
	SQL
	if ! "$client" --no-defaults -h 127.0.0.1 -P "$port" -uretort -p"$pass" -e 'SELECT 1' >/dev/null 2>&1; then
		cat "$dir/error.log" >&2
		die "MariaDB on port $port does not accept the retort user"
	fi
	MY_URL="mysql://retort:$pass@127.0.0.1:$port/mysql"
	log "started MariaDB $("$server" --no-defaults --version | awk '{print $3}') on 127.0.0.1:$port (data $dir)"
}

stop_mariadb() {
	local dir=$1/my pid i
	[[ -f $dir/server.pid ]] || return 0
	pid=$(cat "$dir/server.pid")
	kill "$pid" 2>/dev/null || return 0
	for i in $(seq 1 30); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 1
	done
	log "MariaDB (pid $pid) did not stop; killing it"
	kill -9 "$pid" 2>/dev/null || true
}

# ---------------------------------------------------------------- main

stop_all() {
	local dir=$1
	stop_pgbouncer "$dir"
	stop_postgres "$dir"
	stop_mariadb "$dir"
	case $dir in /tmp/retort-test.*) rm -rf "$dir" ;; esac
}

find_alembic() {
	local py
	for py in "${RETORT_TEST_ALEMBIC:-}" /usr/bin/python3; do
		[[ -n $py ]] || continue
		if "$py" -c 'import alembic' >/dev/null 2>&1; then
			echo "$py"
			return 0
		fi
	done
	return 1
}

start_servers() {
	local t0=$SECONDS
	install_packages
	WORK=$(mktemp -d /tmp/retort-test.XXXXXX)
	chmod 755 "$WORK"
	start_postgres
	start_pgbouncer
	start_mariadb
	ALEMBIC=$(find_alembic) || { log "python3 with alembic not found: Alembic comparison tests will skip"; ALEMBIC=""; }
	log "servers ready in $((SECONDS - t0))s"
}

case ${1:-} in
--stop)
	[[ -n ${2:-} ]] || die "usage: $0 --stop DIR"
	stop_all "$2"
	exit 0
	;;
--servers-only)
	start_servers
	printf 'export RETORT_TEST_POSTGRES_URL=%q\n' "$PG_URL"
	[[ -n $PGB_URL ]] && printf 'export RETORT_TEST_PGBOUNCER_URL=%q\n' "$PGB_URL"
	printf 'export RETORT_TEST_MYSQL_URL=%q\n' "$MY_URL"
	[[ -n $ALEMBIC ]] && printf 'export RETORT_TEST_ALEMBIC=%q\n' "$ALEMBIC"
	printf '# stop them with: %s --stop %s\n' "$0" "$WORK"
	exit 0
	;;
esac

command -v go >/dev/null || die "go not found on PATH"
WORK=""
trap '[[ -n $WORK ]] && stop_all "$WORK"' EXIT
trap 'exit 130' INT TERM
start_servers
export RETORT_TEST_POSTGRES_URL=$PG_URL RETORT_TEST_MYSQL_URL=$MY_URL
[[ -n $ALEMBIC ]] && export RETORT_TEST_ALEMBIC=$ALEMBIC
[[ -n $PGB_URL ]] && export RETORT_TEST_PGBOUNCER_URL=$PGB_URL

race=()
if [[ ${RETORT_TEST_RACE:-} == 1 ]]; then
	[[ $(go env CGO_ENABLED) == 1 ]] || die "RETORT_TEST_RACE=1 needs cgo (a C compiler)"
	race=(-race)
fi

read -r -a pkgs <<<"${RETORT_TEST_PKGS:-./...}"
t0=$SECONDS
log "go vet ${pkgs[*]}"
go vet "${pkgs[@]}"
log "go test -count=1 ${race[*]} ${pkgs[*]} $*"
go test -count=1 "${race[@]}" "${pkgs[@]}" "$@"
log "tests passed in $((SECONDS - t0))s"
