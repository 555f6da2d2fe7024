#!/usr/bin/env bash
# End-to-end benchmark: `jeugd run` against a DuckDB-only baseline on the
# same generated inboxes, written to bench/results.md.
#
#   bash scripts/bench.sh [WORKDIR]
#
# Environment: BENCH_SIZES (rows, default "1000000 5000000"), BENCH_SINGLE
# (rows of the one-large-file case: one politie-verdachten CSV, Windows-1252,
# ';', decimal comma; default 5000000, empty to skip), BENCH_RUNS
# (runs per size, default 3), BENCH_RUNS_LARGE (runs for sizes above 1M,
# default BENCH_RUNS; lower it if a slow machine would need over 20 minutes),
# BENCH_RESULTS (default bench/results.md). Inboxes are generated once per size and kept in
# WORKDIR (default /tmp/jeugd-bench) for later invocations.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-${BENCH_DIR:-/tmp/jeugd-bench}}
sizes=${BENCH_SIZES-"1000000 5000000"}
single=${BENCH_SINGLE-5000000}
runs=${BENCH_RUNS:-3}
runs_large=${BENCH_RUNS_LARGE:-$runs}
results=${BENCH_RESULTS:-$root/bench/results.md}
seed=7

if [[ ! -x /usr/bin/time ]]; then
	echo "installing GNU time" >&2
	apt-get install -y time >/dev/null || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
fi
mkdir -p "$work"
echo "building jeugd and the baseline" >&2
(cd "$root" && go build -tags duckdb_arrow -o "$work/jeugd" ./cmd/jeugd && go build -tags duckdb_arrow -o "$work/baseline" ./bench/baseline)
key=$work/bench.key
[[ -f $key ]] || "$work/jeugd" key generate "$key" >/dev/null

# timed LABEL CMD...: runs CMD under /usr/bin/time, appends
# "LABEL wall user sys maxrss_kb" to $work/times.
timed() {
	local label=$1
	shift
	/usr/bin/time -f "%e %U %S %M" -o "$work/time.tmp" "$@" >"$work/cmd.out" 2>"$work/cmd.err" || {
		echo "failed: $*" >&2
		tail -5 "$work/cmd.err" >&2
		exit 1
	}
	echo "$label $(tail -1 "$work/time.tmp")" >>"$work/times"
	echo "  $label $(tail -1 "$work/time.tmp")  (wall s, user s, sys s, max RSS KiB)" >&2
}

# median of the numbers on stdin
median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

: >"$work/times"
# A case is a row count, or s<rows> for the one-large-file case.
cases="$sizes${single:+ s$single}"
for n in $cases; do
	g=$work/g$n
	if [[ ! -f $g/rows ]]; then
		echo "generating $n rows in $g" >&2
		rm -rf "$g"
		gen=(--rows "${n#s}")
		[[ $n == s* ]] && gen+=(--single-file politie-verdachten)
		"$work/jeugd" generate "${gen[@]}" --dir "$g" --seed "$seed" >"$g.gen"
		# "wrote T rows (X XLSX) in F files to ..."
		awk '/^wrote/ {gsub(/[()]/, ""); print $2, $4}' "$g.gen" >"$g/rows.tmp" && mv "$g/rows.tmp" "$g/rows"
	fi
	k=$runs
	((${n#s} > 1000000)) && k=$runs_large
	for ((r = 1; r <= k; r++)); do
		echo "size $n run $r/$k" >&2
		rm -rf "$g/out" "$g/state" "$g/baseline.duckdb" "$g/baseline.parquet"
		timed "pipeline $n" "$work/jeugd" run --inbox "$g/inbox" --reference "$g/referentie" \
			--out "$g/out" --state "$g/state" --key-file "$key" --max-quarantine-rate 0.2 --log-format json
		timed "baseline $n" "$work/baseline" -inbox "$g/inbox" -postcodes "$g/referentie/pc6hnr.csv" \
			-db "$g/baseline.duckdb" -out "$g/baseline.parquet"
	done
	timed "aggregate $n" "$work/jeugd" aggregate jeugdoverlast --per buurt --periode maand --out "$g/out" --format csv
done

field() { awk -v l="$1 $2" -v f="$3" '$1" "$2 == l {print $f}' "$work/times" | median; }
cores=$(nproc)
mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)
cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
{
	echo "# Benchmark results"
	echo
	echo "Written by \`scripts/bench.sh\` on $(date -u +%Y-%m-%d) at commit $(cd "$root" && git rev-parse --short HEAD)."
	echo "Machine: $cores cores ($cpu), $mem memory, load average at the end $(cut -d' ' -f1-3 /proc/loadavg)."
	echo
	echo "Medians of $runs runs (sizes above 1M: $runs_large). The pipeline reads every row (CSV and XLSX);"
	echo "the baseline reads only the CSV rows (it skips the XLSX files), so its rows/s counts CSV rows."
	echo "CPU = user + sys seconds. Ratio = pipeline wall / baseline wall. \"(one file)\" is a single"
	echo "politie-verdachten CSV (Windows-1252, ';', decimal comma), read by one run split across workers."
	echo
	echo "| rows | XLSX rows | pipeline wall s | pipeline CPU s | pipeline rows/s | pipeline peak RSS MiB | baseline wall s | baseline CPU s | baseline rows/s | baseline peak RSS MiB | wall ratio | aggregate s |"
	echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	for n in $cases; do
		read -r total xlsx <"$work/g$n/rows"
		pw=$(field pipeline "$n" 3)
		pc=$(awk -v l="pipeline $n" '$1" "$2 == l {print $4+$5}' "$work/times" | median)
		pr=$(field pipeline "$n" 6)
		bw=$(field baseline "$n" 3)
		bc=$(awk -v l="baseline $n" '$1" "$2 == l {print $4+$5}' "$work/times" | median)
		br=$(field baseline "$n" 6)
		aw=$(field aggregate "$n" 3)
		label=$total
		[[ $n == s* ]] && label="$total (one file)"
		awk -v l="$label" -v n="$total" -v x="$xlsx" -v pw="$pw" -v pc="$pc" -v pr="$pr" -v bw="$bw" -v bc="$bc" -v br="$br" -v aw="$aw" 'BEGIN {
			printf "| %s | %d | %.1f | %.1f | %.0f | %.0f | %.1f | %.1f | %.0f | %.0f | %.2f | %.2f |\n",
				l, x, pw, pc, n/pw, pr/1024, bw, bc, (n-x)/bw, br/1024, pw/bw, aw }'
	done
	echo
	echo "Raw measurements (label rows wall_s user_s sys_s maxrss_KiB):"
	echo
	echo '```'
	cat "$work/times"
	echo '```'
	# Hand-written notes below the marker survive a new measurement.
	if [[ -f $results ]] && grep -q '^<!-- notes -->' "$results"; then
		echo
		sed -n '/^<!-- notes -->/,$p' "$results"
	fi
} >"$results.tmp"
mv "$results.tmp" "$results"
cat "$results"
