/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <string.h>

#include "kernel.h"
#include "nstype.h"

const struct nstype_info nstype_table[NSTYPE_COUNT] = {
	[NSTYPE_CGROUP] = { "cgroup", CLONE_NEWCGROUP, 0, NSPECT_PIDFD_GET_CGROUP_NAMESPACE, 'C', "cgroup" },
	[NSTYPE_IPC]    = { "ipc",    CLONE_NEWIPC,    0, NSPECT_PIDFD_GET_IPC_NAMESPACE,    'i', "ipc" },
	[NSTYPE_MNT]    = { "mnt",    CLONE_NEWNS,     0, NSPECT_PIDFD_GET_MNT_NAMESPACE,    'm', "mount" },
	[NSTYPE_NET]    = { "net",    CLONE_NEWNET,    0, NSPECT_PIDFD_GET_NET_NAMESPACE,    'n', "net" },
	[NSTYPE_PID]    = { "pid",    CLONE_NEWPID,    1, NSPECT_PIDFD_GET_PID_NAMESPACE,    'p', "pid" },
	[NSTYPE_TIME]   = { "time",   CLONE_NEWTIME,   0, NSPECT_PIDFD_GET_TIME_NAMESPACE,   'T', "time" },
	[NSTYPE_USER]   = { "user",   CLONE_NEWUSER,   1, NSPECT_PIDFD_GET_USER_NAMESPACE,   'U', "user" },
	[NSTYPE_UTS]    = { "uts",    CLONE_NEWUTS,    0, NSPECT_PIDFD_GET_UTS_NAMESPACE,    'u', "uts" },
};

int nstype_from_name_len(const char *name, unsigned long len)
{
	for (int t = 0; t < NSTYPE_COUNT; t++)
		if (strlen(nstype_table[t].name) == len &&
		    memcmp(nstype_table[t].name, name, len) == 0)
			return t;
	return -EINVAL;
}

int nstype_from_name(const char *name)
{
	return nstype_from_name_len(name, strlen(name));
}

int nstype_from_clone_flag(unsigned long flag)
{
	for (int t = 0; t < NSTYPE_COUNT; t++)
		if (nstype_table[t].clone_flag == flag)
			return t;
	return -EINVAL;
}
