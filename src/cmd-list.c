/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nspect list: lsns-compatible listing of namespaces and their processes. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "lib/columns.h"
#include "lib/discover.h"
#include "lib/filter.h"
#include "lib/nsdb.h"
#include "lib/nstree.h"
#include "lib/relate.h"
#include "lib/render.h"
#include "lib/scan.h"


enum tree_mode {
	TREE_DEFAULT, /* process tree unless --list or --raw */
	TREE_NONE,
	TREE_PROCESS, /* rows under the row of their process's parent */
	TREE_OWNER,   /* namespaces under their owning user namespace */
	TREE_PARENT,  /* pid and user namespaces under their parents */
};

struct list_opts {
	const char *cmd;          /* "list" or "tree", for messages */
	bool tree_cmd;            /* nspect tree: an ownership tree by default */
	int depth;                /* --depth, 0 for no limit */
	bool tree_bare;           /* -T given without a relation */
	bool json, list, noheadings, raw, notruncate, nowrap, output_all, list_columns, persistent;
	unsigned sources;         /* bits of enum scan_source */
	enum tree_mode tree;
	bool tree_explicit;
	unsigned typemask;        /* 0: every type */
	pid_t task;               /* -p, 0 for none */
	bool has_nsarg;
	uint64_t nsarg;           /* positional namespace inode */
	const char *outputs[16];  /* -o arguments, applied in order after parsing */
	size_t noutputs;
	int cols[COLUMNS_MAX];
	size_t ncols;
	const char *filter_expr;  /* -Q */
	struct filter *filter;
	int sort_col;             /* --sort, -1 for none */
	bool sort_desc;
};

enum {
	OPT_OUTPUT_ALL = 0x100,
	OPT_SOURCES,
	OPT_DEPTH,
	OPT_SORT,
};

static const struct option long_options[] = {
	{ "json", no_argument, NULL, 'J' },
	{ "list", no_argument, NULL, 'l' },
	{ "noheadings", no_argument, NULL, 'n' },
	{ "output", required_argument, NULL, 'o' },
	{ "output-all", no_argument, NULL, OPT_OUTPUT_ALL },
	{ "persistent", no_argument, NULL, 'P' },
	{ "task", required_argument, NULL, 'p' },
	{ "filter", required_argument, NULL, 'Q' },
	{ "raw", no_argument, NULL, 'r' },
	{ "sources", required_argument, NULL, OPT_SOURCES },
	{ "notruncate", no_argument, NULL, 'u' },
	{ "nowrap", no_argument, NULL, 'W' },
	{ "type", required_argument, NULL, 't' },
	{ "depth", required_argument, NULL, OPT_DEPTH },
	{ "sort", required_argument, NULL, OPT_SORT },
	{ "tree", optional_argument, NULL, 'T' },
	{ "list-columns", no_argument, NULL, 'H' },
	CLI_COMMON_LONGOPTS,
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void usage_tree(void)
{
	printf("Usage:\n"
	       " nspect tree [options] [<namespace>]\n"
	       "\n"
	       "Show namespaces as the user-namespace ownership tree: each user namespace\n"
	       "under its parent, every other namespace under the user namespace that owns\n"
	       "it.  Namespaces no process is in are shown and marked hidden.  With a\n"
	       "namespace (inode), show the subtree below it.\n"
	       "\n"
	       "Options:\n"
	       " -J, --json             use JSON output format\n"
	       " -n, --noheadings       don't print headings\n"
	       " -o, --output <list>    output columns (+<list> adds to the default)\n"
	       "     --output-all       output all columns\n"
	       " -P, --persistent       only namespaces without processes (and context)\n"
	       " -Q, --filter <expr>    only rows for which <expr> is true (and context)\n"
	       " -p, --task <pid>       only the namespaces of process <pid> (and context)\n"
	       " -r, --raw              use the raw output format\n"
	       " -u, --notruncate       don't truncate text in columns\n"
	       " -W, --nowrap           don't use multi-line representation\n"
	       " -t, --type <type>      only namespaces of this type (repeatable); the\n"
	       "                          ancestors that connect them are marked context\n"
	       " -T, --tree[=<rel>]     owner (the default) or parent\n"
	       "     --depth <n>        show <n> levels\n"
	       "     --sources <list>   where to look for namespaces (see nspect list)\n"
	       " -H, --list-columns     list the available columns\n"
	       "\n"
	       " -h, --help             display this help\n"
	       " -V, --version          display version\n"
	       "\n"
	       "See nspect-tree(1).\n");
}

static void usage(void)
{
	printf("Usage:\n"
	       " nspect list [options] [<namespace>]\n"
	       "\n"
	       "List namespaces: those processes are in, and those that only threads,\n"
	       "open files, sockets, bind mounts or child namespaces keep alive.  With\n"
	       "a namespace (inode), list the processes in it; with -T owner or parent,\n"
	       "show the subtree below it.\n"
	       "\n"
	       "Options:\n"
	       " -J, --json             use JSON output format\n"
	       " -l, --list             use list format output (no process tree)\n"
	       " -n, --noheadings       don't print headings\n"
	       " -o, --output <list>    output columns (+<list> adds to the default)\n"
	       "     --output-all       output all columns\n"
	       " -P, --persistent       only namespaces without processes\n"
	       " -p, --task <pid>       only the namespaces of process <pid>\n"
	       " -Q, --filter <expr>    only rows for which <expr> is true, e.g.\n"
	       "                          'TYPE == \"net\" && NPROCS > 1'\n"
	       " -r, --raw              use the raw output format\n"
	       "     --sort [-]<col>    sort rows by column <col> (descending with -);\n"
	       "                          implies -l\n"
	       "     --sources <list>   where to look for namespaces (default: all):\n"
	       "                          procs, threads, fds, sockets, mounts,\n"
	       "                          ancestors, listns\n"
	       " -u, --notruncate       don't truncate text in columns\n"
	       " -W, --nowrap           don't use multi-line representation\n"
	       " -t, --type <type>      only namespaces of this type (repeatable):\n"
	       "                          cgroup, ipc, mnt, net, pid, time, user, uts\n"
	       " -T, --tree[=<rel>]     tree format; <rel> is process (the default),\n"
	       "                          owner or parent\n"
	       "     --depth <n>        with -T owner or parent: show <n> levels\n"
	       " -H, --list-columns     list the available columns\n"
	       "\n"
	       " -h, --help             display this help\n"
	       " -V, --version          display version\n"
	       "\n"
	       "Available output columns:\n");
	for (int i = 0; i < COL_COUNT; i++)
		printf(" %11s  %s\n", column_table[i].name, column_table[i].help);
	printf("\nSee nspect-list(1).\n");
}

static int add_type(struct list_opts *o, const char *name)
{
	int t = nstype_from_name(name);
	if (t < 0)
		return cli_usage_error(o->cmd, "unknown namespace type: '%s'", name);
	o->typemask |= 1u << t;
	return 0;
}

static int parse_tree(struct list_opts *o, const char *arg)
{
	o->tree_explicit = true;
	/* "-T=owner": getopt hands a short option's attached value over with
	 * the '=', and that spelling can only mean one thing */
	if (arg && arg[0] == '=' && arg[1])
		arg++;
	if (!arg)
		o->tree = o->tree_cmd ? TREE_OWNER : TREE_PROCESS;
	else if (strcmp(arg, "process") == 0 && !o->tree_cmd)
		o->tree = TREE_PROCESS;
	else if (strcmp(arg, "owner") == 0)
		o->tree = TREE_OWNER;
	else if (strcmp(arg, "parent") == 0)
		o->tree = TREE_PARENT;
	else
		return cli_usage_error(o->cmd, "unknown tree relation: '%s' (expected %s)", arg,
				       o->tree_cmd ? "owner or parent" : "process, owner or parent");
	return 0;
}

static bool is_tree_word(const char *s)
{
	return strcmp(s, "process") == 0 || strcmp(s, "owner") == 0 || strcmp(s, "parent") == 0;
}

static void default_columns(const struct list_opts *o, int *cols, size_t *n)
{
	static const int ns_cols[] = { COL_NS, COL_TYPE, COL_NPROCS, COL_PID, COL_USER };
	static const int proc_cols[] = { COL_PID, COL_PPID, COL_USER };
	static const int tree_cols[] = { COL_NS, COL_TYPE, COL_NPROCS, COL_PID, COL_OUSER, COL_MARK };

	*n = 0;
	if (o->tree_cmd) {
		for (size_t i = 0; i < sizeof(tree_cols) / sizeof(*tree_cols); i++)
			cols[(*n)++] = tree_cols[i];
	} else if (o->has_nsarg && o->tree != TREE_OWNER && o->tree != TREE_PARENT) {
		for (size_t i = 0; i < sizeof(proc_cols) / sizeof(*proc_cols); i++)
			cols[(*n)++] = proc_cols[i];
	} else {
		for (size_t i = 0; i < sizeof(ns_cols) / sizeof(*ns_cols); i++)
			cols[(*n)++] = ns_cols[i];
		if (o->typemask & (1u << NSTYPE_NET)) {
			cols[(*n)++] = COL_NETNSID;
			cols[(*n)++] = COL_NSFS;
		}
	}
	cols[(*n)++] = COL_COMMAND;
}

static int filter_lookup(const char *name, size_t len, enum filter_type *ret_type);

/* Returns -1 to go on, or the exit status. */
static int parse_args(struct list_opts *o, int argc, char **argv)
{
	int c, r;

	/* 0, not 1: glibc then re-reads the option string, so the main parser's
	 * "+" (stop at the command name) does not carry over to this one */
	optind = 0;
	opterr = 0;
	o->sort_col = -1;
	o->sources = SRC_DEFAULT_MASK;
	if (o->tree_cmd)
		o->tree = TREE_OWNER;
	while ((c = getopt_long(argc, argv, ":Jlno:Pp:Q:rt:T::uWHhV", long_options, NULL)) != -1) {
		switch (c) {
		case 'J': o->json = true; break;
		case 'l': o->list = true; break;
		case 'n': o->noheadings = true; break;
		case 'r': o->raw = true; break;
		case 'u': o->notruncate = true; break;
		case 'W': o->nowrap = true; break;
		case 'H': o->list_columns = true; break;
		case OPT_OUTPUT_ALL: o->output_all = true; break;
		case 'o':
			if (o->noutputs == sizeof(o->outputs) / sizeof(*o->outputs))
				return cli_usage_error(o->cmd, "too many --output options");
			o->outputs[o->noutputs++] = optarg;
			break;
		case 'p':
			if (procfs_parse_pid(optarg, &o->task) < 0)
				return cli_usage_error(o->cmd, "invalid PID: '%s'", optarg);
			break;
		case 't':
			if ((r = add_type(o, optarg)) != 0)
				return r;
			break;
		case 'T': {
			const char *arg = optarg;
			/* accept "-T owner" with a space, which lsns rejects */
			if (!arg && optind < argc && is_tree_word(argv[optind]))
				arg = argv[optind++];
			o->tree_bare = !arg;
			if ((r = parse_tree(o, arg)) != 0)
				return r;
			break;
		}
		case 'P': o->persistent = true; break;
		case CLI_OPT_PROCFS: cli_common_option(c, optarg); break;
		case OPT_DEPTH: {
			uint64_t d;
			if (procfs_parse_u64(optarg, &d) < 0 || d == 0 || d > 1000000)
				return cli_usage_error(o->cmd, "invalid depth: '%s' (expected a number of levels, 1 or more)", optarg);
			o->depth = (int)d;
			break;
		}
		case OPT_SOURCES: {
			char *bad = NULL;
			if (scan_parse_sources(optarg, &o->sources, &bad) < 0) {
				r = cli_usage_error(o->cmd, "unknown source: '%s'", bad ? bad : "");
				free(bad);
				return r;
			}
			break;
		}
		case 'Q': o->filter_expr = optarg; break;
		case OPT_SORT: {
			const char *name = optarg;
			o->sort_desc = *name == '-';
			name += o->sort_desc;
			o->sort_col = column_from_name(name, strlen(name));
			if (o->sort_col < 0)
				return cli_usage_error(o->cmd, "unknown column: '%s'", name);
			break;
		}
		case 'h':
			if (o->tree_cmd)
				usage_tree();
			else
				usage();
			return EXIT_OK;
		case 'V':
			return cli_version();
		default:
			return cli_option_error(o->cmd, c, argv);
		}
	}
	if (optind < argc) {
		/* "-T bogus": a word after -T was meant as its relation */
		if (o->tree_bare && procfs_parse_u64(argv[optind], &o->nsarg) < 0)
			return parse_tree(o, argv[optind]);
		if (procfs_parse_u64(argv[optind], &o->nsarg) < 0 || o->nsarg == 0)
			return cli_usage_error(o->cmd, "invalid namespace: '%s' (expected an inode number)", argv[optind]);
		o->has_nsarg = true;
		if (++optind < argc)
			return cli_usage_error(o->cmd, "unexpected argument: '%s'", argv[optind]);
	}
	/* the tree command has no flat form: say so rather than "mutually exclusive" */
	if (o->tree_cmd && (o->list || o->sort_col >= 0))
		return cli_usage_error(o->cmd, "%s is an option of nspect list, not of nspect tree",
				       o->list ? "--list" : "--sort");
	if (o->list && (o->tree_explicit || o->tree_cmd))
		return cli_usage_error(o->cmd, "--list and --tree are mutually exclusive");
	if (o->sort_col >= 0 && (o->tree_explicit || o->tree_cmd))
		return cli_usage_error(o->cmd, "--sort sorts a list: it cannot be used with --tree");
	if (o->sort_col >= 0)
		o->list = true;
	if (o->depth && o->tree != TREE_OWNER && o->tree != TREE_PARENT)
		return cli_usage_error(o->cmd, "--depth needs --tree=owner or --tree=parent");
	if (o->json && o->raw)
		return cli_usage_error(o->cmd, "--json and --raw are mutually exclusive");

	if (o->output_all) {
		for (int i = 0; i < COL_COUNT; i++)
			o->cols[i] = i;
		o->ncols = COL_COUNT;
	} else
		default_columns(o, o->cols, &o->ncols);
	for (size_t i = 0; i < o->noutputs; i++) {
		char *bad = NULL;
		r = columns_parse(o->outputs[i], o->cols, &o->ncols, COLUMNS_MAX, &bad);
		if (r == -E2BIG)
			r = cli_usage_error(o->cmd, "too many columns");
		else if (r < 0)
			r = cli_usage_error(o->cmd, "unknown column: '%s'", bad ? bad : "");
		free(bad);
		if (r)
			return r;
	}
	if (o->filter_expr) {
		struct filter_error err;
		r = filter_parse(o->filter_expr, filter_lookup, &o->filter, &err);
		if (r == -ENOMEM)
			return cli_error(o->cmd, "out of memory");
		if (r < 0)
			return cli_usage_error(o->cmd, "--filter: %s, at character %zu of '%s'", err.msg, err.pos + 1,
					       o->filter_expr);
	}
	if (o->tree == TREE_DEFAULT)
		o->tree = (o->list || o->raw) ? TREE_NONE : TREE_PROCESS;
	return -1;
}

/*
 * Process tree: a row hangs under the last row of its process's parent, as
 * lsns draws it.  last_row maps a process index to its last row.
 */
static int link_process_tree(struct nsdb *db, int procfd, struct render_row *rows, size_t n)
{
	size_t *last_row = malloc((db->nprocs ? db->nprocs : 1) * sizeof(*last_row));

	if (!last_row)
		return -ENOMEM;
	for (size_t i = 0; i < db->nprocs; i++)
		last_row[i] = NSDB_NONE;
	for (size_t i = 0; i < n; i++)
		if (rows[i].proc != NSDB_NONE)
			last_row[rows[i].proc] = i;
	for (size_t i = 0; i < n; i++) {
		if (rows[i].proc == NSDB_NONE)
			continue; /* a namespace no process is in stands at the top */
		struct nsdb_proc *p = &db->procs[rows[i].proc];
		if (!scan_proc_info(procfd, p))
			continue;
		size_t pp = nsdb_find_proc(db, p->ppid);
		if (pp != NSDB_NONE && pp != rows[i].proc)
			rows[i].parent = last_row[pp];
	}
	free(last_row);
	render_break_cycles(rows, n);
	return 0;
}

/* Why a pid given with -p is not in the scan: gone, or hidden from us. */
static int explain_missing_task(const char *cmd, int procfd, pid_t pid, struct nsdb_proc *ret)
{
	/* a thread id is not listed in /proc but can be read directly */
	int r = scan_proc_ns(procfd, pid, NSTYPE_ALL_MASK, ret);
	if (r == 0)
		return 0;
	if (scan_errno_denied(r))
		return cli_error(cmd, "cannot inspect process %d: permission denied", (int)pid);
	return cli_error(cmd, "no such process: %d", (int)pid);
}

static int filter_lookup(const char *name, size_t len, enum filter_type *ret_type)
{
	int id = column_from_name(name, len);
	if (id < 0)
		return -1;
	*ret_type = column_table[id].json == COLJSON_NUMBER ? FILTER_NUMBER : FILTER_STRING;
	return id;
}

/* The values of one row, computed as the filter or the sort asks for them. */
struct row_values {
	struct column_ctx *ctx;
	const struct nsdb_ns *ns;
	struct nsdb_proc *p;
	char *v[COL_COUNT];
	bool have[COL_COUNT];
};

static const char *row_value(void *arg, int col)
{
	struct row_values *rv = arg;
	if (!rv->have[col]) {
		rv->v[col] = column_table[col].get(rv->ctx, rv->ns, rv->p);
		rv->have[col] = true;
	}
	return rv->v[col];
}

static void row_values_clear(struct row_values *rv)
{
	for (int c = 0; c < COL_COUNT; c++)
		free(rv->v[c]);
	memset(rv->v, 0, sizeof(rv->v));
	memset(rv->have, 0, sizeof(rv->have));
}

static bool row_matches(const struct list_opts *o, struct column_ctx *ctx, size_t ns, size_t proc)
{
	if (!o->filter)
		return true;
	struct row_values rv = { .ctx = ctx, .ns = &ctx->db->ns[ns],
				 .p = proc != NSDB_NONE ? &ctx->db->procs[proc] : NULL };
	/* filters see table values, not JSON ones */
	int json = ctx->json;
	ctx->json = 0;
	bool m = filter_eval(o->filter, row_value, &rv);
	ctx->json = json;
	row_values_clear(&rv);
	return m;
}

/* Drop rows the filter refuses, keeping the ones above a match in a tree. */
static int filter_rows(const struct list_opts *o, struct column_ctx *ctx, struct render_row *rows, size_t *n)
{
	if (!o->filter)
		return 0;
	bool *match = malloc((*n ? *n : 1) * sizeof(*match));
	if (!match)
		return -ENOMEM;
	for (size_t i = 0; i < *n; i++)
		match[i] = row_matches(o, ctx, rows[i].ns, rows[i].proc);
	*n = render_keep_matches(rows, *n, match);
	free(match);
	return 0;
}

struct sort_key {
	struct render_row row;
	char *text;
	double num;
	bool has_num;
	size_t order; /* ties keep the listing order */
};

static bool sort_desc_flag;

static int cmp_sort_key(const void *a, const void *b)
{
	const struct sort_key *x = a, *y = b;
	int c;
	/* empty values last, whichever the direction */
	if (!x->text != !y->text)
		return x->text ? -1 : 1;
	if (x->has_num && y->has_num)
		c = x->num < y->num ? -1 : x->num > y->num;
	else
		c = strcmp(x->text ? x->text : "", y->text ? y->text : "");
	if (sort_desc_flag && x->text && y->text)
		c = -c;
	return c ? c : (x->order < y->order ? -1 : 1);
}

static int sort_rows(const struct list_opts *o, struct column_ctx *ctx, struct render_row *rows, size_t n)
{
	if (o->sort_col < 0 || n < 2)
		return 0;
	struct sort_key *k = calloc(n, sizeof(*k));
	if (!k)
		return -ENOMEM;
	int json = ctx->json;
	ctx->json = 0;
	for (size_t i = 0; i < n; i++) {
		struct nsdb_proc *p = rows[i].proc != NSDB_NONE ? &ctx->db->procs[rows[i].proc] : NULL;
		k[i].row = rows[i];
		k[i].row.parent = NSDB_NONE;
		k[i].order = i;
		k[i].text = column_table[o->sort_col].get(ctx, &ctx->db->ns[rows[i].ns], p);
		if (k[i].text && column_table[o->sort_col].json == COLJSON_NUMBER) {
			char *end;
			k[i].num = strtod(k[i].text, &end);
			k[i].has_num = *end == '\0';
		}
	}
	ctx->json = json;
	sort_desc_flag = o->sort_desc;
	qsort(k, n, sizeof(*k), cmp_sort_key);
	for (size_t i = 0; i < n; i++) {
		rows[i] = k[i].row;
		free(k[i].text);
	}
	free(k);
	return 0;
}

static int build_rows(struct list_opts *o, struct nsdb *db, int procfd, struct column_ctx *ctx,
		      struct render_row **ret_rows, size_t *ret_n)
{
	struct render_row *rows;
	size_t n = 0;
	struct nsdb_proc task;
	const struct nsdb_proc *tp = NULL;

	if (o->task) {
		size_t ti = nsdb_find_proc(db, o->task);
		if (ti == NSDB_NONE) {
			if (explain_missing_task(o->cmd, procfd, o->task, &task) != 0)
				return EXIT_FAIL;
			tp = &task;
		} else
			tp = &db->procs[ti];
	}

	if (o->tree == TREE_OWNER || o->tree == TREE_PARENT) {
		size_t root = NSDB_NONE;
		if (o->has_nsarg && (root = nsdb_find_ino(db, o->nsarg)) == NSDB_NONE)
			return cli_error(o->cmd, "namespace not found: %llu", (unsigned long long)o->nsarg);
		bool *match = malloc((db->nns ? db->nns : 1) * sizeof(*match));
		size_t *tparent = malloc((db->nns ? db->nns : 1) * sizeof(*tparent));
		int r = -ENOMEM;
		if (match && tparent) {
			for (size_t i = 0; i < db->nns; i++) {
				const struct nsdb_ns *ns = &db->ns[i];
				match[i] = (!o->typemask || (o->typemask & (1u << ns->type))) &&
					   (!tp || tp->ns[ns->type] == ns->ino) && (!o->persistent || !ns->nprocs) &&
					   row_matches(o, ctx, i, ns->rep);
			}
			nstree_parents(db, o->tree == TREE_OWNER ? NSTREE_OWNER : NSTREE_PARENT, tparent);
			r = nstree_rows(db, tparent, match, root, o->depth, &rows, &n);
		}
		free(match);
		free(tparent);
		if (r < 0)
			return cli_error(o->cmd, "out of memory");
	} else if (o->has_nsarg) {
		size_t ni = nsdb_find_ino(db, o->nsarg);
		if (ni == NSDB_NONE || (o->typemask && !(o->typemask & (1u << db->ns[ni].type))))
			return cli_error(o->cmd, "namespace not found: %llu", (unsigned long long)o->nsarg);
		const struct nsdb_ns *ns = &db->ns[ni];
		if (!ns->nprocs)
			fprintf(stderr, "nspect %s: no process is in namespace %llu; 'nspect who %llu' shows what holds it\n", o->cmd,
				(unsigned long long)ns->ino, (unsigned long long)ns->ino);
		rows = calloc(ns->nprocs ? ns->nprocs : 1, sizeof(*rows));
		if (!rows)
			return cli_error(o->cmd, "out of memory");
		for (size_t i = 0; i < db->nprocs && n < ns->nprocs; i++) {
			if (db->procs[i].ns[ns->type] != ns->ino || (tp && db->procs[i].pid != tp->pid))
				continue;
			rows[n++] = (struct render_row){ .ns = ni, .proc = i, .parent = NSDB_NONE };
		}
	} else {
		rows = calloc(db->nns ? db->nns : 1, sizeof(*rows));
		if (!rows)
			return cli_error(o->cmd, "out of memory");
		for (size_t i = 0; i < db->nns; i++) {
			const struct nsdb_ns *ns = &db->ns[i];
			if (o->typemask && !(o->typemask & (1u << ns->type)))
				continue;
			if (tp && tp->ns[ns->type] != ns->ino)
				continue;
			if (o->persistent && ns->nprocs)
				continue;
			rows[n++] = (struct render_row){ .ns = i, .proc = ns->rep, .parent = NSDB_NONE };
		}
	}
	*ret_rows = rows;
	*ret_n = n;
	return -1;
}

struct needs {
	unsigned rel, flags;
};

static void need_column(void *arg, int col)
{
	struct needs *n = arg;
	n->rel |= column_table[col].rel;
	n->flags |= column_table[col].flags;
}

/* NSDB_REL_* and COLFL_* the shown, filtered and sorted columns need. */
static void column_needs(const struct list_opts *o, unsigned *ret_rel, unsigned *ret_flags)
{
	struct needs n = { 0, 0 };
	for (size_t c = 0; c < o->ncols; c++)
		need_column(&n, o->cols[c]);
	if (o->filter)
		filter_for_each_column(o->filter, need_column, &n);
	if (o->sort_col >= 0)
		need_column(&n, o->sort_col);
	*ret_rel = n.rel;
	*ret_flags = n.flags;
}

static int run(struct list_opts *op, int argc, char **argv);

int cmd_list(int argc, char **argv)
{
	struct list_opts o = { .cmd = "list" };
	return run(&o, argc, argv);
}

int cmd_tree(int argc, char **argv)
{
	struct list_opts o = { .cmd = "tree", .tree_cmd = true };
	return run(&o, argc, argv);
}

static int run(struct list_opts *op, int argc, char **argv)
{
	struct list_opts o = *op;
	struct scan_stats stats = { 0 };
	struct render_row *rows = NULL;
	size_t nrows = 0;
	struct nsdb *db = NULL;
	struct users *users = NULL;
	int procfd = -1, nlfd = -1, r, ret = EXIT_FAIL;

	r = parse_args(&o, argc, argv);
	if (r >= 0)
		return r;

	struct render_opts ro = {
		.json = o.json,
		.raw = o.raw,
		.noheadings = o.noheadings,
		.notruncate = o.notruncate,
		.nowrap = o.nowrap,
		.tree_col = -1,
		.table_name = "namespaces",
	};
	if (o.list_columns) {
		if (render_column_list(&ro, stdout) < 0)
			return cli_error(o.cmd, "cannot print the column list");
		return EXIT_OK;
	}

	procfd = cli_open_proc(o.cmd);
	if (procfd < 0)
		return EXIT_FAIL;
	db = nsdb_new();
	users = users_new();
	if (!db || !users) {
		cli_error(o.cmd, "out of memory");
		goto out;
	}
	struct column_ctx ctx = { .db = db, .procfd = procfd, .users = users, .json = o.json,
				  .own_mntns = nsdb_own_ns(procfd, NSTYPE_MNT) };
	unsigned need_rel, need_flags;
	column_needs(&o, &need_rel, &need_flags);
	if (need_rel & NSDB_REL_NETNSID)
		nlfd = relate_netlink_open(); /* without it NETNSID stays empty */

	bool ns_tree = o.tree == TREE_OWNER || o.tree == TREE_PARENT;
	/* -p and a namespace argument need every type of the process */
	struct discover_opts dopts = {
		.typemask = (o.typemask && !o.task && !o.has_nsarg) ? o.typemask : NSTYPE_ALL_MASK,
		.sources = o.sources,
		.nlfd = nlfd,
	};
	/*
	 * HOLDERS counts children, and trees link every namespace to its owner
	 * or parent: every namespace, of every type, is asked for both.
	 */
	dopts.relate_every = (need_flags & COLFL_ALLNS) || ns_tree;
	if (dopts.relate_every)
		dopts.typemask = NSTYPE_ALL_MASK;
	if (dopts.relate_every || (dopts.sources & ((1u << SRC_ANCESTORS) | (1u << SRC_LISTNS))))
		dopts.what = need_rel;
	r = discover(db, procfd, &dopts, &stats);
	if (r == 0) {
		r = build_rows(&o, db, procfd, &ctx, &rows, &nrows);
		if (r >= 0) {
			ret = r;
			goto out;
		}
		/* relations not asked of every namespace: ask them of the rows shown */
		struct relate_ctx rctx = { .db = db, .procfd = procfd, .nlfd = nlfd, .what = need_rel,
					   .typemask = dopts.typemask };
		r = 0;
		for (size_t i = 0; i < nrows && r == 0 && need_rel; i++)
			r = relate_ns(&rctx, rows[i].ns);
	}
	if (r == -ENOTTY) {
		cli_error(o.cmd, "this kernel lacks the namespace ioctls (NS_GET_USERNS, NS_GET_PARENT)");
		ret = EXIT_NOTSUPP;
		goto out;
	} else if (r < 0) {
		cli_error(o.cmd, "cannot inspect namespaces: %s", strerror(-r));
		goto out;
	}

	/* raw output is for programs: tree art glued to the first field would
	 * stop NS from being a number.  The rows stay in tree order, and
	 * PNS/ONS say who hangs under whom. */
	if (ns_tree && !o.raw)
		ro.tree_col = 0; /* the tree is drawn in the first column, NS by default */
	if (o.tree == TREE_PROCESS) {
		for (size_t c = 0; c < o.ncols && ro.tree_col < 0; c++)
			if (o.cols[c] == COL_COMMAND)
				ro.tree_col = (int)c;
		if (ro.tree_col < 0 && o.tree_explicit)
			ro.tree_col = 0;
		if (ro.tree_col >= 0 && link_process_tree(db, procfd, rows, nrows) < 0) {
			cli_error(o.cmd, "out of memory");
			goto out;
		}
	}

	if (!ns_tree && filter_rows(&o, &ctx, rows, &nrows) < 0) {
		cli_error(o.cmd, "out of memory");
		goto out;
	}
	if (sort_rows(&o, &ctx, rows, nrows) < 0) {
		cli_error(o.cmd, "out of memory");
		goto out;
	}
	if (ns_tree && o.raw)
		(void)render_tree_order(rows, nrows); /* on failure, db order: still every row */
	r = render_rows(&ctx, o.cols, o.ncols, rows, nrows, &ro, stdout);
	if (r < 0 || fflush(stdout) != 0 || ferror(stdout)) {
		cli_error(o.cmd, "cannot write output");
		goto out;
	}
	if (!o.task)
		cli_report_hidden(&stats);
	ret = EXIT_OK;
out:
	filter_free(o.filter);
	free(rows);
	users_free(users);
	nsdb_free(db);
	if (nlfd >= 0)
		close(nlfd);
	if (procfd >= 0)
		close(procfd);
	return ret;
}
