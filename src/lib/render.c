/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <libsmartcols.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

static void apply_table_opts(struct libscols_table *tb, const struct render_opts *o)
{
	scols_table_enable_json(tb, o->json);
	scols_table_enable_raw(tb, o->raw);
	scols_table_enable_noheadings(tb, o->noheadings);
	scols_table_enable_nowrap(tb, o->nowrap);
	if (o->table_name)
		scols_table_set_name(tb, o->table_name);
}

int render_rows(struct column_ctx *ctx, const int *cols, size_t ncols, const struct render_row *rows,
		size_t nrows, const struct render_opts *o, FILE *out)
{
	struct libscols_table *tb = scols_new_table();
	struct libscols_line **lines = NULL;
	int r = -ENOMEM;

	if (!tb)
		return -ENOMEM;
	apply_table_opts(tb, o);
	scols_table_set_stream(tb, out);
	for (size_t i = 0; i < ncols; i++) {
		const struct column_info *ci = &column_table[cols[i]];
		int fl = 0;
		if (ci->flags & COLFL_RIGHT)
			fl |= SCOLS_FL_RIGHT;
		if ((ci->flags & COLFL_TRUNC) && !o->notruncate)
			fl |= SCOLS_FL_TRUNC;
		if ((int)i == o->tree_col)
			fl |= SCOLS_FL_TREE;
		struct libscols_column *cl = scols_table_new_column(tb, ci->name, ci->width, fl);
		if (!cl)
			goto out;
		scols_column_set_json_type(cl, ci->json == COLJSON_NUMBER ? SCOLS_JSON_NUMBER : SCOLS_JSON_STRING);
	}

	lines = calloc(nrows ? nrows : 1, sizeof(*lines));
	if (!lines)
		goto out;
	for (size_t i = 0; i < nrows; i++) {
		struct nsdb_ns *ns = &ctx->db->ns[rows[i].ns];
		struct nsdb_proc *p = rows[i].proc != NSDB_NONE ? &ctx->db->procs[rows[i].proc] : NULL;

		lines[i] = scols_table_new_line(tb, NULL);
		if (!lines[i])
			goto out;
		for (size_t c = 0; c < ncols; c++) {
			char *v = column_table[cols[c]].get(ctx, ns, p);
			if (v && scols_line_refer_data(lines[i], c, v) < 0) {
				free(v);
				goto out;
			}
		}
	}
	if (o->tree_col >= 0)
		for (size_t i = 0; i < nrows; i++)
			if (rows[i].parent != NSDB_NONE && scols_line_add_child(lines[rows[i].parent], lines[i]) < 0)
				goto out;

	r = scols_print_table(tb);
out:
	free(lines);
	scols_unref_table(tb);
	return r;
}

int render_column_list(const struct render_opts *o, FILE *out)
{
	struct libscols_table *tb = scols_new_table();
	int r = -ENOMEM;

	if (!tb)
		return -ENOMEM;
	struct render_opts lo = *o;
	lo.table_name = "columns";
	apply_table_opts(tb, &lo);
	scols_table_set_stream(tb, out);
	if (!scols_table_new_column(tb, "NAME", 0, 0) || !scols_table_new_column(tb, "TYPE", 0, 0) ||
	    !scols_table_new_column(tb, "DESCRIPTION", 0, 0))
		goto out;
	for (int i = 0; i < COL_COUNT; i++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);
		if (!ln || scols_line_set_data(ln, 0, column_table[i].name) < 0 ||
		    scols_line_set_data(ln, 1, column_table[i].json == COLJSON_NUMBER ? "number" : "string") < 0 ||
		    scols_line_set_data(ln, 2, column_table[i].help) < 0)
			goto out;
	}
	r = scols_print_table(tb);
out:
	scols_unref_table(tb);
	return r;
}

void render_break_cycles(struct render_row *rows, size_t n)
{
	/* 0: not seen, 1: on the current walk, 2: known to reach a root */
	unsigned char *state = calloc(n ? n : 1, 1);

	if (!state) {
		/* cannot check: a flat list is always safe */
		for (size_t i = 0; i < n; i++)
			rows[i].parent = NSDB_NONE;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		size_t j = i;
		while (j != NSDB_NONE && state[j] == 0) {
			state[j] = 1;
			size_t p = rows[j].parent;
			if (p != NSDB_NONE && state[p] == 1)
				rows[j].parent = p = NSDB_NONE; /* closing a loop: cut it here */
			j = p;
		}
		for (j = i; j != NSDB_NONE && state[j] == 1; j = rows[j].parent)
			state[j] = 2;
	}
	free(state);
}
