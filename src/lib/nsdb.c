/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "nsdb.h"

const char *const nsdb_holder_names[HOLDER_COUNT] = {
	[HOLDER_PROC] = "procs",
	[HOLDER_THREAD] = "threads",
	[HOLDER_FD] = "fd",
	[HOLDER_SOCKET] = "socket",
	[HOLDER_MOUNT] = "mount",
	[HOLDER_CHILD] = "child",
	[HOLDER_KERNEL] = "kernel",
};

struct nsdb *nsdb_new(void)
{
	return calloc(1, sizeof(struct nsdb));
}

void nsdb_free(struct nsdb *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < db->nprocs; i++) {
		free(db->procs[i].cmdline);
		free(db->procs[i].container);
	}
	for (size_t i = 0; i < db->nholders; i++) {
		free(db->holders[i].path);
		free(db->holders[i].open_path);
	}
	free(db->holders);
	free(db->procs);
	free(db->ns);
	free(db->pid_slots);
	free(db->ns_slots);
	free(db);
}

static int grow(void **arr, size_t *cap, size_t need, size_t elsize)
{
	if (need <= *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : 256;
	while (ncap < need)
		ncap *= 2;
	void *n = reallocarray(*arr, ncap, elsize);
	if (!n)
		return -ENOMEM;
	*arr = n;
	*cap = ncap;
	return 0;
}

static inline size_t hash_u64(uint64_t x)
{
	/* splitmix64 finaliser: inodes and pids are dense, spread them out */
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return (size_t)x;
}

static size_t ns_key_hash(enum nstype type, uint64_t ino)
{
	return hash_u64(ino * NSTYPE_COUNT + (uint64_t)type);
}

int nsdb_add_proc(struct nsdb *db, const struct nsdb_proc *p)
{
	if (db->pid_slots)
		return -EBUSY;
	int r = grow((void **)&db->procs, &db->procs_cap, db->nprocs + 1, sizeof(*db->procs));
	if (r < 0)
		return r;
	db->procs[db->nprocs++] = *p;
	return 0;
}

static size_t table_size_for(size_t n)
{
	size_t s = 64;
	while (s < n * 2)
		s *= 2;
	return s;
}

size_t nsdb_find_proc(const struct nsdb *db, pid_t pid)
{
	if (!db->pid_slots)
		return NSDB_NONE;
	size_t mask = db->pid_nslots - 1;
	for (size_t h = hash_u64((uint64_t)pid) & mask;; h = (h + 1) & mask) {
		size_t v = db->pid_slots[h];
		if (v == 0)
			return NSDB_NONE;
		if (db->procs[v - 1].pid == pid)
			return v - 1;
	}
}

size_t nsdb_find_ns(const struct nsdb *db, enum nstype type, uint64_t ino)
{
	if (!db->ns_slots)
		return NSDB_NONE;
	size_t mask = db->ns_nslots - 1;
	for (size_t h = ns_key_hash(type, ino) & mask;; h = (h + 1) & mask) {
		size_t v = db->ns_slots[h];
		if (v == 0)
			return NSDB_NONE;
		if (db->ns[v - 1].ino == ino && db->ns[v - 1].type == type)
			return v - 1;
	}
}

size_t nsdb_find_ino(const struct nsdb *db, uint64_t ino)
{
	for (int t = 0; t < NSTYPE_COUNT; t++) {
		size_t i = nsdb_find_ns(db, (enum nstype)t, ino);
		if (i != NSDB_NONE)
			return i;
	}
	return NSDB_NONE;
}

static void ns_slots_insert(size_t *slots, size_t nslots, const struct nsdb_ns *ns, size_t idx)
{
	size_t mask = nslots - 1;
	size_t h = ns_key_hash(ns->type, ns->ino) & mask;
	while (slots[h])
		h = (h + 1) & mask;
	slots[h] = idx + 1;
}

static int ns_rehash(struct nsdb *db, size_t nslots)
{
	size_t *slots = calloc(nslots, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (size_t i = 0; i < db->nns; i++)
		ns_slots_insert(slots, nslots, &db->ns[i], i);
	free(db->ns_slots);
	db->ns_slots = slots;
	db->ns_nslots = nslots;
	return 0;
}

int nsdb_add_ns(struct nsdb *db, enum nstype type, uint64_t ino, size_t *ret_idx)
{
	int r;
	size_t idx = nsdb_find_ns(db, type, ino);

	if (idx != NSDB_NONE) {
		*ret_idx = idx;
		return 0;
	}
	if ((db->nns + 1) * 2 > db->ns_nslots) {
		r = ns_rehash(db, db->ns_nslots ? db->ns_nslots * 2 : 256);
		if (r < 0)
			return r;
	}
	r = grow((void **)&db->ns, &db->ns_cap, db->nns + 1, sizeof(*db->ns));
	if (r < 0)
		return r;
	struct nsdb_ns *ns = &db->ns[db->nns];
	memset(ns, 0, sizeof(*ns));
	ns->type = type;
	ns->ino = ino;
	ns->rep = NSDB_NONE;
	ns->opener = NSDB_NONE;
	ns->first_holder = NSDB_NONE;
	ns->netnsid = -1;
	ns_slots_insert(db->ns_slots, db->ns_nslots, ns, db->nns);
	*ret_idx = db->nns++;
	return 0;
}

int nsdb_add_holder(struct nsdb *db, const struct nsdb_holder *h)
{
	size_t idx;
	int r = nsdb_add_ns(db, h->type, h->ino, &idx);
	if (r < 0)
		return r;
	r = grow((void **)&db->holders, &db->holders_cap, db->nholders + 1, sizeof(*db->holders));
	if (r < 0)
		return r;
	db->holders[db->nholders] = *h;
	struct nsdb_ns *ns = &db->ns[idx];
	ns->holders |= 1u << h->kind;
	/* the first holder that can be opened later stands in for a process */
	if (ns->opener == NSDB_NONE && (h->kind == HOLDER_THREAD || h->kind == HOLDER_FD || h->kind == HOLDER_SOCKET ||
					(h->kind == HOLDER_MOUNT && h->open_path)))
		ns->opener = db->nholders;
	db->nholders++;
	return 0;
}

static int cmp_ns(const void *a, const void *b)
{
	const struct nsdb_ns *x = a, *y = b;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return (int)x->type - (int)y->type;
}

int nsdb_index(struct nsdb *db)
{
	int r;

	free(db->pid_slots);
	db->pid_nslots = table_size_for(db->nprocs);
	db->pid_slots = calloc(db->pid_nslots, sizeof(*db->pid_slots));
	if (!db->pid_slots)
		return -ENOMEM;
	size_t mask = db->pid_nslots - 1;
	for (size_t i = 0; i < db->nprocs; i++) {
		size_t h = hash_u64((uint64_t)db->procs[i].pid) & mask;
		while (db->pid_slots[h]) {
			if (db->procs[db->pid_slots[h] - 1].pid == db->procs[i].pid)
				return -EEXIST;
			h = (h + 1) & mask;
		}
		db->pid_slots[h] = i + 1;
	}

	for (size_t i = 0; i < db->nprocs; i++) {
		const struct nsdb_proc *p = &db->procs[i];
		for (int t = 0; t < NSTYPE_COUNT; t++) {
			if (!p->ns[t])
				continue;
			size_t idx;
			r = nsdb_add_ns(db, (enum nstype)t, p->ns[t], &idx);
			if (r < 0)
				return r;
			struct nsdb_ns *ns = &db->ns[idx];
			ns->nprocs++;
			ns->holders |= 1u << HOLDER_PROC;
			if (ns->rep == NSDB_NONE || p->pid < db->procs[ns->rep].pid)
				ns->rep = i;
		}
	}

	return 0;
}

int nsdb_sort(struct nsdb *db)
{
	/* Users read namespaces in inode order, as lsns prints them. */
	if (db->nns > 1) /* qsort(NULL, 0) is undefined: nothing found is normal */
		qsort(db->ns, db->nns, sizeof(*db->ns), cmp_ns);
	int r = db->nns ? ns_rehash(db, db->ns_nslots) : 0;
	if (r < 0)
		return r;
	for (size_t i = 0; i < db->nns; i++)
		db->ns[i].first_holder = NSDB_NONE;
	/* backwards, so each chain lists holders in the order they were found */
	for (size_t h = db->nholders; h-- > 0;) {
		size_t idx = nsdb_find_ns(db, db->holders[h].type, db->holders[h].ino);
		db->holders[h].next = db->ns[idx].first_holder;
		db->ns[idx].first_holder = h;
	}
	return 0;
}

uint64_t nsdb_own_ns(int procfd, enum nstype type)
{
	char path[32];
	struct stat st;

	snprintf(path, sizeof(path), "self/ns/%s", nstype_name(type));
	return fstatat(procfd, path, &st, 0) == 0 ? st.st_ino : 0;
}
