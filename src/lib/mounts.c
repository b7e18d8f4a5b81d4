/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libmount.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel.h"
#include "mounts.h"

/*
 * Record one nsfs mount.  root is the mount's root ("net:[INODE]"),
 * point its mount point inside mount namespace mntns.  A path that opens it
 * from here goes through a process of that namespace (/proc/PID/root).
 */
static int add_mount(struct nsdb *db, unsigned typemask, uint64_t self, uint64_t mntns, const char *root,
		     const char *point)
{
	enum nstype type;
	uint64_t ino;

	if (procfs_parse_nslink(root, strlen(root), &type, &ino) < 0 || !(typemask & (1u << type)))
		return 0;
	struct nsdb_holder h = { .type = type, .ino = ino, .kind = HOLDER_MOUNT, .mntns = mntns };
	h.path = strdup(point);
	if (!h.path)
		return -ENOMEM;
	if (mntns == self) {
		h.open_path = strdup(point);
	} else {
		size_t m = nsdb_find_ns(db, NSTYPE_MNT, mntns);
		if (m != NSDB_NONE && db->ns[m].rep != NSDB_NONE &&
		    asprintf(&h.open_path, "%d/root%s", (int)db->procs[db->ns[m].rep].pid, point) < 0)
			h.open_path = NULL;
	}
	int r = nsdb_add_holder(db, &h);
	if (r < 0) {
		free(h.path);
		free(h.open_path);
	}
	return r;
}

static long sys_listmount(struct nspect_mnt_id_req *req, uint64_t *ids, size_t n)
{
	return syscall(__NR_listmount, req, ids, n, 0);
}

static long sys_statmount(uint64_t mnt_id, uint64_t mntns_id, uint64_t mask, void *buf, size_t size)
{
	struct nspect_mnt_id_req req = { .size = NSPECT_MNT_ID_REQ_SIZE_VER1, .mnt_id = mnt_id,
					 .param = mask, .mnt_ns_id = mntns_id };
	return syscall(__NR_statmount, &req, buf, size, 0);
}

/* The nsfs mounts of one mount namespace, asked of the kernel without entering it. */
static int scan_one_mntns(struct nsdb *db, unsigned typemask, uint64_t self, uint64_t mntns_ino, uint64_t mntns_id)
{
	uint64_t ids[512], last = 0;
	union {
		struct nspect_statmount sm;
		char raw[sizeof(struct nspect_statmount) + 8192];
	} u;
	int r = 0;

	for (;;) {
		struct nspect_mnt_id_req req = { .size = NSPECT_MNT_ID_REQ_SIZE_VER1, .mnt_id = NSPECT_LSMT_ROOT,
						 .param = last, .mnt_ns_id = mntns_id };
		long n = sys_listmount(&req, ids, sizeof(ids) / sizeof(*ids));
		if (n < 0)
			return -errno;
		for (long i = 0; i < n && r == 0; i++) {
			/* the cheap question first: only nsfs mounts need their paths */
			if (sys_statmount(ids[i], mntns_id, NSPECT_STATMOUNT_SB_BASIC, &u, sizeof(u.sm)) < 0 ||
			    u.sm.sb_magic != NSFS_MAGIC)
				continue;
			if (sys_statmount(ids[i], mntns_id, NSPECT_STATMOUNT_MNT_ROOT | NSPECT_STATMOUNT_MNT_POINT, &u,
					  sizeof(u)) < 0)
				continue;
			if (!(u.sm.mask & NSPECT_STATMOUNT_MNT_ROOT) || !(u.sm.mask & NSPECT_STATMOUNT_MNT_POINT))
				continue;
			u.raw[sizeof(u.raw) - 1] = '\0';
			size_t room = sizeof(u.raw) - sizeof(u.sm);
			if (u.sm.mnt_root >= room || u.sm.mnt_point >= room)
				continue;
			r = add_mount(db, typemask, self, mntns_ino, u.sm.str + u.sm.mnt_root, u.sm.str + u.sm.mnt_point);
		}
		if (r < 0 || n < (long)(sizeof(ids) / sizeof(*ids)))
			return r;
		last = ids[n - 1];
	}
}

static int visit_mntns(struct nsdb *db, unsigned typemask, uint64_t self, int fd, uint64_t id,
		       struct scan_stats *stats)
{
	struct stat st;
	size_t idx;

	if (fstat(fd, &st) < 0)
		return 0;
	if (typemask & (1u << NSTYPE_MNT)) {
		int r = nsdb_add_ns(db, NSTYPE_MNT, st.st_ino, &idx);
		if (r < 0)
			return r;
		/* something keeps it alive; if no other source says what, the kernel's walk found it */
		if (!db->ns[idx].holders)
			db->ns[idx].holders |= 1u << HOLDER_KERNEL;
	}
	int r = scan_one_mntns(db, typemask, self, st.st_ino, id);
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		stats->mntns_denied++;
	return 0;
}

/* Walk every mount namespace from ours, both ways.  -ENOTTY/-EPERM: fall back. */
static int mounts_walk(struct nsdb *db, int procfd, unsigned typemask, struct scan_stats *stats)
{
	uint64_t self = nsdb_own_ns(procfd, NSTYPE_MNT);
	int start = openat(procfd, "self/ns/mnt", O_RDONLY | O_CLOEXEC);
	struct nspect_mnt_ns_info info = { .size = NSPECT_MNT_NS_INFO_SIZE };
	int r;

	if (start < 0)
		return -errno;
	if (ioctl(start, NS_MNT_GET_INFO, &info) < 0) {
		r = -errno;
		close(start);
		return r;
	}
	/* listmount of our own namespace proves the syscalls work before we commit to them */
	uint64_t probe;
	struct nspect_mnt_id_req req = { .size = NSPECT_MNT_ID_REQ_SIZE_VER1, .mnt_id = NSPECT_LSMT_ROOT,
					 .mnt_ns_id = info.mnt_ns_id };
	if (sys_listmount(&req, &probe, 1) < 0) {
		r = -errno;
		close(start);
		return r == -EINVAL || r == -ENOSYS ? -ENOTTY : r;
	}
	r = visit_mntns(db, typemask, self, start, info.mnt_ns_id, stats);
	for (unsigned long req_dir = NS_MNT_GET_NEXT;; req_dir = NS_MNT_GET_PREV) {
		int cur = start;
		while (r == 0) {
			struct nspect_mnt_ns_info ni = { .size = NSPECT_MNT_NS_INFO_SIZE };
			int next = ioctl(cur, req_dir, &ni);
			if (cur != start)
				close(cur);
			cur = -1;
			if (next < 0)
				break; /* ENOENT at either end; EPERM for namespaces we may not see */
			r = visit_mntns(db, typemask, self, next, ni.mnt_ns_id, stats);
			cur = next;
		}
		if (cur >= 0 && cur != start)
			close(cur);
		if (req_dir == NS_MNT_GET_PREV || r < 0)
			break;
	}
	close(start);
	return r;
}

/* The nsfs mounts in /proc/PID/mountinfo, recorded as held by mount namespace mntns. */
static int scan_one_mountinfo(struct nsdb *db, int procfd, pid_t pid, uint64_t mntns, unsigned typemask, uint64_t self,
			      struct scan_stats *stats)
{
	char path[48];
	int r = 0;

	snprintf(path, sizeof(path), "%d/mountinfo", (int)pid);
	int fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);
	FILE *f = fd >= 0 ? fdopen(fd, "re") : NULL;
	if (!f) {
		if (fd >= 0)
			close(fd);
		else if (errno == EACCES || errno == EPERM)
			stats->mntns_denied++;
		return 0;
	}
	struct libmnt_table *tb = mnt_new_table();
	if (!tb || mnt_table_parse_stream(tb, f, path) != 0) {
		/* the process exited while we read: its namespace's mounts stay unknown */
		mnt_unref_table(tb);
		fclose(f);
		return 0;
	}
	fclose(f);
	struct libmnt_iter *it = mnt_new_iter(MNT_ITER_FORWARD);
	struct libmnt_fs *fs;
	while (r == 0 && it && mnt_table_next_fs(tb, it, &fs) == 0) {
		const char *type = mnt_fs_get_fstype(fs), *root = mnt_fs_get_root(fs);
		const char *target = mnt_fs_get_target(fs);
		if (type && root && target && strcmp(type, "nsfs") == 0)
			r = add_mount(db, typemask, self, mntns, root, target);
	}
	mnt_free_iter(it);
	mnt_unref_table(tb);
	return r;
}

/*
 * One process per mount namespace, found by walking /proc: for when the
 * model holds no mount namespaces because the types asked for leave them out
 * (nspect list -t net still needs every namespace's bind mounts).
 */
static int scan_mountinfo_walk(struct nsdb *db, int procfd, unsigned typemask, uint64_t self,
			       struct scan_stats *stats)
{
	int dfd = openat(procfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	uint64_t *seen = NULL;
	size_t nseen = 0, cap = 0;
	int r = 0;

	if (!d) {
		if (dfd >= 0)
			close(dfd);
		return -errno;
	}
	struct dirent *e;
	while (r == 0 && (e = readdir(d))) {
		pid_t pid;
		char path[64], link[64];
		enum nstype t;
		uint64_t ino;

		if (procfs_parse_pid(e->d_name, &pid) < 0)
			continue;
		snprintf(path, sizeof(path), "%d/ns/mnt", (int)pid);
		ssize_t n = readlinkat(procfd, path, link, sizeof(link));
		if (n <= 0 || procfs_parse_nslink(link, (size_t)n, &t, &ino) < 0)
			continue;
		bool known = false;
		for (size_t i = 0; i < nseen && !known; i++)
			known = seen[i] == ino;
		if (known)
			continue;
		if (nseen == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			uint64_t *ns = realloc(seen, ncap * sizeof(*ns));
			if (!ns) {
				r = -ENOMEM;
				break;
			}
			seen = ns;
			cap = ncap;
		}
		seen[nseen++] = ino;
		r = scan_one_mountinfo(db, procfd, pid, ino, typemask, self, stats);
	}
	closedir(d);
	free(seen);
	return r;
}

int mounts_scan_mountinfo(struct nsdb *db, int procfd, unsigned typemask, struct scan_stats *stats)
{
	uint64_t self = nsdb_own_ns(procfd, NSTYPE_MNT);
	size_t n = db->nns; /* namespaces added below are not mount namespaces */
	int r = 0;

	stats->mounts_fallback = 1;
	/* no mount namespace in the model (the types asked for leave them out):
	 * find one process per mount namespace in /proc instead */
	bool any = false;
	for (size_t i = 0; i < n && !any; i++)
		any = db->ns[i].type == NSTYPE_MNT && db->ns[i].rep != NSDB_NONE;
	if (!any)
		return scan_mountinfo_walk(db, procfd, typemask, self, stats);
	for (size_t i = 0; i < n && r == 0; i++) {
		const struct nsdb_ns ns = db->ns[i];
		if (ns.type != NSTYPE_MNT || ns.rep == NSDB_NONE)
			continue;
		r = scan_one_mountinfo(db, procfd, db->procs[ns.rep].pid, ns.ino, typemask, self, stats);
	}
	return r;
}

int mounts_scan(struct nsdb *db, int procfd, unsigned typemask, struct scan_stats *stats)
{
	const char *force = getenv("NSPECT_MOUNTS_FALLBACK");

	if (!force || strcmp(force, "1") != 0) {
		int r = mounts_walk(db, procfd, typemask, stats);
		if (r == 0 || r == -ENOMEM)
			return r;
		/* ENOTTY, ENOSYS, EPERM: an older kernel or no CAP_SYS_ADMIN */
	}
	return mounts_scan_mountinfo(db, procfd, typemask, stats);
}
