/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>

#include "discover.h"
#include "listns.h"
#include "mounts.h"
#include "relate.h"

int discover(struct nsdb *db, int procfd, const struct discover_opts *o, struct scan_stats *stats)
{
	int r = scan_procs(db, procfd, o->typemask, o->sources, stats);
	if (r < 0)
		return r;
	if (o->sources & (1u << SRC_MOUNTS)) {
		r = mounts_scan(db, procfd, o->typemask, stats);
		if (r < 0)
			return r;
	}

	bool ancestors = o->sources & (1u << SRC_ANCESTORS);
	/* one cheap call tells whether the kernel has listns; without it, ids need not be asked */
	bool listns = (o->sources & (1u << SRC_LISTNS)) && listns_available(&listns_kernel_ops);
	if (ancestors || listns || o->relate_every) {
		struct relate_ctx ctx = {
			.db = db,
			.procfd = procfd,
			.nlfd = o->nlfd,
			.what = o->what | (ancestors || o->relate_every ? NSDB_REL_OWNER | NSDB_REL_PARENT : 0) |
				(listns ? NSDB_REL_ID : 0),
			.ancestors = ancestors,
			.typemask = o->typemask,
		};
		r = relate_all(&ctx);
		if (r == 0 && listns) {
			r = listns_scan(&ctx, &listns_kernel_ops);
			/* refused after all: every other source has run, nothing is lost */
			if (r == -ENOSYS || r == -EPERM || r == -EINVAL)
				r = 0;
		}
		if (r < 0)
			return r;
	}
	return nsdb_sort(db);
}
