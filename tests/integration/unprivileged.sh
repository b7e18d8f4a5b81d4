#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# An unprivileged user sees what it may: its own processes and namespaces,
# exactly, and one line on stderr saying how many processes it could not
# inspect; show and who answer for its own processes and refuse, with a
# clear message, the ones it may not look into.  (The test needs root to
# make the user; nspect then runs as that user.)
source "$TOP_SRCDIR/tests/integration/lib.sh"
need_root

TUSER=nspect-unpriv-$$
useradd -M -U -s /usr/sbin/nologin "$TUSER" >/dev/null 2>&1 || { echo "cannot create the user $TUSER"; exit 99; }
on_exit "userdel $TUSER; groupdel $TUSER"
TUID=$(id -u "$TUSER")
TGID=$(id -g "$TUSER")

# a copy of nspect the user can run, wherever the build is
BIN=$(mktemp -d /tmp/nspect-unpriv.XXXXXX)
on_exit "rm -rf '$BIN'"
cp "$NSPECT" "$BIN/nspect"
chmod 755 "$BIN" "$BIN/nspect"

# as_user CMD...: run CMD as the test user, from /
as_user() {
	setpriv --reuid="$TUID" --regid="$TGID" --clear-groups env -C / "$@"
}

# run ARGS...: nspect ARGS as the user; OUT, ERR, RC
run() {
	RC=0
	OUT=$(as_user "$BIN/nspect" "$@" 2>"$BIN/err") || RC=$?
	ERR=$(cat "$BIN/err")
}

# the user's own process, in a user and a net namespace of its own
setpriv --reuid="$TUID" --regid="$TGID" --clear-groups \
	env -C / unshare --user --map-root-user --net sleep 100000 &
S=$!
on_exit "kill -KILL $S; wait $S"
wait_for is_sleep "$S"
check_eq "the kernel: the user's process runs as the user" "$TUID" "$(stat -c %u "/proc/$S")"
snet=$(ns_inode "$S" net)
suser=$(ns_inode "$S" user)

# --- list ----------------------------------------------------------------------

run list -l -r -n -o NS,TYPE,NPROCS,PID,USER
check_eq "list as the user: exit 0" 0 "$RC"
check_eq "list as the user: its net namespace, with its one process" "$snet net 1 $S $TUSER" \
	"$(awk -v ns="$snet" '$1 == ns' <<<"$OUT")"
check_eq "list as the user: its user namespace" "$suser user 1 $S $TUSER" \
	"$(awk -v ns="$suser" '$1 == ns' <<<"$OUT")"
# every row it shows is one of the user's processes: nothing guessed about others
others=$(awk -v u="$TUSER" '$5 != u' <<<"$OUT")
check_eq "list as the user: every PID shown is the user's own" "" "$others"
# root's processes are hidden from it, and it says how many, once
hidden=$(sed -nE 's/^nspect: could not inspect ([0-9]+) process(es)? \(permission denied\); root sees more$/\1/p' <<<"$ERR")
check_match "list as the user: one line says how many processes it could not inspect" '^[1-9][0-9]*$' "$hidden"
check_eq "list as the user: nothing else on stderr" 1 "$(grep -c . <<<"$ERR")"
root_procs=$(stat -c %u /proc/[0-9]* 2>/dev/null | grep -cvx "$TUID")
if [ "$hidden" -ge $((root_procs / 2)) ] && [ "$hidden" -le $((root_procs + 20)) ]; then
	pass "list as the user: $hidden hidden, about the $root_procs processes not its own"
else
	fail "list as the user: $hidden hidden, but $root_procs processes are not its own"
fi

# --- show ----------------------------------------------------------------------

# with no process to compare with that it may inspect, it says so
run show "$S"
check_eq "show OWN as the user, no PID2: exit 1 (PID 1 and 2 cannot be inspected)" 1 "$RC"
check_match "show OWN as the user: says why and what to do" \
	"cannot inspect PID 1 to compare with: permission denied; name a process to compare with" "$ERR"
run show "$S" "$S"
check_eq "show OWN OWN as the user: exit 0" 0 "$RC"
check_eq "show OWN OWN: its net row" "net $snet yes $snet $suser $TUID $TUSER" \
	"$(awk '$1 == "net" { print $1, $2, $3, $4, $5, $6, $7 }' <<<"$OUT")"
run show 1
check_eq "show 1 as the user: exit 1" 1 "$RC"
check_eq "show 1 as the user: permission denied, not 'no such process'" \
	"nspect show: cannot inspect process 1: permission denied" "$ERR"

# --- who -----------------------------------------------------------------------

run who "net:$snet"
check_eq "who OWN-NET as the user: exit 0" 0 "$RC"
check_eq "who OWN-NET as the user: its process holds it" "process $S" \
	"$(awk 'NR > 1 { print $1, $2 }' <<<"$OUT")"

finish
