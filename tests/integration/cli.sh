#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The command line: every bad input gets one clear message on stderr, a
# pointer to --help, exit status 1 and nothing on stdout; --help and
# --version; the accepted spellings of --tree; and process names with control
# characters are shown escaped, never written raw to the terminal.
source "$TOP_SRCDIR/tests/integration/lib.sh"
need_root

tmp=$(mktemp -d)
on_exit "rm -rf '$tmp'"

# run ARGS...: run nspect ARGS; sets OUT, ERR (without their last newline),
# ERRL (the lines of stderr) and RC.  Only shell builtins besides nspect, so
# that the many cases stay quick on a loaded machine.
run() {
	"$NSPECT" "$@" >"$tmp/out" 2>"$tmp/err"
	RC=$?
	OUT= ERR=
	IFS= read -r -d '' OUT <"$tmp/out"
	OUT=${OUT%$'\n'}
	mapfile -t ERRL <"$tmp/err"
	[ ${#ERRL[@]} -eq 0 ] || printf -v ERR '%s\n' "${ERRL[@]}"
	ERR=${ERR%$'\n'}
}

TRY_LIST="Try 'nspect list --help' for more information."

# usage_error REGEX ARGS...: a usage error of nspect list: exit 1, nothing
# on stdout, and on stderr exactly "nspect list: <message matching REGEX>"
# followed by "Try 'nspect list --help' for more information."
usage_error() {
	local re=$1
	shift
	run "$@"
	if [ "$RC" = 1 ] && [ -z "$OUT" ] && [ ${#ERRL[@]} = 2 ] &&
		[[ ${ERRL[0]} =~ ^nspect\ list:\ .*($re) ]] && [ "${ERRL[1]}" = "$TRY_LIST" ]; then
		pass "nspect $*: ${ERRL[0]}"
	else
		fail "nspect $*: expected exit 1, no stdout, 'nspect list: ...$re...' and a Try line on stderr; got exit $RC, stdout '$OUT', stderr '$ERR'"
	fi
}

# runtime_error REGEX ARGS...: a failure that is not a usage error: exit 1,
# nothing on stdout, one message "nspect list: ..." matching REGEX (a Try
# line after it is tolerated, nothing else).
runtime_error() {
	local re=$1
	shift
	run "$@"
	if [ "$RC" = 1 ] && [ -z "$OUT" ] && [[ ${ERRL[0]-} =~ ^nspect\ list:\ .*($re) ]] &&
		{ [ ${#ERRL[@]} = 1 ] || { [ ${#ERRL[@]} = 2 ] && [ "${ERRL[1]}" = "$TRY_LIST" ]; }; }; then
		pass "nspect $*: ${ERRL[0]}"
	else
		fail "nspect $*: expected exit 1, no stdout and one 'nspect list: ...$re...' on stderr; got exit $RC, stdout '$OUT', stderr '$ERR'"
	fi
}

# works FIRST ARGS...: nspect ARGS exits 0 and prints a header line starting
# with FIRST (the first output column), and no usage message.
works() {
	local first=$1 head
	shift
	run "$@"
	read -r head _ <<<"$OUT"
	if [ "$RC" = 0 ] && [ "$head" = "$first" ] && [[ $ERR != *"Try 'nspect"* ]]; then
		pass "nspect $* works"
	else
		fail "nspect $*: expected exit 0 and a header starting with $first; got exit $RC, output '${OUT%%$'\n'*}', stderr '$ERR'"
	fi
}

# --- usage errors -------------------------------------------------------------

usage_error "[Cc]olumn.*FOO" list -o FOO
usage_error "[Cc]olumn.*FOO" list -o NS,FOO
usage_error "[Cc]olumn.*FOO" list -o +FOO
usage_error "[Cc]olumn.*FOO" list --output=FOO
usage_error "type.*foo" list -t foo
usage_error "type.*foo" list --type=foo
usage_error "PID.*abc" list -p abc
usage_error "PID.*-5" list --task=-5
usage_error "--bogus" list --bogus
usage_error "X" list -X
usage_error "--bogus" --bogus
usage_error "X" -X
usage_error "(-o|--output).*argument|argument.*(-o|--output)" list -o
usage_error "(-o|--output).*argument|argument.*(-o|--output)" list -l --output
usage_error "(-t|--type).*argument|argument.*(-t|--type)" list -t
usage_error "list.*tree|tree.*list" list -l -T
usage_error "list.*tree|tree.*list" list -T -l
usage_error "list.*tree|tree.*list" list --list --tree=process
usage_error "list.*tree|tree.*list" -T process -l
usage_error "json.*raw|raw.*json" list --json --raw
usage_error "json.*raw|raw.*json" list -r -J
usage_error "bogus" list --tree=bogus
usage_error "bogus" list -T bogus
usage_error "tree.*(process|owner|parent)" list -T=
usage_error "--depth" list --depth 2
usage_error "depth.*x" list -T owner --depth x
usage_error "filter.*ends too early.*character 8" list -Q 'TYPE =='
usage_error "FOO" list -Q 'FOO == 1'
usage_error "[Cc]olumn.*BOGUS" list --sort BOGUS
usage_error "source.*bogus" list --sources procs,bogus
usage_error "namespace.*abc" list abc
usage_error "namespace.*12abc" list 12abc
usage_error "namespace.*'0'" list 0
usage_error "namespace.*-1" list -- -1
usage_error "unexpected argument.*456" list 123 456

# the top level: an unknown command points to nspect --help
run bogus
if [ "$RC" = 1 ] && [ -z "$OUT" ] &&
	[ "$ERR" = "nspect: unknown command: 'bogus'
Try 'nspect --help' for more information." ]; then
	pass "nspect bogus: unknown command"
else
	fail "nspect bogus: expected exit 1, no stdout, 'nspect: unknown command: 'bogus'' and a Try line; got exit $RC, stdout '$OUT', stderr '$ERR'"
fi
run help bogus
check_eq "nspect help bogus: exit 1" 1 "$RC"
check_match "nspect help bogus: names the command" "unknown command: 'bogus'" "$ERR"
check_eq "nspect help bogus: nothing on stdout" "" "$OUT"

# --- runtime errors -----------------------------------------------------------

runtime_error "no such process" list -p 999999999
sleep 0 &
gone=$!
wait "$gone"
runtime_error "no such process.*$gone" list -p "$gone"
runtime_error "no such process.*$gone" list -l -t net -p "$gone"
# a namespace inode that no namespace has (namespace inodes are large
# numbers from the nsfs pseudo file system, never 1)
runtime_error "namespace not found" list 1
# a namespace that exists, but not of the type asked for
runtime_error "namespace not found" list -t net "$(ns_inode $$ user)"

# --- what works -----------------------------------------------------------------

version=$(sed -nE 's/^AC_INIT\(\[nspect\], *\[([^]]+)\].*/\1/p' "$TOP_SRCDIR/configure.ac")
check_match "configure.ac has a version" '^[0-9]' "$version"
for args in "--version" "-V" "list -V" "list --version"; do
	# shellcheck disable=SC2086
	run $args
	check_eq "nspect $args: exit 0, no stderr, 'nspect VERSION'" "0||nspect $version" "$RC|$ERR|$OUT"
done
for args in "--help" "-h" "list --help" "list -h" "help list" "help"; do
	# shellcheck disable=SC2086
	run $args
	check_eq "nspect $args: exit 0, nothing on stderr, Usage: first" "0||Usage:" \
		"$RC|$ERR|$(head -n1 <<<"$OUT")"
done
run list --help
check_match "nspect list --help shows the list usage" "nspect list \[options\]" "$OUT"

works NS list -T process
works NS list -T process -o NS
works NS list --tree process -o NS,TYPE
works NS list --tree=process
# lsns accepts -T=process (an optional argument given with '='): so does nspect
works NS list -T=process
works NS list -T owner
works NS list -T=owner
works NS list --tree=parent -o NS,TYPE
works NS list -T owner --depth 1
works NS list -Q 'TYPE == "net" && NPROCS > 0'
works NS list --sort -NPROCS
# -P needs a namespace no process is in: a fresh machine may have none
PNET=nspect-cli-$$
ip netns add "$PNET"
on_exit "ip netns delete $PNET"
pnet=$(stat -L -c %i "/run/netns/$PNET")
works NS list -P
works NS list --persistent -o NS,NPROCS
# -P: only namespaces without processes, ours among them
if [ "$RC" = 0 ] && [ "$(awk 'NR > 1 && $2 != 0' <<<"$OUT")" = "" ]; then
	pass "nspect list -P: every row has NPROCS 0"
else
	fail "nspect list -P: rows with processes: $(awk 'NR > 1 && $2 != 0' <<<"$OUT")"
fi
check_eq "nspect list -P: the ip netns namespace is there, with no process" "$pnet 0" \
	"$(awk -v ns="$pnet" '$1 == ns { print $1, $2 }' <<<"$OUT")"
works PID list "$(ns_inode $$ net)"
works NS -l -o NS

# --- control characters in process names ---------------------------------------

# A copy of sleep, run under a name with an escape sequence, a bell and a tab
# as argv[0] (what COMMAND shows), alone in a new uts namespace so that it is
# the PID shown for that namespace.
cp "$(command -v sleep)" "$tmp/evil-sleep"
evil=$'\e[31mEVIL\a\tX'
unshare --uts bash -c 'exec -a "$0" "$1" 100000' "$evil" "$tmp/evil-sleep" &
E=$!
on_exit "kill -KILL $E; wait $E"
tries=0
while [ "$(cat "/proc/$E/comm" 2>/dev/null)" != evil-sleep ] && [ $tries -lt 200 ]; do
	sleep 0.02
	tries=$((tries + 1))
done
check_eq "the evil process runs with argv[0] '$(printf %q "$evil")'" "$evil" \
	"$(tr '\0' '\n' <"/proc/$E/cmdline" 2>/dev/null | head -n1)"
euts=$(ns_inode "$E" uts)

# escaped: every control character as \xHH, as lsns shows it
expected='\x1b[31mEVIL\x07\x09X 100000'
esc=$'\e'
bel=$'\a'
# the COMMAND cell: the row of the namespace, after its first five fields
for args in "-t uts" "-l" "" "-o NS,PID,COMMAND -t uts"; do
	# shellcheck disable=SC2086
	run list $args
	row=$(awk -v ns="$euts" '$1 == ns' <<<"$OUT")
	what="nspect list ${args:-(default)}"
	check_eq "$what: exit 0" 0 "$RC"
	if [[ $row == *"$expected"* ]]; then
		pass "$what: the command is shown as '$expected'"
	else
		fail "$what: the command is not shown as '$expected': '$row'"
	fi
	if [[ $OUT == *"$esc"* || $OUT == *"$bel"* ]]; then
		fail "$what: a raw ESC or BEL byte on stdout"
	else
		pass "$what: no raw ESC or BEL byte on stdout"
	fi
done

run list -o PID,COMMAND "$euts"
check_eq "nspect list INODE -o PID,COMMAND: the escaped command" "$E $expected" \
	"$(awk -v p="$E" '$1 == p { sub(/^ +/, ""); print }' <<<"$OUT")"
[[ $OUT == *"$esc"* ]] && fail "nspect list INODE: a raw ESC byte on stdout" ||
	pass "nspect list INODE: no raw ESC byte on stdout"

# raw output escapes the blanks too, but the control characters the same way
run list -r -t uts -o NS,COMMAND
check_eq "nspect list -r: the escaped command" \
	"$euts \\x1b[31mEVIL\\x07\\x09X\\x20100000" "$(awk -v ns="$euts" '$1 == ns' <<<"$OUT")"
[[ $OUT == *"$esc"* ]] && fail "nspect list -r: a raw ESC byte on stdout" ||
	pass "nspect list -r: no raw ESC byte on stdout"

run list -J -t uts
if [[ $OUT == *"$esc"* || $OUT == *"$bel"* ]]; then
	fail "nspect list -J: a raw ESC or BEL byte on stdout"
else
	pass "nspect list -J: no raw ESC or BEL byte on stdout"
fi
cmd=$(jq -r --argjson ns "$euts" '.namespaces[] | select(.ns == $ns) | .command' <<<"$OUT" 2>&1)
check_match "nspect list -J: parses, and the command is there" 'EVIL.*100000$' "$cmd"

finish
