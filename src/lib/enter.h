/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Joining namespaces: pin the target, take its namespace fds, join them (one
 * atomic setns(pidfd, mask) where possible, else per fd in two passes), set
 * credentials.  No printing: every function returns 0 or -errno.
 */
#ifndef NSPECT_ENTER_H
#define NSPECT_ENTER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "nstype.h"

struct enter_ns {
	bool wanted;
	bool skipped;      /* the caller's own user namespace: setns would refuse it */
	bool from_target;  /* the target's own: setns(pidfd) can join it */
	int fd;            /* O_CLOEXEC namespace fd, or -1 */
	uint64_t ino;
};

struct enter_plan {
	pid_t pid;         /* target, 0 for none */
	int pidfd;         /* pinned target, or -1 */
	struct enter_ns ns[NSTYPE_COUNT];
	bool via_proc;     /* the last enter_target_ns fell back to /proc */
};

void enter_plan_init(struct enter_plan *p);
void enter_plan_close(struct enter_plan *p);

/* Pin pid with a pidfd.  -ESRCH when there is no such process. */
int enter_pin(struct enter_plan *p, pid_t pid);

/* True unless NSPECT_ENTER_NO_PIDFD=1 (tests force the per-fd path with it). */
bool enter_pidfd_allowed(void);

/*
 * The target's namespace of type t: from the pidfd (PIDFD_GET_*_NAMESPACE,
 * 6.11) or else /proc/PID/ns/TYPE, whose process is then checked to be the
 * pinned one (enter_check_alive).  -ENOENT: this kernel lacks the type.
 */
int enter_target_ns(struct enter_plan *p, int procfd, enum nstype t, int *ret_fd);

/* Whether enter_join will join in one setns(pidfd) call: the pidfd path is
 * allowed and every namespace to join is the target's own. */
bool enter_joins_by_pidfd(const struct enter_plan *p);

/* -ESRCH when the pinned target died (so /proc answers may be another process's). */
int enter_check_alive(const struct enter_plan *p);

/*
 * What namespace fd is: its type and inode.  -ENOTTY: not a namespace file.
 */
int enter_fd_info(int fd, enum nstype *ret_type, uint64_t *ret_ino);

/*
 * Join every wanted, not skipped namespace.  With use_pidfd and all of them
 * the target's, one atomic setns(pidfd, mask).  Otherwise per fd, user
 * namespace first when unprivileged (gaining rights) and last as root
 * (dropping them), then a second pass for the ones refused in the first.
 * On failure *ret_failed is the type that could not be joined (-1 when the
 * atomic call failed and nothing was joined).
 */
int enter_join(struct enter_plan *p, bool use_pidfd, bool unprivileged, int *ret_failed);

/* setgroups(none), setgid, setuid; set_groups false leaves the groups (user ns with setgroups denied). */
int enter_set_creds(uid_t uid, gid_t gid, bool set_groups);

/* Keep the capabilities we hold across exec (permitted -> inheritable -> ambient). */
int enter_keep_caps(void);

#endif
