#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nspect tells containers apart by their cgroup paths alone.  Each engine's
# layout is made here for real, under a cgroup of our own (nspect-test-PID)
# on the cgroup2 mount (or on one mounted here when there is none): cgroups
# named the way Docker (systemd and cgroupfs drivers), Podman (both drivers,
# with its conmon monitor), containerd and CRI-O under Kubernetes pod
# slices, Kubernetes on cgroupfs, LXC (v2 payload with its monitor, and the
# old lxc/NAME), systemd-nspawn (as machine-NAME.scope, with systemd's \x2d
# escaping, and as systemd-nspawn@NAME.service with its supervisor) and a
# plain systemd service name them.  A process in new uts and net namespaces
# is moved into each; then the CONTAINER, CONTAINERID and POD columns of its
# uts namespace (raw, -p, JSON, filters) are compared with what was put in
# the path, and enter --container (id prefix, full id, engine:id, name) is
# checked to run a program in that process's namespaces; then ambiguous
# prefixes, a whole name that prefixes another, unknown ids, services,
# --dry-run (which process is the init), --join-cgroup and a container whose
# process is gone.
source "$TOP_SRCDIR/tests/integration/lib.sh"
need_root

TMP=$(mktemp -d /tmp/nspect-containers.XXXXXX)
on_exit "rm -rf '$TMP'"
MARKER=$TMP/marker

# die MESSAGE: a fixture could not be made: a hard error, not a test failure
die() {
	echo "ERROR: $*"
	exit 99
}

# shellcheck disable=SC2317 # called through wait_for
gone() {
	[ ! -e "/proc/$1" ]
}

# shellcheck disable=SC2317 # called through wait_for
has_child() {
	[ -n "$(first_child "$1")" ]
}

# hex N: N random lower-case hex digits
hex() {
	od -An -N$((($1 + 1) / 2)) -tx1 /dev/urandom | tr -d ' \n' | cut -c1-"$1"
}

# --- the cgroup2 hierarchy -----------------------------------------------------------

TOP=nspect-test-$$

# the mount point of the first cgroup2 mount (field 5, octal-escaped; the
# fs type follows the "-" that ends the optional fields)
CG2=$(awk '{ for (i = 7; i <= NF; i++) if ($i == "-") { if ($(i + 1) == "cgroup2") { print $5; exit } break } }' \
	/proc/self/mountinfo)
[ -z "$CG2" ] || CG2=$(printf '%b' "$CG2")
CG2_READONLY=0
if [ -n "$CG2" ] && mkdir "$CG2/$TOP" 2>/dev/null; then
	echo "# cgroup2 is mounted on $CG2"
else
	# none, or a read-only one (as in some containers): mount one of our own
	[ -z "$CG2" ] || CG2_READONLY=1
	CG2=$(mktemp -d /tmp/nspect-cgroup2.XXXXXX)
	on_exit "rmdir '$CG2'"
	mount -t cgroup2 cgroup2 "$CG2" || die "cannot mount cgroup2 on $CG2"
	on_exit "umount '$CG2'"
	mkdir "$CG2/$TOP" || die "cannot make a cgroup in $CG2"
	echo "# mounted cgroup2 on $CG2"
fi
TOPDIR=$CG2/$TOP

# sweep_cgroups: the safety net behind the cleanups registered one by one:
# kill whatever is left in our cgroups (only our processes are there) and
# remove them deepest first, a cgroup going only once it is empty
# shellcheck disable=SC2317 # called through on_exit
sweep_cgroups() {
	local f pid tries=0
	[ -d "$TOPDIR" ] || return 0
	while IFS= read -r f; do
		while read -r pid; do
			kill -KILL "$pid"
		done <"$f"
	done < <(find "$TOPDIR" -name cgroup.procs)
	while [ -d "$TOPDIR" ] && [ "$tries" -lt 100 ]; do
		find "$TOPDIR" -depth -type d -exec rmdir {} + 2>/dev/null
		[ -d "$TOPDIR" ] && sleep 0.05
		tries=$((tries + 1))
	done
}

on_exit sweep_cgroups
on_exit "rmdir '$TOPDIR'"

# mkcg REL: make the cgroup TOPDIR/REL and those above it that are missing;
# each is removed at exit, deepest (newest) first
mkcg() {
	local path=$TOPDIR part parts
	IFS=/ read -ra parts <<<"$1"
	for part in "${parts[@]}"; do
		path=$path/$part
		[ -d "$path" ] && continue
		mkdir "$path" || die "cannot make the cgroup $path"
		on_exit "rmdir '$path'"
	done
}

# move PID REL: put PID into the cgroup TOPDIR/REL, and make sure the
# kernel now names that cgroup in /proc/PID/cgroup
move() {
	echo "$1" >"$TOPDIR/$2/cgroup.procs" || die "cannot move $1 into $TOPDIR/$2"
	local now
	now=$(sed -n 's/^0:://p' "/proc/$1/cgroup")
	[[ $now == */"$TOP/$2" ]] || die "process $1 is in '$now', not in '$TOP/$2'"
}

# stop_init PID: kill the children PID has now, and let PID (a shell in
# "wait") reap them, then kill and reap PID: a child orphaned would be left
# to init, and one not yet known when the test is interrupted would live on
# shellcheck disable=SC2317 # called through on_exit
stop_init() {
	local c kids=()
	read -ra kids <"/proc/$1/task/$1/children" 2>/dev/null
	for c in "${kids[@]}"; do
		kill -KILL "$c"
		wait_for gone "$c"
	done
	kill -KILL "$1"
	wait "$1"
}

# --- the containers --------------------------------------------------------------------

declare -A CPID UTS REL ENGINE ID POD

# container NAME REL ENGINE ID [POD]: a process in new uts and net namespaces
# in the cgroup REL, where nspect should see ENGINE, ID and POD
container() {
	local p
	mkcg "$2"
	spawn_ns p --uts --net
	is_sleep "$p" || die "the process for $1 did not start"
	move "$p" "$2"
	CPID[$1]=$p
	UTS[$1]=$(ns_inode "$p" uts)
	REL[$1]=$2
	ENGINE[$1]=$3
	ID[$1]=$4
	POD[$1]=${5-}
}

# monitor REL: an engine's helper (conmon, lxc monitor) in our namespaces
monitor() {
	local m
	mkcg "$1"
	sleep 100000 &
	m=$!
	on_exit "kill -KILL $m; wait $m"
	move "$m" "$1"
}

# two Docker ids sharing their first 16 digits (then "a" and "b")
SHARED=$(hex 16)
ID_DOCKER=${SHARED}a$(hex 47)
ID_DOCKERFS=${SHARED}b$(hex 47)
POD_CONTAINERD=$(cat /proc/sys/kernel/random/uuid)
POD_CRIO=$(cat /proc/sys/kernel/random/uuid)
POD_KUBE=$(cat /proc/sys/kernel/random/uuid)
ID_CONTAINERD=$(hex 64)
ID_CRIO=$(hex 64)
ID_KUBE=$(hex 64)
ID_PODMAN=$(hex 64)
ID_PODMANFS=$(hex 64)
# names: "nsp<pid>-w-" is shared by an lxc and an nspawn container, "nsp<pid>-old"
# is the whole name of one lxc container and a prefix of another's
LXC_NAME=nsp$$-w-lxc
NSPAWN_NAME=nsp$$-w-box
LXC_OLD=nsp$$-old
LXC_OLD2=nsp$$-old2
NSPAWN_SVC=nsp$$-svc
SERVICE=nsp$$-api.service

# Docker, systemd cgroup driver: its init process has a child, in the same
# namespaces, so that the container has two processes and one init
REL[docker]=system.slice/docker-$ID_DOCKER.scope
mkcg "${REL[docker]}"
unshare --uts --net sh -c 'sleep 100000 & wait' &
DOCKER_INIT=$!
on_exit "stop_init $DOCKER_INIT"
wait_for has_child "$DOCKER_INIT" || die "the docker init did not fork"
DOCKER_CHILD=$(first_child "$DOCKER_INIT")
wait_for is_sleep "$DOCKER_CHILD" || die "the docker child did not start"
move "$DOCKER_INIT" "${REL[docker]}"
move "$DOCKER_CHILD" "${REL[docker]}"
CPID[docker]=$DOCKER_INIT UTS[docker]=$(ns_inode "$DOCKER_INIT" uts) ENGINE[docker]=docker ID[docker]=$ID_DOCKER POD[docker]=

container dockerfs "docker/$ID_DOCKERFS" docker "$ID_DOCKERFS"
monitor "machine.slice/libpod-conmon-$ID_PODMAN.scope"
container podman "machine.slice/libpod-$ID_PODMAN.scope" podman "$ID_PODMAN"
container podmanfs "libpod_parent/libpod-$ID_PODMANFS" podman "$ID_PODMANFS"
container containerd "kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${POD_CONTAINERD//-/_}.slice/cri-containerd-$ID_CONTAINERD.scope" \
	containerd "$ID_CONTAINERD" "$POD_CONTAINERD"
container crio "kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${POD_CRIO//-/_}.slice/crio-$ID_CRIO.scope" \
	cri-o "$ID_CRIO" "$POD_CRIO"
container kube "kubepods/besteffort/pod$POD_KUBE/$ID_KUBE" kubernetes "$ID_KUBE" "$POD_KUBE"
monitor "lxc.monitor.$LXC_NAME"
container lxc "lxc.payload.$LXC_NAME" lxc "$LXC_NAME"
container lxcfs "lxc/$LXC_OLD" lxc "$LXC_OLD"
container lxcfs2 "lxc/$LXC_OLD2" lxc "$LXC_OLD2"
# systemd-nspawn run as a scope (systemd-nspawn -M): systemd escapes the '-'
# of a machine name in the scope's name; nspawn puts its payload one below
container nspawn "machine.slice/machine-${NSPAWN_NAME//-/\\x2d}.scope/payload" nspawn "$NSPAWN_NAME"

# systemd-nspawn run as systemd-nspawn@NAME.service (machinectl start, with
# --keep-unit; the name is not escaped there): the service's cgroup has
# "supervisor", with systemd-nspawn itself in the host's namespaces, and
# "payload", with the container, whose init is systemd-nspawn's child
NSPAWN_UNIT=machine.slice/systemd-nspawn@$NSPAWN_SVC.service
REL[nspawnsvc]=$NSPAWN_UNIT/payload
mkcg "$NSPAWN_UNIT/supervisor"
mkcg "${REL[nspawnsvc]}"
sh -c 'unshare --uts --net sleep 100000 & wait' &
NSPAWN_SUPERVISOR=$!
on_exit "stop_init $NSPAWN_SUPERVISOR"
wait_for has_child "$NSPAWN_SUPERVISOR" || die "the nspawn supervisor did not fork"
NSPAWN_PAYLOAD=$(first_child "$NSPAWN_SUPERVISOR")
wait_for is_sleep "$NSPAWN_PAYLOAD" || die "the nspawn payload did not start"
move "$NSPAWN_SUPERVISOR" "$NSPAWN_UNIT/supervisor"
move "$NSPAWN_PAYLOAD" "${REL[nspawnsvc]}"
CPID[nspawnsvc]=$NSPAWN_PAYLOAD UTS[nspawnsvc]=$(ns_inode "$NSPAWN_PAYLOAD" uts) ENGINE[nspawnsvc]=nspawn ID[nspawnsvc]=$NSPAWN_SVC POD[nspawnsvc]=

container service "system.slice/$SERVICE" systemd "$SERVICE"
container session "user.slice/user-0.slice/session-1.scope" "" ""

CONTAINERS="docker dockerfs podman podmanfs containerd crio kube lxc lxcfs lxcfs2 nspawn nspawnsvc"

# expect NAME: set E_LABEL, E_CID and E_POD to the CONTAINER, CONTAINERID
# and POD nspect should show for NAME, from what was put in its cgroup path
expect() {
	local n=$1 id=${ID[$1]}
	E_LABEL='' E_CID='' E_POD=${POD[$1]}
	[ -n "${ENGINE[$n]}" ] || return 0
	if [[ $id =~ ^[0-9a-f]{64}$ ]]; then
		E_LABEL=${ENGINE[$n]}:${id:0:12}
	else
		E_LABEL=${ENGINE[$n]}:$id
	fi
	# a service is only a label, not a container with an id
	[ "$n" = service ] || E_CID=$id
}

# expected_row NAME: "NS PID CONTAINER CONTAINERID POD" as nspect -r should
# print it for NAME's uts namespace (empty cells empty)
expected_row() {
	expect "$1"
	echo "${UTS[$1]} ${CPID[$1]} $E_LABEL $E_CID $E_POD"
}

NL=$'\n'

# --- list: the CONTAINER, CONTAINERID and POD columns --------------------------------------

COLS=NS,PID,CONTAINER,CONTAINERID,POD
rc=0
"$NSPECT" list -r -n -o "$COLS" -t uts >"$TMP/list" 2>"$TMP/list.err" || rc=$?
check_eq "list -t uts: exit status" 0 "$rc"
for n in $CONTAINERS service session; do
	check_eq "list -t uts: the row of $n (${REL[$n]})" "$(expected_row "$n")" \
		"$(awk -v ns="${UTS[$n]}" '$1 == ns' "$TMP/list")"
	rc=0
	row=$("$NSPECT" list -r -n -o "$COLS" -t uts -p "${CPID[$n]}" 2>/dev/null) || rc=$?
	check_eq "list -t uts -p: the row of $n" "0 $(expected_row "$n")" "$rc $row"
done

# the docker init's child: the same namespace (whose PID is the lower of
# the two), the same container
rc=0
row=$("$NSPECT" list -r -n -o NS,PID,CONTAINERID -p "$DOCKER_CHILD" -t uts 2>/dev/null) || rc=$?
check_eq "list -p: the docker init's child is in the same namespace and container" \
	"0 ${UTS[docker]} $((DOCKER_INIT < DOCKER_CHILD ? DOCKER_INIT : DOCKER_CHILD)) $ID_DOCKER" "$rc $row"

# json_row NAME: the JSON object nspect -J should give for NAME's uts
# namespace, keys sorted (empty cells are null)
json_row() {
	expect "$1"
	jq -cSn --argjson ns "${UTS[$1]}" --argjson pid "${CPID[$1]}" \
		--arg lab "$E_LABEL" --arg cid "$E_CID" --arg pod "$E_POD" \
		'{ns: $ns, pid: $pid, container: $lab, containerid: $cid, pod: $pod}
		 | map_values(if . == "" then null else . end)'
}
for n in containerd lxc service session; do
	got=$("$NSPECT" list -J -o "$COLS" -t uts -p "${CPID[$n]}" 2>/dev/null | jq -cS '.namespaces' 2>&1)
	check_eq "list -J: $n" "[$(json_row "$n")]" "$got"
done

# filters on the new columns
got=$("$NSPECT" list -r -n -o NS -t uts -Q "CONTAINERID == \"$ID_CRIO\"" 2>/dev/null)
check_eq "list -Q CONTAINERID == <the cri-o id>" "${UTS[crio]}" "$got"
got=$("$NSPECT" list -r -n -o NS -t uts -Q "POD == \"$POD_KUBE\"" 2>/dev/null)
check_eq "list -Q POD == <the cgroupfs pod uid>" "${UTS[kube]}" "$got"
# (the label has 12 digits of the id: those of the shared prefix)
got=$("$NSPECT" list -r -n -o NS -t uts -Q "CONTAINER =~ \"^docker:${SHARED:0:12}\$\"" 2>/dev/null | sort)
check_eq "list -Q CONTAINER =~ ^docker:<shared prefix>$" \
	"$(printf '%s\n' "${UTS[docker]}" "${UTS[dockerfs]}" | sort)" "$got"

# --- enter --container ---------------------------------------------------------------------

# enter ARGS...: run nspect enter with stdin from /dev/null; stdout in $out,
# stderr in $err, exit status in $rc
enter() {
	rc=0
	out=$("$NSPECT" enter "$@" </dev/null 2>"$TMP/err") || rc=$?
	err=$(cat "$TMP/err")
}

# namespaces_of PID: what readlink says of PID's uts and net namespaces
namespaces_of() {
	readlink "/proc/$1/ns/uts" "/proc/$1/ns/net"
}

# entered NAME ARG: enter --container ARG runs its program in the uts and
# net namespaces of NAME's process
entered() {
	enter --container "$2" -- readlink /proc/self/ns/uts /proc/self/ns/net
	check_eq "enter --container $2 ($1): exit status" 0 "$rc"
	check_eq "enter --container $2 ($1): its uts and net namespaces" "$(namespaces_of "${CPID[$1]}")" "$out"
}

entered docker "${ID_DOCKER:0:17}"
entered docker "docker:${ID_DOCKER:0:17}"
entered dockerfs "$ID_DOCKERFS"
entered podman "${ID_PODMAN:0:12}"
entered podman "podman:$ID_PODMAN"
entered podmanfs "podman:${ID_PODMANFS:0:12}"
entered containerd "${ID_CONTAINERD:0:12}"
entered containerd "containerd:$ID_CONTAINERD"
entered crio "$ID_CRIO"
entered crio "cri-o:${ID_CRIO:0:12}"
entered kube "${ID_KUBE:0:12}"
entered kube "kubernetes:${ID_KUBE:0:12}"
entered lxc "$LXC_NAME"
entered lxc "lxc:$LXC_NAME"
entered lxcfs2 "$LXC_OLD2"
entered lxcfs2 "lxc:$LXC_OLD2"
# a whole name is that container's, even when another's name begins with it
entered lxcfs "$LXC_OLD"
entered lxcfs "lxc:$LXC_OLD"
entered nspawn "$NSPAWN_NAME"
entered nspawn "nspawn:$NSPAWN_NAME"
# the payload, not systemd-nspawn (the lowest pid whose parent is outside)
entered nspawnsvc "$NSPAWN_SVC"
entered nspawnsvc "nspawn:$NSPAWN_SVC"

# only the namespaces named
enter --container "${ID_CRIO:0:12}" --uts -- readlink /proc/self/ns/uts /proc/self/ns/net
check_eq "enter --container --uts: exit status" 0 "$rc"
check_eq "enter --container --uts: its uts namespace, our net namespace" \
	"$(readlink "/proc/${CPID[crio]}/ns/uts" /proc/self/ns/net)" "$out"

# --join-cgroup: the program runs in the container's cgroup too (through
# the first cgroup2 mount, so not when that one is read-only)
if [ "$CG2_READONLY" = 1 ]; then
	echo "# enter --container -c not checked: the cgroup2 mount is read-only"
else
	enter --container "${ID_CONTAINERD:0:12}" --join-cgroup -- cat /proc/self/cgroup
	check_eq "enter --container -c: exit status" 0 "$rc"
	check_match "enter --container -c: the program is in the container's cgroup" \
		"(^|$NL)0::.*/$TOP/${REL[containerd]}($NL|$)" "$out"
fi

# --dry-run: the init process is the one whose parent is outside the container
enter --container "docker:${ID_DOCKER:0:17}" --dry-run -- touch "$MARKER"
check_eq "enter --container --dry-run: exit status" 0 "$rc"
check_match "enter --container --dry-run: uts of the init process $DOCKER_INIT" \
	"(^|$NL)uts +$(ns_inode "$DOCKER_INIT" uts) +process $DOCKER_INIT( |$NL|$)" "$out"
check_match "enter --container --dry-run: net of the init process $DOCKER_INIT" \
	"(^|$NL)net +$(ns_inode "$DOCKER_INIT" net) +process $DOCKER_INIT( |$NL|$)" "$out"
if [ -e "$MARKER" ]; then
	fail "enter --container --dry-run: the program ran"
else
	pass "enter --container --dry-run: nothing ran"
fi

# refused WHAT ARGS...: nspect enter ARGS (whose program touches $MARKER)
# exits 1 and runs nothing
refused() {
	local what=$1
	shift
	rm -f "$MARKER"
	enter "$@" -- touch "$MARKER"
	check_eq "$what: exit status" 1 "$rc"
	if [ -e "$MARKER" ]; then
		fail "$what: the program ran"
	else
		pass "$what: nothing ran"
	fi
}

# ambiguous ARG CANDIDATE...: ARG names several containers: refused, with
# each candidate listed once on stderr
ambiguous() {
	local arg=$1
	shift
	refused "enter --container $arg (ambiguous)" --container "$arg"
	check_eq "enter --container $arg: the message" "nspect enter: '$arg' matches several containers:" \
		"$(head -n1 <<<"$err")"
	check_eq "enter --container $arg: the candidates" "$(printf '  %s\n' "$@" | sort)" \
		"$(tail -n+2 <<<"$err" | sort)"
}

ambiguous "$SHARED" "docker:$ID_DOCKER" "docker:$ID_DOCKERFS"
ambiguous "docker:$SHARED" "docker:$ID_DOCKER" "docker:$ID_DOCKERFS"
# across engines; the lxc monitor is no candidate
ambiguous "nsp$$-w-" "lxc:$LXC_NAME" "nspawn:$NSPAWN_NAME"
ambiguous "lxc:nsp$$-ol" "lxc:$LXC_OLD" "lxc:$LXC_OLD2"

# unmatched ARG: ARG names no container: refused, with one line
unmatched() {
	refused "enter --container $1 (no such container)" --container "$1"
	check_match "enter --container $1: one line naming it" "^nspect enter: [^$NL]*'$1'\$" "$err"
}

unmatched "$(hex 64)"
unmatched "podman:${ID_DOCKER:0:17}"
unmatched "lxc:$NSPAWN_NAME"
unmatched "$SERVICE"
unmatched "docker:"

refused "enter --container with --target" --container "$ID_CRIO" --target "${CPID[crio]}"
check_match "enter --container with --target: the message" "^nspect enter: .*mutually exclusive" "$err"

# a container whose process is gone is no longer found
{ kill -KILL "${CPID[kube]}"; wait "${CPID[kube]}"; } 2>/dev/null
unmatched "${ID_KUBE:0:12}"

finish
