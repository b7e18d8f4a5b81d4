/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
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
