# Sourced by bench/run.sh: the autogenerate suite (issue 5).
#
#   bench/run.sh autogenerate
#
# For each size in BENCH_AUTOGEN_SIZES (default "100 1000"), bench/genschema.go
# writes an N-table schema (8 columns, a primary key, a unique constraint, two
# indexes and a foreign key per table); the database retort_bench_ag is
# created from it once and stamped at the baseline revision both projects
# share; then hyperfine times, on that database, with the target schema equal
# to it ("same") and differing in 5 columns ("changed"):
#
#   retort check                      exit 0 on same, 1 on changed (hyperfine -i)
#   retort revision --autogenerate -m x
#       each twice: "cold", the target cache emptied before every run (the
#       first run after schema.sql changed: schema.sql applied to a scratch
#       schema and inspected, the result written to the cache), and "warm",
#       the cache kept (later runs: the inspected target read from the
#       cache). retort runs with XDG_CACHE_HOME=bench/out/target-cache, so
#       the cache is the benchmark's own.
#   alembic revision --autogenerate -m x   (Alembic 1.8 has no check)
#   atlas schema inspect -u URL > /dev/null
#   floor: pg_dump --schema-only URL > /dev/null
#
# BENCH_AUTOGEN_SCHEMAS=K (default 1) spreads the tables over K schemas
# s1..sK (genschema -schemas K: qualified names, foreign keys across
# schemas, include_schemas in retort.toml and Alembic's env.py); the groups
# are then named same-NxK and changed-NxK, and the reference row applies
# schema.sql to a scratch database (created and dropped) instead of a
# scratch schema, as retort does for a target that spans schemas.
#
# The revision commands write a file into the project's versions folder;
# --prepare deletes it before every run, so each run sees the database at
# heads (the baseline); before every run, also VACUUM ANALYZE (see
# ag_measure). Results go to bench/out/results/autogenerate/ and
# bench/agreport.go turns them into bench/out/results/autogenerate.md.
#
# atlas: bench/out/bin/atlas or an atlas on PATH if there is one; else
# `GOBIN=bench/out/bin go install ariga.io/atlas/cmd/atlas@latest` is tried;
# if that fails (the CLI module is not on every Go module proxy),
# bench/atlasinspect.go, the same inspection with the atlas library, stands
# in for it and the row says so. BENCH_TOOLS without "atlas" leaves it out.

AG_DB=retort_bench_ag
AG_CACHE=$OUT/target-cache

# setup_atlas sets ATLAS_CMD (a command taking the URL last) and ATLAS_NAME,
# or leaves ATLAS_CMD empty.
setup_atlas() {
	ATLAS_CMD='' ATLAS_NAME='atlas schema inspect' ATLAS_VERSION=''
	want atlas || return 0
	local atlas=''
	if [[ -x $BIN/atlas ]]; then
		atlas=$BIN/atlas
	elif command -v atlas >/dev/null; then
		atlas=$(command -v atlas)
	elif [[ ${BENCH_NO_INSTALL:-} != 1 ]]; then
		log "go install ariga.io/atlas/cmd/atlas@latest"
		if GOBIN=$BIN go install ariga.io/atlas/cmd/atlas@latest >"$OUT/atlas-install.log" 2>&1; then
			atlas=$BIN/atlas
		else
			log "atlas CLI not installable ($(grep -m1 -o 'does not contain package.*\|not found.*\|404.*' "$OUT/atlas-install.log" || tail -n1 "$OUT/atlas-install.log")); using bench/atlasinspect.go"
		fi
	fi
	if [[ -n $atlas ]]; then
		ATLAS_CMD="$(q "$atlas") schema inspect -u"
		ATLAS_VERSION="$("$atlas" version 2>&1 | head -n1)"
		return 0
	fi
	local src=$OUT/atlasinspect
	if [[ ! -x $BIN/atlasinspect || bench/atlasinspect.go -nt $BIN/atlasinspect ]]; then
		[[ ${BENCH_NO_INSTALL:-} == 1 && ! -f $src/go.sum ]] && { log "atlas left out (BENCH_NO_INSTALL=1)"; return 0; }
		log "building bench/atlasinspect.go (ariga.io/atlas library) in $src"
		rm -rf "$src"
		mkdir -p "$src"
		sed '/^\/\/go:build ignore$/d' bench/atlasinspect.go >"$src/main.go"
		if ! (cd "$src" && go mod init atlasinspect &&
			go get ariga.io/atlas@v0.32.1-0.20250325101103-175b25e1c1b9 github.com/lib/pq@v1.12.3 &&
			go mod tidy && go build -o "$BIN/atlasinspect" .) >"$OUT/atlasinspect-build.log" 2>&1; then
			log "warning: could not build bench/atlasinspect.go (see $OUT/atlasinspect-build.log); atlas left out"
			return 0
		fi
	fi
	ATLAS_CMD=$(q "$BIN/atlasinspect")
	ATLAS_NAME='atlas schema inspect (library)'
	ATLAS_VERSION="not installable ($(grep -m1 -o 'does not contain package [^ ]*' "$OUT/atlas-install.log" 2>/dev/null || echo 'see atlas-install.log')); stood in by bench/atlasinspect.go on $(cd "$src" && go list -m -f '{{.Path}} {{.Version}}' ariga.io/atlas github.com/lib/pq | paste -sd, -)"
}

# ag_measure GROUP NAME DIR PREPARE IGNORE_FAILURE COMMAND
ag_measure() {
	local group=$1 name=$2 dir=$3 prep=$4 ign=$5 cmd=$6 file
	file=$RES/autogenerate/$group/$(printf '%s' "$name" | tr -c 'A-Za-z0-9_.-' '_').json
	mkdir -p "$RES/autogenerate/$group"
	local args=(--style basic --warmup "$WARMUP" --export-json "$file" --command-name "$name")
	if [[ -n ${BENCH_RUNS:-} ]]; then args+=(--runs "$BENCH_RUNS"); else args+=(--min-runs "$MIN_RUNS"); fi
	# Every run starts from vacuumed and analysed catalogs: retort's scratch
	# schema leaves thousands of dead catalog rows behind, and atlas's
	# queries change plans (1 s … 9 s on 1,000 tables) with the statistics.
	args+=(--prepare "psql $(q "$AG_URL") -Xq -c 'VACUUM ANALYZE'${prep:+ && $prep}")
	[[ $ign == 1 ]] && args+=(-i)
	printf '%s\t%s\t%s\n' "$group" "$name" "$(cut -d' ' -f1-3 /proc/loadavg)" >>"$RES/autogenerate/load.tsv"
	log "[autogenerate $group] $name"
	(cd "$dir" && hyperfine "${args[@]}" "$cmd") >&2
}

# ag_check DIR EXPECT_EXIT GREP_PATTERN COMMAND: run once unmeasured; fail
# unless it exits EXPECT_EXIT and its output (stdout and stderr, and any
# generated revision file) matches GREP_PATTERN (an extended regex; "" for
# any).
ag_check() {
	local dir=$1 want_rc=$2 pat=$3 cmd=$4 rc=0 logf=$OUT/autogenerate-check.log
	(cd "$dir" && bash -c "$cmd") >"$logf" 2>&1 || rc=$?
	[[ $rc == "$want_rc" ]] || { tail -n 30 "$logf" >&2; die "autogenerate check in $dir: '$cmd' exited $rc, want $want_rc"; }
	cat "$dir"/migrations/versions/*_x.* >>"$logf" 2>/dev/null || true
	if [[ -n $pat ]]; then
		grep -Eq "$pat" "$logf" || { tail -n 40 "$logf" >&2; die "autogenerate check in $dir: '$cmd': output does not match /$pat/"; }
	fi
}

run_autogenerate() {
	local n d url variant group rt al rm_rt rm_al changed_tables k=${BENCH_AUTOGEN_SCHEMAS:-1} sfx=''
	[[ $k =~ ^[1-9][0-9]*$ ]] || die "BENCH_AUTOGEN_SCHEMAS=$k: want a number of schemas, 1 or more"
	((k > 1)) && sfx=x$k
	go build -o "$BIN/genschema" bench/genschema.go
	go build -o "$BIN/agreport" bench/agreport.go
	setup_atlas
	{
		echo "pg_dump: $(pg_dump --version | awk '{print $3}')"
		want atlas && echo "atlas: ${ATLAS_VERSION:-left out}"
	} >>"$RES/env.txt"
	rm -rf "${RES:?}/autogenerate" "$AG_CACHE"
	mkdir -p "$RES/autogenerate"
	for n in ${BENCH_AUTOGEN_SIZES:-100 1000}; do
		d=$WORK/autogenerate-$n$sfx
		url=$(pg_url_db "$PG_ADMIN_URL" "$AG_DB")
		AG_URL=$url
		rm -rf "$d"
		log "generating the $n-table schema; creating database $AG_DB"
		"$BIN/genschema" -n "$n" -schemas "$k" -url "$url" -out "$d"
		psql "$PG_ADMIN_URL" -Xq -c "DROP DATABASE IF EXISTS $AG_DB WITH (FORCE)" -c "CREATE DATABASE $AG_DB"
		psql "$url" -Xq -v ON_ERROR_STOP=1 -f "$d/create.sql"
		psql "$url" -Xq -c 'VACUUM ANALYZE'
		printf 'BEGIN;\nCREATE SCHEMA retort_scratch_bench;\nSET LOCAL search_path = retort_scratch_bench;\n\\ir schema.sql\nROLLBACK;\n' >"$d/scratch.sql"
		local scratch_ref="psql $(q "$url") -X -q -v ON_ERROR_STOP=1 -f scratch.sql" scratch_name="a scratch schema, rolled back"
		if ((k > 1)); then
			local sdb=retort_bench_ag_scratch surl
			surl=$(pg_url_db "$PG_ADMIN_URL" "$sdb")
			scratch_ref="psql $(q "$PG_ADMIN_URL") -Xq -c 'DROP DATABASE IF EXISTS $sdb' -c 'CREATE DATABASE $sdb TEMPLATE template0' && psql $(q "$surl") -X -q -v ON_ERROR_STOP=1 -f schema.sql && psql $(q "$PG_ADMIN_URL") -Xq -c 'DROP DATABASE $sdb'"
			scratch_name="a scratch database, created and dropped"
		fi
		local have
		have=$(psql "$url" -XAtqc "SELECT count(*) FROM pg_tables WHERE tablename ~ '^t[0-9]+\$' AND schemaname $( ((k > 1)) && echo "~ '^s[0-9]+\$'" || echo "= 'public'")")
		[[ $have == "$n" ]] || die "$AG_DB does not hold $n tables ($have)"
		# The 5 tables genschema changes (N/10, 3N/10, …): each must show up.
		changed_tables=$(for f in 1 3 5 7 9; do printf 't%04d\n' $((n * f / 10 > 0 ? n * f / 10 : 1)); done | sort -u)

		rm_rt='rm -f migrations/versions/*_x.sql migrations/versions/*_x.go'
		rm_al='rm -f migrations/versions/*_x.py migrations/versions/__pycache__/*_x.*'
		rt="XDG_CACHE_HOME=$(q "$AG_CACHE") $(q "$BIN/retort") -c retort.toml"
		al="$PY -m alembic"
		for variant in same changed; do
			group=$variant-$n$sfx
			local pd=$d/retort-$variant ad=$d/alembic-$variant
			# Checked once, unmeasured: the tools agree on what differs.
			if want retort; then
				(cd "$pd" && eval "$rm_rt")
				if [[ $variant == same ]]; then
					ag_check "$pd" 0 '' "$rt check"
				else
					ag_check "$pd" 1 "$(paste -sd'|' <<<"$changed_tables")" "$rt check"
					for t in $changed_tables; do grep -q "$t" "$OUT/autogenerate-check.log" || die "retort check on $group does not name $t"; done
				fi
				ag_check "$pd" 0 '' "$rt revision --autogenerate -m x"
				ls "$pd"/migrations/versions/*_x.* >/dev/null 2>&1 || log "[$group] note: retort revision --autogenerate wrote no file"
				if [[ $variant == changed ]]; then
					for t in $changed_tables; do grep -q "$t" "$OUT/autogenerate-check.log" || die "retort revision --autogenerate on $group does not name $t"; done
				fi
				(cd "$pd" && eval "$rm_rt")
			fi
			if want alembic; then
				(cd "$ad" && eval "$rm_al")
				ag_check "$ad" 0 'Generating ' "$al revision --autogenerate -m x"
				local detected
				detected=$(grep -c 'Detected' "$OUT/autogenerate-check.log" || true)
				if [[ $variant == same ]]; then
					[[ $detected == 0 ]] || die "alembic finds $detected differences on $group"
				else
					[[ $detected == 5 ]] || die "alembic finds $detected differences on $group, want 5"
				fi
				(cd "$ad" && eval "$rm_al")
			fi
			if [[ -n $ATLAS_CMD ]]; then
				(eval "$ATLAS_CMD $(q "$url")") | grep -c '^table "t[0-9]*"' | grep -qx "$n" || die "atlas inspect does not print $n tables"
			fi

			if want retort; then
				local ign rm_cache
				ign=$([[ $variant == changed ]] && echo 1 || echo 0)
				rm_cache="rm -rf $(q "$AG_CACHE")"
				ag_measure "$group" "retort check (cold: target cache empty)" "$pd" "$rm_cache" "$ign" "$rt check"
				ag_measure "$group" "retort check (warm: target cache kept)" "$pd" "" "$ign" "$rt check"
				ag_measure "$group" "retort revision --autogenerate (cold: target cache empty)" "$pd" "$rm_rt && $rm_cache" 0 "$rt revision --autogenerate -m x"
				ag_measure "$group" "retort revision --autogenerate (warm: target cache kept)" "$pd" "$rm_rt" 0 "$rt revision --autogenerate -m x"
				(cd "$pd" && eval "$rm_rt")
			fi
			want alembic && ag_measure "$group" "alembic revision --autogenerate" "$ad" "$rm_al" 0 "$al revision --autogenerate -m x"
			(cd "$ad" && eval "$rm_al")
			[[ -n $ATLAS_CMD ]] && ag_measure "$group" "$ATLAS_NAME" "$d" "" 0 "$ATLAS_CMD $(q "$url") > /dev/null"
			want floor && ag_measure "$group" "floor: pg_dump --schema-only" "$d" "" 0 "pg_dump --schema-only $(q "$url") > /dev/null"
			# For reference, where retort's time goes: reflecting the
			# database alone (retort inspect prints every table's CREATE),
			# and applying the target to a scratch schema, rolled back, as
			# retort does before inspecting it.
			if [[ $variant == same ]]; then
				want retort && ag_measure "$group" "reference: retort inspect" "$pd" "" 0 "$rt inspect > /dev/null"
				ag_measure "$group" "reference: psql applying schema.sql to $scratch_name" "$d" "" 0 "$scratch_ref"
			fi
		done
	done
	"$BIN/agreport" "$RES/autogenerate" >"$RES/autogenerate.md"
}
