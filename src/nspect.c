/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nspect: dispatch to a subcommand; plain "nspect [list options]" lists. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const struct subcommand subcommands[] = {
	{ "list", "list namespaces and the processes in them (like lsns)", cmd_list },
	{ "tree", "show the user-namespace ownership tree", cmd_tree },
	{ "who", "show everything that keeps a namespace alive", cmd_who },
	{ "show", "show what a process shares with the host or another process", cmd_show },
	{ "enter", "run a program in other namespaces (like nsenter)", cmd_enter },
	{ NULL, NULL, NULL },
};

static void usage(void)
{
	printf("Usage:\n"
	       " nspect [<command>] [options]\n"
	       "\n"
	       "Inspect Linux namespaces.  Without a command, lists them (nspect list).\n"
	       "\n"
	       "Commands:\n");
	for (const struct subcommand *s = subcommands; s->name; s++)
		printf(" %-10s %s\n", s->name, s->summary);
	printf(" %-10s %s\n", "help", "show the help of a command");
	printf("\n"
	       "Options:\n"
	       " -h, --help     display this help\n"
	       " -V, --version  display version\n"
	       "\n"
	       "Run 'nspect <command> --help' for the options of a command.\n");
}

static const struct subcommand *find_subcommand(const char *name)
{
	for (const struct subcommand *s = subcommands; s->name; s++)
		if (strcmp(s->name, name) == 0)
			return s;
	return NULL;
}

int main(int argc, char **argv)
{
	const struct subcommand *s;

	setlocale(LC_ALL, "");
	if (argc < 2)
		return cmd_list(argc, argv);

	const char *a = argv[1];
	if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
		usage();
		return EXIT_OK;
	}
	if (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0)
		return cli_version();
	if (strcmp(a, "help") == 0) {
		if (argc < 3) {
			usage();
			return EXIT_OK;
		}
		s = find_subcommand(argv[2]);
		if (!s)
			return cli_usage_error(NULL, "unknown command: '%s'", argv[2]);
		char *hargv[] = { argv[2], (char *)"--help", NULL };
		return s->run(2, hargv);
	}
	/* options or a namespace inode first: they are list's, as with lsns */
	if (a[0] == '-' || (a[0] >= '0' && a[0] <= '9'))
		return cmd_list(argc, argv);

	s = find_subcommand(a);
	if (!s)
		return cli_usage_error(NULL, "unknown command: '%s'", a);
	return s->run(argc - 1, argv + 1);
}
