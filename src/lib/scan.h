/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Discovery sources: each fills the model from a /proc tree opened by the
 * caller (everything is *at()-relative, so tests can point it at any tree).
 */
#ifndef NSPECT_SCAN_H
#define NSPECT_SCAN_H

#include <errno.h>

#include "nsdb.h"

struct scan_stats {
	unsigned denied;   /* processes whose namespace links we may not read */
	unsigned vanished; /* processes that exited (or were zombies) while we looked */
};

/*
 * Every process in /proc: its namespace links of the types in typemask
 * (bits of enum nstype).  Processes that exit during the scan are skipped;
 * ones we may not inspect are counted in stats.  The per-process work is
 * split over threads (NSPECT_SCAN_THREADS overrides how many).  Returns 0
 * or a negative errno for failures of the scan itself.
 */
int scan_procs(struct nsdb *db, int procfd, unsigned typemask, struct scan_stats *stats);

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
