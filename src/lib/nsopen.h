/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Opening namespace files through paths and fds that other users control.
 *
 * A bind-mount point, a file under /proc/PID/root, a path given with
 * --ns FILE, an fd of another process: any of them can be swapped for a
 * FIFO (an open() that blocks forever), a device, a huge file or a symlink
 * that leads out of its owner's tree.  So every such open here:
 *   1. never blocks and never reads: O_PATH first (or pidfd_getfd, which
 *      duplicates and does not open);
 *   2. resolves a path inside the root it belongs to (openat2 with
 *      RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS), never against ours;
 *   3. checks that what it got is an nsfs file (fstatfs NSFS_MAGIC) of the
 *      expected inode, and only then
 *   4. reopens it readable (through /proc/self/fd), for ioctls and setns.
 * What is trusted and why is written down in docs/errors.md.
 *
 * Every function returns an O_CLOEXEC fd or a negative errno:
 *   -ENOTTY  not a namespace file (a FIFO, a directory, a device...)
 *   -ESTALE  a namespace file, but not the inode asked for
 *   -ELOOP   a symlink where none may be, or a magic link
 *   others   as the kernel said (-ENOENT, -EACCES, -ESRCH...)
 */
#ifndef NSPECT_NSOPEN_H
#define NSPECT_NSOPEN_H

#include <stdint.h>
#include <sys/types.h>

#include "nstype.h"

/*
 * Is fd (of any mode, O_PATH too) an nsfs file, and, with ino != 0, that
 * inode?  0, -ENOTTY or -ESTALE.
 */
int nsopen_check(int fd, uint64_t ino);

/* Type and inode of a readable namespace fd.  -ENOTTY when it is not one. */
int nsopen_identify(int fd, enum nstype *ret_type, uint64_t *ret_ino);

/*
 * Reopen an fd that nsopen_check accepted, read-only, through our own
 * fd directory (procfd's "self/fd", else /proc/self/fd).  The magic link
 * names exactly that file, so nothing can be swapped in between.
 */
int nsopen_reopen(int procfd, int fd);

/*
 * path, resolved inside the directory rootfd as if it were "/" (a process's
 * root: /proc/PID/root), the last component not followed, magic links
 * refused; verified to be namespace ino (0: any); reopened readable.
 */
int nsopen_in_root(int procfd, int rootfd, const char *path, uint64_t ino);

/*
 * The same when openat2 is missing (before Linux 5.6): one component at a
 * time, O_PATH | O_NOFOLLOW, refusing every symlink and "..".  Exposed so
 * that tests can run it on any kernel.
 */
int nsopen_walk_in_root(int procfd, int rootfd, const char *path, uint64_t ino);

/*
 * A path the user typed (--ns FILE, --net=FILE), relative to dirfd: looked
 * up as the user asked (symlinks followed, as any command would), but never
 * opened for reading until verified to be a namespace file.
 */
int nsopen_user_path(int procfd, int dirfd, const char *path, uint64_t ino);

/*
 * The namespace file held as fd number fd by the process of pidfd (pid):
 * duplicated with pidfd_getfd, or, where that is refused or missing,
 * /proc/PID/fd/N opened O_PATH (pidfd < 0: only that).  Verified.
 */
int nsopen_proc_fd(int procfd, int pidfd, pid_t pid, int fd, uint64_t ino);

/*
 * The net namespace of socket fd of the process of pidfd (pidfd_getfd,
 * then SIOCGSKNS, only once fstat says it is a socket).  -ENOTSOCK when
 * that fd is not (or is no longer) a socket.
 */
int nsopen_socket(int pidfd, int fd);

/* nsopen_socket for a process known by pid (pinned here with a pidfd). */
int nsopen_socket_of(pid_t pid, int fd);

#endif
