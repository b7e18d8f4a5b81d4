/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Optional facts about one namespace, read through one of its processes (or
 * an fd to it) only when a column asks: id maps, the root of a mount
 * namespace, a uts namespace's hostname, time offsets, nested pids.
 * Each returns a malloc'd string, or NULL when the fact is not available
 * (no process, no permission, an older kernel): never a guess.
 */
#ifndef NSPECT_ENRICH_H
#define NSPECT_ENRICH_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* which: "uid_map" or "gid_map"; full: one "inside outside count" per line. */
char *enrich_idmap(int procfd, pid_t pid, const char *which, bool full);

/* "SOURCE[ROOT] FSTYPE [LABEL=..] [UUID=..]" of the mount at / as pid sees it. */
char *enrich_mntroot(int procfd, pid_t pid);

/* The hostname of the uts namespace open at nsfd, read by a child that joins it. */
char *enrich_hostname(int nsfd);

/*
 * "monotonic=+0s,boottime=0s" of time namespace ino: read by a child that
 * joins nsfd (root), else from pid's /proc entry when that shows ino.
 */
char *enrich_timens(int procfd, pid_t pid, int nsfd, uint64_t ino);

/* pid in each of its pid namespaces, outermost first, separated by sep. */
char *enrich_nspid(int procfd, pid_t pid, const char *sep);

#endif
