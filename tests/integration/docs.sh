#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The manual pages and the bash completion cover everything the binary offers.
#
# Commands, options, columns and discovery sources are read from the binary's
# own --help and --list-columns output, so adding one there without
# documenting it (or without teaching the completion about it) fails this
# test.
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

# option_specs HELP: the option lines of a command's --help (the part before
# the description, which starts after a run of two spaces), one per line,
# e.g. "-T, --tree[=<rel>]".
option_specs() {
	sed -n '/^Options:/,/^Available output columns:/p' <<<"$1" |
		sed -nE '/^ +-/{s/^ +//;s/  .*//;p}'
}

# option_names SPEC: the option names in one option line, one per line.
option_names() {
	grep -oE -- '(^|[ ,])--?[A-Za-z0-9][A-Za-z0-9-]*' <<<"$1" | sed 's/^[ ,]*//'
}

# --- what the binary offers ---------------------------------------------------

top_help=$("$NSPECT" --help) || fail "nspect --help failed"
list_help=$("$NSPECT" list --help) || fail "nspect list --help failed"

# Commands: the first word of each line of the "Commands:" block.
mapfile -t commands < <(sed -n '/^Commands:/,/^$/{/^ /{s/^ *//;s/ .*//;p}}' <<<"$top_help")

# Options of list, as the first word of nspect takes them too.
mapfile -t list_options < <(option_specs "$list_help" | while read -r spec; do option_names "$spec"; done)

# Discovery sources: the continuation lines of "--sources <list>" in list
# --help ("procs, threads, ..."), and the default it names ("default: all").
sources_block=$(awk '
	/^ +--sources / { on = 1; print; next }
	on && (/^ *$/ || /^ +-/) { exit }
	on { print }' <<<"$list_help")
mapfile -t sources < <(sed 1d <<<"$sources_block" | grep -oE '[a-z][a-z0-9_-]*')
sources_default=$(head -n1 <<<"$sources_block" | sed -nE 's/.*default: *([a-z]+).*/\1/p')

# Columns: the first field of list -H -r -n; the second is the type, whose
# blanks raw output writes as \x20 ("array\x20of\x20numbers"): decoded.
mapfile -t columns < <("$NSPECT" list -H -r -n | awk '{print $1 " " $2}' | while IFS= read -r l; do printf '%b\n' "$l"; done)

# The parsing must have found something, or every check below passes vacuously.
if [ "${#commands[@]}" -ge 3 ] && has list "$(printf '%s\n' "${commands[@]}")" &&
	has who "$(printf '%s\n' "${commands[@]}")"; then
	pass "found ${#commands[@]} commands in nspect --help: ${commands[*]}"
else
	fail "could not parse the commands out of nspect --help (got: ${commands[*]-})"
fi
short=0 long=0
for o in "${list_options[@]}"; do
	case $o in --*) long=$((long + 1)) ;; -*) short=$((short + 1)) ;; esac
done
if [ "$short" -ge 5 ] && [ "$long" -ge 5 ]; then
	pass "found $short short and $long long options in nspect list --help"
else
	fail "could not parse the options out of nspect list --help (got: ${list_options[*]-})"
fi
if [ "${#sources[@]}" -ge 5 ] && has procs "$(printf '%s\n' "${sources[@]}")" && [ -n "$sources_default" ]; then
	pass "found ${#sources[@]} sources in nspect list --help: ${sources[*]} (default: $sources_default)"
else
	fail "could not parse the sources out of nspect list --help (got: ${sources[*]-}; default: '$sources_default')"
fi
if [ "${#columns[@]}" -ge 5 ]; then
	pass "found ${#columns[@]} columns in nspect list -H"
else
	fail "could not parse the columns out of nspect list -H -r -n"
fi

# --- man/nspect-CMD.1: options and arguments of every command -------------------

# check_command_page CMD: man/nspect-CMD.1 documents every option and argument
# of nspect CMD --help.  Sets cmd_options to the option names found.
check_command_page() {
	local cmd=$1 page=$TOP_SRCDIR/man/nspect-$1.1 help spec o flag re ok a
	local -a specs names positionals
	cmd_options=()
	help=$("$NSPECT" "$cmd" --help) || { fail "nspect $cmd --help failed"; return; }
	mapfile -t specs < <(option_specs "$help")
	for spec in "${specs[@]}"; do
		mapfile -t -O "${#cmd_options[@]}" cmd_options < <(option_names "$spec")
	done
	if [ "${#cmd_options[@]}" -ge 4 ]; then
		pass "found ${#cmd_options[@]} options in nspect $cmd --help"
	else
		fail "could not parse the options out of nspect $cmd --help (got: ${cmd_options[*]-})"
	fi
	[ -r "$page" ] || return # reported with the commands of man/nspect.1

	# Every option has an item: ".It Fl J , Fl -json", and a short and a long
	# option given together in --help share their item.
	for spec in "${specs[@]}"; do
		mapfile -t names < <(option_names "$spec")
		re=
		ok=1
		for o in "${names[@]}"; do
			flag="Fl ${o#-}"
			if ! man_item "$page" ".*$flag( |$)"; then
				fail "man/nspect-$cmd.1 does not document option $o (no '.It ... $flag' line)"
				ok=0
			fi
			re+=".*$flag( |\$)"
		done
		[ "$ok" = 1 ] || continue
		# the names of one option share an .It line, in the order of --help
		if [ "${#names[@]}" -gt 1 ] && ! man_item "$page" "$re"; then
			fail "man/nspect-$cmd.1 documents ${names[*]} but not together on one .It line"
		else
			pass "man/nspect-$cmd.1 documents ${names[*]}"
		fi
	done

	# Positional arguments: "<namespace>" or "[<namespace>]" in the usage line,
	# after the options.
	mapfile -t positionals < <(sed -n '2p' <<<"$help" | sed 's/.*\[options\]//' | grep -oE '<[a-z-]+>' | tr -d '<>')
	for a in "${positionals[@]}"; do
		if man_item "$page" "Ar $a( |$)"; then
			pass "man/nspect-$cmd.1 documents the argument <$a>"
		else
			fail "man/nspect-$cmd.1 does not document the argument <$a> (no '.It Ar $a' line)"
		fi
	done
}

declare -A options_of
for c in "${commands[@]}"; do
	[ "$c" = help ] && continue
	check_command_page "$c"
	options_of[$c]="${cmd_options[*]}"
done

# --- man/nspect-list.1: columns and sources -------------------------------------

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

# Every source has an item ".It Cm NAME" (under DISCOVERY SOURCES), and the
# default is named.
for s in "${sources[@]}"; do
	if man_item "$MAN_LIST" "Cm $s\$"; then
		pass "man/nspect-list.1 documents source $s"
	else
		fail "man/nspect-list.1 does not document source $s (no '.It Cm $s' line)"
	fi
done
if grep -qE "^\.(Cm|It Cm) $sources_default( |$)" "$MAN_LIST"; then
	pass "man/nspect-list.1 names the default source list '$sources_default'"
else
	fail "man/nspect-list.1 does not name the default source list '$sources_default' (no '.Cm $sources_default' line)"
fi

# --- man/nspect-who.1: columns and sources --------------------------------------

MAN_WHO=$TOP_SRCDIR/man/nspect-who.1
if [ -r "$MAN_WHO" ]; then
	# the columns: the heading of a real run, on our own network namespace
	own_net=$(ns_inode $$ net)
	who_head=$("$NSPECT" who "net:$own_net" 2>/dev/null | head -n1)
	read -r -a who_columns <<<"$who_head"
	if [ "${#who_columns[@]}" -ge 3 ]; then
		pass "found ${#who_columns[@]} columns in the output of nspect who: ${who_columns[*]}"
	else
		fail "could not read the columns of 'nspect who net:$own_net' (got: '$who_head')"
	fi
	for c in "${who_columns[@]}"; do
		if man_item "$MAN_WHO" "Cm $c\$"; then
			pass "man/nspect-who.1 documents column $c"
		else
			fail "man/nspect-who.1 does not document column $c (no '.It Cm $c' line)"
		fi
	done
	# --sources takes the same names as in list
	if has --sources "$(tr ' ' '\n' <<<"${options_of[who]-}")"; then
		for s in "${sources[@]}" "$sources_default"; do
			if grep -qE "^\.Cm( .*)? $s( |$)" "$MAN_WHO"; then
				pass "man/nspect-who.1 names source $s"
			else
				fail "man/nspect-who.1 does not name source $s (no '.Cm ... $s' line)"
			fi
		done
	fi
fi

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
	for page in "$MAN_MAIN" "$TOP_SRCDIR"/man/nspect-*.1; do
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
check_eq "completion of 'nspect list --tree='" "process owner parent" "$(xargs <<<"$reply")"
reply=$(complete_words nspect list -T o)
check_eq "completion of 'nspect list -T o'" owner "$reply"
reply=$(complete_words nspect tree -T "")
check_eq "completion of 'nspect tree -T '" "owner parent" "$(xargs <<<"$reply")"
reply=$(complete_words nspect list --sort -NP)
check_eq "completion of 'nspect list --sort -NP'" -NPROCS "$reply"
# an option's argument is not a positional: the inode comes after it
reply=$(complete_words nspect list -o NS "")
expect_completion "nspect list -o NS " "$(ns_inode $$ net)" "$reply"
reply=$(complete_words nspect show "")
expect_completion "nspect show " "$$" "$reply"
reply=$(complete_words nspect show 1 2 "")
check_eq "completion of 'nspect show 1 2 ' (two pids at most)" "" "$reply"
reply=$(complete_words nspect enter -t "")
expect_completion "nspect enter -t " "$$" "$reply"
reply=$(complete_words nspect enter --ns "")
expect_completion "nspect enter --ns " "$(ns_inode $$ net)" "$reply"
reply=$(complete_words nspect enter -t 1 -n hostnam)
expect_completion "nspect enter -t 1 -n hostnam (the program)" hostname "$reply"
reply=$(complete_words nspect enter -t 1 -n -- -)
check_eq "completion of 'nspect enter -t 1 -n -- -' (after --, no option)" "" "$reply"
reply=$(complete_words nspect list -p "")
expect_completion "nspect list -p " "$$" "$reply"

# every source, and the default, after --sources of list and of who
reply_list=$(complete_words nspect list --sources "")
reply_eq=$(complete_words nspect list --sources = "")
reply_who=$(complete_words nspect who --sources "")
for s in "${sources[@]}" "$sources_default"; do
	expect_completion "nspect list --sources " "$s" "$reply_list"
	expect_completion "nspect list --sources=" "$s" "$reply_eq"
	if has --sources "$(tr ' ' '\n' <<<"${options_of[who]-}")"; then
		expect_completion "nspect who --sources " "$s" "$reply_who"
	fi
done
if [ "${#sources[@]}" -ge 2 ]; then
	reply=$(complete_words nspect list --sources "${sources[0]},${sources[1]:0:1}")
	expect_completion "nspect list --sources ${sources[0]},${sources[1]:0:1}" "${sources[0]},${sources[1]}" "$reply"
fi

reply=$(complete_words nspect "")
for c in "${commands[@]}"; do
	expect_completion "nspect " "$c" "$reply"
done

# every option of every command after "nspect CMD", and those of list as
# the first word too
reply_first=$(complete_words nspect -)
for c in "${commands[@]}"; do
	[ "$c" = help ] && continue
	reply=$(complete_words nspect "$c" -)
	for o in ${options_of[$c]}; do
		if has "$o" "$reply"; then
			pass "completions/nspect offers option $o after 'nspect $c'"
		else
			fail "completions/nspect does not offer option $o after 'nspect $c'"
		fi
	done
done
for o in "${list_options[@]}"; do
	if has "$o" "$reply_first"; then
		pass "completions/nspect offers option $o as the first word"
	else
		fail "completions/nspect does not offer option $o as the first word ('nspect $o' is 'nspect list $o')"
	fi
done

# the namespace argument of who: the inodes nspect list shows
own_net=$(ns_inode $$ net)
reply=$(complete_words nspect who "${own_net:0:6}")
expect_completion "nspect who ${own_net:0:6}" "$own_net" "$reply"
reply=$(complete_words nspect who --sources procs "")
expect_completion "nspect who --sources procs " "$own_net" "$reply"
reply=$(complete_words nspect who "$own_net" "")
check_eq "completion of 'nspect who $own_net ' (nothing after the namespace)" "" "$reply"

finish
