/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "config.h"
#include "cli.h"
#include "lib/scan.h"

static void vmsg(const char *cmd, const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "nspect%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int cli_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(cmd, fmt, ap);
	va_end(ap);
	return EXIT_FAIL;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(cmd, fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try 'nspect%s%s --help' for more information.\n", cmd ? " " : "", cmd ? cmd : "");
	return EXIT_FAIL;
}

int cli_no_process(const char *cmd, pid_t pid)
{
	char path[40], buf[1024];
	long tgid = 0;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "re");
	if (f) {
		while (fgets(buf, sizeof(buf), f))
			if (sscanf(buf, "Tgid: %ld", &tgid) == 1)
				break;
		fclose(f);
	}
	if (tgid > 0 && tgid != pid)
		return cli_error(cmd, "%d is a thread of process %ld: give the process, %ld", (int)pid, tgid, tgid);
	return cli_error(cmd, "no such process: %d (it does not exist or has exited)", (int)pid);
}

int cli_option_error(const char *cmd, int c, char **argv)
{
	if (c == ':')
		return cli_usage_error(cmd, "option '%s' requires an argument", argv[optind - 1]);
	if (optopt)
		return cli_usage_error(cmd, "invalid option -- '%c'", optopt);
	return cli_usage_error(cmd, "unrecognized option '%s'", argv[optind - 1]);
}

bool cli_output_option(struct cli_output *o, int c)
{
	switch (c) {
	case 'J': o->json = true; return true;
	case 'n': o->noheadings = true; return true;
	case 'r': o->raw = true; return true;
	default: return false;
	}
}

static const char *procfs_dir;

bool cli_common_option(int c, const char *arg)
{
	if (c != CLI_OPT_PROCFS)
		return false;
	procfs_dir = arg;
	return true;
}

const char *cli_procfs_dir(void)
{
	if (procfs_dir)
		return procfs_dir;
	const char *env = getenv("NSPECT_PROCFS");
	return env && *env ? env : "/proc";
}

int cli_open_proc(const char *cmd)
{
	const char *dir = cli_procfs_dir();
	struct statfs sfs;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0) {
		cli_error(cmd, "cannot open the procfs '%s': %s", dir, strerror(errno));
		return -1;
	}
	/* anything else would answer with files someone wrote, not the kernel */
	if (fstatfs(fd, &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC) {
		cli_error(cmd, "'%s' is not a procfs (mount -t proc)", dir);
		close(fd);
		return -1;
	}
	return fd;
}

/* "--name" (or "-c") of a getopt value, for messages. */
static void option_name(int c, const struct option *longopts, char *buf, size_t size)
{
	for (const struct option *o = longopts; o && o->name; o++)
		if (o->val == c) {
			snprintf(buf, size, "--%s", o->name);
			return;
		}
	snprintf(buf, size, "-%c", c);
}

int cli_exclusive(const char *cmd, const struct cli_excl *tbl, int *seen, int c, const struct option *longopts)
{
	for (size_t row = 0; tbl[row].opts[0]; row++) {
		for (size_t k = 0; tbl[row].opts[k]; k++) {
			if (tbl[row].opts[k] != c)
				continue;
			if (seen[row] && seen[row] != c) {
				char a[48], b[48];
				option_name(seen[row], longopts, a, sizeof(a));
				option_name(c, longopts, b, sizeof(b));
				return cli_usage_error(cmd, "%s and %s are mutually exclusive", a, b);
			}
			seen[row] = c;
		}
	}
	return CLI_GO_ON;
}

int cli_version(void)
{
	printf("nspect %s\n", PACKAGE_VERSION);
	return EXIT_OK;
}

static void part(char *buf, size_t size, unsigned n, const char *what, const char *one, const char *many)
{
	size_t len = strlen(buf);
	if (n == 0 || len >= size)
		return;
	snprintf(buf + len, size - len, "%s%s%u %s", len ? ", " : "", what, n, n == 1 ? one : many);
}

void cli_report_hidden(const struct scan_stats *st)
{
	char buf[256] = "";

	part(buf, sizeof(buf), st->denied, "", "process", "processes");
	part(buf, sizeof(buf), st->fds_denied, "the open files of ", "process", "processes");
	part(buf, sizeof(buf), st->mntns_denied, "the mounts of ", "mount namespace", "mount namespaces");
	if (!buf[0])
		return;
	fflush(stdout);
	fprintf(stderr, "nspect: could not inspect %s (permission denied)%s\n", buf,
		geteuid() == 0 ? "" : "; root sees more");
}
