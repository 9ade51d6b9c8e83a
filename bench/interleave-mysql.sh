#!/bin/bash
# Time retort, goose and the floor in turns on the N-migration MariaDB
# workload that `bench/run.sh upgrade-mysql` generated (bench/out/work),
# with a fresh database before every run, so that a busy spell of the
# machine or the server falls on every tool alike rather than on the one
# hyperfine happens to be timing. Prints one line per run ("tool ms"), the
# median and minimum of each tool, and the load average before and after.
# It also prints, for retort against the floor and goose against retort,
# the median of the ratios taken within each round ("paired").
# BENCH_RETORT_BEFORE names a second retort binary (an earlier build) that
# is timed in the same turns as "before", for a before/after comparison.
# BENCH_MYSQL_LOOPS=1 adds bench/mysqlloop.go's Go floors: "loop3" sends
# the floor's statements through go-sql-driver/mysql, "loop4" adds a plain
# history row after each version row (retort's four statements), and
# "loop3c" writes that row with the version row in one statement, "loopb"
# sends both as one anonymous block and "loopbt" as one block holding one
# transaction.
#
#   BENCH_MYSQL_URL=mysql://user:pass@host:port/db bench/interleave-mysql.sh N ROUNDS
set -euo pipefail
n=${1:?N}
rounds=${2:?ROUNDS}
cd "$(dirname "${BASH_SOURCE[0]}")/.."
u=${BENCH_MYSQL_URL:?set BENCH_MYSQL_URL}
rest=${u#*://}
creds=${rest%%@*}
user=${creds%%:*}
pass=${creds#*:}
hp=${rest#*@}
hp=${hp%%/*}
host=${hp%%:*}
port=${hp#*:}
d=$PWD/bench/out/work/upgrade-mysql-$n
bin=$PWD/bench/out/bin
[[ -d $d ]] || { echo "no $d: run BENCH_UPGRADE_SIZES=$n bench/run.sh upgrade-mysql first" >&2; exit 2; }
export MYSQL_PWD=$pass
client() { mariadb -h "$host" -P "$port" -u "$user" "$@"; }
reset() { client mysql -e 'DROP DATABASE IF EXISTS retort_bench; CREATE DATABASE retort_bench'; }
ms() {
	local s e
	s=$(date +%s%N)
	"$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
	e=$(date +%s%N)
	echo $(((e - s) / 1000000))
}
floor() { client retort_bench <"$d/sql/per-statement.sql"; }
before=${BENCH_RETORT_BEFORE:-}
tools=(retort goose floor)
[[ -n $before ]] && tools=(before "${tools[@]}")
loops=${BENCH_MYSQL_LOOPS:-}
[[ -n $loops ]] && tools+=(loop3 loop4 loop3c loopb loopbt)
dsn="$user:$pass@tcp($host:$port)/retort_bench"
loop() { "$bin/mysqlloop" -history "$1" "$dsn" "$d/sql/per-statement.sql"; }
out=$(mktemp)
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
for _ in $(seq "$rounds"); do
	if [[ -n $before ]]; then
		reset
		echo "before $(cd "$d/retort-per-revision" && ms "$before" -c retort.toml upgrade head)" | tee -a "$out"
	fi
	reset
	echo "retort $(cd "$d/retort-per-revision" && ms "$bin/retort" -c retort.toml upgrade head)" | tee -a "$out"
	reset
	echo "goose $(cd "$d/goose" && ms "$bin/mysql/goose" -dir . mysql "$user:$pass@tcp($host:$port)/retort_bench?parseTime=true" up)" | tee -a "$out"
	reset
	echo "floor $(ms floor)" | tee -a "$out"
	if [[ -n $loops ]]; then
		reset
		echo "loop3 $(ms loop none)" | tee -a "$out"
		reset
		echo "loop4 $(ms loop plain)" | tee -a "$out"
		reset
		echo "loop3c $(ms loop combined)" | tee -a "$out"
		reset
		echo "loopb $(ms loop block)" | tee -a "$out"
		reset
		echo "loopbt $(ms loop txblock)" | tee -a "$out"
	fi
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
for tool in "${tools[@]}"; do
	grep "^$tool " "$out" | cut -d' ' -f2 | sort -n | awk -v t="$tool" '{v[NR]=$1} END {m = NR % 2 ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2; printf "%s: median %d ms, min %d ms, %d runs\n", t, m, v[1], NR}'
done
# Each round times every tool back to back, so a ratio taken within a
# round cancels what the machine did between rounds: the median of those
# ratios moves less than the ratio of two medians.
paired() {
	awk -v a="$1" -v b="$2" '$1 == a {x[++i] = $2} $1 == b {y[++j] = $2}
		END {n = i < j ? i : j; for (k = 1; k <= n; k++) r[k] = x[k] / y[k]; asort(r)
			m = n % 2 ? r[(n+1)/2] : (r[n/2] + r[n/2+1]) / 2
			printf "%s / %s in the same round: median %.2fx, quartiles %.2fx-%.2fx, %d rounds\n", a, b, m, r[int((n+3)/4)], r[int((3*n+1)/4)], n}' "$out"
}
paired retort floor
paired goose retort
[[ -n $before ]] && paired before floor && paired before retort
rm -f "$out"
