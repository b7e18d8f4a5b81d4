/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The namespace types: the one table every lookup by name or flag uses. */
#ifndef NSPECT_NSTYPE_H
#define NSPECT_NSTYPE_H

enum nstype {
	NSTYPE_CGROUP,
	NSTYPE_IPC,
	NSTYPE_MNT,
	NSTYPE_NET,
	NSTYPE_PID,
	NSTYPE_TIME,
	NSTYPE_USER,
	NSTYPE_UTS,
	NSTYPE_COUNT
};

#define NSTYPE_ALL_MASK ((1u << NSTYPE_COUNT) - 1)

struct nstype_info {
	const char *name;          /* link name in /proc/PID/ns and lsns type name */
	unsigned long clone_flag;  /* CLONE_NEW*, as NS_GET_NSTYPE returns it */
	int has_parent;            /* NS_GET_PARENT answers for this type */
	unsigned long pidfd_ioctl; /* PIDFD_GET_*_NAMESPACE (Linux 6.11) */
	char enter_opt;            /* nsenter's option letter for it */
	const char *enter_long;    /* and its long option, which is not always the name */
};

extern const struct nstype_info nstype_table[NSTYPE_COUNT];

/* Returns the type for a name such as "net" (exact, lower case), or -EINVAL. */
int nstype_from_name(const char *name);
/* Returns the type for a name of len bytes (not NUL-terminated), or -EINVAL. */
int nstype_from_name_len(const char *name, unsigned long len);
/* Returns the type for a CLONE_NEW* flag, or -EINVAL. */
int nstype_from_clone_flag(unsigned long flag);

static inline const char *nstype_name(enum nstype t)
{
	return nstype_table[t].name;
}

#endif
