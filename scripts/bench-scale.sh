#!/usr/bin/env bash
# Scaling series of disclosure control: `jeugd run` end to end on inboxes
# of growing size, on the real Twente buurten and on a fictional region the
# size of the Netherlands, with cells, seconds, peak RSS and loss per size,
# written into the scaling section of bench/results.md.
#
#   bash scripts/bench-scale.sh [WORKDIR]
#
# Environment: SCALE_CASES (default "twente:300000 twente:3000000
# nl175:5000000 nl350:10000000": region:rows, where twente is ../shared/data
# and nlN a fictional region of N gemeenten of about 40 buurten each; nl175
# at half the rows of nl350 has half its cells at the same density, the
# doubling step), SCALE_REFERENCE (default ../shared/data), BENCH_RESULTS
# (default bench/results.md). Inboxes are generated once per case and kept
# in WORKDIR (default /tmp/jeugd-scale).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-${SCALE_DIR:-/tmp/jeugd-scale}}
cases=${SCALE_CASES:-"twente:300000 twente:3000000 nl175:5000000 nl350:10000000"}
twente=${SCALE_REFERENCE:-$root/../shared/data}
results=${BENCH_RESULTS:-$root/bench/results.md}
today=2026-11-30
seed=11

if [[ ! -x /usr/bin/time ]]; then
	echo "installing GNU time" >&2
	apt-get install -y time >/dev/null || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
fi
mkdir -p "$work"
echo "building jeugd" >&2
(cd "$root" && go build -tags duckdb_arrow -o "$work/jeugd" ./cmd/jeugd && go build -o "$work/scale" ./bench/scale)
key=$work/scale.key
[[ -f $key ]] || "$work/jeugd" key generate "$key" >/dev/null

# field NAME FILE: the number after "NAME": in the last log line of FILE
# that has the message given in $msg.
field() { grep "\"message\":\"$msg\"" "$2" | tail -1 | sed -E "s/.*\"$1\":([0-9.]+).*/\1/"; }

rows=()
for c in $cases; do
	region=${c%%:*} n=${c#*:}
	dir=$work/$region-$n
	if [[ ! -f $dir/rows ]]; then
		echo "generating $n rows on $region in $dir" >&2
		rm -rf "$dir"
		gen=(--rows "$n" --seed "$seed" --today "$today" --dir "$dir")
		case $region in
		twente) gen+=(--reference "$twente") ;;
		nl*) gen+=(--gemeenten "${region#nl}") ;;
		*) echo "unknown region $region" >&2 && exit 2 ;;
		esac
		"$work/jeugd" generate "${gen[@]}" >"$dir.gen" && echo "$n" >"$dir/rows"
	fi
	ref=$twente
	[[ $region == twente ]] || ref=$dir/referentie
	rm -rf "$dir/out" "$dir/state"
	echo "running $c" >&2
	/usr/bin/time -f "%e %M" -o "$dir/time" "$work/jeugd" run --inbox "$dir/inbox" --reference "$ref" \
		--out "$dir/out" --state "$dir/state" --key-file "$key" --log-format json >/dev/null 2>"$dir/log" || {
		echo "failed: $c" >&2
		tail -3 "$dir/log" >&2
		exit 1
	}
	read -r wall rss <"$dir/time"
	msg="indicators counted" cells=$(field cells "$dir/log") count=$(field took "$dir/log")
	msg="disclosure control applied" protect=$(field took "$dir/log")
	read -r _ primary secondary safe gj rj gm < <("$work/scale" -state "$dir/state")
	line=$(printf '| %s | %s | %s | %s | %.1f | %.1f | %.1f | %d | %s%% | %s | %s | %s%% |' \
		"$region" "$n" "$cells" "$primary" "$wall" "$count" "$protect" $((rss / 1024)) "$safe" "$gj" "$rj" "$gm")
	echo "$line" >&2
	rows+=("$line")
done

{
	echo "<!-- scale: written by scripts/bench-scale.sh -->"
	echo "## Scaling of disclosure control"
	echo
	echo "\`bash scripts/bench-scale.sh\` on $(nproc) cores, $(date -u +%Y-%m-%d), commit $(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo unknown)."
	echo "One \`jeugd run\` per case, end to end. twente: the real CBS buurten of ../shared/data; nlN: a fictional"
	echo "region of N gemeenten of about 40 buurten each (\`jeugd generate --gemeenten N\`; 350 is about the Netherlands)."
	echo "Loss: safe cells (0 or at least k) withheld as complements; gemeente and regio x jaar totals of k or more"
	echo "withheld; share of gemeente x maand totals of k or more withheld."
	echo
	echo "| region | rows | cells | small cells | wall s | count s | protect s | peak RSS MiB | safe withheld | gemeente x jaar lost | regio x jaar lost | gemeente x maand withheld |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	printf '%s\n' "${rows[@]}"
	echo "<!-- /scale -->"
} >"$work/scale.md"

# Replace the scaling section of the results, or append it.
if grep -q '<!-- scale:' "$results" 2>/dev/null; then
	awk -v f="$work/scale.md" '
		/<!-- scale:/ {while ((getline l < f) > 0) print l; skip=1; next}
		/<!-- \/scale -->/ {skip=0; next}
		!skip' "$results" >"$results.tmp" && mv "$results.tmp" "$results"
else
	{ echo; cat "$work/scale.md"; } >>"$results"
fi
echo "wrote the scaling section of $results" >&2
