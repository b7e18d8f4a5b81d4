#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nspect enter runs a program in the namespaces of a process, or in
# namespaces named by file or inode.  What the program sees is checked with
# readlink /proc/self/ns/TYPE against the target's, for each of the 8 types
# and -a, both through the pidfd and with the per-fd fallback forced
# (NSPECT_ENTER_NO_PIDFD=1); then namespaces no process is in (--ns), an
# unprivileged caller, the pid namespace (fork, exit status and signals
# mirrored), fd hygiene, --keep-caps, --dry-run, and bad input, after which
# nothing may have run.
source "$TOP_SRCDIR/tests/integration/lib.sh"
need_root

TMP=$(mktemp -d /tmp/nspect-enter.XXXXXX)
on_exit "rm -rf '$TMP'"
MARKER=$TMP/marker

# enter ARGS...: run nspect enter with stdin from /dev/null; stdout in $out,
# stderr in $err, exit status in $rc
enter() {
	rc=0
	out=$("$NSPECT" enter "$@" </dev/null 2>"$TMP/err") || rc=$?
	err=$(cat "$TMP/err")
}

# refused WHAT REGEX ARGS...: nspect enter ARGS (whose program touches
# $MARKER) exits 1 with a message matching REGEX, and runs nothing
refused() {
	local what=$1 re=$2
	shift 2
	rm -f "$MARKER"
	enter "$@"
	check_eq "$what: exit status" 1 "$rc"
	check_match "$what: message" "^nspect enter: .*$re" "$err"
	if [ -e "$MARKER" ]; then
		fail "$what: the program ran"
	else
		pass "$what: nothing ran"
	fi
}

TYPES="mnt uts ipc net pid cgroup user time"
declare -A SHORT=([mnt]=-m [uts]=-u [ipc]=-i [net]=-n [pid]=-p [cgroup]=-C [user]=-U [time]=-T)
declare -A LONG=([mnt]=--mount [uts]=--uts [ipc]=--ipc [net]=--net [pid]=--pid [cgroup]=--cgroup
	[user]=--user [time]=--time)
declare -A UNSHARE=([mnt]="--mount" [uts]="--uts" [ipc]="--ipc" [net]="--net" [pid]="--pid --fork"
	[cgroup]="--cgroup" [user]="--user --map-root-user" [time]="--time --fork")

# --- targets: one per type, and one in all 8 ----------------------------------------

declare -A TARGET
for t in $TYPES; do
	# shellcheck disable=SC2086
	spawn_ns tgt ${UNSHARE[$t]}
	TARGET[$t]=$tgt
	if [ "$(ns_inode "$tgt" "$t")" != "$(ns_inode $$ "$t")" ]; then
		pass "target $tgt is in a new $t namespace"
	else
		fail "target $tgt is not in a new $t namespace"
	fi
done
spawn_ns ALL --user --map-root-user --mount --uts --ipc --net --pid --cgroup --time --fork
ALL_EXPECTED=$(for t in $TYPES; do readlink "/proc/$ALL/ns/$t"; done)

# hostname set inside a uts namespace
unshare --uts sh -c 'hostname nspect-inner; exec sleep 100000' &
H=$!
on_exit "kill -KILL $H; wait $H"
wait_for is_sleep "$H"
check_eq "the kernel: the uts target's hostname" "nspect-inner" "$(nsenter -t "$H" -u hostname)"

# a net namespace no process is in, held only by ip netns add (a bind mount)
NETNS=nspect-enter-$$
ip netns add "$NETNS" || fail "ip netns add $NETNS"
on_exit "ip netns del $NETNS"
NETNS_INO=$(stat -L -c %i "/run/netns/$NETNS")

# a net namespace held only by an fd: a shell opens it on fd 9 and becomes
# sleep, and the process that was in it exits
unshare --net sleep 100000 &
X=$!
on_exit "kill -KILL $X; wait $X"
wait_for is_sleep "$X"
FD_INO=$(ns_inode "$X" net)
bash -c "exec 9</proc/$X/ns/net; exec sleep 100000" &
FDH=$!
on_exit "kill -KILL $FDH; wait $FDH"
wait_for is_sleep "$FDH"
{ kill -KILL "$X" && wait "$X"; } 2>/dev/null
check_eq "the kernel: fd 9 of the holder is the net namespace" "net:[$FD_INO]" "$(readlink "/proc/$FDH/fd/9")"
if [ -e "/proc/$X" ]; then
	fail "the process in the fd-held namespace did not exit"
else
	pass "the process in the fd-held namespace has exited"
fi
check_eq "the holder itself is in our net namespace" "$(ns_inode $$ net)" "$(ns_inode "$FDH" net)"

# --- joining, through the pidfd and per fd ----------------------------------------

for mode in pidfd per-fd; do
	if [ $mode = per-fd ]; then
		export NSPECT_ENTER_NO_PIDFD=1
	else
		unset NSPECT_ENTER_NO_PIDFD
	fi
	for t in $TYPES; do
		T=${TARGET[$t]}
		want=$(readlink "/proc/$T/ns/$t")
		for opt in "${SHORT[$t]}" "${LONG[$t]}"; do
			enter -t "$T" "$opt" -- readlink "/proc/self/ns/$t"
			check_eq "$mode: enter -t PID $opt prints the target's $t namespace" "0 $want" "$rc $out"
		done
	done

	enter -t "$ALL" -a -- sh -c 'for t in mnt uts ipc net pid cgroup user time; do readlink /proc/self/ns/$t; done'
	check_eq "$mode: enter -a joins all 8 namespaces of the target" "0 $(paste -sd' ' <<<"$ALL_EXPECTED")" "$rc $(paste -sd' ' <<<"$out")"
	enter -t "$ALL" --all -- id -u
	check_eq "$mode: enter --all runs as root of the target's user namespace" "0 0" "$rc $out"
	enter -t "$ALL" -U -n -m -- readlink /proc/self/ns/user /proc/self/ns/net /proc/self/ns/mnt /proc/self/ns/uts
	check_eq "$mode: enter -U -n -m joins those three and leaves uts alone" \
		"$(readlink /proc/"$ALL"/ns/{user,net,mnt} /proc/$$/ns/uts | paste -sd' ')" "$(paste -sd' ' <<<"$out")"

	enter -t "$H" -u hostname
	check_eq "$mode: enter -u hostname shows the hostname set inside" "0 nspect-inner" "$rc $out"
	enter -t "$H" --uts=/proc/$H/ns/uts -- hostname
	check_eq "$mode: enter --uts=FILE hostname" "0 nspect-inner" "$rc $out"

	for arg in "$NETNS_INO" "net:$NETNS_INO"; do
		enter --ns "$arg" -- readlink /proc/self/ns/net
		check_eq "$mode: enter --ns $arg (held by ip netns only)" "0 net:[$NETNS_INO]" "$rc $out"
	done
	for arg in "$FD_INO" "net:$FD_INO"; do
		enter --ns "$arg" -- readlink /proc/self/ns/net
		check_eq "$mode: enter --ns $arg (held by an fd only)" "0 net:[$FD_INO]" "$rc $out"
	done

	# --dry-run: the plan, and nothing run
	rm -f "$MARKER"
	enter --dry-run -t "$ALL" -n -u -- touch "$MARKER"
	check_eq "$mode: --dry-run exits 0" 0 "$rc"
	check_eq "$mode: --dry-run names the two types and their inodes" \
		"net $(ns_inode "$ALL" net)|uts $(ns_inode "$ALL" uts)" \
		"$(awk '$1 ~ /^(mnt|uts|ipc|net|pid|cgroup|user|time)$/ { print $1, $2 }' <<<"$out" | paste -sd'|')"
	if [ $mode = per-fd ]; then
		check_match "$mode: --dry-run says how it joins" 'join: per fd \(pidfd disabled\)' "$out"
	else
		check_match "$mode: --dry-run says how it joins" 'join: one setns\(pidfd\) for all of them' "$out"
	fi
	if [ -e "$MARKER" ]; then
		fail "$mode: --dry-run ran the program"
	else
		pass "$mode: --dry-run ran nothing"
	fi
	enter --dry-run --ns "net:$FD_INO" -- touch "$MARKER"
	check_match "$mode: --dry-run --ns says which fd holds the namespace" \
		"(^|"$'\n'")net +$FD_INO +--ns net:$FD_INO, fd 9 of process $FDH" "$out"
	enter --dry-run --ns "$NETNS_INO" -- touch "$MARKER"
	if [ $mode = pidfd ]; then
		check_match "$mode: --dry-run --ns: not the target's, so per fd" \
			"join: per fd \\(not every namespace is the target's\\)" "$out"
	fi
	check_match "$mode: --dry-run --ns says which bind mount holds the namespace" \
		"(^|"$'\n'")net +$NETNS_INO +--ns $NETNS_INO, bind mount /run/netns/$NETNS" "$out"
	[ -e "$MARKER" ] && fail "$mode: --dry-run --ns ran the program"

	# no fd of ours, nor of nspect, reaches the program: 3 is ls's own
	exec 7</dev/null
	enter -t "${TARGET[net]}" -n -- ls /proc/self/fd
	check_eq "$mode: enter -n: the program has fds 0 1 2 only (fd 7 of the shell not inherited)" \
		"0 1 2 3" "$(xargs <<<"$out")"
	enter -t "$ALL" -a -- ls /proc/self/fd
	check_eq "$mode: enter -a (forks): fds 0 1 2 only" "0 1 2 3" "$(xargs <<<"$out")"
	enter --ns "$FD_INO" -- ls /proc/self/fd
	check_eq "$mode: enter --ns: fds 0 1 2 only" "0 1 2 3" "$(xargs <<<"$out")"
	exec 7<&-

	# the pid namespace: a fork, whose pid and end the caller sees
	P=${TARGET[pid]}
	enter -t "$P" -p -- sh -c 'echo $$; while read -r k v; do [ "$k" = NSpid: ] && echo "$v"; done </proc/self/status'
	read -r inner <<<"$out"
	nspid=$(sed -n 2p <<<"$out")
	check_match "$mode: enter -p: sh has a small pid in the target's pid namespace" '^[0-9]{1,3}$' "$inner"
	check_match "$mode: enter -p: its NSpid ends with that pid, one level down" "^[0-9]+[[:space:]]+$inner\$" "$nspid"
	enter -t "$P" -p -- sh -c 'readlink /proc/self/ns/pid_for_children; readlink /proc/self/ns/pid'
	check_eq "$mode: enter -p: the program and its children are in the pid namespace" \
		"$(readlink "/proc/$P/ns/pid") $(readlink "/proc/$P/ns/pid")" "$(paste -sd' ' <<<"$out")"
	enter -t "$P" -p -- sh -c 'exit 7'
	check_eq "$mode: enter -p: exit status 7 is mirrored" 7 "$rc"
	rc=0
	bash -c "\"\$NSPECT\" enter -t $P -p -- sh -c 'kill -TERM \$\$'; echo \$?" >"$TMP/term" 2>/dev/null
	check_eq "$mode: enter -p: death by SIGTERM is mirrored (143 in bash)" 143 "$(cat "$TMP/term")"
	enter -t "${TARGET[net]}" -n -- sh -c 'exit 7'
	check_eq "$mode: enter -n (no fork): exit status 7" 7 "$rc"

	# SIGINT to nspect reaches the program (env: a background job starts
	# with SIGINT ignored, which sh could not trap)
	rm -f "$TMP/int"
	env --default-signal=INT "$NSPECT" enter -t "$P" -p -- \
		sh -c 'trap "echo got-int; exit 3" INT; sleep 100000 & wait' >"$TMP/int" 2>&1 </dev/null &
	E=$!
	on_exit "kill -KILL $E"
	# sh is ready once it has started sleep, after setting the trap
	ready() {
		local c
		c=$(first_child "$E")
		[ -n "$c" ] && [ -n "$(first_child "$c")" ]
	}
	if wait_for ready; then
		inner_sleep=$(first_child "$(first_child "$E")")
		kill -INT "$E"
		rc=0
		wait "$E" || rc=$?
		check_eq "$mode: SIGINT to nspect: the program's trap ran" "got-int" "$(cat "$TMP/int")"
		check_eq "$mode: SIGINT to nspect: its exit status 3 is mirrored" 3 "$rc"
		kill -KILL "$inner_sleep" 2>/dev/null
	else
		fail "$mode: enter -p sh -c 'trap ...' did not start"
	fi

	# --keep-caps: the capabilities got by joining a user namespace survive exec
	U=${TARGET[user]}
	enter -t "$U" -U --keep-caps -- grep CapAmb /proc/self/status
	check_match "$mode: --keep-caps: ambient capabilities inside" '^CapAmb:[[:space:]]+0*[1-9a-f][0-9a-f]*$' "$out"
	enter -t "$U" -U -- grep CapAmb /proc/self/status
	check_match "$mode: without --keep-caps: no ambient capabilities" '^CapAmb:[[:space:]]+0+$' "$out"
done
unset NSPECT_ENTER_NO_PIDFD

# --- an unprivileged caller -----------------------------------------------------

TUSER=nspect-test-$$
if useradd -M -U -s /usr/sbin/nologin "$TUSER" >/dev/null 2>&1; then
	on_exit "userdel $TUSER; groupdel $TUSER"
	TUID=$(id -u "$TUSER")
	TGID=$(id -g "$TUSER")
	as_user() {
		(cd / && exec setpriv --reuid="$TUID" --regid="$TGID" --clear-groups "$@")
	}
	# a copy of nspect the user can run, wherever the build is
	BIN=$(mktemp -d /tmp/nspect-bin.XXXXXX)
	on_exit "rm -rf '$BIN'"
	cp "$NSPECT" "$BIN/nspect"
	chmod 755 "$BIN" "$BIN/nspect"
	chmod 777 "$TMP"

	# not through as_user: $! of a backgrounded function is a root subshell
	setpriv --reuid="$TUID" --regid="$TGID" --clear-groups \
		env -C / unshare --user --map-root-user --net --uts sleep 100000 &
	UP=$!
	on_exit "kill -KILL $UP; wait $UP"
	wait_for is_sleep "$UP"
	check_eq "the user's target runs as the user" "$TUID" "$(stat -c %u "/proc/$UP")"
	check_eq "and is in a new net namespace" 1 "$([ "$(ns_inode "$UP" net)" != "$(ns_inode $$ net)" ] && echo 1)"
	want=$(readlink "/proc/$UP/ns/net")
	for mode in pidfd per-fd; do
		envs=()
		[ $mode = per-fd ] && envs=(NSPECT_ENTER_NO_PIDFD=1)
		rc=0
		out=$(as_user env "${envs[@]}" "$BIN/nspect" enter -t "$UP" -U -n -u -- readlink /proc/self/ns/net 2>"$TMP/err") || rc=$?
		check_eq "$mode: unprivileged: enter -U -n -u joins the user's namespaces" "0 $want" "$rc $out"
		out=$(as_user env "${envs[@]}" "$BIN/nspect" enter -t "$UP" -U -n -u -- sh -c 'id -u; hostname' 2>&1)
		check_eq "$mode: unprivileged: root inside, in the target's uts namespace" "0 $(nsenter -t "$UP" -u hostname)" \
			"$(paste -sd' ' <<<"$out")"
		rm -f "$MARKER"
		rc=0
		as_user env "${envs[@]}" "$BIN/nspect" enter -t "$UP" -n -- touch "$MARKER" 2>"$TMP/err" || rc=$?
		check_eq "$mode: unprivileged: -n without -U is refused" 1 "$rc"
		check_match "$mode: unprivileged: -n without -U says why" "cannot join net namespace.*Operation not permitted" "$(cat "$TMP/err")"
		[ -e "$MARKER" ] && fail "$mode: unprivileged: the refused program ran"
		rc=0
		as_user env "${envs[@]}" "$BIN/nspect" enter -t "${TARGET[net]}" -n -- touch "$MARKER" 2>"$TMP/err" || rc=$?
		check_eq "$mode: unprivileged: root's namespace is refused" 1 "$rc"
		[ -e "$MARKER" ] && fail "$mode: unprivileged: the program ran in root's namespace"
	done
else
	fail "cannot create the user $TUSER"
fi

# --- --user-parent ---------------------------------------------------------------

# a user namespace inside another: the outer one is held by a sleep that the
# shell started before it moved into the inner one
unshare --user --map-root-user bash -c 'sleep 100000 & exec unshare --user --map-root-user sleep 100000' &
UI=$!
on_exit "kill -KILL $UI; wait $UI"
wait_for is_sleep "$UI"
wait_for first_child "$UI"
UO=$(first_child "$UI")
on_exit "kill -KILL $UO"
wait_for is_sleep "$UO"
check_eq "the kernel: two nested user namespaces" 1 \
	"$([ "$(ns_inode "$UI" user)" != "$(ns_inode "$UO" user)" ] && echo 1)"
for mode in pidfd per-fd; do
	envs=()
	[ $mode = per-fd ] && envs=(NSPECT_ENTER_NO_PIDFD=1)
	rc=0
	out=$(env "${envs[@]}" "$NSPECT" enter -t "$UI" -U --user-parent -- readlink /proc/self/ns/user 2>"$TMP/err") || rc=$?
	check_eq "$mode: enter -U --user-parent joins the parent of the target's user namespace" \
		"0 $(readlink "/proc/$UO/ns/user")" "$rc $out"
done
enter -t "$UI" --user-parent -n -- true
check_match "--user-parent without -U says what it needs" "user-parent needs a user namespace" "$err"

# options that need a target, or that exclude each other, are refused, not ignored
for args in "-c" "-e -n" "-t $$ -n -w -W /"; do
	# shellcheck disable=SC2086
	enter $args -- true
	check_eq "enter $args: exit 1" 1 "$rc"
done
check_match "enter -c without a target: says so" "join-cgroup needs --target" "$(enter -c -- true; echo "$err")"
enter -m -- true
check_match "enter -m without a target names the option --mount" "^nspect enter: --mount needs --target" "$err"

# --- bad input: exit 1, a message, nothing run ---------------------------------

NOPID=$(($(cat /proc/sys/kernel/pid_max) + 1))
sleep 100000 &
GONE=$!
{ kill -KILL "$GONE" && wait "$GONE"; } 2>/dev/null

# a zombie: exited, not yet reaped (its parent became sleep and never waits),
# in new user and net namespaces
unshare --user --map-root-user --net sh -c 'sleep 100000 & exec sleep 100000' &
ZP=$!
on_exit "kill -KILL $ZP; wait $ZP"
wait_for is_sleep "$ZP"
wait_for first_child "$ZP"
Z=$(first_child "$ZP")
wait_for is_sleep "$Z"
kill -KILL "$Z"
wait_for grep -q '^State:.*Z' "/proc/$Z/status"
check_match "the kernel: the killed child is a zombie" '^State:.*Z' "$(grep '^State:' "/proc/$Z/status" 2>&1)"

N=${TARGET[net]}
for mode in pidfd per-fd; do
	if [ $mode = per-fd ]; then
		export NSPECT_ENTER_NO_PIDFD=1
	else
		unset NSPECT_ENTER_NO_PIDFD
	fi
	refused "$mode: no such PID" "no such process: $NOPID" -t "$NOPID" -n -- touch "$MARKER"
	refused "$mode: a PID that just exited" "no such process: $GONE" -t "$GONE" -n -- touch "$MARKER"
	for opt in -n -U -p -a; do
		refused "$mode: a zombie, $opt" "process $Z|$Z.*exited" -t "$Z" $opt -- touch "$MARKER"
	done
	refused "$mode: --net=/etc/passwd" "/etc/passwd is not a namespace file" --net=/etc/passwd -- touch "$MARKER"
	refused "$mode: --net=a uts namespace file" "/proc/$N/ns/uts is a uts namespace, not net" \
		--net="/proc/$N/ns/uts" -- touch "$MARKER"
	refused "$mode: -t PID --net=/dev/null" "/dev/null is not a namespace file" -t "$N" --net=/dev/null -- touch "$MARKER"
	refused "$mode: --ns of an inode nothing holds" "namespace 1 not found" --ns 1 -- touch "$MARKER"
	refused "$mode: --ns TYPE:INODE of the wrong type" "namespace uts:$NETNS_INO not found" \
		--ns "uts:$NETNS_INO" -- touch "$MARKER"
	refused "$mode: --ns garbage" "invalid namespace: 'net:abc'" --ns net:abc -- touch "$MARKER"
	refused "$mode: no namespace option" "no namespace to enter" -t "$N" touch "$MARKER"
	refused "$mode: a type option without a target" "--net needs --target" -n -- touch "$MARKER"

	enter -t "$N" -n -- /nonexistent/nspect-command
	check_eq "$mode: command not found: exit 127" 127 "$rc"
	check_match "$mode: command not found: message" "cannot run '/nonexistent/nspect-command': No such file" "$err"
	enter -t "$N" -n -- nspect-no-such-command-$$
	check_eq "$mode: command not in PATH: exit 127" 127 "$rc"
	printf '#!/bin/sh\ntouch %s\n' "$MARKER" >"$TMP/noexec"
	chmod 644 "$TMP/noexec"
	rm -f "$MARKER"
	enter -t "$N" -n -- "$TMP/noexec"
	check_eq "$mode: not executable: exit 126" 126 "$rc"
	check_match "$mode: not executable: message" "cannot run '$TMP/noexec': Permission denied" "$err"
	[ -e "$MARKER" ] && fail "$mode: the non-executable file ran"
	enter -t "${TARGET[pid]}" -p -- /nonexistent/nspect-command
	check_eq "$mode: command not found after the fork of -p: exit 127" 127 "$rc"
done
unset NSPECT_ENTER_NO_PIDFD

finish
