/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Output through libsmartcols: table, list, raw, JSON, trees. */
#ifndef NSPECT_RENDER_H
#define NSPECT_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "columns.h"

struct render_row {
	size_t ns;      /* index in db->ns */
	size_t proc;    /* index in db->procs, or NSDB_NONE */
	size_t parent;  /* index of the parent row in a tree, or NSDB_NONE */
	bool context;   /* shown only to connect the tree, not a match itself */
};

struct render_opts {
	bool json, raw, noheadings, notruncate, nowrap;
	int tree_col;            /* position in cols that draws the tree, -1 for none */
	const char *table_name;  /* JSON array name */
};

/* Print rows with columns cols.  Returns 0 or a negative errno. */
int render_rows(struct column_ctx *ctx, const int *cols, size_t ncols, const struct render_row *rows,
		size_t nrows, const struct render_opts *o, FILE *out);

/* A table not driven by the column table: fixed headers, text cells. */
struct render_generic_col {
	const char *name;
	enum column_json json;
	bool right;
};

/*
 * Print nrows x ncols cells (row-major, NULL for an empty cell; the strings
 * stay the caller's) under the given headers.
 */
int render_generic(const struct render_generic_col *cols, size_t ncols, char *const *cells, size_t nrows,
		   const struct render_opts *o, FILE *out);

/*
 * Keep the rows that match and, in a tree, the rows above them (marked
 * context), dropping the rest; parent links are renumbered.  Linear.
 * Returns the new number of rows.
 */
size_t render_keep_matches(struct render_row *rows, size_t n, const bool *match);

/* Print the column table itself (NAME, TYPE, DESCRIPTION) for --list-columns. */
int render_column_list(const struct render_opts *o, FILE *out);

/*
 * Cut every cycle in a parent relation over n rows (parent[i] is a row index
 * or NSDB_NONE), so a tree built from racy /proc reads is always a forest.
 * Iterative and linear.
 */
void render_break_cycles(struct render_row *rows, size_t n);

/*
 * Reorder acyclic rows so that every row comes right after its parent's
 * subtree starts (depth first, siblings in their given order), as a drawn
 * tree reads: for output that does not draw the tree.  -ENOMEM leaves the
 * rows as they were.
 */
int render_tree_order(struct render_row *rows, size_t n);

#endif
