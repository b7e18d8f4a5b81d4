/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Small helpers every module may use: cleanup attributes for fds and heap
 * memory, so that a function with several exits cannot leak one, and
 * TAKE_FD / TAKE_PTR to hand ownership on explicitly.
 */
#ifndef NSPECT_UTIL_H
#define NSPECT_UTIL_H

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))

/* close() that keeps errno: a cleanup runs after the error was recorded. */
static inline void closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;
		close(*fd);
		errno = saved;
		*fd = -1;
	}
}

static inline void freep(void *p)
{
	free(*(void **)p);
}

#define _cleanup_close_ _cleanup_(closep)
#define _cleanup_free_ _cleanup_(freep)

/* The fd, and -1 left behind, so the cleanup no longer closes it. */
static inline int take_fd(int *fd)
{
	int r = *fd;
	*fd = -1;
	return r;
}
#define TAKE_FD(fd) take_fd(&(fd))

#define TAKE_PTR(p)                        \
	({                                 \
		__typeof__(p) _taken = (p); \
		(p) = NULL;                \
		_taken;                    \
	})

#define ELEMENTSOF(a) (sizeof(a) / sizeof((a)[0]))

#endif
