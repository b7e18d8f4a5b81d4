/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One process's namespaces, owners and pids, read while the process is pinned. */
#ifndef NSPECT_PROCVIEW_H
#define NSPECT_PROCVIEW_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "nstype.h"
#include "procfs.h"

#define PROCVIEW_MAX_LEVELS 64 /* pid namespaces nest 32 deep at most */

struct procview_ns {
	uint64_t ino;      /* 0 when it could not be read */
	int err;           /* why not: -EACCES, -ENOENT (type missing in this kernel) */
	uint64_t owner;    /* owning user namespace, 0 when not visible */
	bool has_owner_uid;
	uid_t owner_uid;   /* creator of the owning user namespace (its own, for user) */
};

struct procview {
	pid_t pid;
	char comm[PROCFS_COMM_MAX + 1];
	struct procview_ns ns[NSTYPE_COUNT];
	pid_t nspid[PROCVIEW_MAX_LEVELS]; /* pid in each pid namespace, outermost first */
	size_t nnspid;
};

/*
 * Read pid's namespaces through a pidfd taken first, and check at the end
 * that the same process is still alive, so what is returned is one
 * process's.  -ESRCH: no such process, or it exited (or is a zombie);
 * -EACCES: none of its namespaces may be read by us.
 */
int procview_read(int procfd, pid_t pid, struct procview *ret);

#endif
