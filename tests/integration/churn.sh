#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nspect list copes with processes and namespaces that come and go while it
# scans: with a loop rapidly starting and ending short-lived processes in new
# namespaces, every run exits 0, prints its header, and -J output is JSON.
source "$TOP_SRCDIR/tests/integration/lib.sh"
need_root

tmp=$(mktemp -d)
on_exit "rm -rf '$tmp'"

# The churn: short-lived processes in new net+uts namespaces, in new
# user+pid namespaces (unshare forks), and plain fork/exit, a few at a time.
# It runs in a session (and process group) of its own, so that it and
# everything it started can be killed together should the test fail; it
# stops after the current round when $tmp/stop appears, or by itself after
# 20 seconds should everything else fail.
setsid bash -c '
	end=$((SECONDS + 20))
	while [ $SECONDS -lt $end ] && [ ! -e "$1/stop" ]; do
		unshare --net --uts sleep 0.0$((RANDOM % 5 + 1)) &
		unshare --user --map-root-user --pid --fork sleep 0.0$((RANDOM % 5 + 1)) &
		unshare --ipc --mount true &
		true
		wait
		echo >>"$1/iterations"
	done' churn "$tmp" </dev/null >/dev/null 2>&1 &
L=$!
on_exit "kill -KILL -- -$L; wait $L"

# let it get going
tries=0
while [ ! -s "$tmp/iterations" ] && [ $tries -lt 100 ]; do
	sleep 0.02
	tries=$((tries + 1))
done
check_eq "the churn loop runs in its own process group" "$L" "$(ps -o pgid= -p "$L" | tr -d ' ')"

header_plus="NS TYPE NPROCS PID USER COMMAND PATH PNS ONS NETNSID"
runs=0 bad=0 max=0
: >"$tmp/seen"
for i in $(seq 6); do
	for mode in "" "-l" "-J" "-o +PATH,PNS,ONS,NETNSID" "-J -o +PATH,PNS,ONS,NETNSID"; do
		runs=$((runs + 1))
		# shellcheck disable=SC2086
		"$NSPECT" list $mode >"$tmp/out" 2>"$tmp/err"
		rc=$?
		what="run $runs: nspect list ${mode:-(default)}"
		problem=
		if [ "$rc" != 0 ]; then
			problem="exit status $rc"
		elif [[ $mode == -J* ]]; then
			# valid JSON with a non-empty "namespaces" array: print the inodes
			if jq -r '.namespaces | if type == "array" and length > 0 then .[].ns
				  else error("no namespaces") end' "$tmp/out" >"$tmp/ns" 2>/dev/null; then
				mapfile -t nss <"$tmp/ns"
				[ ${#nss[@]} -gt "$max" ] && max=${#nss[@]}
				printf '%s\n' "${nss[@]}" >>"$tmp/seen"
			else
				problem="the output is not JSON with a non-empty \"namespaces\" array"
			fi
		else
			read -r -a head <"$tmp/out"
			case $mode in
			-o*) [ "${head[*]}" = "$header_plus" ] || problem="header '${head[*]}'" ;;
			*) [ "${head[*]}" = "NS TYPE NPROCS PID USER COMMAND" ] || problem="header '${head[*]}'" ;;
			esac
		fi
		# on stderr at most the note on what could not be inspected
		mapfile -t errl <"$tmp/err"
		for line in "${errl[@]}"; do
			[[ $line == *"permission denied"* ]] || problem+="${problem:+; }stderr: $line"
		done
		if [ -n "$problem" ]; then
			fail "$what: $problem"
			bad=$((bad + 1))
		fi
	done
done
check_eq "all $runs runs exited 0 with a header or valid JSON" 0 "$bad"

# the churn overlapped the runs: the JSON runs saw namespaces come and go
distinct=$(sort -u "$tmp/seen" | wc -l)
if [ "$distinct" -gt "$max" ]; then
	pass "the -J runs saw $distinct namespaces in all, at most $max at a time"
else
	fail "the -J runs saw no namespace come or go ($distinct in all, $max at most at a time)"
fi
iterations=$(wc -l <"$tmp/iterations")
if kill -0 "$L" 2>/dev/null; then
	pass "the churn loop was still running after the runs ($iterations rounds)"
else
	fail "the churn loop ended before the runs did ($iterations rounds)"
fi

# stop it: it finishes its round and waits for what it started, so that no
# orphan is left for init to reap; then nothing of it may be left.
touch "$tmp/stop"
tries=0
while kill -0 "$L" 2>/dev/null && [ $tries -lt 150 ]; do
	sleep 0.02
	tries=$((tries + 1))
done
if kill -0 "$L" 2>/dev/null; then
	fail "the churn loop did not stop within 3 seconds"
	kill -KILL -- -"$L"
fi
wait "$L"
check_eq "the churn loop stopped by itself" 0 $?
check_eq "nothing of the churn is left" "" "$(pgrep -a -g "$L")"

finish
