#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nspect list's rich columns, -Q filters and --sort, on namespaces made here.
#
#   UIDMAP, GIDMAP  maps written by the test into /proc/PID/uid_map and
#                   gid_map, a --map-root-user namespace, an unmapped one and
#                   the initial one: compact in tables, the kernel's lines in
#                   JSON
#   MNTROOT         the host's root, and a tmpfs subdirectory made the root
#                   with pivot_root, against findmnt run inside the namespace
#   HOSTNAME        a uts namespace with its own hostname, against nsenter
#   TIMEOFFSETS     offsets set by unshare(1) and written by the test (with
#                   nanoseconds), against /proc/PID/timens_offsets
#   LEVEL, NSPID    nested user and pid namespaces, against NS_GET_PARENT
#                   walks and the NSpid: line of /proc/PID/status
#   -Q              each filter against a second, unfiltered JSON listing
#                   filtered by jq; errors; -T owner/parent keeps ancestors
#                   as context
#   --sort          ascending, descending, numeric and string columns, errors
#
# The kernel's answer is always read independently of nspect (procfs files,
# findmnt, nsenter, python3 ioctls); nspect's own output is never hard-coded.
source "$TOP_SRCDIR/tests/integration/lib.sh"
need_root

# python3 for the ioctls; the system's, if there is one, starts quicker
# than a version manager's shim.
PYTHON=$(command -v /usr/bin/python3 || command -v python3)
TMP=$(mktemp -d /tmp/nspect-columns.XXXXXX)
on_exit "rm -rf '$TMP'"

# Every sleeper made here runs "sleep $TAG", which no other test uses.
TAG=424242$$

# killer PID: kill PID (and reap it, when it is our child) when the test exits
killer() {
	on_exit "kill -KILL $1; wait $1"
}

# killer_wait PID: kill PID, not our child, at exit and give its parent a
# moment to reap it before the next (older) cleanup kills that parent
killer_wait() {
	on_exit "kill -KILL $1; for _w in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do [ -e /proc/$1 ] || break; sleep 0.02; done"
}

# child_of PID: the first child of PID, once it has one (empty after ~10 s)
child_of() {
	local c='' tries=0
	while [ -z "$c" ] && [ $tries -lt 500 ]; do
		c=$(awk '{print $1}' "/proc/$1/task/$1/children" 2>/dev/null)
		[ -n "$c" ] || sleep 0.02
		tries=$((tries + 1))
	done
	echo "$c"
}

# kernel HELPER ARGS...: ask the kernel, with python3
#   chain PID:TYPE[:owner]...  for each, a line: the namespace's inode, then
#                           (after its owner with "owner") each parent up
#                           to the outermost, by NS_GET_USERNS and
#                           NS_GET_PARENT
#   nprocs TYPE:INODE...       for each, how many processes are in it
#   write PATH DATA            DATA to PATH in one write(2)
kernel() {
	"$PYTHON" - "$@" <<'EOF'
import errno, fcntl, os, sys
NS_GET_USERNS, NS_GET_PARENT = 0xb701, 0xb702
def up(fd, req):
    try:
        return fcntl.ioctl(fd, req)
    except OSError as e:
        if e.errno in (errno.EINVAL, errno.EPERM):
            return -1
        raise
cmd = sys.argv[1]
if cmd == "chain":
    for spec in sys.argv[2:]:
        pid, t, *owner = spec.split(":")
        fd = os.open(f"/proc/{pid}/ns/{t}", os.O_RDONLY)
        out = [os.fstat(fd).st_ino]
        reqs = [NS_GET_USERNS] if owner else []
        while True:
            n = up(fd, reqs.pop(0) if reqs else NS_GET_PARENT)
            os.close(fd)
            if n < 0:
                break
            fd = n
            out.append(os.fstat(fd).st_ino)
        print(*out)
elif cmd == "nprocs":
    procs = [d for d in os.listdir("/proc") if d.isdigit()]
    for spec in sys.argv[2:]:
        t, ino = spec.split(":")
        n = 0
        for d in procs:
            try:
                n += os.stat(f"/proc/{d}/ns/{t}").st_ino == int(ino)
            except OSError:
                pass
        print(n)
elif cmd == "write":
    fd = os.open(sys.argv[2], os.O_WRONLY)
    os.write(fd, sys.argv[3].encode())
    os.close(fd)
EOF
}

# nsp ARGS...: nspect list ARGS, without the note about processes it may not
# inspect
nsp() {
	"$NSPECT" list "$@" 2>/dev/null
}

# unraw TEXT: a raw cell with its \xHH escapes decoded
unraw() {
	printf '%b' "$1"
}

# compact_idmap FILE: a uid_map or gid_map as the table form documents it:
# inside-range:outside (inside:outside for one id), comma-separated
compact_idmap() {
	local in outside n out=
	while read -r in outside n; do
		[ -n "$in" ] || continue
		if [ "$n" = 1 ]; then
			out+="${out:+,}$in:$outside"
		else
			out+="${out:+,}$in-$((in + n - 1)):$outside"
		fi
	done <"$1"
	echo "$out"
}

# json_idmap FILE: the kernel's lines of a map, blanks squeezed, as a JSON array
json_idmap() {
	jq -Rsc 'split("\n") | map(split(" ") | map(select(. != "")) | join(" ") | select(. != ""))' "$1"
}

# timens_expect FILE: a timens_offsets file as clock=VALUEs, comma-separated,
# VALUE being the offset sec + nsec/10^9 as a signed decimal number of
# seconds (+ when positive, none for 0, nine decimals unless it is whole)
timens_expect() {
	local clock sec nsec total sign v out=
	while read -r clock sec nsec; do
		[ -n "$clock" ] || continue
		total=$((sec * 1000000000 + nsec))
		sign=
		[ "$total" -gt 0 ] && sign=+
		[ "$total" -lt 0 ] && { sign=-; total=$((-total)); }
		if [ $((total % 1000000000)) -eq 0 ]; then
			v="$((total / 1000000000))s"
		else
			v=$(printf '%d.%09ds' $((total / 1000000000)) $((total % 1000000000)))
		fi
		out+="${out:+,}$clock=$sign$v"
	done <"$1"
	echo "$out"
}

# findmnt_root PID: what findmnt, run in PID's mount namespace, says / is,
# in the form MNTROOT documents: SOURCE[/fsroot] FSTYPE [LABEL=..] [UUID=..]
findmnt_root() {
	nsenter -t "$1" -m findmnt -J -o SOURCE,FSTYPE,LABEL,UUID / 2>&1 |
		jq -r '.filesystems[0] | "\(.source) \(.fstype)"
			+ (if .label then " LABEL=\(.label)" else "" end)
			+ (if .uuid then " UUID=\(.uuid)" else "" end)' 2>&1
}

# jcol PID TYPE COL: the JSON value (compact) of COL in the TYPE row of PID
jcol() {
	nsp -J -l -o "NS,$3" -p "$1" -t "$2" | jq -c ".namespaces[0].${3,,}" 2>&1
}

# rcol PID TYPE COL: the raw cell of COL in the TYPE row of PID
rcol() {
	nsp -r -n -l -o "$3" -p "$1" -t "$2"
}

# ==== fixtures ===================================================================

# A user namespace whose maps the test writes from outside: the process
# waits in it, unmapped, until root in our namespace writes them.
unshare --user sleep "$TAG" &
UM=$!
killer "$UM"
wait_for is_sleep "$UM" || fail "the unmapped user namespace did not start"
kernel write "/proc/$UM/uid_map" $'0 100000 65536\n70000 500 1\n' ||
	fail "cannot write /proc/$UM/uid_map"
kernel write "/proc/$UM/gid_map" $'0 200000 1000\n1000 300000 1\n5000 5000 10\n' ||
	fail "cannot write /proc/$UM/gid_map"
check_eq "the kernel took the 2-line uid map" 2 "$(wc -l <"/proc/$UM/uid_map")"
check_eq "the kernel took the 3-line gid map" 3 "$(wc -l <"/proc/$UM/gid_map")"

# A user namespace that stays unmapped.
unshare --user sleep "$TAG" &
UE=$!
killer "$UE"
wait_for is_sleep "$UE" || fail "the second user namespace did not start"

# Nested user namespaces: U1 (--map-root-user, no process: the second
# unshare execs into U2), U2 (--map-root-user) with a new net namespace.
unshare --user --map-root-user unshare --user --map-root-user --net sleep "$TAG" &
UC=$!
killer "$UC"
wait_for is_sleep "$UC" || fail "the nested user namespaces did not start"
read -r U2 U1 U0 UX <<<"$(kernel chain "$UC:user")"
check_eq "the user namespace chain of the nested sleeper has 3 levels" "$(ns_inode $$ user)" "${U0:-}${UX:-}"
NETA=$(ns_inode "$UC" net)

# Nested pid namespaces: PU (unshare --fork, ours) -> PC1 (unshare --fork,
# init of P1) -> PC2 (sleep, init of P2).  Killed innermost first.
# (unshare --fork says "sigprocmask unblock failed" when its child dies of
# SIGKILL: its stderr goes to a file)
unshare --pid --fork unshare --pid --fork sleep "$TAG" 2>"$TMP/unshare.err" &
PU=$!
killer "$PU"
PC1=$(child_of "$PU")
[ -n "$PC1" ] && killer_wait "$PC1"
PC2=$(child_of "${PC1:-0}")
[ -n "$PC2" ] && killer_wait "$PC2"
wait_for is_sleep "${PC2:-0}" || fail "the nested pid namespaces did not start"
read -r P2 P1 P0 PX <<<"$(kernel chain "${PC2:-0}:pid")"
check_eq "the pid namespace chain of the nested sleeper has 3 levels" "$(ns_inode $$ pid)" "${P0:-}${PX:-}"

# A uts namespace with its own hostname.
HOST_BEFORE=$(hostname)
UTS_BEFORE=$(ns_inode $$ uts)
HN=nspect-$$
unshare --uts sh -c "hostname $HN && exec sleep $TAG" &
UT=$!
killer "$UT"
wait_for is_sleep "$UT" || fail "the uts namespace did not start"

# A time namespace with whole offsets, set by unshare(1).
spawn_ns TI --time --fork --monotonic 100 --boottime -200 2>>"$TMP/unshare.err"
# One with nanoseconds, written by the test: -0.5 s (the kernel keeps
# nsec >= 0, so it reads "-1 500000000") and +5 ns.  execve enters the new
# time namespace.
"$PYTHON" - $'monotonic -1 500000000\nboottime 0 5\n' "$TAG" <<'EOF' &
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWTIME = 0x80
if libc.unshare(CLONE_NEWTIME) != 0:
    sys.exit("unshare: " + os.strerror(ctypes.get_errno()))
fd = os.open("/proc/self/timens_offsets", os.O_WRONLY)
os.write(fd, sys.argv[1].encode())
os.close(fd)
os.execvp("sleep", ["sleep", sys.argv[2]])
EOF
TN=$!
killer "$TN"
wait_for is_sleep "$TN" || fail "the time namespace with nanoseconds did not start"

# A mount namespace whose / is the host's, and one whose / is the
# subdirectory /sub of a tmpfs (a bind mount, so findmnt and MNTROOT show
# it as SOURCE[/sub]), made with pivot_root.  Both mounts exist only in
# that namespace (unshare makes its mounts private).
spawn_ns MH --mount
mkdir "$TMP/root"
# shellcheck disable=SC2016 # expanded by that sh
unshare --mount sh -c '
	set -e
	r=$1
	mount -t tmpfs -o size=1m "nspect-root-$2" "$r"
	mkdir "$r/sub"
	mount --bind "$r/sub" "$r/sub"
	cd "$r/sub"
	mkdir old usr proc
	mount --rbind /usr usr
	mount -t proc proc proc
	ln -s usr/bin bin
	ln -s usr/lib lib
	ln -s usr/lib64 lib64
	pivot_root . old
	umount -l /old
	exec sleep "$3"' sh "$TMP/root" $$ "$TAG" &
MT=$!
killer "$MT"
wait_for is_sleep "$MT" || fail "the tmpfs-rooted mount namespace did not start"

# shellcheck disable=SC2317 # called through wait_for
in_net() {
	[ "$(ns_inode "$1" net)" = "$2" ]
}

# A net namespace with 3 processes (one made by unshare, two that join it)
# and, above, NETA with one.
unshare --net sleep "$TAG" &
N3=$!
killer "$N3"
wait_for is_sleep "$N3" || fail "the net namespace did not start"
NET3=$(ns_inode "$N3" net)
for i in 1 2; do
	nsenter -t "$N3" -n sleep "$TAG" &
	k=$!
	killer "$k"
	wait_for in_net "$k" "$NET3" || fail "process $k did not join $NET3"
done
check_eq "the kernel counts 3 processes in the new net namespace" 3 "$(kernel nprocs "net:$NET3")"

# ==== UIDMAP, GIDMAP ============================================================

for p in "$UM" "$UC" "$UE" $$; do
	u=$(ns_inode "$p" user)
	# the two maps have no blanks: a raw or table row splits into both
	read -r -a raw <<<"$(nsp -r -n -l -o NS,UIDMAP,GIDMAP -p "$p" -t user)"
	read -r -a table <<<"$(nsp -n -l -o NS,UIDMAP,GIDMAP -p "$p" -t user)"
	json=$(nsp -J -l -o NS,UIDMAP,GIDMAP -p "$p" -t user | jq -c '.namespaces[0] | .uidmap, .gidmap' 2>&1)
	i=1
	for col in UIDMAP GIDMAP; do
		f=/proc/$p/${col:0:1}id_map
		f=${f,,}
		expected=$(compact_idmap "$f")
		check_eq "$col of user:[$u] (pid $p), raw, is $f in compact form" "$expected" "${raw[i]:-}"
		check_eq "$col of user:[$u] (pid $p), table" "$expected" "${table[i]:-}"
		check_eq "$col of user:[$u] (pid $p), JSON, is the array of the kernel's lines" \
			"$(json_idmap "$f")" "$(sed -n "${i}p" <<<"$json")"
		i=$((i + 1))
	done
done
check_eq "UIDMAP of the test-written map (sanity of the expectation)" \
	"0-65535:100000,70000:500" "$(compact_idmap "/proc/$UM/uid_map")"
check_eq "an unmapped user namespace has an empty uid_map" "" "$(cat "/proc/$UE/uid_map")"
check_eq "-J UIDMAP of an unmapped user namespace is an empty array" "[]" "$(jcol "$UE" user UIDMAP)"

# ==== MNTROOT ===================================================================

for p in "$MH" "$MT" $$; do
	m=$(ns_inode "$p" mnt)
	expected=$(findmnt_root "$p")
	check_eq "MNTROOT of mnt:[$m] (pid $p), JSON, is what findmnt says / is in it" \
		"\"$expected\"" "$(jcol "$p" mnt MNTROOT)"
	check_eq "MNTROOT of mnt:[$m] (pid $p), raw, with blanks escaped" \
		"${expected// /\\x20}" "$(rcol "$p" mnt MNTROOT)"
done
check_eq "findmnt: the host's root is the same in the new mount namespace" \
	"$(findmnt_root $$)" "$(findmnt_root "$MH")"
check_eq "findmnt: / of the pivoted namespace is the tmpfs subdirectory (sanity)" \
	"nspect-root-$$[/sub] tmpfs" "$(findmnt_root "$MT")"

# ==== HOSTNAME ==================================================================

check_eq "the uts namespace is new" "no" \
	"$([ "$(ns_inode "$UT" uts)" = "$UTS_BEFORE" ] && echo yes || echo no)"
check_eq "HOSTNAME of the new uts namespace is what hostname says in it" \
	"$(nsenter -t "$UT" -u hostname)" "$(rcol "$UT" uts HOSTNAME)"
check_eq "nsenter: the hostname set in the new uts namespace (sanity)" "$HN" "$(nsenter -t "$UT" -u hostname)"
check_eq "-J HOSTNAME is a string" "\"$HN\"" "$(jcol "$UT" uts HOSTNAME)"
check_eq "HOSTNAME of our uts namespace is ours" "$HOST_BEFORE" "$(rcol $$ uts HOSTNAME)"
nsp -l -o NS,HOSTNAME >/dev/null
check_eq "our hostname is unchanged after nspect read every HOSTNAME" "$HOST_BEFORE" "$(hostname)"
check_eq "our uts namespace is unchanged" "$UTS_BEFORE" "$(ns_inode $$ uts)"

# ==== TIMEOFFSETS ===============================================================

for p in "$TI" $$; do
	t=$(ns_inode "$p" time)
	expected=$(timens_expect "/proc/$p/timens_offsets")
	check_eq "TIMEOFFSETS of time:[$t] (pid $p) is /proc/$p/timens_offsets" \
		"$expected" "$(rcol "$p" time TIMEOFFSETS)"
	check_eq "-J TIMEOFFSETS of time:[$t] is the same string" "\"$expected\"" "$(jcol "$p" time TIMEOFFSETS)"
done
check_eq "-J TIMEOFFSETS with nanoseconds is the table's string" \
	"\"$(rcol "$TN" time TIMEOFFSETS)\"" "$(jcol "$TN" time TIMEOFFSETS)"
check_eq "timens_offsets of the unshare(1) namespace (sanity)" \
	"monotonic=+100s,boottime=-200s" "$(timens_expect "/proc/$TI/timens_offsets")"
# the same, clock by clock, to say which part is wrong
IFS=, read -r -a want <<<"$(timens_expect "/proc/$TN/timens_offsets")"
IFS=, read -r -a have <<<"$(rcol "$TN" time TIMEOFFSETS)"
check_eq "a -0.5 s offset (kernel: -1 500000000) reads as -0.5 s" "${want[0]:-}" "${have[0]:-}"
check_eq "a +5 ns offset (kernel: 0 5) reads as +5 ns" "${want[1]:-}" "${have[1]:-}"

# ==== LEVEL =====================================================================

# the level is the number of NS_GET_PARENT steps up to the outermost
LEVELS="user $UC 2
user $UM 1
user $$ 0
pid ${PC2:-0} 2
pid ${PC1:-0} 1
pid $$ 0"
mapfile -t specs < <(awk '{ print $2 ":" $1 }' <<<"$LEVELS")
CHAINS=$(kernel chain "${specs[@]}")
while read -r t p built <&4 && read -r -a chain <&3; do
	ino=${chain[0]}
	steps=$((${#chain[@]} - 1))
	check_eq "$t:[$ino]: NS_GET_PARENT walk agrees with how it was built" "$built" "$steps"
	check_eq "LEVEL of $t:[$ino] (pid $p)" "$steps" "$(rcol "$p" "$t" LEVEL)"
	check_eq "-J LEVEL of $t:[$ino] is a number" "$steps" "$(jcol "$p" "$t" LEVEL)"
done 4<<<"$LEVELS" 3<<<"$CHAINS"
check_eq "the kernel: no process is in the middle user namespace" 0 "$(kernel nprocs "user:$U1")"
row=$(nsp -r -n -l -o NS,PNS,LEVEL -t user | awk -v ns="$U1" '$1 == ns')
check_eq "the middle user namespace (no process) is listed with its PNS" "$U1 $U0" "$(cut -d' ' -f1,2 <<<"$row")"
check_eq "LEVEL of the middle user namespace (no process) is 1" "1" "$(cut -d' ' -f3 <<<"$row")"
check_eq "LEVEL of a net namespace is empty" "" "$(rcol "$N3" net LEVEL)"
check_eq "-J LEVEL of a net namespace is null" "null" "$(jcol "$N3" net LEVEL)"

# ==== NSPID =====================================================================

# nspid PID: the NSpid: line of /proc/PID/status, blanks squeezed
nspid() {
	awk '$1 == "NSpid:" { $1 = ""; sub(/^ /, ""); print }' "/proc/$1/status"
}
# the row of a pid namespace is about its lowest PID: PC2 alone in P2, the
# lower of PC1 and PC2 in P1, the lowest we can see in ours
for p in "${PC2:-0}" "${PC1:-0}" $$; do
	rep=$(rcol "$p" pid PID)
	[ "$p" = "${PC2:-0}" ] && check_eq "the row of P2 is about PC2, the only process in it" "$p" "$rep"
	kernel_nspid=$(nspid "${rep:-0}")
	check_eq "NSPID with -p $p -t pid is the NSpid: line of /proc/$rep/status" \
		"$kernel_nspid" "$(unraw "$(rcol "$p" pid NSPID)")"
	check_eq "-J NSPID with -p $p -t pid is the array of those numbers" \
		"[${kernel_nspid// /,}]" "$(jcol "$p" pid NSPID)"
done
check_eq "NSpid of the innermost sleeper has 3 pids, ending in 2 1 (sanity)" \
	"${PC2:-0} 2 1" "$(nspid "${PC2:-0}")"

# ==== JSON types of the rich columns against -H ================================

# "COLUMN TYPE" for each rich column in the row of a namespace made here
# where it is not empty, from one JSON listing
TYPES_SEEN=$(nsp -J -l -o NS,UIDMAP,GIDMAP,MNTROOT,HOSTNAME,TIMEOFFSETS,LEVEL,NSPID | jq -r \
	--argjson um "$(ns_inode "$UM" user)" --argjson mt "$(ns_inode "$MT" mnt)" \
	--argjson ut "$(ns_inode "$UT" uts)" --argjson ti "$(ns_inode "$TI" time)" --argjson p2 "$P2" '
	def t: if type == "array" then
			(if length > 0 and all(type == "number") then "array of numbers" else "array" end)
		else type end;
	.namespaces[] |
	if .ns == $um then "UIDMAP \(.uidmap | t)", "GIDMAP \(.gidmap | t)"
	elif .ns == $mt then "MNTROOT \(.mntroot | t)"
	elif .ns == $ut then "HOSTNAME \(.hostname | t)"
	elif .ns == $ti then "TIMEOFFSETS \(.timeoffsets | t)"
	elif .ns == $p2 then "LEVEL \(.level | t)", "NSPID \(.nspid | t)"
	else empty end' 2>&1)
COLTYPES=$("$NSPECT" list -H -r -n | awk '{ print $1, $2 }')
for col in UIDMAP GIDMAP MNTROOT HOSTNAME TIMEOFFSETS LEVEL NSPID; do
	declared=$(unraw "$(awk -v c="$col" '$1 == c { print $2 }' <<<"$COLTYPES")")
	check_eq "-J $col is of the type -H declares" \
		"$declared" "$(awk -v c="$col" '$1 == c { $1 = ""; sub(/^ /, ""); print }' <<<"$TYPES_SEEN")"
done

# ==== -Q ========================================================================

LISTCOLS=NS,TYPE,NPROCS,PID,COMMAND,HOSTNAME,LEVEL

# check_filter WHAT EXPR JQ: nspect list -Q EXPR keeps exactly the rows that
# the jq predicate JQ selects in an unfiltered listing.  Other tests may run
# meanwhile and make or remove namespaces, so the answers are compared on
# the namespaces that are stable: listed in the unfiltered listings just
# before and just after the filtered one, with the same value of JQ in both
# (the namespaces made here always are).  The full kept set (NS, sorted, on
# one line) is left in GOT.
# snapshot: the unfiltered listing the filters are compared with (the
# reference, not what is tested: asked again if it does not parse)
snapshot() {
	local out tries=0
	while :; do
		out=$(nsp -J -l -o "$LISTCOLS")
		jq -e .namespaces <<<"$out" >/dev/null 2>&1 && break
		tries=$((tries + 1))
		[ $tries -lt 3 ] || break
		sleep 0.1
	done
	printf '%s\n' "$out"
}
SNAP=$(snapshot)
check_filter() {
	local what=$1 expr=$2 pred=$3 got new sets expected kept
	got=$(nsp -J -l -o NS -Q "$expr")
	new=$(snapshot)
	sets=$(printf '%s\n' "$got" "$SNAP" "$new" | jq -n -r "
		def ids: map(.ns);
		def has(\$x): any(.[]; . == \$x);
		def line: sort | map(tostring) | join(\" \");
		[inputs] as [\$g, \$a, \$b]
		| (\$a.namespaces | map(select($pred)) | ids) as \$sa
		| (\$b.namespaces | map(select($pred)) | ids) as \$sb
		| (\$b.namespaces | ids) as \$nb
		| [\$a.namespaces | ids | .[]
			| select(. as \$x | (\$nb | has(\$x)) and ((\$sa | has(\$x)) == (\$sb | has(\$x))))] as \$stable
		| (\$g.namespaces | ids | line),
		  (\$sa | map(select(. as \$x | \$stable | has(\$x))) | line),
		  (\$g.namespaces | ids | map(select(. as \$x | \$stable | has(\$x))) | line)" 2>&1)
	SNAP=$new
	{ read -r GOT; read -r expected; read -r kept; } <<<"$sets"
	check_eq "$what: -Q '$expr'" "$expected" "$kept"
}

# in_set NS: NS is one of the words of GOT
in_set() {
	[[ " $GOT " == *" $1 "* ]] && echo yes || echo no
}

nsp -r -n -l -o NS -Q 'TYPE == "net"' >/dev/null
check_eq "-Q exits 0" 0 $?

check_filter "net namespaces with 2 or more processes" \
	'TYPE == "net" && NPROCS >= 2' '.type == "net" and .nprocs >= 2'
check_eq "... include the one with 3 processes" yes "$(in_set "$NET3")"
check_eq "... exclude the one with 1 process" no "$(in_set "$NETA")"

check_filter "the same with word operators and other case" \
	'type eq "net" AND nprocs GE 2' '.type == "net" and .nprocs >= 2'
check_filter "single-quoted string literals" \
	"TYPE == 'net' && NPROCS >= 2" '.type == "net" and .nprocs >= 2'

check_filter "numbers compare as numbers (3 < 10, though \"3\" > \"10\")" \
	'TYPE == "net" && NPROCS < 10' '.type == "net" and .nprocs < 10'
check_eq "... the 3-process net namespace is kept" yes "$(in_set "$NET3")"
check_filter "numbers compare as numbers (3 == 3.0)" \
	'TYPE == "net" && NPROCS == 3.0' '.type == "net" and .nprocs == 3'
check_eq "... the 3-process net namespace is kept" yes "$(in_set "$NET3")"
check_filter "NPROCS > 9" 'NPROCS > 9' '.nprocs > 9'

check_filter "=~ on COMMAND" \
	"COMMAND =~ \"^sleep $TAG\$\"" "(.command // \"\") | test(\"^sleep $TAG\$\")"
for x in "$NETA" "$NET3" "$(ns_inode "$UT" uts)" "$(ns_inode "$UM" user)"; do
	check_eq "... keeps namespace $x, whose lowest PID runs sleep $TAG" yes "$(in_set "$x")"
done
check_filter "!~ on COMMAND" \
	'TYPE == "net" && COMMAND !~ "^sleep"' '.type == "net" and ((.command // "") | test("^sleep") | not)'
check_eq "... drops the net namespace of sleep $TAG" no "$(in_set "$NET3")"

check_filter "! and parentheses" \
	'!(TYPE == "net" || TYPE == "user") && NPROCS lt 2' \
	'((.type == "net" or .type == "user") | not) and .nprocs < 2'
check_filter "not, ne, or" \
	'not TYPE ne "uts" or TYPE eq "time"' '.type == "uts" or .type == "time"'
check_filter "&& binds tighter than ||" \
	'TYPE == "net" || TYPE == "uts" && NPROCS > 9' '.type == "net" or (.type == "uts" and .nprocs > 9)'
check_filter "parentheses override that" \
	'(TYPE == "net" || TYPE == "uts") && NPROCS > 9' '(.type == "net" or .type == "uts") and .nprocs > 9'
check_filter "le and gt" 'NPROCS le 1 and TYPE == "pid" or NPROCS gt 50' \
	'(.nprocs <= 1 and .type == "pid") or .nprocs > 50'

check_filter "HOSTNAME == the new hostname" "HOSTNAME == \"$HN\"" ".hostname == \"$HN\""
check_eq "... is exactly the new uts namespace" "$(ns_inode "$UT" uts)" "$GOT"
check_filter "LEVEL of pid namespaces" 'TYPE == "pid" && LEVEL >= 2' '.type == "pid" and (.level // -1) >= 2'
check_eq "... keeps the level-2 pid namespace" yes "$(in_set "$P2")"
check_eq "... drops the level-1 pid namespace" no "$(in_set "$P1")"

GOT=$(nsp -r -n -l -o NS -Q "UIDMAP == \"$(compact_idmap "/proc/$UM/uid_map")\"" | xargs)
check_eq "-Q on UIDMAP's table form finds the namespace with that map" "$(ns_inode "$UM" user)" "$GOT"
kernel_nspid=$(nspid "${PC2:-0}")
GOT=$(nsp -J -l -o NS -Q "NSPID == \"$kernel_nspid\"" | jq -r '.namespaces[].ns' 2>&1 | xargs)
check_eq "-J -Q on NSPID compares the table form (PIDs separated by blanks)" "$P2" "$GOT"
GOT=$(nsp -r -n -l -o NS -p "$N3" -Q 'TYPE == "net"' | xargs)
check_eq "-Q with -p: only the process's net namespace" "$NET3" "$GOT"

# errors: exit 1, nothing on stdout, the message on the first line of
# stderr, then the usual Try line
# check_qerror WHAT EXPR AT REGEX: -Q EXPR is refused at character AT
check_qerror() {
	local what=$1 expr=$2 at=$3 re=$4
	"$NSPECT" list -Q "$expr" >"$TMP/out" 2>"$TMP/err"
	check_eq "-Q error ($what): exit status 1" 1 $?
	check_eq "-Q error ($what): nothing on stdout" "" "$(cat "$TMP/out")"
	check_match "-Q error ($what): says what and where" \
		"^nspect list: --filter: $re, at character $at of '" "$(head -n1 "$TMP/err")"
	check_eq "-Q error ($what): the message, then the Try line" \
		"Try 'nspect list --help' for more information." "$(sed -n '2p;3p' "$TMP/err")"
}
e='TYPE == "net" && NOPE > 1'
p=${e%%NOPE*}
check_qerror "unknown column" "$e" $((${#p} + 1)) "unknown column 'NOPE'"
e='TYPE == "net" || TYPE == "uts'
p=${e%\"uts}
check_qerror "unterminated string" "$e" $((${#p} + 1)) "unterminated string"
e='TYPE == "net" && COMMAND =~ "sleep ("'
p=${e%\"sleep (\"}
check_qerror "bad regex" "$e" $((${#p} + 1)) "bad regular expression: .+"
e='(TYPE == "net" && NPROCS > 1'
check_qerror "unbalanced (" "$e" 1 "unbalanced '\\('"
e='TYPE == "net")'
check_qerror "unbalanced )" "$e" ${#e} "unbalanced '\\)'"
e='TYPE =='
check_qerror "no right operand" "$e" $((${#e} + 1)) "expression ends too early"
e='COMMAND =~ NPROCS'
p=${e%%=~*}
check_qerror "=~ with a column on the right" "$e" $((${#p} + 1)) "=~ and !~ need a quoted regular expression on the right"

# -T owner / parent with -Q: the matching rows and, marked context, the
# ancestors that connect them to the top.

# tree_rows: the rows of a JSON tree as "NS PARENT-ROW-NS MARK" (- for none)
tree_rows() {
	jq -r 'def rows($p): .[] | (.ns as $n | "\($n) \($p) \(.mark // "-")", ((.children // []) | rows($n)));
		.namespaces | rows("-")' 2>&1
}
read -r n o2 o1 o0 ox <<<"$(kernel chain "$UC:net:owner")"
check_eq "the kernel: owner of NETA is U2, whose parents are U1 and U0" "$NETA $U2 $U1 $U0" "$n $o2 $o1 $o0${ox:+ $ox}"
# the MARK of a context row, by the kernel's process count
declare -A MARK
i=0
mapfile -t COUNTS < <(kernel nprocs "user:$o0" "user:$o1" "user:$o2" "pid:$P0" "pid:$P1")
for ns in "$o0" "$o1" "$o2" "$P0" "$P1"; do
	[ "${COUNTS[i]:-0}" -gt 0 ] && MARK[$ns]=context || MARK[$ns]=hidden,context
	i=$((i + 1))
done
expected="$o0 - ${MARK[$o0]}
$o1 $o0 ${MARK[$o1]}
$o2 $o1 ${MARK[$o2]}
$n $o2 -"
check_eq "-T owner -Q 'NS == NETA': NETA and its owner chain, marked context" \
	"$expected" "$(nsp -J -T owner -Q "NS == $NETA" -o NS,TYPE,MARK | tree_rows)"
check_eq "... MARK of the middle user namespace (no process) is hidden,context" \
	"hidden,context" "${MARK[$U1]}"
check_eq "-T owner -Q 'NS == NETA' without MARK in the columns: the same rows" \
	"$(cut -d' ' -f1,2 <<<"$expected")" \
	"$(nsp -J -T owner -Q "NS == $NETA" -o NS,TYPE | tree_rows | cut -d' ' -f1,2)"

expected="$P0 - ${MARK[$P0]}
$P1 $P0 ${MARK[$P1]}
$P2 $P1 -"
check_eq "-T parent -Q 'NS == P2': P2 and its parents, marked context" \
	"$expected" "$(nsp -J -T parent -Q "NS == $P2" -o NS,TYPE,MARK | tree_rows)"

# ==== --sort ====================================================================

out=$(nsp -r -n -o NPROCS,NS,TYPE --sort NPROCS)
check_eq "--sort NPROCS exits 0 with rows" yes "$([ -n "$out" ] && echo yes || echo no)"
if cut -d' ' -f1 <<<"$out" | sort -c -n 2>/dev/null; then
	pass "--sort NPROCS: ascending by NPROCS, as numbers"
else
	fail "--sort NPROCS is not in ascending numeric order: $(cut -d' ' -f1 <<<"$out" | xargs)"
fi
out=$(nsp -r -n -o NPROCS,NS,TYPE --sort -NPROCS)
if cut -d' ' -f1 <<<"$out" | sort -c -n -r 2>/dev/null; then
	pass "--sort -NPROCS: descending by NPROCS, as numbers"
else
	fail "--sort -NPROCS is not in descending numeric order: $(cut -d' ' -f1 <<<"$out" | xargs)"
fi
out=$(nsp -r -n -o NS,TYPE --sort ns)
if cut -d' ' -f1 <<<"$out" | sort -c -n 2>/dev/null; then
	pass "--sort ns (lower case): ascending by NS"
else
	fail "--sort ns is not in ascending order"
fi
out=$(nsp -r -n -o TYPE,NS --sort TYPE)
if cut -d' ' -f1 <<<"$out" | LC_ALL=C sort -c 2>/dev/null; then
	pass "--sort TYPE: ascending by TYPE, as strings"
else
	fail "--sort TYPE is not in ascending order: $(cut -d' ' -f1 <<<"$out" | uniq | xargs)"
fi
out=$(nsp -r -n -o TYPE,NS --sort -TYPE)
if cut -d' ' -f1 <<<"$out" | LC_ALL=C sort -c -r 2>/dev/null; then
	pass "--sort -TYPE: descending by TYPE"
else
	fail "--sort -TYPE is not in descending order: $(cut -d' ' -f1 <<<"$out" | uniq | xargs)"
fi

# the same rows as without --sort: every namespace listed both before and
# after (other tests make and remove theirs meanwhile), and each once
before=$(nsp -r -n -o NS | sort -n)
sorted=$(nsp -r -n -o NS --sort -NPROCS | sort -n)
after=$(nsp -r -n -o NS | sort -n)
stable=$(comm -12 <(echo "$before") <(echo "$after"))
check_eq "--sort -NPROCS lists every namespace that no --sort lists" \
	"" "$(comm -23 <(echo "$stable") <(echo "$sorted") | xargs)"
check_eq "--sort -NPROCS lists each namespace once" "" "$(uniq -d <<<"$sorted" | xargs)"

json=$(nsp -J -o NS,NPROCS,COMMAND --sort -NPROCS)
check_eq "-J --sort -NPROCS: the array is in descending NPROCS order" true \
	"$(jq '[.namespaces[].nprocs] | . == (sort | reverse)' <<<"$json" 2>&1)"
check_eq "-J --sort: a flat list, no children (--sort implies -l)" false \
	"$(jq '[.. | objects | has("children")] | any' <<<"$json" 2>&1)"
out=$(nsp -r -n -o NPROCS,TYPE -Q 'TYPE == "net"' --sort -NPROCS)
check_eq "--sort with -Q: only the filtered rows" net "$(cut -d' ' -f2 <<<"$out" | sort -u | xargs)"
if cut -d' ' -f1 <<<"$out" | sort -c -n -r 2>/dev/null; then
	pass "--sort with -Q: in descending NPROCS order"
else
	fail "--sort -NPROCS -Q: not in descending order: $(cut -d' ' -f1 <<<"$out" | xargs)"
fi

for arg in NOPE -NOPE; do
	"$NSPECT" list --sort "$arg" >"$TMP/out" 2>"$TMP/err"
	check_eq "--sort $arg: exit status 1" 1 $?
	check_eq "--sort $arg: nothing on stdout" "" "$(cat "$TMP/out")"
	check_eq "--sort $arg: says which column is unknown" \
		"nspect list: unknown column: 'NOPE'" "$(head -n1 "$TMP/err")"
done
"$NSPECT" list --sort NPROCS -T owner >"$TMP/out" 2>"$TMP/err"
check_eq "--sort with -T: exit status 1" 1 $?
check_eq "--sort with -T: nothing on stdout" "" "$(cat "$TMP/out")"
check_match "--sort with -T: says they conflict" "--sort.*--tree|--tree.*--sort" "$(head -n1 "$TMP/err")"

# ==== afterwards ================================================================

check_eq "our hostname is unchanged at the end" "$HOST_BEFORE" "$(hostname)"

finish
