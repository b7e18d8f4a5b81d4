/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Discovery sources: each fills the model from a /proc tree opened by the
 * caller (everything is *at()-relative, so tests can point it at any tree).
 */
#ifndef NSPECT_SCAN_H
#define NSPECT_SCAN_H

#include <errno.h>

#include "nsdb.h"

/* Where namespaces are found: the one table of discovery sources. */
enum scan_source {
	SRC_PROCS,     /* /proc/PID/ns */
	SRC_THREADS,   /* /proc/PID/task/TID/ns of threads that left their process's */
	SRC_FDS,       /* /proc/PID/fd/N that are nsfs files */
	SRC_SOCKETS,   /* sockets in another net namespace than their process (pidfd_getfd) */
	SRC_MOUNTS,    /* nsfs bind mounts in every mount namespace */
	SRC_ANCESTORS, /* owners and parents no one else holds (NS_GET_USERNS, NS_GET_PARENT) */
	SRC_LISTNS,    /* the kernel's own list of active namespaces (listns, 6.19+) */
	SRC_COUNT
};

#define SRC_ALL_MASK ((1u << SRC_COUNT) - 1)
#define SRC_DEFAULT_MASK SRC_ALL_MASK

struct scan_source_info {
	const char *name;
	const char *help;
};
extern const struct scan_source_info scan_sources[SRC_COUNT];

/*
 * Parse a comma-separated list of source names ("all" for every one) into a
 * mask.  -EINVAL with *ret_bad a malloc'd copy of the unknown name.
 */
int scan_parse_sources(const char *list, unsigned *ret_mask, char **ret_bad);

struct scan_stats {
	unsigned denied;     /* processes whose namespace links we may not read */
	unsigned vanished;   /* processes that exited (or were zombies) while we looked */
	unsigned fds_denied; /* processes whose fds we may not read */
	unsigned mounts_fallback; /* 1 when mounts came from mountinfo, not listmount */
	unsigned mntns_denied;    /* mount namespaces whose mounts we could not read */
};

/*
 * Every process in /proc: its namespace links of the types in typemask
 * (bits of enum nstype), and, as sources asks, its threads, fds and socket
 * fds.  Processes that exit during the scan are skipped; ones we may not
 * inspect are counted in stats.  The per-process work is split over threads
 * (NSPECT_SCAN_THREADS overrides how many).  Ends with nsdb_index().
 * Returns 0 or a negative errno for failures of the scan itself.
 */
int scan_procs(struct nsdb *db, int procfd, unsigned typemask, unsigned sources, struct scan_stats *stats);

/*
 * Read the namespace links of one process (or thread id) into *ret.
 * -ENOENT/-ESRCH: it is gone (or a zombie); -EACCES: its links are hidden from us.
 */
int scan_proc_ns(int procfd, pid_t pid, unsigned typemask, struct nsdb_proc *ret);

/*
 * Load uid, ppid and comm of p on first use.  Returns false when the process
 * exited since the scan (the fields then stay empty).
 */
bool scan_proc_info(int procfd, struct nsdb_proc *p);

/* The container p is in (from /proc/PID/cgroup), loaded on first use; NULL when none. */
const struct container_info *scan_container(int procfd, struct nsdb_proc *p);

/* The escaped command line of p, loaded on first use (falls back to comm). */
const char *scan_cmdline(int procfd, struct nsdb_proc *p);

/* True for the errors that mean "this process is gone", tolerated everywhere. */
static inline int scan_errno_vanished(int err)
{
	return err == -ENOENT || err == -ESRCH;
}

/* True for the errors that mean "not allowed to look". */
static inline int scan_errno_denied(int err)
{
	return err == -EACCES || err == -EPERM;
}

#endif
