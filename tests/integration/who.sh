#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nspect who NS lists everything that keeps one namespace alive, one row per
# holder: the processes in it, a thread that left its process's namespace,
# an open fd, a socket, an nsfs bind mount, and the namespaces it is the
# parent or owner of.  Each kind is made here and its row checked against
# what the kernel says (pids, tids, fd numbers, inodes), in raw and JSON
# output; then the TYPE:INODE forms and the errors.
source "$TOP_SRCDIR/tests/integration/lib.sh"
need_root

TMP=$(mktemp -d /tmp/nspect-who.XXXXXX)
on_exit "rm -rf '$TMP'"

# killer PID: register killing PID (and reaping it, when it is our child)
killer() {
	on_exit "kill -KILL $1; wait $1"
}

# who_rows NS: the holders of NS as "HOLDER PID TID FD MNTNS PATH CHILD" lines
# (JSON null shown as -), sorted; or why nspect failed
who_rows() {
	local out
	if ! out=$("$NSPECT" who -J "$1" 2>"$TMP/who.err"); then
		echo "nspect who -J $1 failed: $(cat "$TMP/who.err")"
		return
	fi
	jq -r '.holders[] | [.holder, .pid, .tid, .fd, .mntns, .path, .child] | map(. // "-" | tostring) | join(" ")' <<<"$out" 2>&1 | sort
}

# --- the fixtures -----------------------------------------------------------------

# a thread in its own net and uts namespaces; the main thread stays in ours
spawn_thread_ns A A_TID || fail "the thread did not unshare"
A_NET=$(stat -L -c %i "/proc/$A/task/$A_TID/ns/net" 2>/dev/null)
A_UTS=$(stat -L -c %i "/proc/$A/task/$A_TID/ns/uts" 2>/dev/null)

# a net namespace whose last process exited, held by fd 9 of another process
spawn_ns B_OLD --net
B_NET=$(ns_inode "$B_OLD" net)
bash -c "exec 9</proc/$B_OLD/ns/net && exec sleep 100000" &
B=$!
killer "$B"
wait_for is_sleep "$B" || fail "the fd holder did not start"
# (braced, so that bash's "Killed" job report goes to /dev/null too)
{ kill -KILL "$B_OLD"; wait "$B_OLD"; } 2>/dev/null

# a net namespace held by a socket of a process that went back to ours
python3 - "$TMP/socket" <<'EOF' &
import ctypes, os, socket, sys, time
libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNET = 0x40000000
orig = os.open("/proc/self/ns/net", os.O_RDONLY)
if libc.unshare(CLONE_NEWNET) != 0:
    sys.exit("unshare: " + os.strerror(ctypes.get_errno()))
ino = os.stat("/proc/self/ns/net").st_ino
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
if libc.setns(orig, CLONE_NEWNET) != 0:
    sys.exit("setns: " + os.strerror(ctypes.get_errno()))
os.close(orig)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(f"{ino} {s.fileno()}\n")
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
time.sleep(100000)
EOF
C=$!
killer "$C"
wait_for test -s "$TMP/socket" || fail "the socket holder did not start"
read -r C_NET C_FD <"$TMP/socket" 2>/dev/null

# ip netns add: a bind mount in our mount namespace
D_NAME=nspect-who-$$
ip netns add "$D_NAME" || fail "ip netns add $D_NAME failed"
on_exit "ip netns del $D_NAME"
D_NET=$(stat -L -c %i "/run/netns/$D_NAME" 2>/dev/null)

# three processes in one net namespace
unshare --net sh -c 'sleep 100000 & sleep 100000 & exec sleep 100000' &
P=$!
# kill the children first, while they are still P's, then P itself
on_exit "pkill -KILL -P $P; kill -KILL $P; wait $P"
tries=0
while [ $tries -lt 500 ]; do
	kids=$(xargs <"/proc/$P/task/$P/children" 2>/dev/null)
	is_sleep "$P" && [ "$(wc -w <<<"$kids")" = 2 ] && break
	sleep 0.02
	tries=$((tries + 1))
done
P_NET=$(ns_inode "$P" net)
# shellcheck disable=SC2086 # one pid a word
P_PIDS=$(printf '%s\n' "$P" $kids | sort -n | xargs)
check_eq "three processes in the new net namespace" 3 "$(wc -w <<<"$P_PIDS")"

# a user namespace chain where only the innermost has a process
unshare --user --map-root-user unshare --user --map-root-user unshare --user sleep 100000 &
F=$!
killer "$F"
wait_for is_sleep "$F" || fail "the user namespace chain did not start"
F_CHAIN=$(python3 - "$F" <<'EOF'
import fcntl, os, sys
NS_GET_USERNS = 0xb701
fd = os.open(f"/proc/{sys.argv[1]}/ns/user", os.O_RDONLY)
inos = []
for _ in range(3):
    inos.append(os.fstat(fd).st_ino)
    up = fcntl.ioctl(fd, NS_GET_USERNS)
    os.close(fd)
    fd = up
print(*inos)
EOF
)
read -r F_INNER F_MIDDLE F_OUTER <<<"$F_CHAIN"
check_eq "the sleeper is in the innermost user namespace" "$(ns_inode "$F" user)" "${F_INNER:-}"

# --- one kind of holder at a time ------------------------------------------------

check_eq "fd: one row, HOLDER fd with the holder's PID and FD" \
	"fd $B - 9 - - -" "$(who_rows "$B_NET")"
check_eq "socket: one row, HOLDER socket with the holder's PID and FD" \
	"socket $C - $C_FD - - -" "$(who_rows "$C_NET")"
check_eq "thread (net): one row, HOLDER thread with PID and TID" \
	"thread $A $A_TID - - - -" "$(who_rows "$A_NET")"
check_eq "thread (uts): one row, HOLDER thread with PID and TID" \
	"thread $A $A_TID - - - -" "$(who_rows "$A_UTS")"

own_mnt=$(ns_inode $$ mnt)
rows=$(who_rows "$D_NET")
if grep -qxF "mount - - - $own_mnt /run/netns/$D_NAME -" <<<"$rows"; then
	pass "ip netns: a mount row with PATH /run/netns/$D_NAME and MNTNS our mount namespace"
else
	fail "ip netns: no row 'mount - - - $own_mnt /run/netns/$D_NAME -' in: $rows"
fi
check_eq "ip netns: every row is a mount of /run/netns/$D_NAME" "" \
	"$(grep -vE "^mount - - - [0-9]+ /run/netns/$D_NAME -$" <<<"$rows")"

check_eq "processes: one process row per process in the namespace" \
	"$(for p in $P_PIDS; do echo "process $p - - - - -"; done | sort)" "$(who_rows "$P_NET")"
out=$("$NSPECT" who -J "$P_NET" 2>/dev/null | jq -r --argjson pid "$P" '.holders[] | select(.pid == $pid) | .command' 2>&1)
check_eq "processes: COMMAND is the command line" "sleep 100000" "$out"

check_eq "user chain: the middle namespace has one child row naming the inner one" \
	"child - - - - - user:[$F_INNER]" "$(who_rows "$F_MIDDLE")"
check_eq "user chain: the outer namespace has one child row naming the middle one" \
	"child - - - - - user:[$F_MIDDLE]" "$(who_rows "$F_OUTER")"
check_eq "user chain: the inner namespace is held by its process" \
	"process $F - - - - -" "$(who_rows "$F_INNER")"

# --- raw output --------------------------------------------------------------------

out=$("$NSPECT" who -r -n "$B_NET" 2>/dev/null)
check_eq "who -r -n: fd row, empty cells as empty fields" "fd $B  9    sleep\\x20100000" "$out"
out=$("$NSPECT" who -r "$B_NET" 2>/dev/null | head -n1)
check_eq "who -r: the header" "HOLDER PID TID FD MNTNS PATH CHILD COMMAND" "$out"

# --- TYPE:INODE forms ----------------------------------------------------------------

plain=$("$NSPECT" who -r -n "$B_NET" 2>/dev/null)
for form in "net:$B_NET" "net:[$B_NET]"; do
	out=$("$NSPECT" who -r -n "$form" 2>/dev/null)
	check_eq "who $form exits 0" 0 $?
	check_eq "who $form is the same as who INODE" "$plain" "$out"
done
for form in "uts:$B_NET" "user:[$B_NET]"; do
	"$NSPECT" who "$form" >"$TMP/out" 2>"$TMP/err"
	check_eq "who $form (wrong type) exits 1" 1 $?
	check_eq "who $form prints nothing on stdout" "" "$(cat "$TMP/out")"
	check_match "who $form says why, naming the inode" "$B_NET" "$(cat "$TMP/err")"
done

# --- JSON -----------------------------------------------------------------------------

for ns in "$B_NET" "$C_NET" "$A_NET" "$D_NET" "$P_NET" "$F_MIDDLE"; do
	"$NSPECT" who -J "$ns" >"$TMP/json" 2>/dev/null
	if jq -e '.holders | length > 0' "$TMP/json" >/dev/null 2>&1; then
		pass "who -J $ns parses, with a non-empty holders table"
	else
		fail "who -J $ns: not JSON or no holders: $(cat "$TMP/json")"
	fi
done
types() { # NS: the JSON types of each row's cells
	"$NSPECT" who -J "$1" 2>/dev/null |
		jq -r '.holders[] | [.holder, .pid, .tid, .fd, .mntns, .path, .child, .command] | map(type) | join(" ")' 2>&1 |
		sort -u
}
check_eq "-J fd: pid and fd are numbers, empty cells null" \
	"string number null number null null null string" "$(types "$B_NET")"
check_eq "-J socket: pid and fd are numbers" \
	"string number null number null null null string" "$(types "$C_NET")"
check_eq "-J thread: pid and tid are numbers" \
	"string number number null null null null string" "$(types "$A_NET")"
check_eq "-J mount: mntns is a number, path a string" \
	"string null null null number string null null" "$(types "$D_NET")"
check_eq "-J child: child is a string" \
	"string null null null null null string null" "$(types "$F_MIDDLE")"
check_eq "-J process: pid is a number" \
	"string number null null null null null string" "$(types "$P_NET")"

# --- errors ---------------------------------------------------------------------------

"$NSPECT" who 12345 >"$TMP/out" 2>"$TMP/err"
check_eq "who 12345 (no such namespace) exits 1" 1 $?
check_eq "who 12345 prints nothing on stdout" "" "$(cat "$TMP/out")"
check_match "who 12345 says why, naming 12345" "12345" "$(cat "$TMP/err")"

"$NSPECT" who abc >"$TMP/out" 2>"$TMP/err"
check_eq "who abc exits 1" 1 $?
check_match "who abc names the argument" "abc" "$(cat "$TMP/err")"
check_match "who abc prints a Try line" "Try 'nspect who --help'" "$(cat "$TMP/err")"

"$NSPECT" who >"$TMP/out" 2>"$TMP/err"
check_eq "who (no argument) exits 1" 1 $?
check_match "who (no argument) prints a Try line" "Try 'nspect who --help'" "$(cat "$TMP/err")"
check_eq "who (no argument) prints nothing on stdout" "" "$(cat "$TMP/out")"

finish
