#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nspect list finds namespaces that no process is in, one discovery source at
# a time: each case below makes a namespace held ONLY by one kind of holder
# (a thread, an open fd, a socket, an nsfs bind mount in our mount namespace,
# one in a private mount namespace, a child user namespace) and checks that
# nspect lists it with the type and inode the kernel reports, NPROCS 0 and
# the right HOLDERS, in raw and JSON output.  Then -P (only namespaces
# without processes), --sources (a real switch) and an unknown source.
#
# Inodes come from the kernel independently of nspect: stat -L on a path that
# reaches the namespace, taken while it still did, and ioctl(NS_GET_USERNS,
# NS_GET_PARENT) for the user namespace chain.
source "$TOP_SRCDIR/tests/integration/lib.sh"
need_root

TMP=$(mktemp -d /tmp/nspect-discovery.XXXXXX)
on_exit "rm -rf '$TMP'"

# row_of INODE TEXT: the line of raw output TEXT whose first field is INODE
row_of() {
	awk -v ns="$1" '$1 == ns' <<<"$2"
}

# killer PID: register killing PID (and reaping it, when it is our child)
killer() {
	on_exit "kill -KILL $1; wait $1"
}

# --- the fixtures -----------------------------------------------------------------

# e) a bind mount of a net namespace inside a private mount namespace, invisible
# in ours.  Made first, so that the private mount namespace does not get a copy
# of d)'s /run/netns mount.
mkdir -p "$TMP/e"
unshare --mount --propagation private sh -c \
	"mkdir -p '$TMP/e' && touch '$TMP/e/f' && unshare --net='$TMP/e/f' true && exec sleep 100000" &
E=$!
killer "$E"
wait_for is_sleep "$E" || fail "e) the sleeper in a private mount namespace did not start"
E_MNT=$(ns_inode "$E" mnt)
E_NET=$(stat -L -c %i "/proc/$E/root$TMP/e/f" 2>/dev/null)
check_match "e) the bind mount reaches a net namespace (stat -L)" '^[0-9]+$' "$E_NET"
if [[ $E_MNT =~ ^[0-9]+$ ]] && [ "$E_MNT" != "$(ns_inode $$ mnt)" ]; then
	pass "e) the sleeper is in its own mount namespace"
else
	fail "e) the sleeper is not in a new mount namespace: '$E_MNT'"
fi
[ "$E_NET" != "$(ns_inode $$ net)" ] || fail "e) the bind mount is our own net namespace"
if [ -e "$TMP/e/f" ] && [ "$(stat -L -c %i "$TMP/e/f")" = "$E_NET" ]; then
	fail "e) the bind mount is visible in our mount namespace"
else
	pass "e) the bind mount is not visible in our mount namespace"
fi

# a) a thread of a multi-threaded process in its own net and uts namespaces;
# the main thread stays in ours
spawn_thread_ns A A_TID || fail "a) the thread did not unshare"
A_NET=$(stat -L -c %i "/proc/$A/task/$A_TID/ns/net" 2>/dev/null)
A_UTS=$(stat -L -c %i "/proc/$A/task/$A_TID/ns/uts" 2>/dev/null)
check_match "a) the thread's net namespace has an inode" '^[0-9]+$' "$A_NET"
check_match "a) the thread's uts namespace has an inode" '^[0-9]+$' "$A_UTS"
check_eq "a) the process (main thread) stays in our net namespace" "$(ns_inode $$ net)" "$(ns_inode "$A" net)"
check_eq "a) the process (main thread) stays in our uts namespace" "$(ns_inode $$ uts)" "$(ns_inode "$A" uts)"

# b) a net namespace whose last process exited, held by an open fd of another one
spawn_ns B_OLD --net
B_NET=$(ns_inode "$B_OLD" net)
bash -c "exec 9</proc/$B_OLD/ns/net && exec sleep 100000" &
B=$!
killer "$B"
wait_for is_sleep "$B" || fail "b) the fd holder did not start"
check_eq "b) the holder's fd 9 is the net namespace" "net:[$B_NET]" "$(readlink "/proc/$B/fd/9")"
# (braced, so that bash's "Killed" job report goes to /dev/null too)
{ kill -KILL "$B_OLD"; wait "$B_OLD"; } 2>/dev/null
[ ! -e "/proc/$B_OLD" ] || fail "b) the net namespace's process did not exit"

# c) a net namespace held only by a socket of a process that went back to ours
python3 - "$TMP/c" <<'EOF' &
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
wait_for test -s "$TMP/c" || fail "c) the socket holder did not start"
read -r C_NET _ <"$TMP/c" 2>/dev/null
check_match "c) the socket's net namespace has an inode" '^[0-9]+$' "${C_NET:-}"
check_eq "c) the socket holder is back in our net namespace" "$(ns_inode $$ net)" "$(ns_inode "$C" net)"

# d) ip netns add: a bind mount in our mount namespace
D_NAME=nspect-disc-$$
ip netns add "$D_NAME" || fail "d) ip netns add $D_NAME failed"
on_exit "ip netns del $D_NAME"
D_NET=$(stat -L -c %i "/run/netns/$D_NAME" 2>/dev/null)
check_match "d) /run/netns/$D_NAME reaches a net namespace" '^[0-9]+$' "$D_NET"

# f) a user namespace chain where only the innermost has a process: each
# unshare execs the next, so only the last sleep remains
unshare --user --map-root-user unshare --user --map-root-user unshare --user sleep 100000 &
F=$!
killer "$F"
wait_for is_sleep "$F" || fail "f) the user namespace chain did not start"
# "INODE ONS PNS" of the sleeper's user namespace, its owner and its owner's
# owner (innermost first), and the inode of the last one's owner
F_KERNEL=$(python3 - "$F" <<'EOF'
import fcntl, os, sys
NS_GET_USERNS, NS_GET_PARENT = 0xb701, 0xb702
fd = os.open(f"/proc/{sys.argv[1]}/ns/user", os.O_RDONLY)
for _ in range(3):
    ons = fcntl.ioctl(fd, NS_GET_USERNS)
    pns = fcntl.ioctl(fd, NS_GET_PARENT)
    print(os.fstat(fd).st_ino, os.fstat(ons).st_ino, os.fstat(pns).st_ino)
    os.close(pns)
    os.close(fd)
    fd = ons
print(os.fstat(fd).st_ino)
EOF
)
check_eq "f) the kernel reports three user namespaces and their owner" 4 "$(wc -l <<<"$F_KERNEL")"
F_INNER=$(sed -n 1p <<<"$F_KERNEL" | cut -d' ' -f1)
F_MIDDLE=$(sed -n 2p <<<"$F_KERNEL" | cut -d' ' -f1)
F_OUTER=$(sed -n 3p <<<"$F_KERNEL" | cut -d' ' -f1)
check_eq "f) the sleeper is in the innermost user namespace" "$(ns_inode "$F" user)" "$F_INNER"
check_eq "f) the outermost user namespace's owner is ours" "$(ns_inode $$ user)" "$(sed -n 4p <<<"$F_KERNEL")"

# --- the listing ----------------------------------------------------------------

raw=$("$NSPECT" list -r -n -o NS,TYPE,NPROCS,HOLDERS 2>"$TMP/err")
check_eq "nspect list -r -n -o NS,TYPE,NPROCS,HOLDERS exits 0" 0 $?
json=$("$NSPECT" list -J -o NS,TYPE,NPROCS,HOLDERS,NSFS 2>"$TMP/err")
check_eq "nspect list -J -o NS,TYPE,NPROCS,HOLDERS,NSFS exits 0" 0 $?
if jq -e . >/dev/null 2>&1 <<<"$json"; then
	pass "-J output parses as JSON"
else
	fail "-J output does not parse as JSON: $json"
fi

# jrow JSON INODE: "TYPE NPROCS HOLDERS" of the entry of INODE, with the JSON
# types of ns, nprocs, holders and nsfs first
jrow() {
	jq -r --argjson ns "$2" '.namespaces[] | select(.ns == $ns)
		| "\(.ns|type) \(.nprocs|type) \(.holders|type) \(.nsfs|type) \(.type) \(.nprocs) \(.holders|join(","))"' \
		<<<"$1" 2>&1
}

# check_ns WHAT INODE TYPE NPROCS HOLDERS: in the raw listing and the JSON one
check_ns() {
	check_eq "$1: raw row (NS TYPE NPROCS HOLDERS)" "$2 $3 $4 $5" "$(row_of "$2" "$raw")"
	check_eq "$1: JSON entry (types, TYPE NPROCS HOLDERS)" "number number array array $3 $4 $5" "$(jrow "$json" "$2")"
}

# nsfs JSON INODE: the NSFS entries of INODE, one a line
nsfs() {
	jq -r --argjson ns "$2" '.namespaces[] | select(.ns == $ns) | .nsfs[]' <<<"$1" 2>&1
}

check_ns "a) the thread's net namespace" "$A_NET" net 0 threads
check_ns "a) the thread's uts namespace" "$A_UTS" uts 0 threads
check_ns "b) the net namespace held by an fd" "$B_NET" net 0 fd
check_ns "c) the net namespace held by a socket" "$C_NET" net 0 socket
check_ns "d) the ip netns namespace" "$D_NET" net 0 mount
check_ns "e) the net namespace bound in a private mount namespace" "$E_NET" net 0 mount
check_ns "f) the outermost user namespace of the chain" "$F_OUTER" user 0 child
check_ns "f) the middle user namespace of the chain" "$F_MIDDLE" user 0 child
check_ns "f) the innermost user namespace, with the sleeper" "$F_INNER" user 1 procs

# d) NSFS: /run/netns/NAME in our mount namespace; mount namespaces that got
# a copy of it by propagation name themselves
d_nsfs=$(nsfs "$json" "$D_NET")
if grep -qxF "/run/netns/$D_NAME" <<<"$d_nsfs"; then
	pass "d) NSFS has /run/netns/$D_NAME"
else
	fail "d) NSFS has no /run/netns/$D_NAME: '$d_nsfs'"
fi
others=$(grep -vxF "/run/netns/$D_NAME" <<<"$d_nsfs" | grep -vxE "/run/netns/$D_NAME \(mnt:\[[0-9]+\]\)")
check_eq "d) every other NSFS entry is /run/netns/$D_NAME in another mount namespace" "" "$others"

# e) NSFS names the private mount namespace, and only that one
check_eq "e) NSFS is the path in the sleeper's mount namespace" "$TMP/e/f (mnt:[$E_MNT])" "$(nsfs "$json" "$E_NET")"
out=$("$NSPECT" list -r -n -o NS,NSFS -t net 2>/dev/null)
check_eq "e) raw NSFS (the space escaped)" "$E_NET $TMP/e/f\\x20(mnt:[$E_MNT])" "$(row_of "$E_NET" "$out")"

# e) and d) again through the mountinfo fallback
fjson=$(NSPECT_MOUNTS_FALLBACK=1 "$NSPECT" list -J -o NS,TYPE,NPROCS,HOLDERS,NSFS 2>/dev/null)
check_eq "fallback: exits 0" 0 $?
check_eq "fallback: e) JSON entry" "number number array array net 0 mount" "$(jrow "$fjson" "$E_NET")"
check_eq "fallback: e) NSFS" "$TMP/e/f (mnt:[$E_MNT])" "$(nsfs "$fjson" "$E_NET")"
check_eq "fallback: d) JSON entry" "number number array array net 0 mount" "$(jrow "$fjson" "$D_NET")"
# (not compared with the walk's whole list: other mount namespaces on the
# host come and go, and the fallback only sees those with a process)
if nsfs "$fjson" "$D_NET" | grep -qxF "/run/netns/$D_NAME"; then
	pass "fallback: d) NSFS has /run/netns/$D_NAME"
else
	fail "fallback: d) NSFS has no /run/netns/$D_NAME: '$(nsfs "$fjson" "$D_NET")'"
fi
# the fallback really reads the sleeper's mountinfo, the walk does not
if command -v strace >/dev/null; then
	strace -f -e trace=openat -o "$TMP/strace.fb" env NSPECT_MOUNTS_FALLBACK=1 \
		"$NSPECT" list -r -n -o NS >/dev/null 2>&1
	strace -f -e trace=openat -o "$TMP/strace.walk" "$NSPECT" list -r -n -o NS >/dev/null 2>&1
	if grep -q "\"$E/mountinfo\"" "$TMP/strace.fb"; then
		pass "fallback: reads /proc/$E/mountinfo"
	else
		fail "fallback: NSPECT_MOUNTS_FALLBACK=1 does not read /proc/$E/mountinfo"
	fi
	if grep -q "mountinfo" "$TMP/strace.walk"; then
		fail "without NSPECT_MOUNTS_FALLBACK, nspect reads mountinfo files"
	else
		pass "without NSPECT_MOUNTS_FALLBACK, no mountinfo is read"
	fi
fi

# f) ONS and PNS chain as the kernel says
out=$("$NSPECT" list -r -n -o NS,ONS,PNS -t user 2>/dev/null)
for i in 1 2 3; do
	k=$(sed -n "${i}p" <<<"$F_KERNEL")
	check_eq "f) NS ONS PNS of user namespace $i of the chain (innermost first)" "$k" "$(row_of "${k%% *}" "$out")"
done
check_eq "f) the chain links inner -> middle -> outer" "$F_INNER $F_MIDDLE $F_MIDDLE" "$(row_of "$F_INNER" "$out")"
check_eq "f) ... middle -> outer" "$F_MIDDLE $F_OUTER $F_OUTER" "$(row_of "$F_MIDDLE" "$out")"

# --- -P: only namespaces without processes ------------------------------------

PERSISTENT="$A_NET $A_UTS $B_NET $C_NET $D_NET $E_NET $F_OUTER $F_MIDDLE"
WITH_PROCS="$F_INNER $E_MNT"
out=$("$NSPECT" list -P -r -n -o NS,NPROCS 2>/dev/null)
check_eq "list -P exits 0" 0 $?
mine=$(for ino in $PERSISTENT $WITH_PROCS; do row_of "$ino" "$out" | cut -d' ' -f1; done | sort -n | xargs)
check_eq "list -P lists exactly the process-less namespaces made here" \
	"$(xargs -n1 <<<"$PERSISTENT" | sort -n | xargs)" "$mine"
check_eq "every list -P row has NPROCS 0" "" "$(awk '$2 != 0' <<<"$out")"
for t in user mnt; do
	check_eq "list -P does not list the sleeper's $t namespace" "" "$(row_of "$(ns_inode "$F" $t)" "$out")"
done
check_eq "list -P does not list e)'s sleeper's mount namespace" "" "$(row_of "$E_MNT" "$out")"
check_eq "list -P does not list our own net namespace" "" "$(row_of "$(ns_inode $$ net)" "$out")"
# the same with -o NS alone (only ours compared: other namespaces on the host
# come and go between the two runs)
out=$("$NSPECT" list -P -r -n -o NS 2>/dev/null)
mine=$(for ino in $PERSISTENT $WITH_PROCS; do row_of "$ino" "$out"; done | sort -n | xargs)
check_eq "list -P -r -n -o NS lists exactly the process-less namespaces made here" \
	"$(xargs -n1 <<<"$PERSISTENT" | sort -n | xargs)" "$mine"

# --- --sources ----------------------------------------------------------------

out=$("$NSPECT" list --sources=procs -r -n -o NS,TYPE 2>/dev/null)
check_eq "--sources=procs exits 0" 0 $?
found=
for ino in $A_NET $A_UTS $B_NET $C_NET $D_NET $E_NET; do
	[ -z "$(row_of "$ino" "$out")" ] || found="$found $ino"
done
check_eq "--sources=procs finds none of a)-e)" "" "$found"
check_eq "--sources=procs still finds the sleeper's user namespace" "$F_INNER user" "$(row_of "$F_INNER" "$out")"

# each source alone (with procs) finds its own case
check_source() { # SOURCE INODE TYPE WHAT
	local o
	o=$("$NSPECT" list --sources="procs,$1" -r -n -o NS,TYPE 2>/dev/null)
	check_eq "--sources=procs,$1 finds $4" "$2 $3" "$(row_of "$2" "$o")"
}
check_source threads "$A_NET" net "a)"
check_source fds "$B_NET" net "b)"
check_source sockets "$C_NET" net "c)"
check_source mounts "$D_NET" net "d)"
check_source mounts "$E_NET" net "e)"
check_source ancestors "$F_MIDDLE" user "f) the middle user namespace"
check_source ancestors "$F_OUTER" user "f) the outer user namespace"

"$NSPECT" list --sources=bogus >"$TMP/out" 2>"$TMP/err"
check_eq "--sources=bogus exits 1" 1 $?
check_match "--sources=bogus names bogus" "bogus" "$(cat "$TMP/err")"
check_eq "--sources=bogus prints nothing on stdout" "" "$(cat "$TMP/out")"
"$NSPECT" list --sources=procs,bogus2 >/dev/null 2>"$TMP/err"
check_eq "--sources=procs,bogus2 exits 1" 1 $?
check_match "--sources=procs,bogus2 names bogus2" "bogus2" "$(cat "$TMP/err")"

finish
