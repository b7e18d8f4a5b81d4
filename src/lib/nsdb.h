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
};

/* Relations are asked of the kernel once per namespace, and only when needed. */
enum {
	NSDB_REL_OWNER = 1 << 0,  /* owner and owner_uid are valid */
	NSDB_REL_PARENT = 1 << 1, /* parent is valid (0: none visible) */
	NSDB_REL_NETNSID = 1 << 2,
	NSDB_REL_OWNER_UID = 1 << 3, /* set by the kernel's answer, never asked for */
};

struct nsdb_ns {
	enum nstype type;
	uint64_t ino;
	size_t nprocs;
	size_t rep;            /* index of the lowest-pid process in it */
	unsigned rel_done;     /* NSDB_REL_* already asked */
	uint64_t owner;        /* owning user namespace inode, 0 if unknown */
	uid_t owner_uid;       /* uid that created the owning user namespace */
	uint64_t parent;       /* parent (pid and user only), 0 if none/unknown */
	int netnsid;           /* NETNSA_NSID value, -1 unassigned */
};

struct nsdb {
	struct nsdb_proc *procs;
	size_t nprocs, procs_cap;
	struct nsdb_ns *ns;
	size_t nns, ns_cap;
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
 * lowest pid of each.  Linear in processes.  Namespaces end up sorted by inode.
 */
int nsdb_index(struct nsdb *db);

/* Index of the process, or NSDB_NONE. */
size_t nsdb_find_proc(const struct nsdb *db, pid_t pid);
/* Index of the namespace, or NSDB_NONE. */
size_t nsdb_find_ns(const struct nsdb *db, enum nstype type, uint64_t ino);
/* Index of the namespace of any type with this inode, or NSDB_NONE. */
size_t nsdb_find_ino(const struct nsdb *db, uint64_t ino);

#endif
