#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nspect tree and nspect list -T owner|parent nest namespaces as the kernel
# relates them.  Fixtures: a chain of three nested user namespaces with a
# process only in the last one (the two above it are kept alive by their
# child alone, so they are hidden), a branching hierarchy of pid namespaces,
# the deepest chain of user namespaces the kernel allows, and 1,000 sibling
# net namespaces held by fds under one owner.
#
# What each namespace hangs under is asked of the kernel itself (ioctl
# NS_GET_USERNS and NS_GET_PARENT, from python3), never taken from nspect.
source "$TOP_SRCDIR/tests/integration/lib.sh"
need_root

PYTHON=$(command -v /usr/bin/python3 || command -v python3)
TMP=$(mktemp -d /tmp/nspect-tree.XXXXXX)
on_exit "rm -rf '$TMP'"

# descendants PID: every descendant of PID, one per line
descendants() {
	local k
	for k in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
		echo "$k"
		descendants "$k"
	done
}

# sleepers PID: the descendants of PID that run sleep
sleepers() {
	local k
	for k in $(descendants "$1"); do
		[ "$(cat "/proc/$k/comm" 2>/dev/null)" = sleep ] && echo "$k"
	done
}

# has_sleepers PID N: PID has N descendants running sleep
has_sleepers() {
	[ "$(sleepers "$1" | wc -l)" -eq "$2" ]
}

# kernel_rel PATH...: "INODE PARENT OWNER" of each namespace file, as the
# kernel's ioctls report them ("-" where it has none to give)
kernel_rel() {
	"$PYTHON" - "$@" <<'EOF'
import errno, fcntl, os, sys
NS_GET_USERNS, NS_GET_PARENT = 0xb701, 0xb702
def rel(fd, req):
    try:
        r = fcntl.ioctl(fd, req)
    except OSError as e:
        if e.errno in (errno.EINVAL, errno.EPERM):
            return "-"
        raise
    try:
        return str(os.fstat(r).st_ino)
    finally:
        os.close(r)
for path in sys.argv[1:]:
    fd = os.open(path, os.O_RDONLY)
    print(os.fstat(fd).st_ino, rel(fd, NS_GET_PARENT), rel(fd, NS_GET_USERNS))
    os.close(fd)
EOF
}

# user_chain PID: the user namespace of PID and all its ancestors up to the
# initial one, deepest first, by NS_GET_PARENT
user_chain() {
	"$PYTHON" - "$1" <<'EOF'
import fcntl, os, sys
fd = os.open(f"/proc/{sys.argv[1]}/ns/user", os.O_RDONLY)
while True:
    print(os.fstat(fd).st_ino)
    try:
        p = fcntl.ioctl(fd, 0xb702)
    except PermissionError:
        break  # the initial user namespace has no parent
    os.close(fd)
    fd = p
EOF
}

# flat FILE: every namespace object of nspect's JSON tree in FILE, at any
# depth, as "NS TREE-PARENT DEPTH TYPE NPROCS MARK ONS PNS" (JSON null and
# absent keys as "-", the tops have depth 1 and parent "-"); exits non-zero
# when FILE is not JSON of that shape
flat() {
	"$PYTHON" - "$1" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
def s(v):
    return "-" if v is None else str(v)
stack = [(o, None, 1) for o in reversed(doc["namespaces"])]
while stack:
    o, parent, depth = stack.pop()
    print(o["ns"], s(parent), depth, s(o.get("type")), s(o.get("nprocs")), s(o.get("mark")),
          s(o.get("ons")), s(o.get("pns")))
    stack.extend((c, o["ns"], depth + 1) for c in reversed(o.get("children", [])))
EOF
}

# json CMD...: run nspect CMD with its stdout in $TMP/out.json; then the
# flattened rows in $TMP/flat; false (with a message) if either step fails
json() {
	local rc=0
	"$NSPECT" "$@" >"$TMP/out.json" 2>"$TMP/err" || rc=$?
	if [ $rc -ne 0 ]; then
		fail "nspect $* exits $rc: $(head -n3 "$TMP/err")"
		return 1
	fi
	if ! flat "$TMP/out.json" >"$TMP/flat" 2>"$TMP/err"; then
		fail "nspect $* does not print a JSON tree: $(tail -n1 "$TMP/err")"
		return 1
	fi
	pass "nspect $* exits 0 and prints a JSON tree"
}

# row NS: the flattened row of NS in $TMP/flat
row() {
	awk -v ns="$1" '$1 == ns' "$TMP/flat"
}

# at NS: "TREE-PARENT DEPTH" of NS in $TMP/flat, or "absent"
at() {
	local r
	r=$(awk -v ns="$1" '$1 == ns {print $2, $3}' "$TMP/flat")
	echo "${r:-absent}"
}

# kids NS: the tree children of NS in $TMP/flat, sorted, on one line
kids() {
	awk -v ns="$1" '$2 == ns {print $1}' "$TMP/flat" | sort -n | xargs
}

# pos NS TEXT: "LINE COLUMN" of NS in nspect's table TEXT, the column counted
# in characters after the tree art is made ASCII
pos() {
	sed 's/│/|/g; s/├─/+-/g; s/└─/`-/g' <<<"$2" | awk -v ns="$1" '{
		for (i = 1; i <= NF; i++) { f = $i; sub(/^.*-/, "", f); if (f == ns && $i ~ /-/) { print NR, index($0, ns); exit } }
		if ($1 == ns) { print NR, index($0, ns); exit } }'
}

# step "LINE COLUMN": the position of a child drawn right after its parent
step() {
	local l c
	read -r l c <<<"$1"
	echo "$((l + 1)) $((c + 2))"
}

OWN="NS,TYPE,NPROCS,PID,ONS,PNS,MARK"
INIT_USER=$(ns_inode 2 user)
INIT_PID=$(ns_inode 2 pid)

# --- fixtures --------------------------------------------------------------------

# user namespaces U1 > U2 > U3: the first two unshares exec the next one, so
# only U3 has processes (the last unshare, and sleep in its new pid and net
# namespaces)
unshare --user --map-root-user unshare --user --map-root-user \
	unshare --user --pid --fork --net sleep 100000 &
CHAIN=$!
on_exit "kill -KILL $CHAIN; wait $CHAIN"
wait_for has_sleepers "$CHAIN" 1 || { fail "the user namespace chain did not start"; finish; }
S=$(sleepers "$CHAIN")
on_exit "kill -KILL $S"
read -r U3 U2 U1 top <<<"$(user_chain "$S" | xargs)"
check_eq "the kernel puts the chain's top under the initial user namespace" "$INIT_USER" "$top"
check_eq "the sleeper's user namespace is new" "$U3" "$(ns_inode "$S" user)"
P3=$(ns_inode "$S" pid)
N3=$(ns_inode "$S" net)

# pid namespaces: A under ours; B1 and B2 under A; C under B2
unshare --pid --fork sh -c 'unshare --pid --fork sleep 100000 &
	unshare --pid --fork unshare --pid --fork sleep 100000 & wait' &
PIDT=$!
on_exit "kill -KILL $PIDT; wait $PIDT"
# killing A's init (sh) kills everything in A and in the namespaces below it
wait_for has_sleepers "$PIDT" 2 || { fail "the pid namespace hierarchy did not start"; finish; }
on_exit "kill -KILL $(cat "/proc/$PIDT/task/$PIDT/children")"
PIDNS=$(for k in $(descendants "$PIDT"); do ns_inode "$k" pid; done | sort -un | xargs)
check_eq "four new pid namespaces" 4 "$(wc -w <<<"$PIDNS")"

# the kernel's relations of every fixture namespace
kernel_rel "/proc/$S/ns/user" "/proc/$S/ns/pid" "/proc/$S/ns/net" \
	$(for k in $(descendants "$PIDT"); do echo "/proc/$k/ns/pid"; done) | sort -u >"$TMP/kernel"
kparent() { awk -v ns="$1" '$1 == ns {print $2}' "$TMP/kernel"; }
kowner() { awk -v ns="$1" '$1 == ns {print $3}' "$TMP/kernel"; }
check_eq "kernel: the owner of U3's pid namespace is U3" "$U3" "$(kowner "$P3")"
check_eq "kernel: the owner of U3's net namespace is U3" "$U3" "$(kowner "$N3")"
check_eq "kernel: the parent of U3's pid namespace is ours" "$INIT_PID" "$(kparent "$P3")"

# A: the one whose parent is ours; B2: A's child with a child (C); B1: the other
kchildren() { for x in $PIDNS; do [ "$(kparent "$x")" = "$1" ] && echo "$x"; done; }
A=$(kchildren "$INIT_PID") B1= B2= C=
for ns in $(kchildren "$A"); do
	if [ -n "$(kchildren "$ns")" ]; then
		B2=$ns
		C=$(kchildren "$ns")
	else
		B1=$ns
	fi
done
check_match "kernel: pid namespaces A > {B1, B2 > C}" '^[0-9]+ [0-9]+ [0-9]+ [0-9]+$' "$A $B1 $B2 $C"

# --- nspect tree -J: every namespace under its owner -----------------------------

if json tree -J -o "$OWN"; then
	bad=$(awk '$2 != "-" && $7 != $2' "$TMP/flat")
	check_eq "every child's ONS is the namespace it hangs under" "" "$bad"
	bad=$(awk '$2 != "-" && $4 == "user" && $8 != $2' "$TMP/flat")
	check_eq "every user namespace hangs under its parent (PNS)" "" "$bad"
	# the chain, as the kernel has it
	check_eq "tree: U1 hangs under the initial user namespace" "$INIT_USER" "$(at "$U1" | cut -d' ' -f1)"
	check_eq "tree: U2 under U1" "$U1" "$(at "$U2" | cut -d' ' -f1)"
	check_eq "tree: U3 under U2" "$U2" "$(at "$U3" | cut -d' ' -f1)"
	check_eq "tree: U3's pid and net namespaces under U3, nothing else" \
		"$(printf '%s\n' "$P3" "$N3" | sort -n | xargs)" "$(kids "$U3")"
	check_eq "tree: U1 has U2 only" "$U2" "$(kids "$U1")"
	check_eq "tree: U2 has U3 only" "$U3" "$(kids "$U2")"
	d=$(at "$INIT_USER" | cut -d' ' -f2)
	check_eq "tree: the initial user namespace is a top" "- 1" "$(at "$INIT_USER")"
	check_eq "tree: U3 is three levels below the initial user namespace" "$((d + 3))" "$(at "$U3" | cut -d' ' -f2)"
	# hidden: no process in it
	check_eq "tree: U1 is hidden, with 0 processes" "user 0 hidden" "$(row "$U1" | cut -d' ' -f4-6)"
	check_eq "tree: U2 is hidden, with 0 processes" "user 0 hidden" "$(row "$U2" | cut -d' ' -f4-6)"
	check_eq "tree: U3 has 2 processes and no mark" "user 2 -" "$(row "$U3" | cut -d' ' -f4-6)"
	check_eq "tree: U3's net namespace has 2 processes" "net 2 -" "$(row "$N3" | cut -d' ' -f4-6)"
	check_eq "tree: U3's pid namespace has 1 process" "pid 1 -" "$(row "$P3" | cut -d' ' -f4-6)"
	# pid namespaces hang under their owner (ours), not their parent
	for ns in $A $B1 $B2 $C; do
		check_eq "tree: pid namespace $ns hangs under its owner" "$(kowner "$ns")" "$(at "$ns" | cut -d' ' -f1)"
	done
	bad=$(awk '$6 == "hidden" && $5 != 0 || $5 == 0 && $6 != "hidden"' "$TMP/flat")
	check_eq "hidden marks exactly the namespaces with 0 processes" "" "$bad"
fi

out=$("$NSPECT" tree 2>/dev/null)
check_eq "nspect tree (table) exits 0" 0 $?
l1=$(pos "$U1" "$out") l2=$(pos "$U2" "$out") l3=$(pos "$U3" "$out")
check_eq "nspect tree draws U2 on the line after U1, one level in" "$(step "$l1")" "$l2"
check_eq "nspect tree draws U3 on the line after U2, one level in" "$(step "$l2")" "$l3"

# --- -T parent: pid namespaces under their parents --------------------------------

if json list -T parent -J -t pid -o NS,TYPE,NPROCS,PID,PNS; then
	check_eq "list -T parent -t pid: only pid namespaces" "" "$(awk '$4 != "pid"' "$TMP/flat")"
	bad=$(awk '$2 != "-" && $8 != $2' "$TMP/flat")
	check_eq "list -T parent -t pid: every child's PNS is the namespace it hangs under" "" "$bad"
	for ns in $A $B1 $B2 $C $P3; do
		check_eq "list -T parent: pid namespace $ns hangs under its kernel parent" \
			"$(kparent "$ns")" "$(at "$ns" | cut -d' ' -f1)"
	done
	check_eq "list -T parent: A's children are B1 and B2" "$(printf '%s\n' "$B1" "$B2" | sort -n | xargs)" "$(kids "$A")"
	check_eq "list -T parent: B2's only child is C" "$C" "$(kids "$B2")"
	check_eq "list -T parent: B1 and C have no children" "" "$(kids "$B1")$(kids "$C")"
	check_eq "list -T parent: ours is a top" "- 1" "$(at "$INIT_PID")"
	check_eq "list -T parent: C is 3 levels below ours" "$B2 4" "$(at "$C")"
fi

# --- -T owner, --tree=owner, -Towner ----------------------------------------------

# the chain's subtree (below U1) as each spelling shows it
subtree_of() {
	awk -v top="$1" 'BEGIN { keep[top] = 1 } keep[$2] { keep[$1] = 1 } keep[$1] { print $1, $2, $4 }' "$TMP/flat"
}
if json list --tree=owner -J -o "$OWN"; then
	ref=$(subtree_of "$U1")
	check_eq "list --tree=owner: U1's subtree is U1 > U2 > U3 > {pid, net}" \
		"$(printf '%s\n' "$U1 $INIT_USER user" "$U2 $U1 user" "$U3 $U2 user" "$P3 $U3 pid" "$N3 $U3 net" | sort)" \
		"$(sort <<<"$ref")"
	bad=$(awk '$2 != "-" && $7 != $2' "$TMP/flat")
	check_eq "list --tree=owner: every child's ONS is the namespace it hangs under" "" "$bad"
	for spelling in "-T owner" "-Towner"; do
		# shellcheck disable=SC2086
		json list $spelling -J -o "$OWN" && check_eq "list $spelling: the same subtree" "$ref" "$(subtree_of "$U1")"
	done
fi
out=$("$NSPECT" list -T owner 2>"$TMP/err")
check_eq "nspect list -T owner (table) exits 0" 0 $?
l3=$(pos "$U3" "$out") ln=$(pos "$N3" "$out")
check_match "list -T owner draws U3's net namespace one level below U3" \
	"^[0-9]+ $(($(cut -d' ' -f2 <<<"$l3") + 2))\$" "$ln"
check_eq "list -T owner: nothing on stderr but the note about PID 1" "" \
	"$(grep -v 'could not inspect 1 process' "$TMP/err")"

# --- tree -t net: the user namespaces that connect are context --------------------

if json tree -t net -J -o "$OWN"; then
	check_eq "tree -t net: only net and user namespaces" "" "$(awk '$4 != "net" && $4 != "user"' "$TMP/flat")"
	check_eq "tree -t net: every user namespace is marked context" "" \
		"$(awk '$4 == "user" && $6 !~ /(^|,)context$/' "$TMP/flat")"
	check_eq "tree -t net: no net namespace is marked context" "" \
		"$(awk '$4 == "net" && $6 ~ /context/' "$TMP/flat")"
	check_eq "tree -t net: U1 is hidden,context" "hidden,context" "$(row "$U1" | cut -d' ' -f6)"
	check_eq "tree -t net: U2 is hidden,context" "hidden,context" "$(row "$U2" | cut -d' ' -f6)"
	check_eq "tree -t net: U3 is context" "context" "$(row "$U3" | cut -d' ' -f6)"
	check_eq "tree -t net: the initial user namespace is context" "context" "$(row "$INIT_USER" | cut -d' ' -f6)"
	check_eq "tree -t net: the chain is kept" "$INIT_USER $U1 $U2" \
		"$(at "$U1" | cut -d' ' -f1) $(at "$U2" | cut -d' ' -f1) $(at "$U3" | cut -d' ' -f1)"
	check_eq "tree -t net: U3's only child is its net namespace" "$N3" "$(kids "$U3")"
	check_eq "tree -t net: the pid namespaces are gone" "absent absent" "$(at "$P3") $(at "$A")"
	# a user namespace is kept only to connect a net namespace
	lonely=$(awk '$4 == "user" {u[$1] = 1} $2 != "-" {has[$2] = 1} END {for (x in u) if (!has[x]) print x}' "$TMP/flat")
	check_eq "tree -t net: no user namespace is a leaf" "" "$lonely"
fi

# --- --depth --------------------------------------------------------------------

json tree -J -o "$OWN" && cp "$TMP/flat" "$TMP/full"
if json tree --depth 1 -J -o "$OWN"; then
	check_eq "--depth 1: no row has children" "1" "$(cut -d' ' -f3 "$TMP/flat" | sort -u | xargs)"
	check_eq "--depth 1: the initial user namespace is shown" "- 1" "$(at "$INIT_USER")"
	check_eq "--depth 1: U1 (one level down) is not shown" "absent" "$(at "$U1")"
	# a row with a tree parent would be a row whose owner nspect found
	# (ONS) among the namespaces it shows: none is, here or in the full tree
	# taken just before (a namespace dying meanwhile may lose its ONS: null)
	notop=$(awk 'NR == FNR { seen[$1] = 1; next } $7 != "-" && ($7 in seen)' "$TMP/full" "$TMP/flat")
	check_eq "--depth 1: no row shown has a tree parent" "" "$notop"
	check_eq "--depth 1: none of the fixtures' namespaces" "absent absent absent absent" \
		"$(at "$U3") $(at "$N3") $(at "$A") $(at "$C")"
fi
if json tree --depth 2 -J -o "$OWN"; then
	check_eq "--depth 2: two levels" "1 2" "$(cut -d' ' -f3 "$TMP/flat" | sort -u | xargs)"
	check_eq "--depth 2: U1 under the initial user namespace" "$INIT_USER 2" "$(at "$U1")"
	check_eq "--depth 2: the fixtures' pid namespaces under it too" "2 2 2 2" "$(for x in $A $B1 $B2 $C; do at "$x" | cut -d" " -f2; done | xargs)"
	check_eq "--depth 2: U2 and U3 (levels 3 and 4) not shown" "absent absent" "$(at "$U2") $(at "$U3")"
	bad=$(awk '$2 != "-" && $7 != $2' "$TMP/flat")
	check_eq "--depth 2: every child's ONS is the namespace it hangs under" "" "$bad"
	notop=$(awk 'NR == FNR { seen[$1] = 1; next } $3 == 1 && $7 != "-" && ($7 in seen)' "$TMP/full" "$TMP/flat")
	check_eq "--depth 2: no row of the first level has a tree parent" "" "$notop"
fi
out=$("$NSPECT" tree --depth 1 -r -n -o NS 2>/dev/null)
check_eq "--depth 1 (raw): the initial user namespace is listed" "$INIT_USER" "$(grep -x "$INIT_USER" <<<"$out")"
check_eq "--depth 1 (raw): U1 is not" "" "$(grep -x "$U1" <<<"$out")"

# --- tree INODE: the subtree below a middle namespace -----------------------------

if json tree -J -o "$OWN" "$U2"; then
	check_eq "tree U2: exactly U2 > U3 > {pid, net}" \
		"$(printf '%s\n' "$U2 - 1" "$U3 $U2 2" "$P3 $U3 3" "$N3 $U3 3" | sort)" \
		"$(awk '{print $1, $2, $3}' "$TMP/flat" | sort)"
	check_eq "tree U2: U2 is still marked hidden" "hidden" "$(row "$U2" | cut -d' ' -f6)"
fi
out=$("$NSPECT" tree -o NS,TYPE "$U2" 2>/dev/null)
check_eq "tree U2 (table): header, then U2 at the top, then 3 rows" \
	"NS TYPE|$U2 user|└─$U3 user|  ├─$P3 pid|  └─$N3 net" \
	"$(sed -E 's/([^ ]) +/\1 /g; s/ $//' <<<"$out" | paste -sd'|')"

# --- scale: the deepest chain of user namespaces the kernel allows ----------------

"$PYTHON" - "$TMP/deep" <<'EOF' &
import ctypes, os, sys, time
libc = ctypes.CDLL(None, use_errno=True)
n = 0
while libc.unshare(0x10000000) == 0:  # CLONE_NEWUSER, until the kernel refuses
    for f, s in (("setgroups", "deny"), ("uid_map", "0 0 1"), ("gid_map", "0 0 1")):
        with open("/proc/self/" + f, "w") as fh:
            fh.write(s)
    n += 1
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(f"{n} {os.strerror(ctypes.get_errno())}\n")
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
time.sleep(100000)
EOF
DEEP=$!
on_exit "kill -KILL $DEEP; wait $DEEP"
if wait_for test -s "$TMP/deep"; then
	read -r levels why <"$TMP/deep"
	check_match "the kernel allows at least 32 nested user namespaces ($levels, then: $why)" '^3[2-9]$' "$levels"
	chain=$(user_chain "$DEEP")
	deepest=$(head -n1 <<<"$chain")
	len=$(wc -l <<<"$chain")
	check_eq "kernel: the chain, with the initial user namespace, has $((levels + 1)) namespaces" "$((levels + 1))" "$len"
	out=$("$NSPECT" tree 2>/dev/null)
	check_eq "nspect tree with a $levels-deep chain exits 0" 0 $?
	check_match "nspect tree shows the deepest namespace" "─$deepest +user +1 +$DEEP " "$out"
	if json tree -J -o "$OWN"; then
		check_eq "tree -J: the deepest namespace's depth is the chain's length" "$len" "$(at "$deepest" | cut -d' ' -f2)"
		check_eq "tree -J: it hangs under its kernel parent" "$(sed -n 2p <<<"$chain")" "$(at "$deepest" | cut -d' ' -f1)"
		# every link of the chain, as the kernel has it
		links=$(paste -d' ' <(sed '$d' <<<"$chain") <(sed 1d <<<"$chain") | while read -r c p; do
			[ "$(at "$c" | cut -d' ' -f1)" = "$p" ] || echo "$c"; done)
		check_eq "tree -J: each namespace of the chain hangs under its kernel parent" "" "$links"
		hidden=$(sed 1d <<<"$chain" | sed '$d' | while read -r c; do row "$c" | cut -d' ' -f6; done | sort -u)
		check_eq "tree -J: the namespaces above the deepest are hidden" "hidden" "$hidden"
	fi
	if json tree -J -o "$OWN" "$(tail -n2 <<<"$chain" | head -n1)"; then
		check_eq "tree TOP-OF-CHAIN -J: $levels levels, the deepest at the bottom" "$levels" "$(at "$deepest" | cut -d' ' -f2)"
	fi
else
	fail "the deep chain of user namespaces did not start"
fi
kill -KILL "$DEEP" 2>/dev/null
wait "$DEEP" 2>/dev/null

# --- scale: 1,000 sibling net namespaces under one owner --------------------------

unshare --user --map-root-user "$PYTHON" - "$TMP/nets" <<'EOF' &
import ctypes, os, resource, sys, time
libc = ctypes.CDLL(None, use_errno=True)
n = 1000
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
if soft < n + 64:
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, n + 64), hard))
fds = []
for i in range(n):
    if libc.unshare(0x40000000) != 0:  # CLONE_NEWNET
        sys.exit("unshare: " + os.strerror(ctypes.get_errno()))
    # the fd keeps each namespace alive once the process has moved on
    fds.append(os.open("/proc/self/ns/net", os.O_RDONLY))
with open(sys.argv[1], "w") as f:
    f.write("ready\n")
time.sleep(100000)
EOF
NETS=$!
on_exit "kill -KILL $NETS; wait $NETS"
if wait_for test -s "$TMP/nets" && [ "$(cat "/proc/$NETS/comm" 2>/dev/null)" != unshare ]; then
	NU=$(ns_inode "$NETS" user)
	NLAST=$(ns_inode "$NETS" net)
	held=$(for f in /proc/"$NETS"/fd/*; do readlink "$f"; done | grep -c '^net:')
	check_eq "kernel: the process holds 1000 net namespaces by fd" 1000 "$held"
	if json tree -J -o "$OWN"; then
		check_eq "tree -J: 1000 net namespaces under their owner" "1000" "$(awk -v u="$NU" '$2 == u && $4 == "net"' "$TMP/flat" | wc -l)"
		check_eq "tree -J: and nothing else under it" "1000" "$(kids "$NU" | wc -w)"
		check_eq "tree -J: 999 of them hidden (fd only), the last with the process in it" "999 1" \
			"$(awk -v u="$NU" '$2 == u && $6 == "hidden"' "$TMP/flat" | wc -l) $(row "$NLAST" | cut -d' ' -f5)"
		check_eq "tree -J: the owner hangs under the initial user namespace" "$INIT_USER" "$(at "$NU" | cut -d' ' -f1)"
	fi
	if json tree -J -t net -o "$OWN" "$NU"; then
		check_eq "tree -t net OWNER -J: the owner and its 1000 net namespaces" "1001" "$(wc -l <"$TMP/flat")"
	fi
	out=$("$NSPECT" tree -r -n -o NS,TYPE "$NU" 2>/dev/null)
	check_eq "tree OWNER -r: 1001 rows" 1001 "$(wc -l <<<"$out")"
else
	fail "the 1000 net namespaces were not made: $(cat "$TMP/nets" 2>/dev/null)"
fi
kill -KILL "$NETS" 2>/dev/null
wait "$NETS" 2>/dev/null

finish
