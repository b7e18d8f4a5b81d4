/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the front end shares: the subcommand table, messages, exit statuses. */
#ifndef NSPECT_CLI_H
#define NSPECT_CLI_H

#include <stdio.h>
#include <sys/types.h>

/* Exit statuses, as lsns uses them. */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,
	EXIT_NOTSUPP = 2, /* the kernel lacks a namespace ioctl we need */
};

struct subcommand {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv);
};

extern const struct subcommand subcommands[];

/* "nspect CMD: message" on stderr.  Returns EXIT_FAIL. */
int cli_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* cli_error plus "Try 'nspect CMD --help' for more information." */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * A pid that cannot be pinned: "no such process", or, when it is a thread
 * of another process (its /proc entry exists but pidfd_open refuses it),
 * the process to give instead.  Returns EXIT_FAIL.
 */
int cli_no_process(const char *cmd, pid_t pid);
/*
 * The usage error for what getopt_long returned as c (':' for a missing
 * argument, anything else for an unknown option), with optind and optopt
 * as it left them.  Returns EXIT_FAIL.
 */
int cli_option_error(const char *cmd, int c, char **argv);
/* Print "nspect VERSION" and return EXIT_OK. */
int cli_version(void);

struct scan_stats;
/*
 * Say once, at the end, how much could not be seen (one line on stderr), so a
 * table is never taken for the whole truth.  Nothing when everything was seen.
 */
void cli_report_hidden(const struct scan_stats *st);

int cmd_list(int argc, char **argv);
int cmd_who(int argc, char **argv);
int cmd_tree(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_enter(int argc, char **argv);

#endif
