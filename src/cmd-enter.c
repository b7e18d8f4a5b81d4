/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nspect enter: join namespaces and run a command (nsenter-compatible). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libmount.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "lib/discover.h"
#include "lib/enter.h"
#include "lib/kernel.h"
#include "lib/relate.h"
#include "lib/scan.h"

#define CMD "enter"

enum {
	OPT_PRESERVE = 0x100,
	OPT_KEEP_CAPS,
	OPT_USER_PARENT,
	OPT_NS,
	OPT_DRY_RUN,
	OPT_CONTAINER,
};

static const struct option long_options[] = {
	{ "target", required_argument, NULL, 't' },
	{ "all", no_argument, NULL, 'a' },
	{ "mount", optional_argument, NULL, 'm' },
	{ "uts", optional_argument, NULL, 'u' },
	{ "ipc", optional_argument, NULL, 'i' },
	{ "net", optional_argument, NULL, 'n' },
	{ "pid", optional_argument, NULL, 'p' },
	{ "cgroup", optional_argument, NULL, 'C' },
	{ "user", optional_argument, NULL, 'U' },
	{ "time", optional_argument, NULL, 'T' },
	{ "net-socket", required_argument, NULL, 'N' },
	{ "user-parent", no_argument, NULL, OPT_USER_PARENT },
	{ "setuid", required_argument, NULL, 'S' },
	{ "setgid", required_argument, NULL, 'G' },
	{ "preserve-credentials", no_argument, NULL, OPT_PRESERVE },
	{ "keep-caps", no_argument, NULL, OPT_KEEP_CAPS },
	{ "root", optional_argument, NULL, 'r' },
	{ "wd", optional_argument, NULL, 'w' },
	{ "wdns", required_argument, NULL, 'W' },
	{ "env", no_argument, NULL, 'e' },
	{ "no-fork", no_argument, NULL, 'F' },
	{ "join-cgroup", no_argument, NULL, 'c' },
	{ "follow-context", no_argument, NULL, 'Z' },
	{ "ns", required_argument, NULL, OPT_NS },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "container", required_argument, NULL, OPT_CONTAINER },
	CLI_COMMON_LONGOPTS,
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void usage(void)
{
	printf("Usage:\n"
	       " nspect enter [options] [--] [<program> [<argument>...]]\n"
	       "\n"
	       "Run a program in the namespaces of another process, or in namespaces named\n"
	       "by file or inode.  Without a program, runs $SHELL.\n"
	       "\n"
	       "Options:\n"
	       " -t, --target <pid>       the process whose namespaces to enter\n"
	       "     --container <id>     the init process of a container (id, id prefix,\n"
	       "                            engine:id or name); all its namespaces by default\n"
	       " -a, --all                enter all the target's namespaces\n"
	       " -m, --mount[=<file>]     enter the mount namespace\n"
	       " -u, --uts[=<file>]       enter the UTS namespace (hostname etc.)\n"
	       " -i, --ipc[=<file>]       enter the System V IPC namespace\n"
	       " -n, --net[=<file>]       enter the network namespace\n"
	       " -p, --pid[=<file>]       enter the pid namespace\n"
	       " -C, --cgroup[=<file>]    enter the cgroup namespace\n"
	       " -U, --user[=<file>]      enter the user namespace\n"
	       " -T, --time[=<file>]      enter the time namespace\n"
	       " -N, --net-socket <fd>    enter the network namespace of the target's socket <fd>\n"
	       "     --user-parent        enter the parent of the target's user namespace\n"
	       "     --ns <namespace>     enter a namespace by inode, TYPE:INODE or nsid:ID,\n"
	       "                            even one no process is in (repeatable)\n"
	       " -S, --setuid <uid>       set the uid in the entered namespace (or follow)\n"
	       " -G, --setgid <gid>       set the gid in the entered namespace (or follow)\n"
	       "     --preserve-credentials  keep uid, gid and groups when entering a user namespace\n"
	       "     --keep-caps          keep the capabilities granted in the user namespace\n"
	       " -r, --root[=<dir>]       set the root directory (default: the target's)\n"
	       " -w, --wd[=<dir>]         set the working directory (default: the target's)\n"
	       " -W, --wdns <dir>         set the working directory inside the entered mount namespace\n"
	       " -e, --env                run with the target's environment\n"
	       " -F, --no-fork            do not fork before running the program\n"
	       " -c, --join-cgroup        join the target's cgroup\n"
	       " -Z, --follow-context     set the SELinux context of the target\n"
	       "     --dry-run            print what would be joined, and how each was found\n"
	       "\n"
	       " -h, --help               display this help\n"
	       " -V, --version            display version\n"
	       "\n"
	       "See nspect-enter(1).\n");
}

/* One namespace to enter and how the user named it. */
struct want {
	bool on;
	const char *file;     /* --TYPE=FILE */
	const char *nsarg;    /* --ns ARG */
	char how[160];        /* for --dry-run and messages */
};

struct enter_opts {
	pid_t target;
	bool all, user_parent, preserve, keep_caps, env, no_fork, join_cgroup, dry_run;
	int net_socket;             /* -N, -1 for none */
	bool root, wd;              /* -r / -w given */
	const char *root_dir, *wd_dir, *wdns;
	const char *setuid_arg, *setgid_arg;
	struct want want[NSTYPE_COUNT];
	const char *nsargs[NSTYPE_COUNT * 2];
	size_t nnsargs;
	char **argv;                /* the program and its arguments, or NULL */
	const char *container;      /* --container */
};

static int type_of_letter(int c)
{
	for (int t = 0; t < NSTYPE_COUNT; t++)
		if (nstype_table[t].enter_opt == c)
			return t;
	return -1;
}

/* Returns -1 to go on, or an exit status. */
static int parse_args(struct enter_opts *o, int argc, char **argv)
{
	int c;

	/* 0, not 1: glibc then re-reads the option string, so the main parser's
	 * "+" (stop at the command name) does not carry over to this one */
	optind = 0;
	opterr = 0;
	o->net_socket = -1;
	while ((c = getopt_long(argc, argv, "+:t:am::u::i::n::p::C::U::T::N:S:G:r::w::W:eFcZhV", long_options,
				NULL)) != -1) {
		int t = type_of_letter(c);
		if (t >= 0) {
			o->want[t].on = true;
			o->want[t].file = optarg;
			continue;
		}
		switch (c) {
		case 't':
			if (procfs_parse_pid(optarg, &o->target) < 0)
				return cli_usage_error(CMD, "invalid PID: '%s'", optarg);
			break;
		case 'a': o->all = true; break;
		case 'N': {
			uint64_t fd;
			if (procfs_parse_u64(optarg, &fd) < 0 || fd > INT32_MAX)
				return cli_usage_error(CMD, "invalid file descriptor: '%s'", optarg);
			o->net_socket = (int)fd;
			break;
		}
		case OPT_USER_PARENT: o->user_parent = true; break;
		case 'S': o->setuid_arg = optarg; break;
		case 'G': o->setgid_arg = optarg; break;
		case OPT_PRESERVE: o->preserve = true; break;
		case OPT_KEEP_CAPS: o->keep_caps = true; break;
		case 'r': o->root = true; o->root_dir = optarg; break;
		case 'w': o->wd = true; o->wd_dir = optarg; break;
		case 'W': o->wdns = optarg; break;
		case 'e': o->env = true; break;
		case 'F': o->no_fork = true; break;
		case 'c': o->join_cgroup = true; break;
		case 'Z':
			return cli_error(CMD, "--follow-context is not supported in this build (no SELinux)");
		case OPT_NS:
			if (o->nnsargs == sizeof(o->nsargs) / sizeof(*o->nsargs))
				return cli_usage_error(CMD, "too many --ns options");
			o->nsargs[o->nnsargs++] = optarg;
			break;
		case OPT_DRY_RUN: o->dry_run = true; break;
		case CLI_OPT_PROCFS: cli_common_option(c, optarg); break;
		case OPT_CONTAINER: o->container = optarg; break;
		case 'h':
			usage();
			return EXIT_OK;
		case 'V':
			return cli_version();
		default:
			return cli_option_error(CMD, c, argv);
		}
	}
	o->argv = optind < argc ? argv + optind : NULL;
	return -1;
}

/* "follow": the target's own id; else a number.  -EINVAL for anything else. */
static int parse_id(const char *arg, pid_t target, int procfd, const char *key, unsigned *ret)
{
	uint64_t v;

	if (strcmp(arg, "follow") == 0) {
		char path[32], buf[2048];
		if (!target)
			return -ESRCH;
		snprintf(path, sizeof(path), "%d/status", (int)target);
		int fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);
		ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
		if (fd >= 0)
			close(fd);
		if (n <= 0)
			return -ESRCH;
		buf[n] = '\0';
		/* "Uid:\treal\teffective\t...": the effective id */
		const char *line = strstr(buf, key);
		unsigned real, eff;
		if (!line || sscanf(line + strlen(key), "%u %u", &real, &eff) != 2)
			return -EINVAL;
		*ret = eff;
		return 0;
	}
	if (procfs_parse_u64(arg, &v) < 0 || v >= (uint64_t)(uid_t)-1)
		return -EINVAL;
	*ret = (unsigned)v;
	return 0;
}

/* The net namespace of the target's socket fd (pidfd_getfd + SIOCGSKNS). */
static int socket_ns(const struct enter_plan *p, int sockfd, int *ret_fd)
{
	int sfd = (int)syscall(__NR_pidfd_getfd, p->pidfd, sockfd, 0);
	if (sfd < 0)
		return -errno;
	int nsfd = ioctl(sfd, SIOCGSKNS);
	int err = errno;
	close(sfd);
	if (nsfd < 0)
		return err == ENOTTY || err == EINVAL ? -ENOTSOCK : -err;
	*ret_fd = nsfd;
	return 0;
}

/* Find the namespace named by arg with the scanner and open it through any holder. */
static int open_by_scan(int procfd, const char *arg, int *ret_fd, char *how, size_t howsz)
{
	int type = -1;
	uint64_t ino = 0, nsid = 0;
	bool by_id = strncmp(arg, "nsid:", 5) == 0;

	if (by_id ? procfs_parse_u64(arg + 5, &nsid) < 0 : procfs_parse_nsarg(arg, &type, &ino) < 0)
		return cli_usage_error(CMD, "invalid namespace: '%s' (expected INODE, TYPE:INODE or nsid:ID)", arg);
	struct nsdb *db = nsdb_new();
	struct scan_stats st = { 0 };
	struct discover_opts d = { .typemask = NSTYPE_ALL_MASK, .sources = SRC_DEFAULT_MASK, .nlfd = -1,
				   .what = by_id ? NSDB_REL_ID : 0, .relate_every = by_id };
	int r = db ? discover(db, procfd, &d, &st) : -ENOMEM;
	if (r < 0) {
		nsdb_free(db);
		return cli_error(CMD, "cannot look for namespace %s: %s", arg, strerror(-r));
	}
	size_t idx = NSDB_NONE;
	if (by_id) {
		for (size_t i = 0; i < db->nns && idx == NSDB_NONE; i++)
			if (db->ns[i].has_nsid && db->ns[i].nsid == nsid)
				idx = i;
	} else
		idx = type >= 0 ? nsdb_find_ns(db, (enum nstype)type, ino) : nsdb_find_ino(db, ino);
	if (idx == NSDB_NONE) {
		nsdb_free(db);
		return cli_error(CMD, "namespace %s not found: nothing we can see holds it", arg);
	}
	const struct nsdb_ns *ns = &db->ns[idx];
	int fd = relate_open_ns(db, procfd, ns);
	if (fd < 0) {
		r = cli_error(CMD, "cannot open namespace %s: %s", arg, strerror(-fd));
		nsdb_free(db);
		return r;
	}
	if (ns->rep != NSDB_NONE)
		snprintf(how, howsz, "held by process %d", (int)db->procs[ns->rep].pid);
	else if (ns->opener != NSDB_NONE) {
		const struct nsdb_holder *h = &db->holders[ns->opener];
		if (h->kind == HOLDER_MOUNT)
			snprintf(how, howsz, "bind mount %s", h->path);
		else
			snprintf(how, howsz, "%s %d of process %d", h->kind == HOLDER_THREAD ? "thread" : "fd",
				 h->kind == HOLDER_THREAD ? h->num : h->num, (int)h->pid);
	}
	nsdb_free(db);
	*ret_fd = fd;
	return 0;
}

/* Put fd into the plan as namespace t, checking its type; messages name arg. */
static int plan_put(struct enter_plan *p, struct want *w, int t, int fd, const char *what)
{
	enum nstype got;
	uint64_t ino;
	int r = enter_fd_info(fd, &got, &ino);

	if (r == -ENOTTY) {
		close(fd);
		return cli_error(CMD, "%s is not a namespace file", what);
	}
	if (r < 0) {
		close(fd);
		return cli_error(CMD, "%s: %s", what, strerror(-r));
	}
	if (t >= 0 && (int)got != t) {
		close(fd);
		return cli_error(CMD, "%s is a %s namespace, not %s", what, nstype_name(got), nstype_name((enum nstype)t));
	}
	struct enter_ns *n = &p->ns[got];
	if (n->fd >= 0 && n->ino != ino) {
		close(fd);
		return cli_error(CMD, "two different %s namespaces asked for", nstype_name(got));
	}
	if (n->fd >= 0)
		close(n->fd);
	n->fd = fd;
	n->ino = ino;
	n->wanted = true;
	(void)w;
	return 0;
}

static const char *errmsg(int r)
{
	return r == -ESRCH ? "the target process has exited" : strerror(-r);
}

/* Open every namespace asked for; the target was pinned first. */
static int build_plan(struct enter_opts *o, struct enter_plan *p, int procfd)
{
	char what[256];
	int r, fd;

	for (int t = 0; t < NSTYPE_COUNT; t++) {
		struct want *w = &o->want[t];
		bool from_all = o->all && !w->on;
		if (!w->on && !from_all)
			continue;
		if (w->file) {
			fd = open(w->file, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				return cli_error(CMD, "cannot open %s: %s", w->file, strerror(errno));
			snprintf(what, sizeof(what), "%s", w->file);
			snprintf(w->how, sizeof(w->how), "file %s", w->file);
			if ((r = plan_put(p, w, t, fd, what)) != 0)
				return r;
			continue;
		}
		if (!o->target)
			return cli_usage_error(CMD, "--%s needs --target or a file (--%s=FILE)", nstype_table[t].enter_long,
					       nstype_table[t].enter_long);
		r = enter_target_ns(p, procfd, (enum nstype)t, &fd);
		if (r == -ENOENT && from_all)
			continue; /* -a: a type this kernel lacks */
		if (r < 0)
			return cli_error(CMD, "cannot open the %s namespace of process %d: %s", nstype_name((enum nstype)t),
					 (int)o->target, errmsg(r));
		snprintf(what, sizeof(what), "the %s namespace of process %d", nstype_name((enum nstype)t), (int)o->target);
		snprintf(w->how, sizeof(w->how), "process %d%s", (int)o->target,
			 p->via_proc ? " (/proc, checked against its pidfd)" : " (pidfd)");
		if ((r = plan_put(p, w, t, fd, what)) != 0)
			return r;
		p->ns[t].from_target = true;
	}

	if (o->net_socket >= 0) {
		if (!o->target)
			return cli_usage_error(CMD, "--net-socket needs --target");
		r = socket_ns(p, o->net_socket, &fd);
		if (r < 0)
			return cli_error(CMD, "cannot get the network namespace of fd %d of process %d: %s", o->net_socket,
					 (int)o->target, r == -ENOTSOCK ? "not a socket" : errmsg(r));
		snprintf(o->want[NSTYPE_NET].how, sizeof(o->want[NSTYPE_NET].how), "socket fd %d of process %d",
			 o->net_socket, (int)o->target);
		if ((r = plan_put(p, &o->want[NSTYPE_NET], NSTYPE_NET, fd, "the socket's namespace")) != 0)
			return r;
		p->ns[NSTYPE_NET].from_target = false;
	}

	for (size_t i = 0; i < o->nnsargs; i++) {
		char how[160] = "";
		if ((r = open_by_scan(procfd, o->nsargs[i], &fd, how, sizeof(how))) != 0)
			return r;
		enum nstype got;
		uint64_t ino;
		if (enter_fd_info(fd, &got, &ino) == 0)
			snprintf(o->want[got].how, sizeof(o->want[got].how), "--ns %s, %s", o->nsargs[i], how);
		if ((r = plan_put(p, NULL, -1, fd, o->nsargs[i])) != 0)
			return r;
		if (enter_fd_info(p->ns[got].fd, &got, &ino) == 0)
			p->ns[got].from_target = false;
	}

	if (o->user_parent) {
		struct enter_ns *u = &p->ns[NSTYPE_USER];
		if (u->fd < 0)
			return cli_usage_error(CMD, "--user-parent needs a user namespace (--user or --all)");
		fd = ioctl(u->fd, NS_GET_PARENT);
		if (fd < 0)
			return cli_error(CMD, "cannot get the parent of user namespace %llu: %s", (unsigned long long)u->ino,
					 errno == EPERM ? "it is the initial one, or its parent is outside our view"
							: strerror(errno));
		/* it replaces the user namespace chosen above, so plan_put's
		 * "two different namespaces" check does not apply */
		enum nstype got;
		uint64_t ino;
		if (enter_fd_info(fd, &got, &ino) < 0 || got != NSTYPE_USER) {
			close(fd);
			return cli_error(CMD, "the parent of user namespace %llu is not a user namespace",
					 (unsigned long long)u->ino);
		}
		close(u->fd);
		u->fd = fd;
		u->ino = ino;
		u->from_target = false;
		strncat(o->want[NSTYPE_USER].how, ", its parent", sizeof(o->want[NSTYPE_USER].how) - 1 -
			strlen(o->want[NSTYPE_USER].how));
	}

	/* everything taken from /proc is the pinned process's only if it is still alive now */
	if (enter_check_alive(p) < 0)
		return cli_error(CMD, "process %d exited before its namespaces could be entered", (int)o->target);

	/* joining our own user namespace fails: leave it out, as nsenter does */
	uint64_t own_user = nsdb_own_ns(procfd, NSTYPE_USER);
	if (p->ns[NSTYPE_USER].wanted && p->ns[NSTYPE_USER].ino == own_user)
		p->ns[NSTYPE_USER].skipped = true;
	bool any = false;
	for (int t = 0; t < NSTYPE_COUNT; t++)
		any = any || p->ns[t].wanted;
	if (!any && !o->root && !o->wd && !o->wdns && !o->join_cgroup)
		return cli_usage_error(CMD, "no namespace to enter (use --all, a --TYPE option or --ns)");
	return 0;
}

static int open_dir(const char *cmd, int procfd, const char *dir, pid_t target, const char *link, int *ret_fd)
{
	char path[48];
	int fd;

	if (dir)
		fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	else if (target) {
		snprintf(path, sizeof(path), "%d/%s", (int)target, link);
		fd = openat(procfd, path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	} else
		return cli_usage_error(cmd, "--%s without a directory needs --target", strcmp(link, "cwd") ? "root" : "wd");
	if (fd < 0)
		return cli_error(cmd, "cannot open %s: %s", dir ? dir : link, strerror(errno));
	*ret_fd = fd;
	return 0;
}

/* The target's environment, NUL-separated, as a NULL-terminated vector (malloc'd). */
static char **read_environ(int procfd, pid_t pid)
{
	char path[32];
	size_t len = 0, cap = 65536;
	char *buf = malloc(cap);

	snprintf(path, sizeof(path), "%d/environ", (int)pid);
	int fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || !buf) {
		if (fd >= 0)
			close(fd);
		free(buf);
		return NULL;
	}
	for (;;) {
		if (len + 1 >= cap) {
			char *nb = realloc(buf, cap * 2);
			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
		ssize_t n = read(fd, buf + len, cap - len - 1);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	size_t count = 0;
	for (size_t i = 0; i < len; i++)
		count += buf[i] == '\0';
	char **env = calloc(count + 2, sizeof(*env));
	if (!env) {
		free(buf);
		return NULL;
	}
	size_t k = 0;
	for (size_t i = 0; i < len; i += strlen(buf + i) + 1)
		if (buf[i])
			env[k++] = buf + i;
	/* buf stays allocated: env points into it until exec */
	return env;
}

static int join_cgroup(int procfd, pid_t target)
{
	char path[64], buf[4096];
	snprintf(path, sizeof(path), "%d/cgroup", (int)target);
	int fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -errno;
	buf[n] = '\0';
	/* cgroup v2: the line "0::/path" */
	char *line = strstr(buf, "0::");
	if (!line)
		return -EOPNOTSUPP;
	char *nl = strchr(line, '\n');
	if (nl)
		*nl = '\0';
	/* where cgroup2 is mounted: /sys/fs/cgroup, or /sys/fs/cgroup/unified on hybrid hosts */
	struct libmnt_table *tb = mnt_new_table_from_file("/proc/self/mountinfo");
	struct libmnt_fs *fs = tb ? mnt_table_find_pair(tb, "cgroup2", "/sys/fs/cgroup", MNT_ITER_FORWARD) : NULL;
	const char *mnt = NULL;
	if (tb && !fs) {
		struct libmnt_iter *it = mnt_new_iter(MNT_ITER_FORWARD);
		while (it && mnt_table_next_fs(tb, it, &fs) == 0)
			if (strcmp(mnt_fs_get_fstype(fs) ? mnt_fs_get_fstype(fs) : "", "cgroup2") == 0)
				break;
			else
				fs = NULL;
		mnt_free_iter(it);
	}
	if (fs)
		mnt = mnt_fs_get_target(fs);
	char procs[4200];
	snprintf(procs, sizeof(procs), "%s%s/cgroup.procs", mnt ? mnt : "/sys/fs/cgroup", line + 3);
	mnt_unref_table(tb);
	fd = open(procs, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int ok = dprintf(fd, "%d\n", (int)getpid()) > 0;
	int err = errno;
	close(fd);
	return ok ? 0 : -err;
}

/* Does container c answer to what the user typed: id prefix, engine:id prefix, or name? */
/* 0: arg does not name c; 1: a prefix of its id or name; 2: all of it. */
static int container_match(const struct container_info *c, const char *arg)
{
	size_t elen = strlen(c->engine);
	if (strncmp(arg, c->engine, elen) == 0 && arg[elen] == ':')
		arg += elen + 1;
	if (!*arg || strncmp(c->id, arg, strlen(arg)) != 0)
		return 0;
	return c->id[strlen(arg)] ? 1 : 2;
}

/* Whether c is a container arg names: when one container's whole name is
 * given, only that one, even if it begins another's ("web" and "web1"). */
static bool container_matches(const struct container_info *c, const char *arg, int level)
{
	return c && !c->monitor && !c->service && container_match(c, arg) >= level;
}

/*
 * The init process of the one container that arg names: the process of the
 * container whose parent is outside it (the lowest such pid).  Several
 * containers matching: list them and fail, never guess.
 */
static int find_container(int procfd, const char *arg, pid_t *ret)
{
	struct nsdb *db = nsdb_new();
	struct scan_stats st = { 0 };
	int r = db ? scan_procs(db, procfd, 1u << NSTYPE_PID, 1u << SRC_PROCS, &st) : -ENOMEM;
	const struct container_info *found = NULL;
	bool several = false;
	pid_t init = 0;

	if (r < 0) {
		nsdb_free(db);
		return cli_error(CMD, "cannot scan /proc: %s", strerror(-r));
	}
	int level = 1;
	for (size_t i = 0; i < db->nprocs; i++) {
		const struct container_info *c = scan_container(procfd, &db->procs[i]);
		if (container_matches(c, arg, 2))
			level = 2;
	}
	for (size_t i = 0; i < db->nprocs; i++) {
		const struct container_info *c = db->procs[i].container;
		if (!container_matches(c, arg, level))
			continue;
		if (found && (strcmp(found->id, c->id) != 0 || strcmp(found->engine, c->engine) != 0))
			several = true;
		if (!found)
			found = c;
	}
	if (several) {
		fprintf(stderr, "nspect enter: '%s' matches several containers:\n", arg);
		/* each container once, in the order found */
		for (size_t i = 0; i < db->nprocs; i++) {
			const struct container_info *c = db->procs[i].container;
			if (!container_matches(c, arg, level))
				continue;
			bool seen = false;
			for (size_t j = 0; j < i && !seen; j++) {
				const struct container_info *d = db->procs[j].container;
				seen = container_matches(d, arg, level) &&
				       strcmp(d->id, c->id) == 0 && strcmp(d->engine, c->engine) == 0;
			}
			if (!seen)
				fprintf(stderr, "  %s:%s\n", c->engine, c->id);
		}
		nsdb_free(db);
		return EXIT_FAIL;
	}
	if (!found) {
		nsdb_free(db);
		return cli_error(CMD, "no container matches '%s'", arg);
	}
	for (size_t i = 0; i < db->nprocs && !init; i++) {
		const struct container_info *c = db->procs[i].container;
		if (!c || strcmp(c->id, found->id) != 0 || strcmp(c->engine, found->engine) != 0 || c->monitor)
			continue;
		if (!scan_proc_info(procfd, &db->procs[i]))
			continue;
		size_t pp = nsdb_find_proc(db, db->procs[i].ppid);
		const struct container_info *pc = pp != NSDB_NONE ? scan_container(procfd, &db->procs[pp]) : NULL;
		/* a monitor of the same container (nspawn's supervisor) is outside it */
		if (!pc || pc->monitor || strcmp(pc->id, found->id) != 0)
			init = db->procs[i].pid;
	}
	nsdb_free(db);
	if (!init)
		return cli_error(CMD, "container '%s' has no process left", arg);
	*ret = init;
	return 0;
}

static volatile pid_t child_pid;

static void forward_signal(int sig)
{
	if (child_pid > 0)
		kill(child_pid, sig);
}

/* Wait for the child as a shell would see it: its stops, its status, its death by signal. */
static int wait_child(pid_t pid)
{
	static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCONT };
	struct sigaction sa;

	child_pid = pid;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = forward_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(*forwarded); i++)
		sigaction(forwarded[i], &sa, NULL);

	for (;;) {
		int st;
		pid_t r = waitpid(pid, &st, WUNTRACED);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return EXIT_FAIL;
		}
		if (WIFSTOPPED(st)) {
			/* stop ourselves too; SIGCONT to us is forwarded to the child */
			raise(SIGSTOP);
			continue;
		}
		if (WIFEXITED(st))
			return WEXITSTATUS(st);
		if (WIFSIGNALED(st)) {
			int sig = WTERMSIG(st);
			/* die the same way, without leaving a core of our own */
			struct rlimit nocore = { 0, 0 };
			setrlimit(RLIMIT_CORE, &nocore);
			signal(sig, SIG_DFL);
			sigset_t set;
			sigemptyset(&set);
			sigaddset(&set, sig);
			sigprocmask(SIG_UNBLOCK, &set, NULL);
			raise(sig);
			return 128 + sig;
		}
	}
}

static const char *default_shell(void)
{
	const char *sh = getenv("SHELL");
	if (sh && *sh)
		return sh;
	struct passwd *pw = getpwuid(getuid());
	if (pw && pw->pw_shell && *pw->pw_shell)
		return pw->pw_shell;
	return "/bin/sh";
}

static void print_plan(const struct enter_opts *o, const struct enter_plan *p, bool will_fork)
{
	printf("TYPE   NS          HOW\n");
	for (int t = 0; t < NSTYPE_COUNT; t++) {
		const struct enter_ns *n = &p->ns[t];
		if (!n->wanted)
			continue;
		printf("%-6s %-11llu %s%s\n", nstype_name((enum nstype)t), (unsigned long long)n->ino,
		       o->want[t].how[0] ? o->want[t].how : "-", n->skipped ? " [skipped: already ours]" : "");
	}
	printf("join: %s\n", enter_joins_by_pidfd(p)  ? "one setns(pidfd) for all of them"
			      : !enter_pidfd_allowed() ? "per fd (pidfd disabled)"
						       : "per fd (not every namespace is the target's)");
	printf("fork: %s\n", will_fork ? "yes (pid or time namespace)" : "no");
}

int cmd_enter(int argc, char **argv)
{
	struct enter_opts o;
	struct enter_plan p;
	int procfd, rootfd = -1, wdfd = -1, r, ret = EXIT_FAIL;
	unsigned uid = 0, gid = 0;
	char **env = NULL;

	memset(&o, 0, sizeof(o));
	r = parse_args(&o, argc, argv);
	if (r >= 0)
		return r;
	enter_plan_init(&p);
	procfd = cli_open_proc(CMD);
	if (procfd < 0)
		return EXIT_FAIL;

	/* security: never act as a setuid-root helper for someone else */
	if (getuid() != geteuid() || getgid() != getegid()) {
		cli_error(CMD, "refusing to run with real and effective ids differing (setuid/setgid)");
		goto out;
	}
	if (o.container) {
		if (o.target) {
			cli_usage_error(CMD, "--container and --target are mutually exclusive");
			goto out;
		}
		if (find_container(procfd, o.container, &o.target) != 0)
			goto out;
		bool any = o.nnsargs > 0 || o.net_socket >= 0 || o.user_parent;
		for (int t = 0; t < NSTYPE_COUNT; t++)
			any = any || o.want[t].on;
		/* a container is entered whole unless namespaces are named */
		if (!any)
			o.all = true;
	}
	if (o.all && !o.target) {
		cli_usage_error(CMD, "--all needs --target");
		goto out;
	}
	/* the target's environment and cgroup: without a target there is none,
	 * and running the program anyway would hide the mistake */
	if ((o.env || o.join_cgroup) && !o.target) {
		cli_usage_error(CMD, "%s needs --target", o.env ? "--env" : "--join-cgroup");
		goto out;
	}
	/* two working directories: one of them would be silently dropped */
	if (o.wd && o.wdns) {
		cli_usage_error(CMD, "--wd and --wdns are mutually exclusive");
		goto out;
	}
	if (o.target) {
		r = enter_pin(&p, o.target);
		if (r < 0) {
			cli_no_process(CMD, o.target);
			goto out;
		}
	}
	if (o.setuid_arg && parse_id(o.setuid_arg, o.target, procfd, "Uid:", &uid) < 0) {
		cli_usage_error(CMD, "invalid uid: '%s' (a number, or follow with --target)", o.setuid_arg);
		goto out;
	}
	if (o.setgid_arg && parse_id(o.setgid_arg, o.target, procfd, "Gid:", &gid) < 0) {
		cli_usage_error(CMD, "invalid gid: '%s' (a number, or follow with --target)", o.setgid_arg);
		goto out;
	}
	if (build_plan(&o, &p, procfd) != 0)
		goto out;

	/* directories are opened before joining, so they may lead back out of a mount namespace */
	if (o.root && open_dir(CMD, procfd, o.root_dir, o.target, "root", &rootfd) != 0)
		goto out;
	if (o.wd && open_dir(CMD, procfd, o.wd_dir, o.target, "cwd", &wdfd) != 0)
		goto out;
	if (o.env && o.target && !(env = read_environ(procfd, o.target))) {
		cli_error(CMD, "cannot read the environment of process %d", (int)o.target);
		goto out;
	}

	bool entering_user = p.ns[NSTYPE_USER].wanted && !p.ns[NSTYPE_USER].skipped;
	bool will_fork = !o.no_fork && ((p.ns[NSTYPE_PID].wanted) || (p.ns[NSTYPE_TIME].wanted));
	if (o.dry_run) {
		print_plan(&o, &p, will_fork);
		ret = EXIT_OK;
		goto out;
	}
	if (o.join_cgroup && o.target && (r = join_cgroup(procfd, o.target)) < 0) {
		cli_error(CMD, "cannot join the cgroup of process %d: %s", (int)o.target, strerror(-r));
		goto out;
	}

	int failed;
	r = enter_join(&p, enter_pidfd_allowed(), geteuid() != 0, &failed);
	if (r < 0) {
		if (failed >= 0)
			cli_error(CMD, "cannot join %s namespace %llu: %s", nstype_name((enum nstype)failed),
				  (unsigned long long)p.ns[failed].ino, strerror(-r));
		else
			cli_error(CMD, "cannot join the namespaces: %s", strerror(-r));
		goto out;
	}

	if (rootfd >= 0 && (fchdir(rootfd) < 0 || chroot(".") < 0)) {
		cli_error(CMD, "cannot change root directory: %s", strerror(errno));
		goto out;
	}
	if (wdfd >= 0 ? fchdir(wdfd) < 0 : (o.wdns ? chdir(o.wdns) < 0 : (rootfd >= 0 && chdir("/") < 0))) {
		cli_error(CMD, "cannot change working directory: %s", strerror(errno));
		goto out;
	}

	if (o.keep_caps)
		prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0);
	if (entering_user && !o.preserve) {
		r = enter_set_creds(uid, gid, true);
		if (r < 0) {
			cli_error(CMD, "cannot set uid %u and gid %u in the user namespace: %s", uid, gid, strerror(-r));
			goto out;
		}
	} else if (o.setuid_arg || o.setgid_arg) {
		r = enter_set_creds(o.setuid_arg ? uid : getuid(), o.setgid_arg ? gid : getgid(), o.setgid_arg != NULL);
		if (r < 0) {
			cli_error(CMD, "cannot set uid or gid: %s", strerror(-r));
			goto out;
		}
	}
	if (o.keep_caps && (r = enter_keep_caps()) < 0) {
		cli_error(CMD, "cannot keep capabilities: %s", strerror(-r));
		goto out;
	}

	const char *shell = default_shell();
	char *shell_argv[] = { (char *)shell, NULL };
	char **cmd = o.argv ? o.argv : shell_argv;
	if (env) {
		clearenv();
		for (char **e = env; *e; e++)
			putenv(*e);
	}
	enter_plan_close(&p);
	/* the program gets stdin, stdout and stderr, and nothing else */
	syscall(__NR_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
	fflush(NULL);

	if (will_fork) {
		pid_t pid = fork();
		if (pid < 0) {
			cli_error(CMD, "cannot fork: %s", strerror(errno));
			goto out;
		}
		if (pid > 0) {
			ret = wait_child(pid);
			/*
			 * Leave without exit handlers: this process joined the pid
			 * (or time) namespace for its children, so any helper an
			 * exit handler forks is born there and cannot reach us
			 * (LeakSanitizer's tracer in the sanitizer build hangs on
			 * exactly that).  Nothing is buffered: flush and go.
			 */
			fflush(NULL);
			_exit(ret);
		}
	}
	execvp(cmd[0], cmd);
	int err = errno;
	cli_error(CMD, "cannot run '%s': %s", cmd[0], strerror(err));
	/* as a shell does: 127 not found, 126 found but not runnable */
	_exit(err == ENOENT ? 127 : 126);
out:
	enter_plan_close(&p);
	if (rootfd >= 0)
		close(rootfd);
	if (wdfd >= 0)
		close(wdfd);
	close(procfd);
	return ret;
}
