/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer harness: -Q expressions, parsed and evaluated on a fixed row. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "filter.h"

static int lookup(const char *name, size_t len, enum filter_type *ret_type)
{
	static const char *names[] = { "NS", "TYPE", "NPROCS" };
	for (int i = 0; i < 3; i++)
		if (strlen(names[i]) == len && strncasecmp(names[i], name, len) == 0) {
			*ret_type = i == 1 ? FILTER_STRING : FILTER_NUMBER;
			return i;
		}
	return -1;
}

static const char *value(void *ctx, int column)
{
	static const char *row[] = { "4026531833", "net", NULL };
	(void)ctx;
	return row[column];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *expr = malloc(size + 1);
	struct filter *f = NULL;
	struct filter_error err;

	if (!expr)
		return 0;
	memcpy(expr, data, size);
	expr[size] = '\0';
	if (filter_parse(expr, lookup, &f, &err) == 0) {
		filter_eval(f, value, NULL);
		filter_free(f);
	} else if (err.pos > size) {
		__builtin_trap(); /* an error must point inside the expression */
	}
	free(expr);
	return 0;
}
