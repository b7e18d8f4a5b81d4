#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nspect list reports what the kernel says about namespaces: their inodes,
# the lowest PID in each, the parent (PNS) and owner (ONS) namespaces, the
# number of processes, the processes of one namespace, NETNSID, and the JSON
# types of the numeric columns.
#
# The kernel's answer is taken independently of nspect: stat(1) for inodes,
# a scan of /proc for the processes, ioctl(NS_GET_PARENT / NS_GET_USERNS)
# for the relations, and iproute2 for the network namespace ids.
source "$TOP_SRCDIR/tests/integration/lib.sh"
need_root

TYPES="user pid net uts ipc mnt cgroup time"

# python3 for the ioctls; the system's, if there is one, starts quicker
# than a version manager's shim.
PYTHON=$(command -v /usr/bin/python3 || command -v python3)

# kernel_ns PID TYPE...: for each TYPE, "TYPE INODE LOWEST-PID PNS ONS NPROCS"
# of the TYPE namespace of PID, as the kernel reports it; PNS and ONS are "-"
# when the kernel has none to give (not a hierarchical type, or the initial
# namespace).
kernel_ns() {
	"$PYTHON" - "$@" <<'EOF'
import errno, fcntl, os, sys
NS_GET_USERNS, NS_GET_PARENT = 0xb701, 0xb702
pid, types = sys.argv[1], sys.argv[2:]

def rel(fd, req):
    try:
        r = fcntl.ioctl(fd, req)
    except OSError as e:
        # EINVAL: the type has no parent; EPERM: the initial namespace
        if e.errno in (errno.EINVAL, errno.EPERM):
            return "-"
        raise
    try:
        return str(os.fstat(r).st_ino)
    finally:
        os.close(r)

procs = [d for d in os.listdir("/proc") if d.isdigit()]
for t in types:
    fd = os.open(f"/proc/{pid}/ns/{t}", os.O_RDONLY)
    ino = os.fstat(fd).st_ino
    pns, ons = rel(fd, NS_GET_PARENT), rel(fd, NS_GET_USERNS)
    os.close(fd)
    pids = []
    for d in procs:
        try:
            if os.stat(f"/proc/{d}/ns/{t}").st_ino == ino:
                pids.append(int(d))
        except OSError:
            pass  # gone, or PID 1 that even root cannot inspect here
    print(t, ino, min(pids), pns, ons, len(pids))
EOF
}

# row_of INODE TEXT: the line of raw output TEXT whose first field is INODE
row_of() {
	awk -v ns="$1" '$1 == ns' <<<"$2"
}

# field N ROW: field N of a raw output row (fields are separated by one
# space, and an empty cell is an empty field)
field() {
	cut -d' ' -f"$1" <<<"$2"
}

# --- one process in eight new namespaces ----------------------------------------

spawn_ns P --user --map-root-user --pid --net --uts --ipc --mount --cgroup --time
[ -d "/proc/$P" ] || { fail "could not start a process in new namespaces"; finish; }

full=$("$NSPECT" list -r -n -o NS,TYPE,PID,PNS,ONS 2>/dev/null)
check_eq "nspect list -r -n -o NS,TYPE,PID,PNS,ONS exits 0" 0 $?

# shellcheck disable=SC2086
kernel=$(kernel_ns "$P" $TYPES) || fail "cannot ask the kernel about the namespaces of $P"
for t in $TYPES; do
	ino=$(ns_inode "$P" "$t")
	k=$(awk -v t="$t" '$1 == t' <<<"$kernel")
	read -r _ kino kpid kpns kons _ <<<"$k"
	[ "$kpns" = - ] && kpns=
	[ "$kons" = - ] && kons=
	check_eq "$t: stat and the ioctl helper agree on the inode" "$ino" "$kino"
	# the namespace is new: not the one of the test shell
	if [ "$ino" != "$(ns_inode $$ "$t")" ]; then
		pass "$t: the process is in a new $t namespace"
	else
		fail "$t: unshare did not make a new $t namespace"
	fi
	expected="$ino $t $kpid $kpns $kons"

	out=$("$NSPECT" list -r -n -o NS,TYPE,PID,PNS,ONS -t "$t" -p "$P" 2>/dev/null)
	check_eq "$t: nspect list -t $t -p PID (NS TYPE PID PNS ONS)" "$expected" "$out"
	check_eq "$t: the full listing has the same row" "$expected" "$(row_of "$ino" "$full")"

	case $t in
	user | pid)
		check_match "$t: PNS of a new $t namespace is shown" '^[0-9]+$' "$(field 4 "$out")" ;;
	*)
		check_eq "$t: PNS is empty for a $t namespace" "" "$(field 4 "$out")" ;;
	esac
done

# The user namespace owns the others and the pid namespace's parent is ours.
uns=$(ns_inode "$P" user)
row=$(row_of "$(ns_inode "$P" net)" "$full")
check_eq "ONS of the new net namespace is the new user namespace" "$uns" "$(field 5 "$row")"
row=$(row_of "$(ns_inode "$P" pid)" "$full")
check_eq "PNS of the new pid namespace is the test's pid namespace" "$(ns_inode $$ pid)" "$(field 4 "$row")"
row=$(row_of "$uns" "$full")
check_eq "PNS of the new user namespace is the test's user namespace" "$(ns_inode $$ user)" "$(field 4 "$row")"

# The initial namespaces (those of kthreadd, PID 2) have no parent and the
# initial user namespace no owner: the cells are empty, not 0.
for t in user pid; do
	ino=$(ns_inode 2 "$t")
	row=$(row_of "$ino" "$full")
	check_eq "initial $t namespace: PNS is empty" "" "$(field 4 "$row")"
done
row=$(row_of "$(ns_inode 2 user)" "$full")
check_eq "initial user namespace: ONS is empty" "" "$(field 5 "$row")"
check_eq "initial user namespace row has 5 fields, the last two empty" \
	"$(ns_inode 2 user) user 2  " "$row"

# --- NPROCS, PID and the positional mode with three processes in a net ns -------

# Three processes in one new net namespace: one made by unshare, two that
# join it with nsenter.  All three are this shell's children, so that killing
# them leaves no orphan for init to reap.
spawn_ns N --net
netns=$(ns_inode "$N" net)
kids=
for i in 1 2; do
	nsenter -t "$N" -n sleep 100000 &
	k=$!
	on_exit "kill -KILL $k; wait $k"
	tries=0
	while [ "$(ns_inode "$k" net 2>/dev/null)" != "$netns" ] && [ $tries -lt 200 ]; do
		sleep 0.02
		tries=$((tries + 1))
	done
	kids+="${kids:+ }$k"
done
pids=$(printf '%s\n' "$N" $kids | sort -n)
for p in $kids; do
	check_eq "process $p joined the new net namespace" "$netns" "$(ns_inode "$p" net)"
done
lowest=$(head -n1 <<<"$pids")

out=$("$NSPECT" list -r -n -o NS,TYPE,NPROCS,PID -t net 2>/dev/null)
check_eq "NPROCS and PID of the net namespace (-t net)" "$netns net 3 $lowest" "$(row_of "$netns" "$out")"
out=$("$NSPECT" list -l -r -n -o NS,TYPE,NPROCS,PID 2>/dev/null)
check_eq "NPROCS and PID of the net namespace (full listing)" "$netns net 3 $lowest" "$(row_of "$netns" "$out")"
out=$("$NSPECT" list -r -n -o NS,NPROCS,PID -p "${kids##* }" -t net 2>/dev/null)
check_eq "-p with another process's pid shows the namespace's lowest PID" "$netns 3 $lowest" "$out"

# options may come before or after the namespace, as with lsns
out=$("$NSPECT" list -r -n -o PID "$netns" 2>/dev/null)
check_eq "nspect list -r -n -o PID INODE lists exactly the 3 pids" "$pids" "$(sort -n <<<"$out")"
out=$("$NSPECT" list "$netns" -r -n -o PID 2>/dev/null)
check_eq "nspect list INODE -r -n -o PID lists exactly the 3 pids" "$pids" "$(sort -n <<<"$out")"
out=$("$NSPECT" list "$netns" -r -n -o PID,NS,TYPE 2>/dev/null | sort -n)
check_eq "nspect list INODE -o PID,NS,TYPE" \
	"$(for p in $pids; do echo "$p $netns net"; done)" "$out"
check_eq "nspect list INODE -t net finds it" 0 \
	"$("$NSPECT" list "$netns" -t net -r -n -o PID >/dev/null 2>&1; echo $?)"

# --- JSON ---------------------------------------------------------------------

json=$("$NSPECT" list -J -o NS,TYPE,NPROCS,PID,NETNSID,PNS,ONS -t net 2>/dev/null)
check_eq "nspect list -J exits 0" 0 $?
if jq -e . <<<"$json" >/dev/null 2>&1; then
	pass "-J output parses as JSON"
else
	fail "-J output does not parse as JSON: $json"
fi
types=$(jq -r --argjson ns "$netns" \
	'.namespaces[] | select(.ns == $ns) | [(.ns|type), (.nprocs|type), (.pid|type), .type, .nprocs, .pid] | join(" ")' \
	<<<"$json" 2>&1)
check_eq "-J: ns, nprocs, pid are JSON numbers with the right values" \
	"number number number net 3 $lowest" "$types"
check_eq "-J: netnsid of a fresh net namespace is null" "null" \
	"$(jq -c --argjson ns "$netns" '.namespaces[] | select(.ns == $ns) | .netnsid' <<<"$json" 2>&1)"
check_eq "-J: pns of a net namespace is null" "null" \
	"$(jq -c --argjson ns "$netns" '.namespaces[] | select(.ns == $ns) | .pns' <<<"$json" 2>&1)"
check_eq "-J: ons of the net namespace is the initial user namespace, a number" \
	"$(ns_inode "$N" user)" \
	"$(jq -c --argjson ns "$netns" '.namespaces[] | select(.ns == $ns) | .ons' <<<"$json" 2>&1)"

json=$("$NSPECT" list -J -o NS,TYPE,PID -p "$P" 2>/dev/null)
check_eq "-J -p PID: one entry per type" "$(wc -w <<<"$TYPES")" \
	"$(jq '.namespaces | length' <<<"$json" 2>&1)"

# --- NETNSID --------------------------------------------------------------------

out=$("$NSPECT" list -r -n -o NS,NETNSID -t net 2>/dev/null)
check_eq "NETNSID of a fresh net namespace is 'unassigned'" "$netns unassigned" "$(row_of "$netns" "$out")"
out=$("$NSPECT" list -o NS,NETNSID -t net 2>/dev/null)
check_eq "NETNSID 'unassigned' in the table (not raw) output" "$netns unassigned" \
	"$(awk -v ns="$netns" '$1 == ns {print $1, $2}' <<<"$out")"

# A veth pair with its peer in the namespace makes the kernel assign it an id
# in ours; "ip link" shows it as the link-netnsid of our end.
veth=nspect$$
veth=${veth:0:15}
if ip link add "$veth" type veth peer name nspect-peer netns "$N" 2>/dev/null; then
	on_exit "ip link del $veth"
	id=$(ip -d link show "$veth" | sed -nE 's/.* link-netnsid ([0-9]+).*/\1/p')
	check_match "ip link reports a link-netnsid for the peer namespace" '^[0-9]+$' "$id"
	out=$("$NSPECT" list -r -n -o NS,NETNSID -t net 2>/dev/null)
	check_eq "NETNSID after a veth peer was moved in" "$netns $id" "$(row_of "$netns" "$out")"
	json=$("$NSPECT" list -J -o NS,NETNSID -t net 2>/dev/null)
	check_eq "-J: netnsid is the number $id" "number $id" \
		"$(jq -r --argjson ns "$netns" '.namespaces[] | select(.ns == $ns) | "\(.netnsid|type) \(.netnsid)"' <<<"$json" 2>&1)"
	check_eq "NETNSID of our own net namespace stays unassigned" "$(ns_inode $$ net) unassigned" \
		"$(row_of "$(ns_inode $$ net)" "$out")"
else
	fail "cannot create a veth pair into the net namespace of $N"
fi

finish
