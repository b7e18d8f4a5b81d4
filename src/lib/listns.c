/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "listns.h"

static long kernel_listns(const struct nspect_ns_id_req *req, uint64_t *ids, size_t n, unsigned flags)
{
	return syscall(__NR_listns, req, ids, n, flags);
}

static int kernel_open_by_id(uint64_t id)
{
	struct {
		struct file_handle fh;
		struct nspect_nsfs_file_handle ns;
	} h;

	memset(&h, 0, sizeof(h));
	h.fh.handle_bytes = sizeof(h.ns);
	h.fh.handle_type = FILEID_NSFS;
	/* an id alone names a namespace from 6.19 on, the same kernels that have listns */
	h.ns.ns_id = id;
	int fd = open_by_handle_at(FD_NSFS_ROOT, &h.fh, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

const struct listns_ops listns_kernel_ops = { kernel_listns, kernel_open_by_id };

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

bool listns_available(const struct listns_ops *ops)
{
	struct nspect_ns_id_req req = { .size = NSPECT_NS_ID_REQ_SIZE };
	uint64_t id;
	return ops->listns(&req, &id, 1, 0) >= 0;
}

int listns_scan(struct relate_ctx *ctx, const struct listns_ops *ops)
{
	struct nsdb *db = ctx->db;
	uint64_t ids[256], *known = NULL;
	size_t nknown = 0;
	int r = 0;

	known = malloc((db->nns ? db->nns : 1) * sizeof(*known));
	if (!known)
		return -ENOMEM;
	for (size_t i = 0; i < db->nns; i++)
		if (db->ns[i].has_nsid)
			known[nknown++] = db->ns[i].nsid;
	qsort(known, nknown, sizeof(*known), cmp_u64);

	struct nspect_ns_id_req req = { .size = NSPECT_NS_ID_REQ_SIZE };
	for (;;) {
		long n = ops->listns(&req, ids, sizeof(ids) / sizeof(*ids), 0);
		if (n < 0) {
			r = -errno;
			break;
		}
		for (long i = 0; i < n && r == 0; i++) {
			if (bsearch(&ids[i], known, nknown, sizeof(*known), cmp_u64))
				continue;
			int fd = ops->open_by_id(ids[i]);
			if (fd < 0)
				continue; /* gone since it was listed, or not ours to open */
			struct stat st;
			int flag = ioctl(fd, NS_GET_NSTYPE);
			int type = flag < 0 ? -1 : nstype_from_clone_flag((unsigned long)flag);
			size_t idx;
			if (type >= 0 && (ctx->typemask & (1u << type)) && fstat(fd, &st) == 0 &&
			    (r = nsdb_add_ns(db, (enum nstype)type, st.st_ino, &idx)) == 0) {
				struct nsdb_ns *ns = &db->ns[idx];
				if (!ns->holders)
					ns->holders |= 1u << HOLDER_KERNEL;
				ns->nsid = ids[i];
				ns->has_nsid = true;
				r = relate_ns_fd(ctx, idx, fd);
			}
			close(fd);
		}
		if (r < 0 || n < (long)(sizeof(ids) / sizeof(*ids)))
			break;
		req.ns_id = ids[n - 1]; /* the cursor: list what comes after it */
	}
	free(known);
	return r;
}
