/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The model: processes by pid, namespaces by (type, inode).  Both live in
 * arrays indexed by open-addressing hash tables, so every lookup during a
 * scan of N processes is O(1) and the whole grouping is linear in N.
 */
#ifndef NSPECT_NSDB_H
#define NSPECT_NSDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "container.h"
#include "nstype.h"
#include "procfs.h"

#define NSDB_NONE ((size_t)-1)

struct nsdb_proc {
	pid_t pid;
	pid_t ppid;
	uid_t uid;
	uint64_t ns[NSTYPE_COUNT];  /* inode per type, 0 when not known */
	/*
	 * The rest is read only for processes that are shown (scan_proc_info):
	 * most processes are never a row, and /proc/PID/stat is costly.
	 */
	bool info_loaded;           /* tried; info_ok tells whether it worked */
	bool info_ok;
	char comm[PROCFS_COMM_MAX + 1];
	char *cmdline;              /* escaped, loaded on demand; owned */
	bool cmdline_loaded;
	struct container_info *container; /* from its cgroup, loaded on demand; owned, NULL if none */
	bool container_loaded;
};

/* Relations are asked of the kernel once per namespace, and only when needed. */
enum {
	NSDB_REL_OWNER = 1 << 0,   /* owner (and owner_uid when the kernel says) */
	NSDB_REL_PARENT = 1 << 1,  /* parent (0: none visible) */
	NSDB_REL_NETNSID = 1 << 2, /* netnsid */
	NSDB_REL_ID = 1 << 3,      /* nsid (NS_GET_ID, 6.18+) */
};

/* What keeps a namespace alive: one bit per kind in nsdb_ns.holders. */
enum nsdb_holder_kind {
	HOLDER_PROC,   /* a process is in it */
	HOLDER_THREAD, /* a thread that left its process's namespace */
	HOLDER_FD,     /* an open nsfs file descriptor */
	HOLDER_SOCKET, /* a socket (net namespaces) */
	HOLDER_MOUNT,  /* an nsfs bind mount, in any mount namespace */
	HOLDER_CHILD,  /* it owns, or is the parent of, another namespace */
	HOLDER_KERNEL, /* the kernel lists it active, nothing else found says why */
	HOLDER_COUNT
};

extern const char *const nsdb_holder_names[HOLDER_COUNT];

/* One holder other than a process (processes are the procs array). */
struct nsdb_holder {
	enum nstype type;  /* the namespace held */
	uint64_t ino;
	enum nsdb_holder_kind kind;
	pid_t pid;         /* thread, fd, socket: the process */
	int num;           /* thread: its tid; fd, socket: the fd number */
	uint64_t mntns;    /* mount: the mount namespace (inode) the mount is in */
	char *path;        /* mount: the mount point inside it; owned */
	char *open_path;   /* mount: a path that opens it from here (relative: to /proc); owned */
	size_t next;       /* next holder of the same namespace (after nsdb_sort) */
};

struct nsdb_ns {
	enum nstype type;
	uint64_t ino;
	size_t nprocs;
	size_t rep;            /* index of the lowest-pid process in it, or NSDB_NONE */
	unsigned holders;      /* 1 << enum nsdb_holder_kind */
	size_t opener;         /* holder that can reopen it when no process is in it */
	size_t first_holder;   /* chain of its holders through nsdb_holder.next (after nsdb_sort) */
	unsigned rel_done;     /* NSDB_REL_* already asked */
	bool has_owner_uid, has_nsid;
	uint64_t owner;        /* owning user namespace inode, 0 if unknown */
	uid_t owner_uid;       /* creator of the owning user ns (of itself, for a user ns) */
	uint64_t parent;       /* parent (pid and user only), 0 if none/unknown */
	uint64_t nsid;         /* kernel's 64-bit namespace id */
	int netnsid;           /* NETNSA_NSID value, -1 unassigned */
};

struct nsdb {
	struct nsdb_proc *procs;
	size_t nprocs, procs_cap;
	struct nsdb_ns *ns;
	size_t nns, ns_cap;
	struct nsdb_holder *holders;
	size_t nholders, holders_cap;
	/* hash tables hold index + 1; 0 marks an empty slot */
	size_t *pid_slots, pid_nslots;
	size_t *ns_slots, ns_nslots;
};

struct nsdb *nsdb_new(void);
void nsdb_free(struct nsdb *db);

/*
 * Append a process (copied).  Processes must be added before nsdb_index();
 * returns -ENOMEM or -EEXIST for a pid already present.
 */
int nsdb_add_proc(struct nsdb *db, const struct nsdb_proc *p);

/*
 * Build the pid index and group processes into namespaces: counts and the
 * lowest pid of each.  Linear in processes.
 */
int nsdb_index(struct nsdb *db);

/* Find or add the namespace (type, ino); *ret_idx is its index.  -ENOMEM. */
int nsdb_add_ns(struct nsdb *db, enum nstype type, uint64_t ino, size_t *ret_idx);

/*
 * Record a holder (copied; path and open_path become the model's) and mark
 * its namespace, adding the namespace when new.  -ENOMEM.
 */
int nsdb_add_holder(struct nsdb *db, const struct nsdb_holder *h);

/*
 * Sort namespaces by inode, as they are printed, once every source is done,
 * and chain each namespace's holders.  Indices of namespaces change; holders
 * refer to them by (type, inode).
 */
int nsdb_sort(struct nsdb *db);

/* Inode of the caller's own namespace of this type (via procfd's self), 0 if unknown. */
uint64_t nsdb_own_ns(int procfd, enum nstype type);

/* Index of the process, or NSDB_NONE. */
size_t nsdb_find_proc(const struct nsdb *db, pid_t pid);
/* Index of the namespace, or NSDB_NONE. */
size_t nsdb_find_ns(const struct nsdb *db, enum nstype type, uint64_t ino);
/* Index of the namespace of any type with this inode, or NSDB_NONE. */
size_t nsdb_find_ino(const struct nsdb *db, uint64_t ino);

#endif
