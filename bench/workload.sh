#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench/workload.sh: a namespace-heavy process population for benchmarks.
#
#   bench/workload.sh start GROUPS PER_GROUP [PIDFILE]
#   bench/workload.sh stop [PIDFILE]
#   bench/workload.sh count [PIDFILE]
#
# start: starts GROUPS groups, each in fresh user+mnt+uts+ipc+net+pid
#   namespaces (unshare -Umunip --fork --kill-child --map-root-user), each
#   holding PER_GROUP sleeping processes under a shell that is PID 1 of the
#   group's PID namespace.  A group is PER_GROUP + 2 processes (unshare, its
#   shell, the sleeps) and 6 namespaces, so 200 20 gives about 4,400 processes
#   and 1,200 namespaces, 800 25 about 20,800 processes and 4,800 namespaces.
#   Returns once every process is up (counted in /proc), or fails, stopping
#   what it started, after $WORKLOAD_TIMEOUT seconds (default: 60, plus one
#   second per 500 processes).
# stop: SIGKILLs exactly the recorded groups (unshare --fork ignores SIGTERM;
#   --kill-child takes the group's PID 1 down with it, and the PID namespace
#   with that) and waits until every recorded process is gone.
# count: prints how many recorded processes are alive.
#
# PIDFILE (default $PIDFILE, else /tmp/nspect-bench-workload.pids) holds the
# group leaders' PIDs, one a line; PIDFILE.members holds "PID STARTTIME" for
# every process of the workload once it is up, so that stop never touches a
# process that merely reuses a PID.
#
# Needs root (or unprivileged user namespaces), bash, coreutils, awk, xargs.
set -u

prog=${0##*/}
die() { printf '%s: %s\n' "$prog" "$*" >&2; exit 1; }
say() { [ -n "${WORKLOAD_QUIET:-}" ] || warn "$@"; }
warn() { printf '%s: %s\n' "$prog" "$*" >&2; }

# One pass over /proc: "PID PPID STATE STARTTIME" for every process.  The comm
# field may hold spaces and parentheses: everything after the last ") " is safe.
proc_table() {
	# the glob goes to the printf builtin, so no argument-size limit applies;
	# processes that vanish between the glob and cat are skipped silently
	printf '%s\n' /proc/[0-9]*/stat | xargs cat 2>/dev/null |
		awk '{ pid = $1; r = $0; sub(/.*\) /, "", r); split(r, f, " ");
		       print pid, f[2], f[1], f[20] }'
	return 0
}

count_proc_entries() { local p=(/proc/[0-9]*); echo ${#p[@]}; }

# Live (non-zombie) processes of the groups whose leaders are in $1: the
# leaders and all their descendants.  With "list", prints "PID STARTTIME" of
# each; otherwise prints the count and the number of dead leaders.
group_members() {
	local leaders=$1 mode=${2:-count}
	proc_table | awk -v lf="$leaders" -v mode="$mode" '
		BEGIN { while ((getline l < lf) > 0) if (l ~ /^[0-9]+$/) { lead[l] = 1; nlead++ } }
		$3 != "Z" && $3 != "X" { st[$1] = $4; kids[$2] = kids[$2] " " $1 }
		END {
			n = 0; dead = 0
			for (p in lead) {
				if (!(p in st)) { dead++; continue }
				q[++qt] = p
			}
			for (qh = 1; qh <= qt; qh++) {
				p = q[qh]; n++
				if (mode == "list") print p, st[p]
				if (p in kids) {
					k = split(kids[p], c, " ")
					for (i = 1; i <= k; i++) q[++qt] = c[i]
				}
			}
			if (mode != "list") print n, dead
		}'
}

# Recorded members still alive with the same start time: "PID" lines.
alive_members() {
	local members=$1
	proc_table | awk -v mf="$members" '
		BEGIN { while ((getline l < mf) > 0) { split(l, f, " "); want[f[1]] = f[2] } }
		($1 in want) && want[$1] == $4 && $3 != "Z" && $3 != "X" { print $1 }'
}

cmd_start() {
	local groups=${1:-} per=${2:-} pidfile=${3:-${PIDFILE:-/tmp/nspect-bench-workload.pids}}
	[[ $groups =~ ^[1-9][0-9]*$ && $per =~ ^[1-9][0-9]*$ ]] ||
		die "usage: $prog start GROUPS PER_GROUP [PIDFILE]"
	command -v unshare >/dev/null || die "unshare (util-linux) not found"
	if [ -s "$pidfile" ]; then
		die "$pidfile exists and is not empty: a workload may be running; '$prog stop $pidfile' first"
	fi
	local want=$((groups * (per + 2)))
	local limit=${WORKLOAD_TIMEOUT:-$((60 + want / 500))}
	local pid_max
	pid_max=$(cat /proc/sys/kernel/pid_max 2>/dev/null || echo 0)
	if [ "$pid_max" -gt 0 ] && [ "$want" -gt $((pid_max - 2000)) ]; then
		die "$want processes would not fit under kernel.pid_max=$pid_max"
	fi
	: > "$pidfile" || die "cannot write $pidfile"
	rm -f "$pidfile.members"

	# Until the workload is complete, any failure or signal stops what we
	# started: the leaders are written to the pidfile as they are spawned.
	trap 'warn "interrupted: stopping the groups started so far"; cmd_stop "$pidfile"; exit 130' INT TERM HUP

	say "starting $groups groups x $per sleepers ($want processes, $((groups * 6)) namespaces)"
	local g t0=$SECONDS
	# The shell is PID 1 of the new PID namespace; it spawns the sleepers with
	# builtins only (no seq, no subshell), so the count is exact once up.
	local script='i=0; while [ $i -lt '"$per"' ]; do sleep 1000000 & i=$((i + 1)); done; wait'
	local base
	base=$(count_proc_entries)
	for ((g = 0; g < groups; g++)); do
		unshare --user --map-root-user --mount --uts --ipc --net --pid \
			--fork --kill-child sh -c "$script" </dev/null >/dev/null 2>&1 &
		echo $! >> "$pidfile"
		disown $!   # no "Killed" job notices from this shell at stop time
	done

	# Wait cheaply (a glob of /proc) until about enough processes exist, then
	# count the groups exactly (a pass over /proc/*/stat: costly at 20,000).
	local n=0 dead=0 last=-1 since=$SECONDS
	while :; do
		if [ "$(count_proc_entries)" -ge $((base + want - 50)) ] || [ $((SECONDS - t0)) -ge "$limit" ] ||
		   [ $((SECONDS - since)) -ge 5 ]; then
			read -r n dead < <(group_members "$pidfile")
			[ "$n" -ge "$want" ] && break
			if [ "$dead" -gt 0 ]; then
				warn "$dead group leader(s) exited early (namespace or process limits?)"
				cmd_stop "$pidfile"; exit 1
			fi
			if [ "$n" != "$last" ]; then
				last=$n since=$SECONDS
			elif [ $((SECONDS - since)) -ge 15 ] && [ $((n * 100)) -ge $((want * 99)) ]; then
				# a sleeper whose fork failed (pid_max, memory) never comes
				warn "warning: $n of $want processes up, no change for 15s: going on with those"
				break
			fi
			if [ $((SECONDS - t0)) -ge "$limit" ]; then
				warn "timed out after ${limit}s with $n of $want processes up"
				cmd_stop "$pidfile"; exit 1
			fi
		fi
		sleep 1
	done
	group_members "$pidfile" list > "$pidfile.members"
	trap - INT TERM HUP
	say "up: $n processes in $((SECONDS - t0))s (pidfile $pidfile)"
}

cmd_stop() {
	local pidfile=${1:-${PIDFILE:-/tmp/nspect-bench-workload.pids}}
	[ -f "$pidfile" ] || { say "no $pidfile: nothing to stop"; return 0; }
	trap '' INT TERM HUP   # finish the cleanup even on a second Ctrl-C
	local members=$pidfile.members
	# If start was interrupted before it wrote the member list, record now
	# whatever of the groups exists, so that we can wait for it to go.
	if [ ! -s "$members" ]; then
		group_members "$pidfile" list > "$members"
	fi
	local p leaders=()
	while read -r p; do [[ $p =~ ^[0-9]+$ ]] && leaders+=("$p"); done < "$pidfile"
	# Only the leaders that are still recorded members (same start time).
	local live=()
	mapfile -t live < <(alive_members "$members")
	declare -A isleader=()
	for p in "${leaders[@]}"; do isleader[$p]=1; done
	local kill_now=()
	for p in "${live[@]}"; do [ -n "${isleader[$p]:-}" ] && kill_now+=("$p"); done
	[ ${#kill_now[@]} -eq 0 ] || kill -KILL "${kill_now[@]}" 2>/dev/null

	local t0=$SECONDS escalated=0
	while :; do
		mapfile -t live < <(alive_members "$members")
		[ ${#live[@]} -eq 0 ] && break
		if [ $escalated -eq 0 ] && [ $((SECONDS - t0)) -ge 5 ]; then
			# a leader died without taking its group along: kill the rest by PID
			kill -KILL "${live[@]}" 2>/dev/null
			escalated=1
		elif [ $((SECONDS - t0)) -ge 60 ]; then
			warn "${#live[@]} workload processes still alive after 60s: ${live[*]:0:10}"
			return 1
		fi
		sleep 0.2
	done
	rm -f "$pidfile" "$members"
	say "stopped (${#leaders[@]} groups)"
	trap - INT TERM HUP
	return 0
}

cmd_count() {
	local pidfile=${1:-${PIDFILE:-/tmp/nspect-bench-workload.pids}}
	if [ -s "$pidfile.members" ]; then
		alive_members "$pidfile.members" | wc -l
	elif [ -f "$pidfile" ]; then
		group_members "$pidfile" | { read -r n _; echo "$n"; }
	else
		echo 0
	fi
}

case ${1:-} in
start) shift; cmd_start "$@" ;;
stop) shift; cmd_stop "$@" ;;
count) shift; cmd_count "$@" ;;
*) die "usage: $prog start GROUPS PER_GROUP [PIDFILE] | stop [PIDFILE] | count [PIDFILE]" ;;
esac
