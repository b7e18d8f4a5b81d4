#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nspect show PID [PID2] tells, for each of the 8 types, the namespace of PID,
# whether PID2's (by default the host's) is the same, and one summary line;
# -J says the same in JSON.  Checked against stat(1) of /proc/PID/ns/* and
# the NSpid line of /proc/PID/status: a process in new net and uts
# namespaces, a second process that joined them, a process three pid
# namespaces deep, the kernel thread kthreadd, and PIDs that do not exist or
# have just exited.
source "$TOP_SRCDIR/tests/integration/lib.sh"
need_root

TYPES="cgroup ipc mnt net pid time user uts"
TMP=$(mktemp -d /tmp/nspect-show.XXXXXX)
on_exit "rm -rf '$TMP'"

# show ARGS...: run nspect show; stdout in $out, stderr in $err, status in $rc
show() {
	rc=0
	out=$("$NSPECT" show "$@" 2>"$TMP/err") || rc=$?
	err=$(cat "$TMP/err")
}

# cells N: "TYPE VALUE" of column N of the table in $out, one line per type
# (only the columns up to OTHER: the empty ONS of the user row shifts the rest)
cells() {
	awk -v n="$1" 'NR > 1 && $1 != "PID" { print $1, $n }' <<<"$out"
}

# what show compares with by default: PID 1, or kthreadd when PID 1 is hidden
# from us (as on some machines even from root)
if stat -L -c %i /proc/1/ns/net >/dev/null 2>&1; then
	HOST=1
	HOST_NOTE=
else
	HOST=2
	HOST_NOTE="PID 1 cannot be inspected; comparing with PID 2 \\(kthreadd\\)"
fi

# --- a process in new net and uts namespaces, against the host ------------------

spawn_ns P --net --uts
show "$P"
check_eq "show PID exits 0" 0 "$rc"
check_eq "show PID: SHARED of each type" \
	"cgroup yes ipc yes mnt yes net no pid yes time yes user yes uts no" \
	"$(cells 3 | xargs)"
expected=$(for t in $TYPES; do echo "$t $(ns_inode "$P" "$t")"; done | xargs)
check_eq "show PID: NS is the inode of /proc/PID/ns/TYPE" "$expected" "$(cells 2 | xargs)"
expected=$(for t in $TYPES; do echo "$t $(ns_inode "$HOST" "$t")"; done | xargs)
check_eq "show PID: OTHER is the host's namespace" "$expected" "$(cells 4 | xargs)"
check_eq "show PID: the summary line" \
	"PID $P (sleep) is isolated from PID $HOST (the host) in: net, uts; shares: cgroup, ipc, mnt, pid, time, user" \
	"$(tail -n1 <<<"$out")"
check_eq "show PID: 8 rows, a heading and the summary" 10 "$(wc -l <<<"$out")"
if [ -n "$HOST_NOTE" ]; then
	check_match "show PID: says on stderr that it compares with PID 2" "$HOST_NOTE" "$err"
else
	check_eq "show PID: nothing on stderr" "" "$err"
fi
show -r -n "$P"
check_eq "show -r -n: the net row" "net $(ns_inode "$P" net) no $(ns_inode "$HOST" net) $(ns_inode "$P" user) 0 root " \
	"$(grep '^net ' <<<"$out")"
# raw is for programs: eight rows of the same fields, no summary sentence
check_eq "show -r -n: exactly the 8 type rows" "cgroup ipc mnt net pid time user uts" "$(awk '{ print $1 }' <<<"$out" | xargs)"

# --- JSON -----------------------------------------------------------------------

show -J "$P"
check_eq "show -J exits 0" 0 "$rc"
if jq -e . >/dev/null 2>&1 <<<"$out"; then
	pass "show -J parses as JSON"
else
	fail "show -J does not parse as JSON: $out"
fi
check_eq "-J: isolated" '["net","uts"]' "$(jq -c .isolated <<<"$out" 2>&1)"
check_eq "-J: shared" '["cgroup","ipc","mnt","pid","time","user"]' "$(jq -c .shared <<<"$out" 2>&1)"
check_eq "-J: pid, command, compared_with" "$P sleep $HOST" \
	"$(jq -r '"\(.pid) \(.command) \(.compared_with)"' <<<"$out" 2>&1)"
expected=$(for t in $TYPES; do echo "$t $(ns_inode "$P" "$t") $(ns_inode "$HOST" "$t")"; done)
check_eq "-J: ns and other of each type equal stat -L -c %i" "$expected" \
	"$(jq -r '.namespaces[] | "\(.type) \(.ns) \(.other)"' <<<"$out" 2>&1)"
check_eq "-J: shared is a boolean per type" "false false" \
	"$(jq -r '[.namespaces[] | select(.type == "net" or .type == "uts") | .shared] | map(tostring) | join(" ")' <<<"$out" 2>&1)"
check_eq "-J: ns values are numbers" "number" \
	"$(jq -r '[.namespaces[] | .ns | type] | unique | join(" ")' <<<"$out" 2>&1)"
check_eq "-J: nspid is [PID] for the pid row" "[$P]" \
	"$(jq -c '.namespaces[] | select(.type == "pid") | .nspid' <<<"$out" 2>&1)"
check_eq "-J: nspid is null for the other rows" "[null]" \
	"$(jq -c '[.namespaces[] | select(.type != "pid") | .nspid] | unique' <<<"$out" 2>&1)"

# --- against a second process in the same net and uts namespaces ------------------

nsenter -t "$P" -n -u sleep 100000 &
Q=$!
on_exit "kill -KILL $Q; wait $Q"
wait_for is_sleep "$Q"
check_eq "the second process is in the first one's net namespace" "$(ns_inode "$P" net)" "$(ns_inode "$Q" net)"
show "$P" "$Q"
check_eq "show PID PID2 exits 0" 0 "$rc"
check_eq "show PID PID2: everything shared" \
	"cgroup yes ipc yes mnt yes net yes pid yes time yes user yes uts yes" "$(cells 3 | xargs)"
check_eq "show PID PID2: the summary line" \
	"PID $P (sleep) is isolated from PID $Q in: none; shares: cgroup, ipc, mnt, net, pid, time, user, uts" \
	"$(tail -n1 <<<"$out")"
check_eq "show PID PID2: nothing on stderr" "" "$err"
show -J "$P" "$Q"
check_eq "show -J PID PID2: isolated is empty" '[]' "$(jq -c .isolated <<<"$out" 2>&1)"
check_eq "show -J PID PID2: all 8 shared" '["cgroup","ipc","mnt","net","pid","time","user","uts"]' \
	"$(jq -c .shared <<<"$out" 2>&1)"
check_eq "show -J PID PID2: compared_with" "$Q" "$(jq -r .compared_with <<<"$out" 2>&1)"
# and against the test shell, in the host's namespaces
show "$Q" $$
check_eq "show PID2 \$\$: isolated in net and uts" \
	"PID $Q (sleep) is isolated from PID $$ in: net, uts; shares: cgroup, ipc, mnt, pid, time, user" \
	"$(tail -n1 <<<"$out")"

# --- NSPID: a process three pid namespaces deep ----------------------------------

unshare --pid --fork unshare --pid --fork sleep 100000 &
D0=$!
on_exit "kill -KILL $D0; wait $D0"
descend() {
	local k=$1 c
	while c=$(cat "/proc/$k/task/$k/children" 2>/dev/null) && [ -n "$c" ]; do
		k=${c%% *}
	done
	is_sleep "$k" && echo "$k"
}
wait_for descend "$D0"
D=$(descend "$D0")
# killing the first unshare's child (init of the first new pid namespace) kills all below
on_exit "kill -KILL $(cat "/proc/$D0/task/$D0/children")"
nspid=$(awk '$1 == "NSpid:" { $1 = ""; print substr($0, 2) }' "/proc/$D/status")
check_match "the kernel: NSpid has 3 levels, the last 1" '^[0-9]+ [0-9]+ 1$' "$nspid"
show "$D"
check_eq "show DEEP exits 0" 0 "$rc"
check_eq "show DEEP: NSPID lists its pid in each pid namespace" "$nspid" \
	"$(awk '$1 == "pid" { $1 = $2 = $3 = $4 = $5 = $6 = $7 = ""; print }' <<<"$out" | xargs)"
check_eq "show DEEP: the pid namespace is not shared" "pid no" "$(cells 3 | grep '^pid ')"
show -J "$D"
check_eq "show -J DEEP: nspid" "[${nspid// /,}]" \
	"$(jq -c '.namespaces[] | select(.type == "pid") | .nspid' <<<"$out" 2>&1)"
check_eq "show -J DEEP: isolated" '["pid"]' "$(jq -c .isolated <<<"$out" 2>&1)"
check_eq "show -J DEEP: ns of pid" "$(ns_inode "$D" pid)" \
	"$(jq -c '.namespaces[] | select(.type == "pid") | .ns' <<<"$out" 2>&1)"

# --- the kernel thread kthreadd ---------------------------------------------------

show 2
check_eq "show 2 exits 0" 0 "$rc"
check_match "show 2: the summary names kthreadd, sharing everything" \
	"^PID 2 \\(kthreadd\\) is isolated from PID $HOST .*in: none; shares: cgroup, ipc, mnt, net, pid, time, user, uts\$" \
	"$(tail -n1 <<<"$out")"
expected=$(for t in $TYPES; do echo "$t $(ns_inode 2 "$t")"; done | xargs)
check_eq "show 2: NS of each type" "$expected" "$(cells 2 | xargs)"
show -J 2 "$P"
check_eq "show -J 2 PID: kthreadd is isolated from the net+uts process in net and uts" \
	'"kthreadd" ["net","uts"]' "$(jq -c '.command, .isolated' <<<"$out" 2>&1 | paste -sd' ')"

# --- PIDs that do not exist ------------------------------------------------------

# a pid above pid_max cannot exist; one below it that /proc does not list
nopid=$(($(cat /proc/sys/kernel/pid_max) + 1))
show "$nopid"
check_eq "show NO-SUCH-PID exits 1" 1 "$rc"
check_eq "show NO-SUCH-PID prints nothing on stdout" "" "$out"
check_match "show NO-SUCH-PID says so" "no such process: $nopid" "$err"
free=
for ((c = $(cat /proc/sys/kernel/pid_max) - 1; c > 300; c--)); do
	[ -e "/proc/$c" ] || { free=$c; break; }
done
show "$free"
check_eq "show of a free pid exits 1" 1 "$rc"
check_match "show of a free pid says no such process" "no such process: $free" "$err"

# just killed, and reaped
sleep 100000 &
K=$!
{ kill -KILL "$K" && wait "$K"; } 2>/dev/null
show "$K"
check_eq "show of a just-killed, reaped PID exits 1" 1 "$rc"
check_eq "show of a just-killed PID prints no table" "" "$out"
check_match "show of a just-killed PID says it has exited" "no such process: $K" "$err"
show "$P" "$K"
check_eq "show PID JUST-KILLED exits 1" 1 "$rc"
check_match "show PID JUST-KILLED names the second PID" "no such process: $K" "$err"

# just killed, not yet reaped (a zombie: what a process that exits while
# nspect looks at it is until its parent waits): it has no namespaces left
# to show, and show must not pretend it shares some
sh -c 'sleep 100000 & exec sleep 100000' &
ZP=$!
on_exit "kill -KILL $ZP; wait $ZP"
wait_for is_sleep "$ZP"
wait_for test -n "$(cat "/proc/$ZP/task/$ZP/children" 2>/dev/null)"
Z=$(cat "/proc/$ZP/task/$ZP/children")
Z=${Z%% *}
wait_for is_sleep "$Z"
kill -KILL "$Z"
wait_for grep -q '^State:.*Z' "/proc/$Z/status"
check_match "the kernel: the killed child is a zombie" '^State:.*Z' "$(grep '^State:' "/proc/$Z/status" 2>&1)"
show "$Z"
check_eq "show ZOMBIE exits 1" 1 "$rc"
check_eq "show ZOMBIE prints no table" "" "$out"
check_match "show ZOMBIE says it has exited" "no such process: $Z" "$err"
show -J "$Z"
check_eq "show -J ZOMBIE exits 1" 1 "$rc"
show "$P" "$Z"
check_eq "show PID ZOMBIE exits 1" 1 "$rc"

# a thread id: pidfd_open refuses it, and the message names the process to give
python3 -c 'import threading, time; threading.Thread(target=time.sleep, args=(100000,)).start(); time.sleep(100000)' &
TP=$!
on_exit "kill -KILL $TP; wait $TP"
wait_for test "$(ls "/proc/$TP/task" 2>/dev/null | wc -l)" -ge 2
TID=$(ls "/proc/$TP/task" | grep -vx "$TP" | head -n1)
show "$TID"
check_eq "show TID exits 1" 1 "$rc"
check_eq "show TID: the thread's process named" "nspect show: $TID is a thread of process $TP: give the process, $TP" "$err"
rc=0
"$NSPECT" enter -t "$TID" -n -- true 2>"$TMP/err" || rc=$?
check_eq "enter -t TID: the thread's process named, exit 1" \
	"1 nspect enter: $TID is a thread of process $TP: give the process, $TP" "$rc $(cat "$TMP/err")"

# --- bad arguments ---------------------------------------------------------------

show
check_eq "show without a PID exits 1" 1 "$rc"
check_match "show without a PID says so" "no process given" "$err"
show abc
check_eq "show abc exits 1" 1 "$rc"
check_match "show abc: invalid PID" "invalid PID: 'abc'" "$err"
show "$P" "$Q" 2
check_eq "show with three PIDs exits 1" 1 "$rc"

finish
