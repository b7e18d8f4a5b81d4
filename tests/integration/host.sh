#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# On the whole host, nspect list sees the namespaces lsns sees, with the same
# process counts; and the output formats a user relies on: the default
# headers, -t net, -o +COL, --output-all, -n, the process tree and -l.
source "$TOP_SRCDIR/tests/integration/lib.sh"
need_root

# The tree art is UTF-8 in a UTF-8 locale (libsmartcols draws ASCII otherwise).
export LC_ALL=C.UTF-8

TYPES="mnt net time cgroup pid user uts ipc"

# A few namespaced processes, so that the comparison is not only the host's.
spawn_ns A --net --uts
spawn_ns B --user --map-root-user --pid --mount --ipc
# three processes in one new net and ipc namespace: one made by unshare, two
# that join it (all children of this shell: no orphans when they are killed)
spawn_ns C --net --ipc
for i in 1 2; do
	nsenter -t "$C" -n -i sleep 100000 &
	k=$!
	on_exit "kill -KILL $k; wait $k"
	tries=0
	while [ "$(ns_inode "$k" ipc 2>/dev/null)" != "$(ns_inode "$C" ipc)" ] && [ $tries -lt 200 ]; do
		sleep 0.02
		tries=$((tries + 1))
	done
done

# The namespaces of this shell: the commands the test runs come and go in
# them, so their process counts differ between any two listings.
own=$(for t in $TYPES; do ns_inode $$ "$t"; done | xargs)

# normalize: sorted "NS TYPE NPROCS" lines, NPROCS replaced by * for the
# namespaces of this shell; with "nonzero", only the rows with processes.
normalize() {
	awk -v own="$own" -v nonzero="${1-}" '
		BEGIN { n = split(own, a, " "); for (i = 1; i <= n; i++) o[a[i]] = 1 }
		nonzero != "" && $3 == 0 { next }
		{ if ($1 in o) $3 = "*"; print $1, $2, $3 }' | sort
}

# compare WHAT NSPECT-ARGS NORMALIZE-ARG: nspect ARGS against lsns, up to 5
# times until a snapshot of both agrees (other processes come and go).
compare() {
	local what=$1 args=$2 norm=$3 try n l
	for try in 1 2 3 4 5; do
		# shellcheck disable=SC2086
		n=$("$NSPECT" list $args -l -r -n -o NS,TYPE,NPROCS 2>/dev/null | normalize "$norm")
		l=$(lsns -l -r -n -o NS,TYPE,NPROCS | normalize "$norm")
		[ "$n" = "$l" ] && break
		sleep 0.2
	done
	if [ "$n" = "$l" ]; then
		pass "$what: the same (NS, TYPE, NPROCS) as lsns ($(wc -l <<<"$n") namespaces, $try tries)"
	else
		fail "$what: (NS, TYPE, NPROCS) differ from lsns after 5 tries (< nspect, > lsns):"
		diff <(echo "$n") <(echo "$l") | grep '^[<>]'
	fi
	# the namespaces this test made are among them, with exact counts
	local t exp
	for exp in "$(ns_inode "$A" net) net 1" "$(ns_inode "$A" uts) uts 1" \
		"$(ns_inode "$B" user) user 2" "$(ns_inode "$B" pid) pid 1" \
		"$(ns_inode "$B" mnt) mnt 2" "$(ns_inode "$C" net) net 3" "$(ns_inode "$C" ipc) ipc 3"; do
		if grep -qxF "$exp" <<<"$n"; then
			pass "$what: has '$exp'"
		else
			fail "$what: no row '$exp'"
		fi
	done
}

# By default nspect also finds namespaces no process is in (held by bind
# mounts, open files, child namespaces), which lsns 2.38 does not list: those
# rows have NPROCS 0.  The rows with processes are exactly lsns's.
compare "nspect list -l (namespaces with processes)" "" nonzero
# Looking only at processes, as lsns does, the lists are identical.
compare "nspect list -l --sources procs" "--sources procs" ""

# --- headers ------------------------------------------------------------------

# header ARGS...: the first line of nspect list ARGS, blanks squeezed
header() {
	"$NSPECT" list "$@" 2>/dev/null | awk '{ $1 = $1; print; exit }'
}

check_eq "default header" "NS TYPE NPROCS PID USER COMMAND" "$(header)"
check_eq "default header is lsns's" "$(lsns | awk '{ $1 = $1; print; exit }')" "$(header)"
check_eq "default header of plain 'nspect'" "NS TYPE NPROCS PID USER COMMAND" \
	"$("$NSPECT" 2>/dev/null | awk '{ $1 = $1; print; exit }')"
check_eq "-l header" "NS TYPE NPROCS PID USER COMMAND" "$(header -l)"
check_eq "-t net header adds NETNSID and NSFS" "NS TYPE NPROCS PID USER NETNSID NSFS COMMAND" "$(header -t net)"
check_eq "-t net header is lsns's" "$(lsns -t net | awk '{ $1 = $1; print; exit }')" "$(header -t net)"
check_eq "-t user header" "NS TYPE NPROCS PID USER COMMAND" "$(header -t user)"
check_eq "-o +PATH appends PATH" "NS TYPE NPROCS PID USER COMMAND PATH" "$(header -o +PATH)"
check_eq "-o NS,PID" "NS PID" "$(header -o NS,PID)"

all=$("$NSPECT" list -H -r -n | awk '{ print $1 }' | xargs)
check_match "-H lists columns" '^NS TYPE .*NPROCS' "$all"
check_eq "--output-all prints every column of -H (raw)" "$all" "$(header --output-all -r)"
check_eq "--output-all prints every column of -H (table)" "$all" "$(header --output-all -l)"

out=$("$NSPECT" list -n 2>/dev/null)
check_match "-n: the first line is a namespace, not the header" '^ *[0-9]+ [a-z]+ ' "$(head -n1 <<<"$out")"
out=$("$NSPECT" list -l -r -n -o NS,TYPE 2>/dev/null)
bad=$(grep -cvE '^[0-9]+ (mnt|net|time|cgroup|pid|user|uts|ipc)$' <<<"$out")
check_eq "-n -r: every line is a namespace row" 0 "$bad"
check_match "-n -r: at least the 8 initial namespaces" '^([8-9]|[1-9][0-9]+)$' "$(wc -l <<<"$out")"
check_eq "-r without -n: the first line is the header" "NS TYPE" "$("$NSPECT" list -l -r -o NS,TYPE 2>/dev/null | head -n1)"

# --- the process tree -----------------------------------------------------------

# A parent alone in a new net namespace (so it is the first PID there and has
# a row) with a child in a new uts namespace: the child's row hangs under the
# parent's.  The parent is a shell that waits for the child, so that the child
# is reaped when it is killed, before the parent is.
unshare --net bash -c 'unshare --uts sleep 100002 & wait' &
T=$!
tries=0
TC=
while [ $tries -lt 200 ]; do
	TC=$(xargs <"/proc/$T/task/$T/children" 2>/dev/null)
	[ -n "$TC" ] && [ "$(cat "/proc/$TC/comm" 2>/dev/null)" = sleep ] && break
	sleep 0.02
	tries=$((tries + 1))
done
# the child, then (once it has reaped the child) the parent
on_exit "kill -KILL $TC; for i in \$(seq 100); do kill -0 $T || break; sleep 0.02; done; kill -KILL $T; wait $T"
tnet=$(ns_inode "$T" net)
tuts=$(ns_inode "$TC" uts)
if [ "$tuts" != "$(ns_inode "$T" uts)" ] && [ "$tnet" = "$(ns_inode "$TC" net)" ]; then
	pass "tree setup: parent $T in a new net namespace, child $TC also in a new uts namespace"
else
	fail "tree setup: the processes are not in the expected namespaces"
fi

out=$("$NSPECT" list 2>/dev/null)
rows=$(awk -v p="$tnet" -v c="$tuts" '$1 == p || $1 == c { $1 = $1; print }' <<<"$out")
check_eq "default view: the child's row follows its parent's, drawn as its last child" \
	"$tnet net 2 $T root bash -c unshare --uts sleep 100002 & wait
$tuts uts 1 $TC root └─sleep 100002" "$rows"
# the rows are adjacent: nothing else of the parent's comes in between
check_eq "default view: the child's row is the line right after the parent's" \
	"$tuts" "$(awk -v p="$tnet" 'f { print $1; exit } $1 == p { f = 1 }' <<<"$out")"
check_eq "-T: the same tree" "$rows" \
	"$("$NSPECT" list -T 2>/dev/null | awk -v p="$tnet" -v c="$tuts" '$1 == p || $1 == c { $1 = $1; print }')"

out=$("$NSPECT" list -l 2>/dev/null)
rows=$(awk -v p="$tnet" -v c="$tuts" '$1 == p || $1 == c { $1 = $1; print }' <<<"$out")
# a flat list is in namespace inode order, as lsns -l prints it
check_eq "-l: no tree, the child's command as it is, in inode order" \
	"$(sort -n <<<"$tnet net 2 $T root bash -c unshare --uts sleep 100002 & wait
$tuts uts 1 $TC root sleep 100002")" "$rows"
check_eq "-l: no tree art anywhere" 0 "$(grep -c '[└├│]' <<<"$out")"
check_eq "-r: no tree art anywhere" 0 "$("$NSPECT" list -r 2>/dev/null | grep -c '[└├│]')"

finish
