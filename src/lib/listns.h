/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Discovery source: the kernel's own list of active namespaces (listns(2),
 * Linux 6.19+).  It finds what every other source missed, e.g. a namespace
 * held by a process we may not inspect.  Detected at run time.
 */
#ifndef NSPECT_LISTNS_H
#define NSPECT_LISTNS_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel.h"
#include "relate.h"

/* The kernel calls, replaceable so tests can fake a kernel that has listns. */
struct listns_ops {
	/* listns(2): -1 with errno set on failure */
	long (*listns)(const struct nspect_ns_id_req *req, uint64_t *ids, size_t n, unsigned flags);
	/* an O_RDONLY|O_CLOEXEC fd of the namespace with this id, or -errno */
	int (*open_by_id)(uint64_t id);
};

extern const struct listns_ops listns_kernel_ops;

/* True when ops->listns answers (not ENOSYS/EINVAL): Linux 6.19 and later. */
bool listns_available(const struct listns_ops *ops);

/*
 * Add every active namespace of a type in ctx->typemask that the kernel lists
 * and the model lacks, marked HOLDER_KERNEL, with its relations asked.
 * Namespaces already in the model must have their ids (NSDB_REL_ID) asked
 * first.  -ENOSYS when the kernel has no listns; -ENOMEM.
 */
int listns_scan(struct relate_ctx *ctx, const struct listns_ops *ops);

#endif
