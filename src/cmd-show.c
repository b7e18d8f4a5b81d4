/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nspect show PID [PID2]: what a process shares with the host (or with PID2). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "lib/procview.h"
#include "lib/render.h"
#include "lib/users.h"
#include "lib/util.h"

#define CMD "show"

enum show_col { S_TYPE, S_NS, S_SHARED, S_OTHER, S_ONS, S_OUID, S_OUSER, S_NSPID, S_COUNT };

static const struct render_generic_col show_cols[S_COUNT] = {
	[S_TYPE] = { "TYPE", COLJSON_STRING, false },
	[S_NS] = { "NS", COLJSON_NUMBER, true },
	[S_SHARED] = { "SHARED", COLJSON_STRING, false },
	[S_OTHER] = { "OTHER", COLJSON_NUMBER, true },
	[S_ONS] = { "ONS", COLJSON_NUMBER, true },
	[S_OUID] = { "OUID", COLJSON_NUMBER, true },
	[S_OUSER] = { "OUSER", COLJSON_STRING, false },
	[S_NSPID] = { "NSPID", COLJSON_STRING, false },
};

static const struct option long_options[] = {
	CLI_OUTPUT_LONGOPTS,
	CLI_COMMON_LONGOPTS,
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void usage(void)
{
	printf("Usage:\n"
	       " nspect show [options] <pid> [<pid2>]\n"
	       "\n"
	       "Show the namespaces of a process and which of them it shares with <pid2>,\n"
	       "by default PID 1 (the host), with each namespace's owner and, for the pid\n"
	       "namespace, the process's pid in every pid namespace it is in.  Ends with\n"
	       "one line: isolated in ...; shares ... (not with --raw)\n"
	       "\n"
	       "Options:\n"
	       " -J, --json             use JSON output format\n"
	       " -n, --noheadings       don't print headings\n"
	       " -r, --raw              use the raw output format\n"
	       "\n"
	       " -h, --help             display this help\n"
	       " -V, --version          display version\n"
	       "\n"
	       "See nspect-show(1).\n");
}

/* JSON string with the escapes JSON needs; the bytes were already made printable. */
static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static int read_view(int procfd, pid_t pid, struct procview *v)
{
	int r = procview_read(procfd, pid, v);
	if (r == -ESRCH || r == -ENOENT)
		return cli_no_process(CMD, pid);
	if (r == -EACCES)
		return cli_error(CMD, "cannot inspect process %d: permission denied", (int)pid);
	if (r < 0)
		return cli_error(CMD, "cannot inspect process %d: %s", (int)pid, strerror(-r));
	return 0;
}

static const char *shared_word(const struct procview_ns *a, const struct procview_ns *b)
{
	if (!a->ino || !b->ino)
		return NULL; /* not known: never guess */
	return a->ino == b->ino ? "yes" : "no";
}

static char *u64s(uint64_t v)
{
	char *s = NULL;
	return asprintf(&s, "%llu", (unsigned long long)v) < 0 ? NULL : s;
}

static char *nspid_text(const struct procview *v, const char *sep)
{
	char *s = NULL;
	for (size_t i = 0; i < v->nnspid; i++) {
		char *n = NULL;
		if (asprintf(&n, "%s%s%d", s ? s : "", s ? sep : "", (int)v->nspid[i]) < 0)
			n = NULL;
		free(s);
		s = n;
	}
	return s;
}

/* "net, pid" of the types whose answer is want; "none" when there are none. */
static void type_list(const struct procview *a, const struct procview *b, const char *want, char *buf, size_t size)
{
	buf[0] = '\0';
	for (int t = 0; t < NSTYPE_COUNT; t++) {
		const char *w = shared_word(&a->ns[t], &b->ns[t]);
		if (w && strcmp(w, want) == 0) {
			size_t len = strlen(buf);
			snprintf(buf + len, size - len, "%s%s", len ? ", " : "", nstype_name((enum nstype)t));
		}
	}
	if (!buf[0])
		snprintf(buf, size, "none");
}

static int print_json(const struct procview *a, const struct procview *b, struct users *users)
{
	char esc[PROCFS_COMM_MAX * 4 + 1];
	FILE *f = stdout;

	procfs_escape(a->comm, strlen(a->comm), esc, sizeof(esc));
	fprintf(f, "{\n   \"pid\": %d,\n   \"command\": ", (int)a->pid);
	json_str(f, esc);
	fprintf(f, ",\n   \"compared_with\": %d,\n   \"namespaces\": [", (int)b->pid);
	for (int t = 0; t < NSTYPE_COUNT; t++) {
		const struct procview_ns *x = &a->ns[t], *y = &b->ns[t];
		const char *w = shared_word(x, y);
		fprintf(f, "%s\n      {\"type\": \"%s\", \"ns\": ", t ? "," : "", nstype_name((enum nstype)t));
		x->ino ? fprintf(f, "%llu", (unsigned long long)x->ino) : fputs("null", f);
		fprintf(f, ", \"shared\": %s, \"other\": ", w ? (strcmp(w, "yes") == 0 ? "true" : "false") : "null");
		y->ino ? fprintf(f, "%llu", (unsigned long long)y->ino) : fputs("null", f);
		fputs(", \"ons\": ", f);
		x->owner ? fprintf(f, "%llu", (unsigned long long)x->owner) : fputs("null", f);
		fputs(", \"ouid\": ", f);
		x->has_owner_uid ? fprintf(f, "%u", (unsigned)x->owner_uid) : fputs("null", f);
		fputs(", \"ouser\": ", f);
		const char *name = x->has_owner_uid ? users_name(users, x->owner_uid) : NULL;
		name ? json_str(f, name) : (void)fputs("null", f);
		fputs(", \"nspid\": ", f);
		if (t == NSTYPE_PID && a->nnspid) {
			fputc('[', f);
			for (size_t i = 0; i < a->nnspid; i++)
				fprintf(f, "%s%d", i ? ", " : "", (int)a->nspid[i]);
			fputc(']', f);
		} else
			fputs("null", f);
		fputc('}', f);
	}
	fputs("\n   ],\n", f);
	const char *keys[] = { "isolated", "shared" }, *words[] = { "no", "yes" };
	for (int k = 0; k < 2; k++) {
		fprintf(f, "   \"%s\": [", keys[k]);
		int first = 1;
		for (int t = 0; t < NSTYPE_COUNT; t++) {
			const char *w = shared_word(&a->ns[t], &b->ns[t]);
			if (w && strcmp(w, words[k]) == 0) {
				fprintf(f, "%s\"%s\"", first ? "" : ", ", nstype_name((enum nstype)t));
				first = 0;
			}
		}
		fprintf(f, "]%s\n", k ? "" : ",");
	}
	fputs("}\n", f);
	return 0;
}

static int print_table(const struct procview *a, const struct procview *b, struct users *users,
		       const struct render_opts *ro)
{
	char *cells[NSTYPE_COUNT * S_COUNT] = { 0 };
	int r;

	for (int t = 0; t < NSTYPE_COUNT; t++) {
		char **row = &cells[t * S_COUNT];
		const struct procview_ns *x = &a->ns[t], *y = &b->ns[t];
		const char *w = shared_word(x, y);
		const char *name = x->has_owner_uid ? users_name(users, x->owner_uid) : NULL;

		row[S_TYPE] = strdup(nstype_name((enum nstype)t));
		row[S_NS] = x->ino ? u64s(x->ino) : strdup(x->err == -EACCES ? "denied" : "-");
		row[S_SHARED] = w ? strdup(w) : NULL;
		row[S_OTHER] = y->ino ? u64s(y->ino) : NULL;
		row[S_ONS] = x->owner ? u64s(x->owner) : NULL;
		row[S_OUID] = x->has_owner_uid ? u64s(x->owner_uid) : NULL;
		row[S_OUSER] = name ? strdup(name) : NULL;
		row[S_NSPID] = t == NSTYPE_PID ? nspid_text(a, " ") : NULL;
	}
	r = render_generic(show_cols, S_COUNT, cells, NSTYPE_COUNT, ro, stdout);
	for (size_t i = 0; i < sizeof(cells) / sizeof(*cells); i++)
		free(cells[i]);
	return r;
}

int cmd_show(int argc, char **argv)
{
	struct render_opts ro = { .tree_col = -1, .table_name = "namespaces" };
	static const struct cli_excl excl[] = { { { 'J', 'r', 0 } }, { { 0 } } };
	int excl_seen[ELEMENTSOF(excl)] = { 0 };
	struct cli_output out = { 0 };
	int c, r, ret = EXIT_FAIL;
	pid_t pid, pid2 = 1;
	bool pid2_given = false;

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
		return cli_usage_error(CMD, "no process given");
	if (procfs_parse_pid(argv[optind], &pid) < 0)
		return cli_usage_error(CMD, "invalid PID: '%s'", argv[optind]);
	if (optind + 1 < argc) {
		if (procfs_parse_pid(argv[optind + 1], &pid2) < 0)
			return cli_usage_error(CMD, "invalid PID: '%s'", argv[optind + 1]);
		pid2_given = true;
	}
	if (optind + 2 < argc)
		return cli_usage_error(CMD, "unexpected argument: '%s'", argv[optind + 2]);
	ro.json = out.json;
	ro.raw = out.raw;
	ro.noheadings = out.noheadings;

	int procfd = cli_open_proc(CMD);
	if (procfd < 0)
		return EXIT_FAIL;
	struct users *users = users_new();
	struct procview a, b;
	if (!users) {
		cli_error(CMD, "out of memory");
		goto out;
	}
	if (read_view(procfd, pid, &a) != 0)
		goto out;
	if (!pid2_given && procview_read(procfd, 1, &b) == -EACCES) {
		/*
		 * PID 1 hidden from us (a sandbox's init, or no privilege): kthreadd
		 * is in the initial namespaces too, when we see the host's pids.
		 */
		if (procview_read(procfd, 2, &b) == 0 && strcmp(b.comm, "kthreadd") == 0) {
			pid2 = 2;
			fprintf(stderr, "nspect show: PID 1 cannot be inspected; comparing with PID 2 (kthreadd), "
					"which is in the initial namespaces\n");
		} else {
			cli_error(CMD, "cannot inspect PID 1 to compare with: permission denied; name a process to compare with");
			goto out;
		}
	} else if (read_view(procfd, pid2, &b) != 0)
		goto out;

	r = ro.json ? print_json(&a, &b, users) : print_table(&a, &b, users, &ro);
	if (r < 0) {
		cli_error(CMD, "cannot write output");
		goto out;
	}
	/* the summary is for people; raw output stays rows of equal fields */
	if (!ro.json && !ro.raw) {
		char isolated[128], shared[128], esc[PROCFS_COMM_MAX * 4 + 1];
		type_list(&a, &b, "no", isolated, sizeof(isolated));
		type_list(&a, &b, "yes", shared, sizeof(shared));
		procfs_escape(a.comm, strlen(a.comm), esc, sizeof(esc));
		printf("PID %d (%s) is isolated from PID %d%s in: %s; shares: %s\n", (int)pid, esc, (int)pid2,
		       pid2 == 1 || (!pid2_given && pid2 == 2) ? " (the host)" : "", isolated, shared);
	}
	if (fflush(stdout) != 0) {
		cli_error(CMD, "cannot write output");
		goto out;
	}
	ret = EXIT_OK;
out:
	users_free(users);
	close(procfd);
	return ret;
}
