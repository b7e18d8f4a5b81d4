/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -Q filter expressions, in the syntax of lsns (libsmartcols filters):
 *   expr := expr ("||" | "or") expr | expr ("&&" | "and") expr
 *         | ("!" | "not") expr | "(" expr ")" | operand [op operand]
 *   op   := == eq != ne < lt <= le > gt >= ge =~ !~
 *   operand := COLUMN | NUMBER | "string" | 'string'
 * Pure: columns are found and their values fetched through callbacks, so the
 * module knows nothing of namespaces.  Numbers compare as numbers when both
 * sides are numbers; otherwise as strings.  A bare column is true when it
 * has a value (a number: when it is not 0).
 */
#ifndef NSPECT_FILTER_H
#define NSPECT_FILTER_H

#include <stdbool.h>
#include <stddef.h>

struct filter;

enum filter_type {
	FILTER_STRING,
	FILTER_NUMBER,
};

/* Column lookup: len bytes of name -> column id (>= 0) and its type, or -1. */
typedef int (*filter_lookup_fn)(const char *name, size_t len, enum filter_type *ret_type);

/* A column's value for the row being tested: a string, or NULL when empty. */
typedef const char *(*filter_value_fn)(void *ctx, int column);

struct filter_error {
	size_t pos;       /* byte offset in the expression */
	char msg[160];
};

/* Parse expr.  -EINVAL with *err filled; -ENOMEM. */
int filter_parse(const char *expr, filter_lookup_fn lookup, struct filter **ret, struct filter_error *err);

bool filter_eval(const struct filter *f, filter_value_fn value, void *ctx);

/* Call fn for every column the expression reads (to fetch what it needs). */
void filter_for_each_column(const struct filter *f, void (*fn)(void *arg, int column), void *arg);

void filter_free(struct filter *f);

#endif
