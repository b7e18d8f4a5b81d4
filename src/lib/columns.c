/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "columns.h"
#include "enrich.h"
#include "kernel.h"
#include "relate.h"
#include "scan.h"

static char *fmt_u64(uint64_t v)
{
	char *s = NULL;
	return asprintf(&s, "%llu", (unsigned long long)v) < 0 ? NULL : s;
}

static char *get_ns(struct column_ctx *c, const struct nsdb_ns *ns, struct nsdb_proc *p)
{
	return fmt_u64(ns->ino);
}

static char *get_type(struct column_ctx *c, const struct nsdb_ns *ns, struct nsdb_proc *p)
{
	return strdup(nstype_name(ns->type));
}

static char *get_path(struct column_ctx *c, const struct nsdb_ns *ns, struct nsdb_proc *p)
{
	char *s = NULL;
	int r = -1;

	if (p)
		r = asprintf(&s, "/proc/%d/ns/%s", (int)p->pid, nstype_name(ns->type));
	else if (ns->opener != NSDB_NONE) {
		/* no process in it: the path of what holds it (a socket has none that opens the namespace) */
		const struct nsdb_holder *h = &c->db->holders[ns->opener];
		if (h->kind == HOLDER_THREAD)
			r = asprintf(&s, "/proc/%d/task/%d/ns/%s", (int)h->pid, h->num, nstype_name(ns->type));
		else if (h->kind == HOLDER_FD)
			r = asprintf(&s, "/proc/%d/fd/%d", (int)h->pid, h->num);
		else if (h->kind == HOLDER_MOUNT && h->open_path)
			r = asprintf(&s, "%s%s", h->open_path[0] == '/' ? "" : "/proc/", h->open_path);
	}
	return r < 0 ? NULL : s;
}

static char *get_nprocs(struct column_ctx *c, const struct nsdb_ns *ns, struct nsdb_proc *p)
{
	return fmt_u64(ns->nprocs);
}

static char *get_pid(struct column_ctx *c, const struct nsdb_ns *ns, struct nsdb_proc *p)
{
	return p ? fmt_u64((uint64_t)p->pid) : NULL;
}

/* The process with its uid, ppid and comm loaded, or NULL when it exited since the scan. */
static struct nsdb_proc *with_info(struct column_ctx *c, struct nsdb_proc *p)
{
	return p && scan_proc_info(c->procfd, p) ? p : NULL;
}

static char *get_ppid(struct column_ctx *c, const struct nsdb_ns *ns, struct nsdb_proc *p)
{
	p = with_info(c, p);
	return p ? fmt_u64((uint64_t)p->ppid) : NULL;
}

static char *get_command(struct column_ctx *c, const struct nsdb_ns *ns, struct nsdb_proc *p)
{
	return p ? strdup(scan_cmdline(c->procfd, p)) : NULL;
}

static char *get_uid(struct column_ctx *c, const struct nsdb_ns *ns, struct nsdb_proc *p)
{
	p = with_info(c, p);
	return p ? fmt_u64(p->uid) : NULL;
}

static char *get_user(struct column_ctx *c, const struct nsdb_ns *ns, struct nsdb_proc *p)
{
	p = with_info(c, p);
	const char *name = p ? users_name(c->users, p->uid) : NULL;
	return name ? strdup(name) : NULL;
}

static char *get_netnsid(struct column_ctx *c, const struct nsdb_ns *ns, struct nsdb_proc *p)
{
	if (ns->type != NSTYPE_NET || !(ns->rel_done & NSDB_REL_NETNSID))
		return NULL;
	if (ns->netnsid >= 0)
		return fmt_u64((uint64_t)ns->netnsid);
	/* JSON gets null for "unassigned": the column is a number there */
	return c->json ? NULL : strdup("unassigned");
}

static char *get_pns(struct column_ctx *c, const struct nsdb_ns *ns, struct nsdb_proc *p)
{
	return ns->parent ? fmt_u64(ns->parent) : NULL;
}

static char *get_ons(struct column_ctx *c, const struct nsdb_ns *ns, struct nsdb_proc *p)
{
	return ns->owner ? fmt_u64(ns->owner) : NULL;
}

/* Append text to a growing string; NULL stays NULL on failure (the cell is then empty). */
static char *append(char *s, const char *sep, const char *text)
{
	char *n = NULL;
	if (asprintf(&n, "%s%s%s", s ? s : "", s ? sep : "", text) < 0)
		n = NULL;
	free(s);
	return n;
}

/*
 * Multi-value cells: one line per value in JSON, which makes an array; a
 * comma-separated list in tables, which stay one line per row when piped.
 */
static const char *value_sep(const struct column_ctx *c)
{
	return c->json ? "\n" : ",";
}

static char *get_nsfs(struct column_ctx *c, const struct nsdb_ns *ns, struct nsdb_proc *p)
{
	char *s = NULL;
	for (size_t h = ns->first_holder; h != NSDB_NONE; h = c->db->holders[h].next) {
		const struct nsdb_holder *hd = &c->db->holders[h];
		char *one = NULL;
		if (hd->kind != HOLDER_MOUNT)
			continue;
		/* a mount in another mount namespace names that namespace */
		if (hd->mntns == c->own_mntns)
			one = strdup(hd->path);
		else if (asprintf(&one, "%s (mnt:[%llu])", hd->path, (unsigned long long)hd->mntns) < 0)
			one = NULL;
		if (one)
			s = append(s, value_sep(c), one);
		free(one);
	}
	/* JSON: an empty array, not [null] */
	return s || !c->json ? s : strdup("");
}

static char *get_holders(struct column_ctx *c, const struct nsdb_ns *ns, struct nsdb_proc *p)
{
	char *s = NULL;
	for (int k = 0; k < HOLDER_COUNT; k++)
		if (ns->holders & (1u << k))
			s = append(s, value_sep(c), nsdb_holder_names[k]);
	return s;
}

static char *get_nsid(struct column_ctx *c, const struct nsdb_ns *ns, struct nsdb_proc *p)
{
	return ns->has_nsid ? fmt_u64(ns->nsid) : NULL;
}

static char *get_ouid(struct column_ctx *c, const struct nsdb_ns *ns, struct nsdb_proc *p)
{
	return ns->has_owner_uid ? fmt_u64(ns->owner_uid) : NULL;
}

static char *get_ouser(struct column_ctx *c, const struct nsdb_ns *ns, struct nsdb_proc *p)
{
	const char *name = ns->has_owner_uid ? users_name(c->users, ns->owner_uid) : NULL;
	return name ? strdup(name) : NULL;
}

static char *get_mark(struct column_ctx *c, const struct nsdb_ns *ns, struct nsdb_proc *p)
{
	/* hidden: no process is in it; context: kept only to connect a filtered tree */
	if (c->context)
		return strdup(ns->nprocs ? "context" : "hidden,context");
	return ns->nprocs ? NULL : strdup("hidden");
}

static char *get_container(struct column_ctx *c, const struct nsdb_ns *ns, struct nsdb_proc *p)
{
	const struct container_info *ci = p ? scan_container(c->procfd, p) : NULL;
	char buf[CONTAINER_ID_MAX + 32];
	if (!ci)
		return NULL;
	container_label(ci, buf, sizeof(buf));
	return strdup(buf);
}

static char *get_containerid(struct column_ctx *c, const struct nsdb_ns *ns, struct nsdb_proc *p)
{
	const struct container_info *ci = p ? scan_container(c->procfd, p) : NULL;
	return ci && !ci->service ? strdup(ci->id) : NULL;
}

static char *get_pod(struct column_ctx *c, const struct nsdb_ns *ns, struct nsdb_proc *p)
{
	const struct container_info *ci = p ? scan_container(c->procfd, p) : NULL;
	return ci && ci->pod[0] ? strdup(ci->pod) : NULL;
}

static char *get_idmap(struct column_ctx *c, const struct nsdb_ns *ns, struct nsdb_proc *p, const char *which)
{
	if (ns->type != NSTYPE_USER || !p)
		return NULL;
	/* compact in a table; every line of the map in JSON */
	return enrich_idmap(c->procfd, p->pid, which, c->json);
}

static char *get_uidmap(struct column_ctx *c, const struct nsdb_ns *ns, struct nsdb_proc *p)
{
	return get_idmap(c, ns, p, "uid_map");
}

static char *get_gidmap(struct column_ctx *c, const struct nsdb_ns *ns, struct nsdb_proc *p)
{
	return get_idmap(c, ns, p, "gid_map");
}

static char *get_mntroot(struct column_ctx *c, const struct nsdb_ns *ns, struct nsdb_proc *p)
{
	return ns->type == NSTYPE_MNT && p ? enrich_mntroot(c->procfd, p->pid) : NULL;
}

static char *get_hostname(struct column_ctx *c, const struct nsdb_ns *ns, struct nsdb_proc *p)
{
	if (ns->type != NSTYPE_UTS)
		return NULL;
	int fd = relate_open_ns(c->db, c->procfd, ns);
	if (fd < 0)
		return NULL;
	char *s = enrich_hostname(fd);
	close(fd);
	return s;
}

static char *get_timeoffsets(struct column_ctx *c, const struct nsdb_ns *ns, struct nsdb_proc *p)
{
	if (ns->type != NSTYPE_TIME)
		return NULL;
	int fd = relate_open_ns(c->db, c->procfd, ns);
	char *s = enrich_timens(c->procfd, p ? p->pid : 0, fd, ns->ino);
	if (fd >= 0)
		close(fd);
	return s;
}

static char *get_level(struct column_ctx *c, const struct nsdb_ns *ns, struct nsdb_proc *p)
{
	if (!nstype_table[ns->type].has_parent)
		return NULL;
	/*
	 * A namespace nothing holds open (only a child keeps it) cannot be
	 * opened, but the model knows its parent: climb the model until a
	 * namespace that can be opened, then the kernel from there.
	 */
	uint64_t level = 0;
	int fd = relate_open_ns(c->db, c->procfd, ns);
	for (size_t steps = 0; fd < 0 && ns->parent && steps < c->db->nns; steps++) {
		size_t i = nsdb_find_ns(c->db, ns->type, ns->parent);
		if (i == NSDB_NONE)
			return NULL;
		ns = &c->db->ns[i];
		level++;
		fd = relate_open_ns(c->db, c->procfd, ns);
	}
	if (fd < 0)
		return NULL; /* its parent could not be asked either: unknown, not 0 */
	/* climb to the outermost parent we may see; each step is one ioctl */
	for (;;) {
		int pfd = ioctl(fd, NS_GET_PARENT);
		close(fd);
		if (pfd < 0)
			break;
		fd = pfd;
		level++;
	}
	return fmt_u64(level);
}

static char *get_nspid(struct column_ctx *c, const struct nsdb_ns *ns, struct nsdb_proc *p)
{
	return p ? enrich_nspid(c->procfd, p->pid, c->json ? "\n" : " ") : NULL;
}

const struct column_info column_table[COL_COUNT] = {
	[COL_NS] = { "NS", "namespace identifier (inode number)", COLJSON_NUMBER, 10, COLFL_RIGHT, 0, get_ns },
	[COL_TYPE] = { "TYPE", "kind of namespace", COLJSON_STRING, 5, 0, 0, get_type },
	[COL_PATH] = { "PATH", "path to the namespace through its lowest PID", COLJSON_STRING, 0, 0, 0, get_path },
	[COL_NPROCS] = { "NPROCS", "number of processes in the namespace", COLJSON_NUMBER, 5, COLFL_RIGHT, 0, get_nprocs },
	[COL_PID] = { "PID", "lowest PID in the namespace", COLJSON_NUMBER, 5, COLFL_RIGHT, 0, get_pid },
	[COL_PPID] = { "PPID", "parent PID of that PID", COLJSON_NUMBER, 5, COLFL_RIGHT, 0, get_ppid },
	[COL_COMMAND] = { "COMMAND", "command line of that PID", COLJSON_STRING, 0, COLFL_TRUNC, 0, get_command },
	[COL_UID] = { "UID", "UID of that PID", COLJSON_NUMBER, 0, COLFL_RIGHT, 0, get_uid },
	[COL_USER] = { "USER", "user name of that PID", COLJSON_STRING, 0, 0, 0, get_user },
	[COL_NETNSID] = { "NETNSID", "namespace ID as used by the network subsystem", COLJSON_NUMBER, 0, COLFL_RIGHT, NSDB_REL_NETNSID, get_netnsid },
	[COL_PNS] = { "PNS", "parent namespace identifier (pid and user)", COLJSON_NUMBER, 10, COLFL_RIGHT, NSDB_REL_PARENT, get_pns },
	[COL_ONS] = { "ONS", "owner user namespace identifier", COLJSON_NUMBER, 10, COLFL_RIGHT, NSDB_REL_OWNER, get_ons },
	[COL_NSFS] = { "NSFS", "nsfs bind mounts of the namespace, in any mount namespace", COLJSON_ARRAY, 0, 0, 0, get_nsfs },
	[COL_HOLDERS] = { "HOLDERS", "what keeps the namespace alive", COLJSON_ARRAY, 0, COLFL_ALLNS, NSDB_REL_OWNER | NSDB_REL_PARENT, get_holders },
	[COL_NSID] = { "NSID", "the kernel's 64-bit namespace id", COLJSON_NUMBER, 0, COLFL_RIGHT, NSDB_REL_ID, get_nsid },
	[COL_OUID] = { "OUID", "UID that created the owning user namespace", COLJSON_NUMBER, 0, COLFL_RIGHT, NSDB_REL_OWNER, get_ouid },
	[COL_OUSER] = { "OUSER", "user name of OUID", COLJSON_STRING, 0, 0, NSDB_REL_OWNER, get_ouser },
	[COL_CONTAINER] = { "CONTAINER", "engine:id of the container of that PID, from its cgroup", COLJSON_STRING, 0, 0, 0, get_container },
	[COL_CONTAINERID] = { "CONTAINERID", "full id (or name) of that container", COLJSON_STRING, 0, 0, 0, get_containerid },
	[COL_POD] = { "POD", "Kubernetes pod uid of that container", COLJSON_STRING, 0, 0, 0, get_pod },
	[COL_UIDMAP] = { "UIDMAP", "uid map of a user namespace (inside-range:outside)", COLJSON_ARRAY, 0, 0, 0, get_uidmap },
	[COL_GIDMAP] = { "GIDMAP", "gid map of a user namespace (inside-range:outside)", COLJSON_ARRAY, 0, 0, 0, get_gidmap },
	[COL_MNTROOT] = { "MNTROOT", "what a mount namespace's / is: source, fs type, label, uuid", COLJSON_STRING, 0, COLFL_TRUNC, 0, get_mntroot },
	[COL_HOSTNAME] = { "HOSTNAME", "hostname of a uts namespace (needs root)", COLJSON_STRING, 0, 0, 0, get_hostname },
	[COL_TIMEOFFSETS] = { "TIMEOFFSETS", "clock offsets of a time namespace", COLJSON_STRING, 0, 0, 0, get_timeoffsets },
	[COL_LEVEL] = { "LEVEL", "depth of a pid or user namespace below the outermost one visible", COLJSON_NUMBER, 0, COLFL_RIGHT, NSDB_REL_PARENT, get_level },
	[COL_NSPID] = { "NSPID", "that PID as seen in each of its pid namespaces", COLJSON_ARRAY_NUMBER, 0, 0, 0, get_nspid },
	[COL_MARK] = { "MARK", "hidden (no process in it) or context (shown to connect a tree)", COLJSON_STRING, 0, 0, 0, get_mark },
};

const char *column_json_name(enum column_json t)
{
	switch (t) {
	case COLJSON_NUMBER: return "number";
	case COLJSON_ARRAY: return "array";
	case COLJSON_ARRAY_NUMBER: return "array of numbers";
	default: return "string";
	}
}

int column_from_name(const char *name, size_t len)
{
	for (int i = 0; i < COL_COUNT; i++)
		if (strlen(column_table[i].name) == len && strncasecmp(column_table[i].name, name, len) == 0)
			return i;
	return -EINVAL;
}

int columns_parse(const char *list, int *cols, size_t *ncols, size_t max, char **ret_bad)
{
	size_t n = 0;

	*ret_bad = NULL;
	if (*list == '+') {
		n = *ncols;
		list++;
	}
	for (const char *p = list;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		int id = column_from_name(p, len);
		if (id < 0) {
			*ret_bad = strndup(p, len);
			return -EINVAL;
		}
		if (n >= max)
			return -E2BIG;
		cols[n++] = id;
		if (!comma)
			break;
		p = comma + 1;
	}
	*ncols = n;
	return 0;
}
