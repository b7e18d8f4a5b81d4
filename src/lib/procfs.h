/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Parsers of /proc text.  Pure functions on buffers: no I/O, so unit tests
 * and fuzzers can feed them any bytes.  All return 0 or a negative errno.
 */
#ifndef NSPECT_PROCFS_H
#define NSPECT_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "nstype.h"

/* The kernel pads comm to 16 bytes, but workqueue workers report up to 64. */
#define PROCFS_COMM_MAX 64

struct procfs_stat {
	pid_t ppid;
	char state;
	char comm[PROCFS_COMM_MAX + 1];  /* raw bytes, NUL-terminated */
};

/*
 * Parse a namespace link target such as "net:[4026531833]" of len bytes
 * (readlink does not terminate it).  -EINVAL when it is not of that form,
 * names an unknown type or the inode does not fit in 64 bits.
 */
int procfs_parse_nslink(const char *buf, size_t len, enum nstype *ret_type, uint64_t *ret_ino);

/*
 * Parse /proc/PID/stat.  The command name sits between the first '(' and
 * the last ')' because it may itself contain spaces and parentheses.
 */
int procfs_parse_stat(const char *buf, size_t len, struct procfs_stat *ret);

/*
 * Copy len bytes of in to out (outsz bytes, always NUL-terminated), writing
 * control characters, invalid UTF-8 and C1 controls as \xHH so that a process
 * name can never drive the user's terminal.  A backslash that starts "\x" is
 * written \x5c, as libsmartcols does, so that the escaped text reads back to
 * exactly one original.  Returns the length written; output that does not
 * fit is cut at a character boundary.
 */
size_t procfs_escape(const char *in, size_t len, char *out, size_t outsz);

/*
 * Turn the NUL-separated /proc/PID/cmdline into one line (arguments joined by
 * spaces, trailing NULs dropped).  The bytes stay as they are: the output
 * layer escapes them (libsmartcols for tables, procfs_escape for JSON and
 * plain text), so that they are escaped exactly once.  Returns the length.
 */
size_t procfs_format_cmdline(const char *in, size_t len, char *out, size_t outsz);

/*
 * Parse a namespace named by a user: "INODE", "TYPE:INODE" or "TYPE:[INODE]"
 * (as readlink shows it).  *ret_type is -1 when no type was given.  -EINVAL.
 */
int procfs_parse_nsarg(const char *s, int *ret_type, uint64_t *ret_ino);

/*
 * The NSpid line of /proc/PID/status: the pid as seen in each pid namespace,
 * from the caller's outward-most visible one to the process's own.  Writes
 * at most max values; *ret_n is how many there are.  -EINVAL when the line
 * is missing or malformed.
 */
int procfs_parse_nspid(const char *buf, size_t len, pid_t *out, size_t max, size_t *ret_n);

/*
 * /proc/PID/uid_map or gid_map ("inside outside count" lines) as one line:
 * compact "0-65535:100000,65536:1000" (a single id without a range), or with
 * full, one "inside outside count" per line.  Returns the length written, or
 * -EINVAL for malformed input.
 */
int procfs_format_idmap(const char *in, size_t len, bool full, char *out, size_t outsz);

/*
 * /proc/PID/timens_offsets ("monotonic SECS NSECS" lines) as
 * "monotonic=+3600s,boottime=0s" (nanoseconds shown when not zero).
 * Returns the length written, or -EINVAL.
 */
int procfs_format_timens(const char *in, size_t len, char *out, size_t outsz);

/* Parse a decimal pid (1..INT_MAX), the whole string.  -EINVAL otherwise. */
int procfs_parse_pid(const char *s, pid_t *ret);

/* Parse a decimal unsigned 64-bit number, the whole string.  -EINVAL / -ERANGE. */
int procfs_parse_u64(const char *s, uint64_t *ret);

#endif
