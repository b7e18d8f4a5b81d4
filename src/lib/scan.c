/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "scan.h"

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

int scan_proc_ns(int procfd, pid_t pid, unsigned typemask, struct nsdb_proc *ret)
{
	char path[64], buf[128];
	int found = 0, denied = 0;

	memset(ret, 0, sizeof(*ret));
	ret->pid = pid;
	/*
	 * One readlinkat per link, relative to /proc: no directory fds to open
	 * and close, which is half the syscalls of the obvious scan.
	 */
	int plen = snprintf(path, sizeof(path), "%d/ns/", (int)pid);
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

struct scan_job {
	int procfd;
	unsigned typemask;
	const pid_t *pids;
	struct nsdb_proc *out;
	int *res;
	size_t begin, end;
};

static void *scan_range(void *arg)
{
	struct scan_job *j = arg;
	for (size_t i = j->begin; i < j->end; i++)
		j->res[i] = scan_proc_ns(j->procfd, j->pids[i], j->typemask, &j->out[i]);
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

int scan_procs(struct nsdb *db, int procfd, unsigned typemask, struct scan_stats *stats)
{
	pid_t *pids = NULL;
	size_t n = 0;
	int r = list_pids(procfd, &pids, &n);

	if (r < 0)
		return r;
	struct nsdb_proc *out = calloc(n ? n : 1, sizeof(*out));
	int *res = calloc(n ? n : 1, sizeof(*res));
	if (!out || !res) {
		r = -ENOMEM;
		goto out;
	}

	unsigned nthreads = scan_threads(n);
	struct scan_job jobs[SCAN_MAX_THREADS];
	pthread_t tids[SCAN_MAX_THREADS];
	unsigned started = 0;
	for (unsigned t = 0; t < nthreads; t++) {
		jobs[t] = (struct scan_job){ procfd, typemask, pids, out, res, n * t / nthreads,
					     n * (t + 1) / nthreads };
		/* the caller's thread takes the last range; others get a thread when one can be had */
		if (t + 1 < nthreads && pthread_create(&tids[t], NULL, scan_range, &jobs[t]) == 0)
			started = t + 1;
		else if (t + 1 < nthreads)
			scan_range(&jobs[t]);
	}
	scan_range(&jobs[nthreads - 1]);
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
	r = 0;
out:
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
		procfs_escape(p->comm, strlen(p->comm), out, sizeof(out));
		p->cmdline = strdup(out);
	}
	return p->cmdline ? p->cmdline : "";
}
