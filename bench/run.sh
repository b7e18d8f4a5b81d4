#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench/run.sh: time `nspect list` against lsns and the syscall floor under a
# namespace-heavy workload (bench/workload.sh).  See bench/README.md.
#
#   bench/run.sh [--groups G --per P | --sizes "GxP GxP ..."] [--runs N]
#                [--lsns-runs M] [--warmup K] [--nspect PATH] [--lsns PATH]
#
# Needs bash >= 5, coreutils, awk, xargs, cc, unshare, root.  Peak RSS comes
# from GNU time (/usr/bin/time, Debian package "time") when present; without
# it the RSS column reads "-".
set -u
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
prog=bench/run.sh

groups=200 per=20 runs=7 lsns_runs= warmup=1 sizes= per_source=0
nspect=$repo/build/nspect
lsns=$(type -P lsns || true)
floor_src=${FLOOR_SRC:-$repo/../shared/bench/floor.c}
COLS=NS,TYPE,NPROCS,PID,USER,COMMAND

usage() {
	cat <<EOF
Usage: $prog [options]

Starts a workload of G groups x P sleepers (each group in fresh
user+mnt+uts+ipc+net+pid namespaces), then times, alternately in one loop,
  nspect list -l -o $COLS                  (every discovery source)
  nspect list -l -o $COLS --sources procs  (only what lsns looks at)
  lsns -l -o $COLS
  floor, floor fd          (built from \$FLOOR_SRC, default ../shared/bench/floor.c)
and prints median wall time, peak RSS and the ratios between them.  The
workload is always stopped on exit, failure or Ctrl-C.

Options:
  --groups G          groups in the workload (default $groups)
  --per P             sleeping processes per group (default $per)
  --sizes "GxP ..."   run several workload sizes one after another and print
                      the per-process cost of each (e.g. "200x20 800x25")
  --runs N            timed runs of each tool (default $runs)
  --lsns-runs M       timed runs of lsns (default: N below 10,000 workload
                      processes, min(N,3) above: lsns takes ~20 s at 20,000)
  --warmup K          untimed runs of each tool before timing (default $warmup)
  --per-source        also time "--sources procs,S" for each other source S
                      (rows +threads, +fds, ...): what each source costs
  --nspect PATH       nspect binary (default build/nspect)
  --lsns PATH         lsns binary (default: lsns in PATH)
  -h, --help          this text
EOF
}

die() { printf '%s: %s\n' "$prog" "$*" >&2; exit 1; }
need_arg() { [ $# -ge 2 ] && [ -n "$2" ] || die "option $1 needs an argument"; }
is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }

while [ $# -gt 0 ]; do
	case $1 in
	--groups) need_arg "$@"; groups=$2; shift 2 ;;
	--per) need_arg "$@"; per=$2; shift 2 ;;
	--sizes) need_arg "$@"; sizes=$2; shift 2 ;;
	--runs) need_arg "$@"; runs=$2; shift 2 ;;
	--lsns-runs) need_arg "$@"; lsns_runs=$2; shift 2 ;;
	--warmup) need_arg "$@"; warmup=$2; shift 2 ;;
	--per-source) per_source=1; shift ;;
	--nspect) need_arg "$@"; nspect=$2; shift 2 ;;
	--lsns) need_arg "$@"; lsns=$2; shift 2 ;;
	--groups=*|--per=*|--sizes=*|--runs=*|--lsns-runs=*|--warmup=*|--nspect=*|--lsns=*)
		set -- "${1%%=*}" "${1#*=}" "${@:2}" ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; die "unknown argument: $1" ;;
	esac
done

for v in groups per runs warmup; do
	is_uint "${!v}" || die "--$v must be a number"
done
[ "$runs" -ge 1 ] || die "--runs must be at least 1"
[ -z "$lsns_runs" ] || is_uint "$lsns_runs" || die "--lsns-runs must be a number"
[ -z "$sizes" ] && sizes="${groups}x${per}"
for s in $sizes; do
	[[ $s =~ ^[1-9][0-9]*x[1-9][0-9]*$ ]] || die "bad size '$s' (expected GROUPSxPER, e.g. 200x20)"
done
[ -n "${BASH_VERSINFO:-}" ] && [ "${BASH_VERSINFO[0]}" -ge 5 ] || die "needs bash 5 (EPOCHREALTIME)"
[ -x "$nspect" ] || die "nspect not found or not executable: $nspect (build it, or pass --nspect)"
nspect=$(cd "$(dirname "$nspect")" && pwd)/$(basename "$nspect")
if [ -z "$lsns" ] || [ ! -x "$lsns" ]; then
	echo "$prog: lsns not found: its rows will be empty" >&2
	lsns=
fi
[ -f "$floor_src" ] || die "floor source not found: $floor_src (set FLOOR_SRC)"
command -v cc >/dev/null || die "cc not found (needed to build floor)"

tools="nspect nspect-procs lsns floor floor-fd"
[ "$per_source" = 1 ] && tools+=" +threads +fds +sockets +mounts +ancestors +listns"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nspect-bench.XXXXXX") || die "mktemp failed"
pidfile=$tmp/workload.pids

cleanup() {
	local rc=$?
	trap '' INT TERM HUP
	if [ -f "$pidfile" ]; then
		echo "$prog: stopping the workload" >&2
		"$here/workload.sh" stop "$pidfile" || rc=1
	fi
	rm -rf "$tmp"
	exit $rc
}
trap cleanup EXIT
trap 'echo "$prog: interrupted" >&2; exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

cc -O2 -o "$tmp/floor" "$floor_src" || die "cannot build floor from $floor_src"
floor=$tmp/floor

# Peak RSS: GNU time's %M (KiB).  `command time` finds the same binary in PATH.
timebin=
for cand in /usr/bin/time "$(type -P time || true)"; do
	[ -n "$cand" ] && [ -x "$cand" ] || continue
	if "$cand" -f %M -o "$tmp/probe" true 2>/dev/null && is_uint "$(tail -n1 "$tmp/probe" 2>/dev/null)"; then
		timebin=$cand
		break
	fi
done
if [ -n "$timebin" ]; then
	rss_how="peak RSS and user+sys CPU from $timebin -f '%M %U %S' (GNU time); wall time from bash \$EPOCHREALTIME around it"
else
	rss_how="no GNU time (apt-get install time): no RSS; wall time from bash \$EPOCHREALTIME"
fi

tool_cmd() { # the command line of a tool, into the array CMD
	case $1 in
	nspect) CMD=("$nspect" list -l -o "$COLS") ;;
	nspect-procs) CMD=("$nspect" list -l -o "$COLS" --sources procs) ;;
	+*) CMD=("$nspect" list -l -o "$COLS" --sources "procs,${1#+}") ;;
	lsns) CMD=("$lsns" -l -o "$COLS") ;;
	floor) CMD=("$floor") ;;
	floor-fd) CMD=("$floor" fd) ;;
	esac
}

# One run of a tool: appends the wall time (microseconds) and the peak RSS
# (KiB, or -) to $tmp/<size>.<tool>.{us,rss}.  Output goes to /dev/null,
# stderr to a log shown once at the end if the tool complained.
run_once() {
	local tool=$1 tag=$2 record=$3 t0 t1 rc
	tool_cmd "$tool"
	if [ -n "$timebin" ]; then
		t0=${EPOCHREALTIME/[.,]/}
		"$timebin" -f '%M %U %S' -o "$tmp/rss.out" "${CMD[@]}" >/dev/null 2>>"$tmp/$tool.err"
		rc=$?
		t1=${EPOCHREALTIME/[.,]/}
	else
		t0=${EPOCHREALTIME/[.,]/}
		"${CMD[@]}" >/dev/null 2>>"$tmp/$tool.err"
		rc=$?
		t1=${EPOCHREALTIME/[.,]/}
	fi
	if [ $rc -ne 0 ]; then
		echo "$prog: $tool exited with status $rc" >&2
		echo "$tool: exit status $rc" >> "$tmp/failures"
	fi
	[ "$record" = 1 ] || return 0
	echo $((t1 - t0)) >> "$tmp/$tag.$tool.us"
	if [ -n "$timebin" ]; then
		# "%M %U %S": peak RSS KiB, user and system CPU seconds (10 ms resolution)
		local rss u s
		read -r rss u s < <(tail -n1 "$tmp/rss.out")
		echo "${rss:--}" >> "$tmp/$tag.$tool.rss"
		awk -v u="${u:-0}" -v s="${s:-0}" 'BEGIN { printf "%d\n", (u + s) * 1e6 + 0.5 }' >> "$tmp/$tag.$tool.cpu"
	else
		echo - >> "$tmp/$tag.$tool.rss"
	fi
}

# "median min max" of the microsecond figures in a file, in seconds.
stats() {
	sort -n "$1" | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "- - -"; exit }
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.4f %.4f %.4f\n", m / 1e6, v[1] / 1e6, v[NR] / 1e6 }'
}
maxrss() { awk '$1 != "-" && $1 > m { m = $1 } END { print m ? m : "-" }' "$1" 2>/dev/null || echo -; }
count_procs() { local p=(/proc/[0-9]*); echo ${#p[@]}; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f\n", a / b }'; }

measure() { # GROUPS PER
	local g=$1 p=$2 tag=$1x$2 i t nl
	local wp=$((g * (p + 2)))
	if [ -n "$lsns_runs" ]; then nl=$lsns_runs
	elif [ $wp -gt 10000 ] && [ "$runs" -gt 3 ]; then nl=3
	else nl=$runs; fi
	[ -n "$lsns" ] || nl=0

	echo
	echo "== workload ${g}x${p}: starting"
	local before load0 load1
	before=$(count_procs)
	load0=$(cut -d' ' -f1 /proc/loadavg)
	"$here/workload.sh" start "$g" "$p" "$pidfile" || die "the workload did not start"

	local procs nns
	procs=$(count_procs)
	nns=$("$nspect" list -l -n -r -o NS 2>/dev/null | wc -l)

	for ((i = 0; i < warmup; i++)); do
		for t in $tools; do
			[ "$t" = lsns ] && [ $nl -eq 0 ] && continue
			run_once "$t" "$tag" 0
		done
	done
	for ((i = 1; i <= runs; i++)); do
		printf '\r   run %d/%d ' "$i" "$runs" >&2
		for t in $tools; do
			[ "$t" = lsns ] && [ $i -gt $nl ] && continue
			run_once "$t" "$tag" 1
		done
	done
	printf '\r' >&2
	local procs_after
	procs_after=$(count_procs)
	load1=$(cut -d' ' -f1 /proc/loadavg)

	"$here/workload.sh" stop "$pidfile" || die "the workload did not stop"

	echo "== workload ${g}x${p}: $procs processes in /proc ($procs_after after the runs; $before before the workload), $nns namespaces"
	echo "   load average $load0 before the workload, $load1 after the runs"
	if [ $((procs_after - procs)) -gt 100 ] || [ $((procs - procs_after)) -gt 100 ] ||
	   [ $((procs - before - wp)) -gt 200 ] || [ $((before - (procs - wp))) -gt 200 ]; then
		echo "   !! the process count moved during the runs: something else runs on this machine; figures are noisy"
	fi
	printf '%-12s %5s %9s %9s %9s %9s %13s %11s\n' tool runs median_s min_s max_s cpu_s peak_rss_KiB ns/process
	local med mn mx rss n cpu
	declare -A M=() R=() C=()
	for t in $tools; do
		if [ -s "$tmp/$tag.$t.us" ]; then
			read -r med mn mx < <(stats "$tmp/$tag.$t.us")
			rss=$(maxrss "$tmp/$tag.$t.rss")
			n=$(wc -l < "$tmp/$tag.$t.us")
			cpu=-
			[ -s "$tmp/$tag.$t.cpu" ] && read -r cpu _ < <(stats "$tmp/$tag.$t.cpu")
		else
			med=- mn=- mx=- rss=- n=0 cpu=-
		fi
		M[$t]=$med R[$t]=$rss C[$t]=$cpu
		printf '%-12s %5s %9s %9s %9s %9s %13s %11s\n' "$t" "$n" "$med" "$mn" "$mx" "${cpu:0:6}" "$rss" \
			"$(awk -v m="$med" -v n="$procs" 'BEGIN { if (m == "-") print "-"; else printf "%.0f\n", m * 1e9 / n }')"
	done
	local r1 r2 r3 r4
	r1=$(ratio "${M[lsns]}" "${M[nspect]}")
	r2=$(ratio "${M[nspect]}" "${M[floor]}")
	r3=$(ratio "${M[nspect]}" "${M[floor-fd]}")
	r4=$(ratio "${R[nspect]}" "${R[lsns]}")
	echo "ratios (median wall): lsns/nspect ${r1}x   lsns/nspect-procs $(ratio "${M[lsns]}" "${M[nspect-procs]}")x   nspect/floor ${r2}x   nspect/floor-fd ${r3}x   nspect RSS / lsns RSS ${r4}x"
	[ -n "$timebin" ] && echo "ratios (median CPU):  lsns/nspect $(ratio "${C[lsns]}" "${C[nspect]}")x   nspect/floor $(ratio "${C[nspect]}" "${C[floor]}")x   nspect/floor-fd $(ratio "${C[nspect]}" "${C[floor-fd]}")x"
	echo "$tag $procs $nns ${M[nspect]} ${M[lsns]} ${M[floor]} ${M[floor-fd]} ${R[nspect]} ${R[lsns]} $r1 $r2 $r3 $r4" >> "$tmp/summary"
}

echo "# nspect benchmark: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "# kernel $(uname -r), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# nspect $nspect (commit $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown))"
echo "# lsns ${lsns:-none} ($([ -n "$lsns" ] && "$lsns" --version 2>/dev/null | head -n1))"
echo "# floor built from $floor_src with cc -O2"
echo "# $rss_how"
[ -n "${NSPECT_SCAN_THREADS:-}" ] && echo "# NSPECT_SCAN_THREADS=$NSPECT_SCAN_THREADS"
echo "# runs: $runs each (lsns: ${lsns_runs:-auto}), warmup $warmup, sizes: $sizes"

for s in $sizes; do
	measure "${s%x*}" "${s#*x}"
done

if [ "$(wc -w <<< "$sizes")" -gt 1 ]; then
	echo
	echo "== per-process cost (median wall time / processes in /proc), ns per process"
	printf '%-9s %7s %6s %9s %9s %9s %9s %12s\n' size procs ns nspect lsns floor floor-fd lsns/nspect
	awk '{ pp = $2
	       f = "%.0f"
	       printf "%-9s %7d %6d %9s %9s %9s %9s %11sx\n", $1, $2, $3,
		 ($4 == "-" ? "-" : sprintf(f, $4 * 1e9 / pp)), ($5 == "-" ? "-" : sprintf(f, $5 * 1e9 / pp)),
		 ($6 == "-" ? "-" : sprintf(f, $6 * 1e9 / pp)), ($7 == "-" ? "-" : sprintf(f, $7 * 1e9 / pp)), $10
	       if (NR == 1) base = $4 * 1e9 / pp
	       else printf "          nspect per-process cost %.2fx that of %s\n", ($4 * 1e9 / pp) / base, first
	       if (NR == 1) first = $1 }' "$tmp/summary"
fi

if [ -s "$tmp/failures" ]; then
	echo
	echo "!! some runs failed:"; sort "$tmp/failures" | uniq -c
fi
for t in $tools; do
	if [ -s "$tmp/$t.err" ]; then
		echo "# $t said on stderr ($(wc -l < "$tmp/$t.err") lines), e.g.: $(sort "$tmp/$t.err" | uniq -c | sort -rn | head -n1)"
	fi
done
exit 0
