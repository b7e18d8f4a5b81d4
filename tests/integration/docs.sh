#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The manual pages and the bash completion cover everything the binary offers.
#
# Options, columns and commands are read from the binary's own --help and
# --list-columns output, so adding one there without documenting it (or
# without teaching the completion about it) fails this test.
source "$TOP_SRCDIR/tests/integration/lib.sh"

MAN_MAIN=$TOP_SRCDIR/man/nspect.1
MAN_LIST=$TOP_SRCDIR/man/nspect-list.1
COMPLETION=$TOP_SRCDIR/completions/nspect

missing=0
for f in "$MAN_MAIN" "$MAN_LIST" "$COMPLETION"; do
	if [ -r "$f" ]; then
		pass "$f exists"
	else
		fail "$f is missing"
		missing=1
	fi
done
[ "$missing" = 0 ] || finish

# has LINE TEXT: TEXT has LINE as one of its lines
has() {
	grep -qxF -- "$1" <<<"$2"
}

# man_item PAGE REGEX: PAGE has an ".It" line matching REGEX (after ".It ")
man_item() {
	grep -qE -- "^\.It $2" "$1"
}

# --- what the binary offers ---------------------------------------------------

top_help=$("$NSPECT" --help) || fail "nspect --help failed"
list_help=$("$NSPECT" list --help) || fail "nspect list --help failed"

# Commands: the first word of each line of the "Commands:" block.
mapfile -t commands < <(sed -n '/^Commands:/,/^$/{/^ /{s/^ *//;s/ .*//;p}}' <<<"$top_help")

# Options: the option lines of list --help (the part before the description,
# which starts after a run of two spaces), e.g. "-T, --tree[=<rel>]".
mapfile -t optspecs < <(sed -n '/^Options:/,/^Available output columns:/p' <<<"$list_help" |
	sed -nE '/^ +-/{s/^ +//;s/  .*//;p}')
options=()
for spec in "${optspecs[@]}"; do
	mapfile -t -O "${#options[@]}" options < <(grep -oE -- '(^|[ ,])--?[A-Za-z0-9][A-Za-z0-9-]*' <<<"$spec" | sed 's/^[ ,]*//')
done

# Positional arguments: "[<namespace>]" in the usage line.
mapfile -t positionals < <(sed -n '2p' <<<"$list_help" | grep -oE '<[a-z-]+>' | tr -d '<>')

# Columns: the first field of list -H -r -n; the second is the type.
mapfile -t columns < <("$NSPECT" list -H -r -n | awk '{print $1 " " $2}')

# The parsing must have found something, or every check below passes vacuously.
if [ "${#commands[@]}" -ge 2 ] && has list "$(printf '%s\n' "${commands[@]}")"; then
	pass "found ${#commands[@]} commands in nspect --help: ${commands[*]}"
else
	fail "could not parse the commands out of nspect --help (got: ${commands[*]-})"
fi
short=0 long=0
for o in "${options[@]}"; do
	case $o in --*) long=$((long + 1)) ;; -*) short=$((short + 1)) ;; esac
done
if [ "$short" -ge 5 ] && [ "$long" -ge 5 ]; then
	pass "found $short short and $long long options in nspect list --help"
else
	fail "could not parse the options out of nspect list --help (got: ${options[*]-})"
fi
if [ "${#columns[@]}" -ge 5 ]; then
	pass "found ${#columns[@]} columns in nspect list -H"
else
	fail "could not parse the columns out of nspect list -H -r -n"
fi

# --- man/nspect-list.1 ----------------------------------------------------------

# Every option has an item: ".It Fl J , Fl -json", and a short and a long
# option given together in --help share their item.
for spec in "${optspecs[@]}"; do
	mapfile -t names < <(grep -oE -- '(^|[ ,])--?[A-Za-z0-9][A-Za-z0-9-]*' <<<"$spec" | sed 's/^[ ,]*//')
	re=
	ok=1
	for o in "${names[@]}"; do
		flag="Fl ${o#-}"
		if ! man_item "$MAN_LIST" ".*$flag( |$)"; then
			fail "man/nspect-list.1 does not document option $o (no '.It ... $flag' line)"
			ok=0
		fi
		re+=".*$flag( |\$)"
	done
	[ "$ok" = 1 ] || continue
	# the names of one option share an .It line, in the order of --help
	if [ "${#names[@]}" -gt 1 ] && ! man_item "$MAN_LIST" "$re"; then
		fail "man/nspect-list.1 documents ${names[*]} but not together on one .It line"
	else
		pass "man/nspect-list.1 documents ${names[*]}"
	fi
done

for a in "${positionals[@]}"; do
	if man_item "$MAN_LIST" "Ar $a( |$)"; then
		pass "man/nspect-list.1 documents the argument <$a>"
	else
		fail "man/nspect-list.1 does not document the argument <$a> (no '.It Ar $a' line)"
	fi
done

# Every column has an item ".It Cm NAME Pq TYPE" with the type -H reports.
for c in "${columns[@]}"; do
	name=${c%% *} type=${c#* }
	if man_item "$MAN_LIST" "Cm $name Pq $type\$"; then
		pass "man/nspect-list.1 documents column $name ($type)"
	elif man_item "$MAN_LIST" "Cm $name( |$)"; then
		fail "man/nspect-list.1 documents column $name, but not as '.It Cm $name Pq $type'"
	else
		fail "man/nspect-list.1 does not document column $name (no '.It Cm $name Pq $type' line)"
	fi
done

# --- man/nspect.1 -------------------------------------------------------------

for c in "${commands[@]}"; do
	if man_item "$MAN_MAIN" "Cm $c( |$)"; then
		pass "man/nspect.1 documents command $c"
	else
		fail "man/nspect.1 does not document command $c (no '.It Cm $c' line)"
	fi
	[ "$c" = help ] && continue
	if [ -r "$TOP_SRCDIR/man/nspect-$c.1" ] && grep -qE "^\.Xr nspect-$c 1( |$)" "$MAN_MAIN"; then
		pass "man/nspect.1 refers to nspect-$c(1)"
	else
		fail "command $c needs man/nspect-$c.1 and an '.Xr nspect-$c 1' in man/nspect.1"
	fi
done
for o in -h --help -V --version; do
	if man_item "$MAN_MAIN" ".*Fl ${o#-}( |$)"; then
		pass "man/nspect.1 documents option $o"
	else
		fail "man/nspect.1 does not document option $o"
	fi
done

# --- mandoc lint --------------------------------------------------------------

if command -v mandoc >/dev/null; then
	for page in "$MAN_MAIN" "$MAN_LIST"; do
		out=$(mandoc -Tlint -W warning "$page" 2>&1)
		check_eq "mandoc -Tlint -W warning ${page#"$TOP_SRCDIR"/}" "" "$out"
	done
else
	fail "mandoc is not installed (scripts/install-deps.sh installs it); cannot lint the man pages"
fi

# --- the bash completion --------------------------------------------------------

# The completion runs "nspect" (the word being completed) to learn the columns.
bindir=$(mktemp -d)
on_exit "rm -rf '$bindir'"
ln -s "$NSPECT" "$bindir/nspect"
PATH=$bindir:$PATH

# shellcheck source=/dev/null
source "$COMPLETION"
spec=$(complete -p nspect 2>/dev/null)
compfunc=$(sed -nE 's/.*-F ([^ ]+).*/\1/p' <<<"$spec")
if [ -n "$compfunc" ] && declare -F "$compfunc" >/dev/null; then
	pass "completions/nspect registers $compfunc with complete -F"
else
	fail "completions/nspect does not register a function with complete -F (complete -p: '$spec')"
	finish
fi

# complete WORD...: COMPREPLY, one per line, for the command line WORD...
# with the cursor at the end of the last word (pass "" to start a new one).
complete_words() {
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMP_LINE="$*"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	"$compfunc" nspect "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}" 2>/dev/null
	printf '%s\n' "${COMPREPLY[@]}"
}

# expect_completion WHAT EXPECTED REPLY: EXPECTED is among the REPLY lines
expect_completion() {
	if has "$2" "$3"; then
		pass "completion of '$1' offers $2"
	else
		fail "completion of '$1' does not offer $2 (got: $(tr '\n' ' ' <<<"$3"))"
	fi
}

reply=$(complete_words nspect list -o N)
expect_completion "nspect list -o N" NS "$reply"
expect_completion "nspect list -o N" NPROCS "$reply"
reply=$(complete_words nspect list -o NS,T)
expect_completion "nspect list -o NS,T" NS,TYPE "$reply"
reply=$(complete_words nspect list -o +P)
expect_completion "nspect list -o +P" +PID "$reply"
reply=$(complete_words nspect list -o "")
for c in "${columns[@]}"; do
	expect_completion "nspect list -o " "${c%% *}" "$reply"
done
reply=$(complete_words nspect list -t n)
check_eq "completion of 'nspect list -t n'" net "$reply"
reply=$(complete_words nspect l)
check_eq "completion of 'nspect l'" list "$reply"
reply=$(complete_words nspect list --tree = "")
check_eq "completion of 'nspect list --tree='" process "$reply"
reply=$(complete_words nspect list -p "")
expect_completion "nspect list -p " "$$" "$reply"

reply=$(complete_words nspect "")
for c in "${commands[@]}"; do
	expect_completion "nspect " "$c" "$reply"
done

# every option of list --help, after "nspect list" and as the first word
reply_list=$(complete_words nspect list -)
reply_first=$(complete_words nspect -)
for o in "${options[@]}"; do
	if has "$o" "$reply_list" && has "$o" "$reply_first"; then
		pass "completions/nspect offers option $o"
	else
		fail "completions/nspect does not offer option $o after 'nspect list' and 'nspect'"
	fi
done

finish
