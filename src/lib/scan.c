/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kernel.h"
#include "scan.h"

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* The namespace links under dir ("PID/" or "PID/task/TID/"), relative to procfd. */
static int read_links(int procfd, const char *dir, unsigned typemask, struct nsdb_proc *ret)
{
	char path[96], buf[128];
	int found = 0, denied = 0;

	/*
	 * One readlinkat per link, relative to /proc: no directory fds to open
	 * and close, which is half the syscalls of the obvious scan.
	 */
	int plen = snprintf(path, sizeof(path), "%sns/", dir);
	for (int t = 0; t < NSTYPE_COUNT; t++) {
		enum nstype type;
		uint64_t ino;

		if (!(typemask & (1u << t)))
			continue;
		strcpy(path + plen, nstype_table[t].name);
		ssize_t n = readlinkat(procfd, path, buf, sizeof(buf));
		if (n < 0) {
			/* ENOENT alone: this kernel lacks the type, or the task is gone */
			if (errno == EACCES || errno == EPERM)
				denied = 1;
			continue;
		}
		if (procfs_parse_nslink(buf, (size_t)n, &type, &ino) < 0 || (int)type != t)
			continue;
		ret->ns[t] = ino;
		found++;
	}
	if (found)
		return 0;
	if (denied)
		return -EACCES;
	return -ENOENT; /* zombie or exited: no namespaces left to report */
}

int scan_proc_ns(int procfd, pid_t pid, unsigned typemask, struct nsdb_proc *ret)
{
	char dir[24];

	memset(ret, 0, sizeof(*ret));
	ret->pid = pid;
	snprintf(dir, sizeof(dir), "%d/", (int)pid);
	return read_links(procfd, dir, typemask, ret);
}

bool scan_proc_info(int procfd, struct nsdb_proc *p)
{
	char path[32], buf[512];
	struct stat st;
	struct procfs_stat ps;

	if (p->info_loaded)
		return p->info_ok;
	p->info_loaded = true;

	snprintf(path, sizeof(path), "%d", (int)p->pid);
	int dfd = openat(procfd, path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return false;
	/* /proc/PID is owned by the process's effective uid, as lsns reports it */
	int fd = fstat(dfd, &st) == 0 ? openat(dfd, "stat", O_RDONLY | O_CLOEXEC | O_NOCTTY) : -1;
	close(dfd);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n <= 0 || procfs_parse_stat(buf, (size_t)n, &ps) < 0)
		return false;
	p->uid = st.st_uid;
	p->ppid = ps.ppid;
	memcpy(p->comm, ps.comm, sizeof(p->comm));
	p->info_ok = true;
	return true;
}

/* Numeric entries of /proc, in the kernel's (ascending pid) order. */
static int list_pids(int procfd, pid_t **ret, size_t *ret_n)
{
	char buf[32768];
	pid_t *pids = NULL;
	size_t n = 0, cap = 0;
	int r = 0;
	int dfd = openat(procfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (dfd < 0)
		return -errno;
	for (;;) {
		long len = syscall(SYS_getdents64, dfd, buf, sizeof(buf));
		if (len < 0) {
			r = -errno;
			break;
		}
		if (len == 0)
			break;
		for (long off = 0; off < len;) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
			pid_t pid;

			off += d->d_reclen;
			if (d->d_name[0] < '1' || d->d_name[0] > '9' || procfs_parse_pid(d->d_name, &pid) < 0)
				continue;
			if (n == cap) {
				size_t ncap = cap ? cap * 2 : 1024;
				pid_t *np = reallocarray(pids, ncap, sizeof(*np));
				if (!np) {
					r = -ENOMEM;
					goto out;
				}
				pids = np;
				cap = ncap;
			}
			pids[n++] = pid;
		}
	}
out:
	close(dfd);
	if (r < 0) {
		free(pids);
		return r;
	}
	*ret = pids;
	*ret_n = n;
	return 0;
}

const struct scan_source_info scan_sources[SRC_COUNT] = {
	[SRC_PROCS] = { "procs", "namespaces of every process (/proc/PID/ns)" },
	[SRC_THREADS] = { "threads", "namespaces of threads that left their process's" },
	[SRC_FDS] = { "fds", "namespaces held by open file descriptors" },
	[SRC_SOCKETS] = { "sockets", "network namespaces of sockets (needs ptrace rights)" },
	[SRC_MOUNTS] = { "mounts", "nsfs bind mounts in every mount namespace" },
	[SRC_ANCESTORS] = { "ancestors", "owners and parents that nothing else holds" },
	[SRC_LISTNS] = { "listns", "the kernel's list of active namespaces (Linux 6.19+)" },
};

int scan_parse_sources(const char *list, unsigned *ret_mask, char **ret_bad)
{
	unsigned mask = 0;

	*ret_bad = NULL;
	for (const char *p = list;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		int found = -1;

		if (len == 3 && strncmp(p, "all", 3) == 0)
			mask |= SRC_ALL_MASK;
		else {
			for (int i = 0; i < SRC_COUNT; i++)
				if (strlen(scan_sources[i].name) == len && strncmp(scan_sources[i].name, p, len) == 0)
					found = i;
			if (found < 0) {
				*ret_bad = strndup(p, len);
				return -EINVAL;
			}
			mask |= 1u << found;
		}
		if (!comma)
			break;
		p = comma + 1;
	}
	*ret_mask = mask;
	return 0;
}

/* A socket fd seen in the scan; its namespace is asked afterwards. */
struct socket_seen {
	pid_t pid;
	int fd;
	uint64_t sockino;
};

/* What one worker found beyond the processes themselves. */
struct scan_found {
	struct nsdb_holder *holders;
	size_t nholders, holders_cap;
	struct socket_seen *sockets;
	size_t nsockets, sockets_cap;
	unsigned fds_denied;
	int err; /* -ENOMEM, the only failure that stops a scan */
};

static void *vec_push(void **arr, size_t *n, size_t *cap, size_t elsize)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		void *na = reallocarray(*arr, ncap, elsize);
		if (!na)
			return NULL;
		*arr = na;
		*cap = ncap;
	}
	return (char *)*arr + (*n)++ * elsize;
}

static void found_holder(struct scan_found *f, const struct nsdb_holder *h)
{
	struct nsdb_holder *slot = vec_push((void **)&f->holders, &f->nholders, &f->holders_cap, sizeof(*slot));
	if (!slot)
		f->err = -ENOMEM;
	else
		*slot = *h;
}

/* Each numeric entry of the directory open at dfd (consumes dfd). */
static int for_each_number(int dfd, void (*fn)(void *arg, int n), void *arg)
{
	char buf[8192];

	for (;;) {
		long len = syscall(SYS_getdents64, dfd, buf, sizeof(buf));
		if (len <= 0) {
			int r = len < 0 ? -errno : 0;
			close(dfd);
			return r;
		}
		for (long off = 0; off < len;) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
			uint64_t v;
			off += d->d_reclen;
			if (d->d_name[0] >= '0' && d->d_name[0] <= '9' && procfs_parse_u64(d->d_name, &v) == 0 &&
			    v <= INT32_MAX)
				fn(arg, (int)v);
		}
	}
}

struct per_proc {
	int procfd;
	unsigned typemask, sources;
	const struct nsdb_proc *p;
	struct scan_found *f;
	int dfd; /* the fd directory, for readlinkat */
};

static void one_thread(void *arg, int tid)
{
	struct per_proc *pp = arg;
	struct nsdb_proc t;

	char dir[48];

	if (tid == pp->p->pid)
		return;
	memset(&t, 0, sizeof(t));
	snprintf(dir, sizeof(dir), "%d/task/%d/", (int)pp->p->pid, tid);
	if (read_links(pp->procfd, dir, pp->typemask, &t) < 0)
		return;
	for (int k = 0; k < NSTYPE_COUNT; k++) {
		if (!t.ns[k] || t.ns[k] == pp->p->ns[k])
			continue;
		struct nsdb_holder h = { .type = (enum nstype)k, .ino = t.ns[k], .kind = HOLDER_THREAD,
					 .pid = pp->p->pid, .num = tid };
		found_holder(pp->f, &h);
	}
}

static void scan_threads_of(int procfd, unsigned typemask, const struct nsdb_proc *p, struct scan_found *f)
{
	char path[32];
	struct stat st;

	/* the task directory's link count is 2 + the number of threads: one call skips most processes */
	snprintf(path, sizeof(path), "%d/task", (int)p->pid);
	if (fstatat(procfd, path, &st, 0) < 0 || st.st_nlink <= 3)
		return;
	int dfd = openat(procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return;
	struct per_proc pp = { procfd, typemask, 0, p, f, -1 };
	for_each_number(dfd, one_thread, &pp);
}

static void one_fd(void *arg, int fd)
{
	struct per_proc *pp = arg;
	char name[16], buf[128];
	enum nstype type;
	uint64_t ino;

	snprintf(name, sizeof(name), "%d", fd);
	ssize_t n = readlinkat(pp->dfd, name, buf, sizeof(buf));
	if (n <= 0)
		return;
	if (buf[0] == 's' && n > 9 && memcmp(buf, "socket:[", 8) == 0) {
		if (!(pp->sources & (1u << SRC_SOCKETS)))
			return;
		buf[n - 1] = '\0';
		if (procfs_parse_u64(buf + 8, &ino) == 0) {
			struct socket_seen *s = vec_push((void **)&pp->f->sockets, &pp->f->nsockets,
							 &pp->f->sockets_cap, sizeof(*s));
			if (!s)
				pp->f->err = -ENOMEM;
			else
				*s = (struct socket_seen){ pp->p->pid, fd, ino };
		}
		return;
	}
	if (!(pp->sources & (1u << SRC_FDS)) || buf[0] == '/' ||
	    procfs_parse_nslink(buf, (size_t)n, &type, &ino) < 0)
		return;
	if (!(pp->typemask & (1u << type)))
		return;
	struct nsdb_holder h = { .type = type, .ino = ino, .kind = HOLDER_FD, .pid = pp->p->pid, .num = fd };
	found_holder(pp->f, &h);
}

static void scan_fds_of(int procfd, unsigned typemask, unsigned sources, const struct nsdb_proc *p,
			struct scan_found *f)
{
	char path[32];

	snprintf(path, sizeof(path), "%d/fd", (int)p->pid);
	int dfd = openat(procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		if (errno == EACCES || errno == EPERM)
			f->fds_denied++;
		return;
	}
	struct per_proc pp = { procfd, typemask, sources, p, f, dfd };
	for_each_number(dfd, one_fd, &pp);
}

struct scan_job {
	int procfd;
	unsigned typemask, sources;
	const pid_t *pids;
	struct nsdb_proc *out;
	int *res;
	size_t begin, end;
	struct scan_found found;
};

static void *scan_range(void *arg)
{
	struct scan_job *j = arg;
	for (size_t i = j->begin; i < j->end; i++) {
		j->res[i] = scan_proc_ns(j->procfd, j->pids[i], j->typemask, &j->out[i]);
		if (j->res[i] < 0)
			continue;
		if (j->sources & (1u << SRC_THREADS))
			scan_threads_of(j->procfd, j->typemask, &j->out[i], &j->found);
		if (j->sources & ((1u << SRC_FDS) | (1u << SRC_SOCKETS)))
			scan_fds_of(j->procfd, j->typemask, j->sources, &j->out[i], &j->found);
	}
	return NULL;
}

/* Below this many processes a second thread costs more than it saves. */
#define SCAN_MIN_PER_THREAD 256
#define SCAN_MAX_THREADS 8

static unsigned scan_threads(size_t n)
{
	const char *env = getenv("NSPECT_SCAN_THREADS");
	long want = env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);

	if (want < 1)
		want = 1;
	if (want > SCAN_MAX_THREADS)
		want = SCAN_MAX_THREADS;
	if (!env && (size_t)want > n / SCAN_MIN_PER_THREAD)
		want = (long)(n / SCAN_MIN_PER_THREAD) ? (long)(n / SCAN_MIN_PER_THREAD) : 1;
	return (unsigned)want;
}

/*
 * The net namespace of each socket seen, when it is not its process's:
 * a namespace can live on in a socket alone.  Each socket inode is asked
 * once, through a pidfd of one process that has it.
 */
static int resolve_sockets(struct nsdb *db, struct socket_seen *socks, size_t n)
{
	size_t nslots = 64;
	while (nslots < n * 2)
		nslots *= 2;
	uint64_t *seen = calloc(nslots, sizeof(*seen));
	int pidfd = -1, r = 0;
	pid_t pidfd_pid = 0;

	if (!seen)
		return -ENOMEM;
	for (size_t i = 0; i < n && r == 0; i++) {
		struct socket_seen *s = &socks[i];
		size_t h = (size_t)(s->sockino * 0x9e3779b97f4a7c15ULL) & (nslots - 1);
		while (seen[h] && seen[h] != s->sockino)
			h = (h + 1) & (nslots - 1);
		if (seen[h])
			continue;
		seen[h] = s->sockino;

		if (pidfd_pid != s->pid) {
			if (pidfd >= 0)
				close(pidfd);
			pidfd = (int)syscall(__NR_pidfd_open, s->pid, 0);
			pidfd_pid = s->pid;
		}
		if (pidfd < 0)
			continue;
		int sfd = (int)syscall(__NR_pidfd_getfd, pidfd, s->fd, 0);
		if (sfd < 0)
			continue;
		int nsfd = ioctl(sfd, SIOCGSKNS);
		close(sfd);
		if (nsfd < 0)
			continue;
		struct stat st;
		int ok = fstat(nsfd, &st) == 0;
		close(nsfd);
		size_t pi = nsdb_find_proc(db, s->pid);
		if (!ok || (pi != NSDB_NONE && db->procs[pi].ns[NSTYPE_NET] == st.st_ino))
			continue;
		struct nsdb_holder hd = { .type = NSTYPE_NET, .ino = st.st_ino, .kind = HOLDER_SOCKET,
					  .pid = s->pid, .num = s->fd };
		r = nsdb_add_holder(db, &hd);
	}
	if (pidfd >= 0)
		close(pidfd);
	free(seen);
	return r;
}

int scan_procs(struct nsdb *db, int procfd, unsigned typemask, unsigned sources, struct scan_stats *stats)
{
	pid_t *pids = NULL;
	size_t n = 0;
	unsigned nthreads = 0;
	struct scan_job jobs[SCAN_MAX_THREADS];
	int r = list_pids(procfd, &pids, &n);

	if (r < 0)
		return r;
	struct nsdb_proc *out = calloc(n ? n : 1, sizeof(*out));
	int *res = calloc(n ? n : 1, sizeof(*res));
	if (!out || !res) {
		r = -ENOMEM;
		goto out;
	}
	if (!(sources & (1u << SRC_PROCS)))
		goto index; /* nothing from processes: an empty model for the other sources */

	nthreads = scan_threads(n);
	pthread_t tids[SCAN_MAX_THREADS];
	unsigned started = 0;
	for (unsigned t = 0; t < nthreads; t++) {
		jobs[t] = (struct scan_job){ .procfd = procfd, .typemask = typemask, .sources = sources,
					     .pids = pids, .out = out, .res = res,
					     .begin = n * t / nthreads, .end = n * (t + 1) / nthreads };
	}
	for (unsigned t = 0; t + 1 < nthreads; t++) {
		/* the caller's thread takes the last range; the others a thread each when one can be had */
		if (pthread_create(&tids[t], NULL, scan_range, &jobs[t]) != 0)
			break;
		started = t + 1;
	}
	for (unsigned t = started; t < nthreads; t++)
		scan_range(&jobs[t]);
	for (unsigned t = 0; t < started; t++)
		pthread_join(tids[t], NULL);

	/* merge in pid order, single-threaded: the model has one writer */
	for (size_t i = 0; i < n; i++) {
		if (res[i] == 0) {
			r = nsdb_add_proc(db, &out[i]);
			if (r < 0)
				goto out;
		} else if (scan_errno_denied(res[i]))
			stats->denied++;
		else
			stats->vanished++;
	}
index:
	r = nsdb_index(db);
	for (unsigned t = 0; t < nthreads && r == 0; t++) {
		struct scan_found *f = &jobs[t].found;
		r = f->err;
		stats->fds_denied += f->fds_denied;
		for (size_t i = 0; i < f->nholders && r == 0; i++) {
			r = nsdb_add_holder(db, &f->holders[i]);
		}
	}
	for (unsigned t = 0; t < nthreads && r == 0; t++)
		if (jobs[t].found.nsockets)
			r = resolve_sockets(db, jobs[t].found.sockets, jobs[t].found.nsockets);
out:
	for (unsigned t = 0; t < nthreads; t++) {
		free(jobs[t].found.holders);
		free(jobs[t].found.sockets);
	}
	free(res);
	free(out);
	free(pids);
	return r;
}

const char *scan_cmdline(int procfd, struct nsdb_proc *p)
{
	char path[32], raw[8192], out[sizeof(raw) * 4 + 1];
	ssize_t n = -1;

	if (p->cmdline_loaded)
		return p->cmdline ? p->cmdline : "";
	p->cmdline_loaded = true;

	snprintf(path, sizeof(path), "%d/cmdline", (int)p->pid);
	int fd = openat(procfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd >= 0) {
		n = read(fd, raw, sizeof(raw));
		close(fd);
	}
	if (n > 0 && procfs_format_cmdline(raw, (size_t)n, out, sizeof(out)) > 0) {
		p->cmdline = strdup(out);
	} else {
		/* kernel threads and exited processes: the name from stat */
		scan_proc_info(procfd, p);
		p->cmdline = strdup(p->comm);
	}
	return p->cmdline ? p->cmdline : "";
}

const struct container_info *scan_container(int procfd, struct nsdb_proc *p)
{
	char path[32], buf[8192];
	struct container_info c;

	if (p->container_loaded)
		return p->container;
	p->container_loaded = true;
	snprintf(path, sizeof(path), "%d/cgroup", (int)p->pid);
	int fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	ssize_t n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n <= 0 || container_from_cgroup(buf, (size_t)n, &c) < 0)
		return NULL;
	p->container = malloc(sizeof(c));
	if (p->container)
		*p->container = c;
	return p->container;
}
