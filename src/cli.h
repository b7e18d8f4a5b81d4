/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the front end shares: the subcommand table, messages, exit statuses. */
#ifndef NSPECT_CLI_H
#define NSPECT_CLI_H

#include <getopt.h>
#include <stdbool.h>
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

/*
 * parse_args convention of every command: CLI_GO_ON to go on and run, or
 * the exit status to return at once (help, version, usage errors):
 *     if ((r = parse_args(&o, argc, argv)) != CLI_GO_ON) return r;
 */
#define CLI_GO_ON (-1)

/* getopt values of the options every command shares (outside any letter's range) */
enum {
	CLI_OPT_PROCFS = 0x7f00,
};

/* Output options of every command that prints rows: -J, -n, -r. */
struct cli_output {
	bool json, raw, noheadings;
};
#define CLI_OUTPUT_SHORTOPTS "Jnr"
#define CLI_OUTPUT_LONGOPTS                                  \
	{ "json", no_argument, NULL, 'J' },                  \
	{ "noheadings", no_argument, NULL, 'n' },            \
	{ "raw", no_argument, NULL, 'r' }
/* --procfs DIR, taken by every command. */
#define CLI_COMMON_LONGOPTS { "procfs", required_argument, NULL, CLI_OPT_PROCFS }

/* Record c when it is an output option; true if it was. */
bool cli_output_option(struct cli_output *o, int c);

/*
 * Record c when it is an option every command shares (--procfs); true if
 * it was.
 */
bool cli_common_option(int c, const char *arg);

/*
 * Options that exclude each other, as a table per command: each row lists
 * the getopt values of one group (0-terminated, at most 7), the table ends
 * with an empty row.  Call cli_exclusive for every option parsed; seen has
 * one int per row, zeroed before parsing.  Returns CLI_GO_ON, or EXIT_FAIL
 * after "--a and --b are mutually exclusive".
 */
struct cli_excl {
	int opts[8];
};
int cli_exclusive(const char *cmd, const struct cli_excl *tbl, int *seen, int c, const struct option *longopts);

/*
 * The procfs every read goes through: --procfs DIR, else $NSPECT_PROCFS,
 * else /proc.  Opened O_DIRECTORY and checked to be a procfs; on failure
 * one message naming the directory and -1.
 */
int cli_open_proc(const char *cmd);
/* The directory cli_open_proc opens (for messages). */
const char *cli_procfs_dir(void);

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
