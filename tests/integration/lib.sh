# Shared helpers for the integration tests (sourced, bash).
#
# Tests run under automake's test driver: exit 0 passes, 77 skips, anything
# else fails.  Every process, namespace and mount a test makes is registered
# with on_exit so that it is removed even when the test fails half-way.

set -u

: "${NSPECT:?NSPECT must name the nspect binary (make check sets it)}"
: "${TOP_SRCDIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"

_failures=0
_checks=0
_cleanups=()

# on_exit CMD...: run CMD (as one eval'd string) when the test exits, newest first.
on_exit() {
	_cleanups+=("$*")
}

# The index has a name no cleanup uses: a cleanup with its own "for i"
# loop would otherwise move this loop and skip the others.
_run_cleanups() {
	local _cleanup_idx
	for ((_cleanup_idx = ${#_cleanups[@]} - 1; _cleanup_idx >= 0; _cleanup_idx--)); do
		eval "${_cleanups[_cleanup_idx]}" >/dev/null 2>&1 || true
	done
}
trap _run_cleanups EXIT
trap 'exit 130' INT TERM

# need_root: skip (77) when not root; CI is root and fails on any skip.
need_root() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "SKIP: needs root"
		exit 77
	fi
}

pass() {
	_checks=$((_checks + 1))
	echo "ok - $*"
}

fail() {
	_checks=$((_checks + 1))
	_failures=$((_failures + 1))
	echo "FAIL - $*"
}

# check_eq WHAT EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1: expected '$2', got '$3'"
	fi
}

# check_match WHAT REGEX ACTUAL
check_match() {
	if [[ $3 =~ $2 ]]; then
		pass "$1"
	else
		fail "$1: '$3' does not match /$2/"
	fi
}

# finish: the last line of every test.
finish() {
	echo "# $_checks checks, $_failures failed"
	[ "$_failures" -eq 0 ] || exit 1
	[ "$_checks" -gt 0 ] || { echo "FAIL - no check ran"; exit 1; }
	exit 0
}

# wait_for CMD...: true once CMD succeeds, false after ~10 s
wait_for() {
	local tries=0
	until "$@" >/dev/null 2>&1; do
		[ $tries -ge 500 ] && return 1
		sleep 0.02
		tries=$((tries + 1))
	done
}

# shellcheck disable=SC2317 # called through wait_for
is_sleep() {
	[ "$(cat "/proc/$1/comm" 2>/dev/null)" = sleep ]
}

# first_child PID: the first child of PID, or nothing
# shellcheck disable=SC2317 # called through wait_for
first_child() {
	awk '{ print $1 }' "/proc/$1/task/$1/children" 2>/dev/null
}

# spawn_thread_ns PIDVAR TIDVAR: start a process whose one extra thread
# unshares its own net and uts namespaces (the main thread stays in ours);
# store the process's pid in PIDVAR and the thread's tid in TIDVAR.  Killed
# when the test exits.  False when the thread could not unshare.
spawn_thread_ns() {
	local out
	out=$(mktemp /tmp/nspect-thread.XXXXXX)
	rm -f "$out"
	python3 - "$out" <<'EOF' &
import ctypes, os, sys, threading, time
libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNET, CLONE_NEWUTS = 0x40000000, 0x04000000
def thread():
    if libc.unshare(CLONE_NEWNET | CLONE_NEWUTS) != 0:
        print("unshare:", os.strerror(ctypes.get_errno()), file=sys.stderr)
        return
    with open(sys.argv[1] + ".tmp", "w") as f:
        f.write(f"{threading.get_native_id()}\n")
    os.rename(sys.argv[1] + ".tmp", sys.argv[1])
    time.sleep(100000)
t = threading.Thread(target=thread, daemon=True)
t.start()
t.join()
EOF
	local pid=$!
	on_exit "kill -KILL $pid; wait $pid; rm -f '$out'"
	printf -v "$1" '%s' "$pid"
	wait_for test -s "$out" || return 1
	printf -v "$2" '%s' "$(cat "$out")"
}

# ns_inode PID TYPE: the inode the kernel reports for /proc/PID/ns/TYPE.
ns_inode() {
	stat -L -c %i "/proc/$1/ns/$2"
}

# spawn_ns VAR UNSHARE-OPTIONS...: start a sleeping process in new namespaces
# made by unshare(1) and store in VAR the pid of the process that is in them
# (with --fork, unshare's child).  The process is killed when the test exits.
# Pass long options or separate short ones (-U -n), not a combined -Un.
spawn_ns() {
	local __var=$1
	shift
	local fork=0 pid=0 a extra=()
	for a in "$@"; do
		case $a in
		-f | --fork) fork=1 ;;
		-p | --pid) pid=1 ;;
		esac
	done
	# a new pid namespace only applies to children: unshare must fork
	if [ "$pid" = 1 ] && [ "$fork" = 0 ]; then
		extra+=(--fork)
		fork=1
	fi
	unshare "$@" "${extra[@]}" sleep 100000 &
	local upid=$!
	# killed after its child (newest first), so unshare reaps that child;
	# waited for here, so nothing is left as a zombie for init to reap
	on_exit "kill -KILL $upid; wait $upid"
	local target=$upid tries=0
	if [ "$fork" = 1 ]; then
		target=
		while [ -z "$target" ] && [ $tries -lt 200 ]; do
			target=$(cat "/proc/$upid/task/$upid/children" 2>/dev/null | awk '{print $1}')
			[ -n "$target" ] || sleep 0.02
			tries=$((tries + 1))
		done
		[ -n "$target" ] || { echo "spawn_ns: unshare $* did not fork"; exit 99; }
		on_exit "kill -KILL $target"
	fi
	# wait until the process runs sleep, i.e. unshare finished its setup
	tries=0
	while [ "$(cat "/proc/$target/comm" 2>/dev/null)" != sleep ] && [ $tries -lt 200 ]; do
		sleep 0.02
		tries=$((tries + 1))
	done
	printf -v "$__var" '%s' "$target"
}
