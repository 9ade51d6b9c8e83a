# Sourced by bench/run.sh: the fleet suite (issue 18, benchmark P4).
#
#   nice bench/run.sh fleet
#
# One migration history of BENCH_FLEET_REVISIONS (default 20) revisions, as
# in the other suites (CREATE TABLE and CREATE INDEX per revision), applied
# to every tenant of a fleet, all tools side by side in one run:
#
#   PostgreSQL, one schema per tenant (tenant_0001 …), in the database
#   retort_bench_fleet; every run starts from the empty schemas (--prepare
#   drops and creates the database and runs schemas.sql, untimed):
#     retort --fleet tenants --jobs J upgrade head
#     alembic loop   one `python3 -m alembic -x tenant=NAME upgrade head` per
#                    tenant, as Alembic's cookbook runs schema-per-tenant
#                    migrations (env.py sets search_path from -x tenant)
#     goose loop     one `goose -dir . postgres URL&search_path=NAME up` per tenant
#     floor          psql -f fleet.sql: the same SQL and version-table
#                    bookkeeping for every tenant through one psql session,
#                    one transaction per tenant
#   At BENCH_FLEET_FULL tenants (default 200) every tool runs and retort
#   with each --jobs of BENCH_FLEET_JOBS (default "1 2 4 8"); at the other
#   sizes of BENCH_FLEET_MEMBERS (default "100 200 1000") retort with
#   --jobs BENCH_FLEET_SCALE_JOBS (default "4") and the floor.
#
#   SQLite, one file per tenant (BENCH_FLEET_SQLITE files, default 1000,
#   under $SQLITE_DIR/fleet, created by the run; --prepare empties the
#   folder): retort --fleet with each --jobs of BENCH_FLEET_JOBS, the goose
#   loop, and the floor: one sqlite3 process running fleet.sql, which
#   .opens each tenant's file and runs its revisions in one transaction.
#   No Alembic loop here: 1,000 Python start-ups alone take over 7 minutes
#   (see the startup rows), and its tenant env.py is PostgreSQL's.
#
# Each command runs BENCH_FLEET_RUNS times (default 1, no warm-up: the
# Alembic loop alone takes about two minutes); after each, the suite checks
# that every tenant holds every table. The process start-up rows of the
# startup suite are measured too (the loops pay one start-up per tenant).
# The load average before each command goes to results/fleet-load.txt.
# bench/fleetreport.go writes results/fleet.md: ratios to the Alembic loop
# and to the floor, members a second, and the scaling tables.

FLEET_DB=retort_bench_fleet

# fleet_measure GROUP NAME DIR PREPARE COMMAND: hyperfine with the fleet
# suite's runs, the load average noted first.
fleet_measure() {
	local group=$1 name=$2 dir=$3 prep=$4 cmd=$5 file
	file=$RES/$group/$(printf '%s' "$name" | tr -c 'A-Za-z0-9_.-' '_').json
	mkdir -p "$RES/$group"
	local args=(--style basic --warmup 0 --runs "${BENCH_FLEET_RUNS:-1}" --export-json "$file" --command-name "$name")
	[[ -n $prep ]] && args+=(--prepare "$prep")
	echo "load average before [$group] $name: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$RES/fleet-load.txt"
	log "[$group] $name"
	(cd "$dir" && hyperfine "${args[@]}" "$cmd") >&2
}

# fleet_check_pg URL MEMBERS REVS NAME: every tenant schema holds every table.
fleet_check_pg() {
	local got
	got=$(psql "$1" -XAtqc "SELECT count(*) FROM pg_tables WHERE schemaname LIKE 'tenant\_%' AND tablename ~ '^t[0-9]+\$'")
	[[ $got == $(($2 * $3)) ]] || die "$4: $got of $(($2 * $3)) tenant tables after the run"
}

# fleet_check_sqlite DIR MEMBERS REVS NAME: MEMBERS files, the first, middle
# and last holding every table.
fleet_check_sqlite() {
	local files got f
	files=$(find "$1" -name 'tenant_*.db' | wc -l)
	[[ $files == "$2" ]] || die "$4: $files of $2 tenant files after the run"
	for f in 1 $((($2 + 1) / 2)) "$2"; do
		got=$(sqlite3 "$(printf '%s/tenant_%04d.db' "$1" "$f")" "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name GLOB 't[0-9]*'")
		[[ $got == "$3" ]] || die "$4: tenant $f has $got of $3 tables"
	done
}

run_fleet() {
	local revs=${BENCH_FLEET_REVISIONS:-20} full=${BENCH_FLEET_FULL:-200}
	local jobs=${BENCH_FLEET_JOBS:-1 2 4 8} scale_jobs=${BENCH_FLEET_SCALE_JOBS:-4}
	local m d url sep reset group j js name
	: >"$RES/fleet-load.txt"
	rm -rf "${RES:?}"/fleet-postgres-* "${RES:?}"/fleet-sqlite-* # a run replaces every size's results
	url=$(pg_url_db "$PG_ADMIN_URL" "$FLEET_DB")
	sep='?'
	[[ $url == *\?* ]] && sep='&'
	for m in ${BENCH_FLEET_MEMBERS:-100 200 1000}; do
		d=$WORK/fleet-postgres-$m
		group=fleet-postgres-$m
		rm -rf "$d" "${RES:?}/$group"
		log "generating $revs migrations for $m tenant schemas"
		"$BIN/gen" -n "$revs" -members "$m" -tool retort -dialect postgres -url "$url" -out "$d/retort"
		"$BIN/gen" -n "$revs" -members "$m" -tool alembic -dialect postgres -url "$url" -out "$d/alembic"
		"$BIN/gen" -n "$revs" -members "$m" -tool sql -dialect postgres -url "$url" -out "$d/sql"
		"$BIN/gen" -n "$revs" -tool goose -dialect postgres -url "$url" -out "$d/goose"
		reset="psql $(q "$PG_ADMIN_URL") -Xq -c 'DROP DATABASE IF EXISTS $FLEET_DB WITH (FORCE)' -c 'CREATE DATABASE $FLEET_DB' && psql $(q "$url") -Xq -v ON_ERROR_STOP=1 -f $(q "$d/sql/schemas.sql")"
		js=$scale_jobs
		[[ $m == "$full" ]] && js=$jobs
		for j in $js; do
			name="retort --fleet --jobs $j"
			want retort || break
			fleet_measure "$group" "$name" "$d/retort" "$reset" "$(q "$BIN/retort") -c retort.toml --fleet tenants --jobs $j upgrade head"
			fleet_check_pg "$url" "$m" "$revs" "$name"
		done
		if [[ $m == "$full" ]]; then
			if want alembic; then
				fleet_measure "$group" "alembic loop" "$d/alembic" "$reset" \
					"while read -r t; do $PY -m alembic -x tenant=\$t upgrade head || exit 1; done < tenants.txt"
				fleet_check_pg "$url" "$m" "$revs" "alembic loop"
			fi
			if want goose; then
				fleet_measure "$group" "goose loop" "$d/goose" "$reset" \
					"while read -r t; do $(q "$BIN/goose") -dir . postgres $(q "$url$sep")search_path=\$t up || exit 1; done < ../sql/tenants.txt"
				fleet_check_pg "$url" "$m" "$revs" "goose loop"
			fi
		fi
		if want floor; then
			fleet_measure "$group" "floor: psql, one session" "$d/sql" "$reset" "psql $(q "$url") -X -q -v ON_ERROR_STOP=1 -f fleet.sql"
			fleet_check_pg "$url" "$m" "$revs" "floor"
		fi
	done
	psql "$PG_ADMIN_URL" -Xq -c "DROP DATABASE IF EXISTS $FLEET_DB WITH (FORCE)"

	m=${BENCH_FLEET_SQLITE:-1000}
	((m > 0)) || return 0
	d=$WORK/fleet-sqlite-$m
	group=fleet-sqlite-$m
	local files=$SQLITE_DIR/fleet
	rm -rf "$d" "${RES:?}/$group"
	log "generating $revs migrations for $m tenant SQLite files"
	"$BIN/gen" -n "$revs" -members "$m" -member-dir "$files" -tool retort -dialect sqlite -out "$d/retort"
	"$BIN/gen" -n "$revs" -members "$m" -member-dir "$files" -tool sql -dialect sqlite -out "$d/sql"
	"$BIN/gen" -n "$revs" -tool goose -dialect sqlite -out "$d/goose"
	reset="rm -rf $(q "$files") && mkdir -p $(q "$files")"
	for j in $jobs; do
		want retort || break
		name="retort --fleet --jobs $j"
		fleet_measure "$group" "$name" "$d/retort" "$reset" "$(q "$BIN/retort") -c retort.toml --fleet tenants --jobs $j upgrade head"
		fleet_check_sqlite "$files" "$m" "$revs" "$name"
	done
	if want goose; then
		fleet_measure "$group" "goose loop" "$d/goose" "$reset" \
			"while read -r t; do $(q "$BIN/goose") -dir . sqlite3 \"\$t\" up || exit 1; done < ../sql/tenants.txt"
		fleet_check_sqlite "$files" "$m" "$revs" "goose loop"
	fi
	if want floor; then
		fleet_measure "$group" "floor: sqlite3, one process" "$d/sql" "$reset" "sqlite3 -bail < fleet.sql"
		fleet_check_sqlite "$files" "$m" "$revs" "floor"
	fi
	rm -rf "$files"
}
