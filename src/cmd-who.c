/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nspect who NS: everything that keeps one namespace alive, one row per holder. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "lib/discover.h"
#include "lib/render.h"
#include "lib/scan.h"
#include "lib/util.h"

#define CMD "who"

/* The columns of a holder row: one table, in output order. */
enum who_col { W_HOLDER, W_PID, W_TID, W_FD, W_MNTNS, W_PATH, W_CHILD, W_COMMAND, W_COUNT };

static const struct render_generic_col who_cols[W_COUNT] = {
	[W_HOLDER] = { "HOLDER", COLJSON_STRING, false },
	[W_PID] = { "PID", COLJSON_NUMBER, true },
	[W_TID] = { "TID", COLJSON_NUMBER, true },
	[W_FD] = { "FD", COLJSON_NUMBER, true },
	[W_MNTNS] = { "MNTNS", COLJSON_NUMBER, true },
	[W_PATH] = { "PATH", COLJSON_STRING, false },
	[W_CHILD] = { "CHILD", COLJSON_STRING, false },
	[W_COMMAND] = { "COMMAND", COLJSON_STRING, false },
};

/* A holder row names one holder: singular words, unlike the HOLDERS column's kinds. */
static const char *const holder_words[HOLDER_COUNT] = {
	[HOLDER_PROC] = "process",
	[HOLDER_THREAD] = "thread",
	[HOLDER_FD] = "fd",
	[HOLDER_SOCKET] = "socket",
	[HOLDER_MOUNT] = "mount",
	[HOLDER_CHILD] = "child",
	[HOLDER_KERNEL] = "kernel",
};

static const struct option long_options[] = {
	CLI_OUTPUT_LONGOPTS,
	CLI_COMMON_LONGOPTS,
	{ "sources", required_argument, NULL, 'S' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void usage(void)
{
	printf("Usage:\n"
	       " nspect who [options] <namespace>\n"
	       "\n"
	       "Show everything that keeps a namespace alive: processes, threads, open\n"
	       "file descriptors, sockets, bind mounts (in any mount namespace) and the\n"
	       "namespaces it owns or is the parent of.  <namespace> is an inode number,\n"
	       "TYPE:INODE or TYPE:[INODE].\n"
	       "\n"
	       "Options:\n"
	       " -J, --json             use JSON output format\n"
	       " -n, --noheadings       don't print headings\n"
	       " -r, --raw              use the raw output format\n"
	       "     --sources <list>   where to look (as nspect list --sources)\n"
	       "\n"
	       " -h, --help             display this help\n"
	       " -V, --version          display version\n"
	       "\n"
	       "See nspect-who(1).\n");
}

struct rows {
	char **cells; /* n * W_COUNT, owned */
	size_t n, cap;
	int err;
};

/* A new row, all cells empty; NULL (and err set) when out of memory. */
static char **new_row(struct rows *t, const char *holder)
{
	if (t->n == t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 32;
		char **nc = reallocarray(t->cells, ncap * W_COUNT, sizeof(*nc));
		if (!nc) {
			t->err = -ENOMEM;
			return NULL;
		}
		t->cells = nc;
		t->cap = ncap;
	}
	char **row = &t->cells[t->n++ * W_COUNT];
	memset(row, 0, W_COUNT * sizeof(*row));
	row[W_HOLDER] = strdup(holder);
	return row;
}

static char *num(long long v)
{
	char *s = NULL;
	return asprintf(&s, "%lld", v) < 0 ? NULL : s;
}

static char *command_of(struct nsdb *db, int procfd, pid_t pid)
{
	size_t i = nsdb_find_proc(db, pid);
	return i == NSDB_NONE ? NULL : strdup(scan_cmdline(procfd, &db->procs[i]));
}

static void collect(struct nsdb *db, int procfd, size_t idx, struct rows *t)
{
	const struct nsdb_ns *ns = &db->ns[idx];
	char **row;

	for (size_t i = 0; i < db->nprocs; i++) {
		if (db->procs[i].ns[ns->type] != ns->ino || !(row = new_row(t, holder_words[HOLDER_PROC])))
			continue;
		row[W_PID] = num(db->procs[i].pid);
		row[W_COMMAND] = strdup(scan_cmdline(procfd, &db->procs[i]));
	}
	for (size_t h = ns->first_holder; h != NSDB_NONE; h = db->holders[h].next) {
		const struct nsdb_holder *hd = &db->holders[h];
		if (!(row = new_row(t, holder_words[hd->kind])))
			continue;
		switch (hd->kind) {
		case HOLDER_THREAD:
			row[W_PID] = num(hd->pid);
			row[W_TID] = num(hd->num);
			row[W_COMMAND] = command_of(db, procfd, hd->pid);
			break;
		case HOLDER_FD:
		case HOLDER_SOCKET:
			row[W_PID] = num(hd->pid);
			row[W_FD] = num(hd->num);
			row[W_COMMAND] = command_of(db, procfd, hd->pid);
			break;
		case HOLDER_MOUNT:
			row[W_MNTNS] = num((long long)hd->mntns);
			row[W_PATH] = strdup(hd->path);
			break;
		default:
			break;
		}
	}
	/* the namespaces it owns (a user namespace) or is the parent of */
	for (size_t i = 0; i < db->nns; i++) {
		const struct nsdb_ns *c = &db->ns[i];
		bool owned = ns->type == NSTYPE_USER && c->owner == ns->ino;
		bool child = c->type == ns->type && c->parent == ns->ino;
		if (i == idx || !(owned || child) || !(row = new_row(t, holder_words[HOLDER_CHILD])))
			continue;
		if (asprintf(&row[W_CHILD], "%s:[%llu]", nstype_name(c->type), (unsigned long long)c->ino) < 0)
			row[W_CHILD] = NULL;
	}
	if ((ns->holders & (1u << HOLDER_KERNEL)) && (row = new_row(t, holder_words[HOLDER_KERNEL])))
		row[W_PATH] = strdup("listed active by the kernel, holder not found");
}

int cmd_who(int argc, char **argv)
{
	struct render_opts ro = { .tree_col = -1, .table_name = "holders" };
	static const struct cli_excl excl[] = { { { 'J', 'r', 0 } }, { { 0 } } };
	int excl_seen[ELEMENTSOF(excl)] = { 0 };
	struct cli_output out = { 0 };
	unsigned sources = SRC_DEFAULT_MASK;
	int c, r, ret = EXIT_FAIL;

	/* 0, not 1: glibc then re-reads the option string, so the main parser's
	 * "+" (stop at the command name) does not carry over to this one */
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":" CLI_OUTPUT_SHORTOPTS "hV", long_options, NULL)) != -1) {
		if ((r = cli_exclusive(CMD, excl, excl_seen, c, long_options)) != CLI_GO_ON)
			return r;
		if (cli_output_option(&out, c) || cli_common_option(c, optarg))
			continue;
		switch (c) {
		case 'S': {
			char *bad = NULL;
			if (scan_parse_sources(optarg, &sources, &bad) < 0) {
				r = cli_usage_error(CMD, "unknown source: '%s'", bad ? bad : "");
				free(bad);
				return r;
			}
			break;
		}
		case 'h':
			usage();
			return EXIT_OK;
		case 'V':
			return cli_version();
		default:
			return cli_option_error(CMD, c, argv);
		}
	}
	if (optind >= argc)
		return cli_usage_error(CMD, "no namespace given");
	if (optind + 1 < argc)
		return cli_usage_error(CMD, "unexpected argument: '%s'", argv[optind + 1]);
	ro.json = out.json;
	ro.raw = out.raw;
	ro.noheadings = out.noheadings;

	const char *arg = argv[optind];
	int type;
	uint64_t ino;
	if (procfs_parse_nsarg(arg, &type, &ino) < 0)
		return cli_usage_error(CMD, "invalid namespace: '%s' (expected INODE or TYPE:INODE)", arg);

	int procfd = cli_open_proc(CMD);
	if (procfd < 0)
		return EXIT_FAIL;
	struct nsdb *db = nsdb_new();
	struct rows t = { 0 };
	struct scan_stats stats = { 0 };
	if (!db) {
		cli_error(CMD, "out of memory");
		goto out;
	}
	/* children are holders too: every namespace is asked for its owner and parent */
	struct discover_opts dopts = { .typemask = NSTYPE_ALL_MASK, .sources = sources | (1u << SRC_ANCESTORS),
				       .nlfd = -1 };
	r = discover(db, procfd, &dopts, &stats);
	if (r == -ENOTTY) {
		cli_error(CMD, "this kernel lacks the namespace ioctls (NS_GET_USERNS, NS_GET_PARENT)");
		ret = EXIT_NOTSUPP;
		goto out;
	}
	if (r < 0) {
		cli_error(CMD, "cannot inspect namespaces: %s", strerror(-r));
		goto out;
	}
	size_t idx = type >= 0 ? nsdb_find_ns(db, (enum nstype)type, ino) : nsdb_find_ino(db, ino);
	size_t other = type >= 0 && idx == NSDB_NONE ? nsdb_find_ino(db, ino) : NSDB_NONE;
	if (other != NSDB_NONE) {
		cli_error(CMD, "namespace %llu is a %s namespace, not %s", (unsigned long long)ino,
			  nstype_name(db->ns[other].type), nstype_name((enum nstype)type));
		goto out;
	}
	if (idx == NSDB_NONE) {
		cli_error(CMD, "namespace %s not found: nothing we can see holds it", arg);
		cli_report_hidden(&stats);
		goto out;
	}
	collect(db, procfd, idx, &t);
	if (t.err) {
		cli_error(CMD, "out of memory");
		goto out;
	}
	if (render_generic(who_cols, W_COUNT, t.cells, t.n, &ro, stdout) < 0 || fflush(stdout) != 0) {
		cli_error(CMD, "cannot write output");
		goto out;
	}
	cli_report_hidden(&stats);
	ret = EXIT_OK;
out:
	for (size_t i = 0; i < t.n * W_COUNT; i++)
		free(t.cells[i]);
	free(t.cells);
	nsdb_free(db);
	close(procfd);
	return ret;
}
