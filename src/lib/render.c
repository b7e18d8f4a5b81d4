/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <libsmartcols.h>
#include <stdlib.h>
#include <string.h>

#include "procfs.h"
#include "render.h"

/*
 * libsmartcols 2.38 writes an empty array cell as [null].  Outside strings,
 * a null alone between brackets can only be that, so rewrite it to [].
 */
static void fix_empty_arrays(char *buf, size_t *len)
{
	size_t o = 0;
	bool in_string = false;
	for (size_t i = 0; i < *len;) {
		/* text inside strings is data: leave it alone */
		if (in_string) {
			if (buf[i] == '\\' && i + 1 < *len)
				buf[o++] = buf[i++];
			else if (buf[i] == '"')
				in_string = false;
			buf[o++] = buf[i++];
			continue;
		}
		if (buf[i] == '"')
			in_string = true;
		else if (buf[i] == '[') {
			size_t j = i + 1;
			while (j < *len && (buf[j] == ' ' || buf[j] == '\n'))
				j++;
			if (*len - j >= 4 && memcmp(buf + j, "null", 4) == 0) {
				size_t k = j + 4;
				while (k < *len && (buf[k] == ' ' || buf[k] == '\n'))
					k++;
				if (k < *len && buf[k] == ']') {
					buf[o++] = '[';
					buf[o++] = ']';
					i = k + 1;
					continue;
				}
			}
		}
		buf[o++] = buf[i++];
	}
	*len = o;
}

/*
 * Text from processes, mounts and containers reaches the cells raw.  A table
 * needs nothing more: libsmartcols writes control characters, invalid UTF-8
 * and an ambiguous "\\x" as \\xHH.  JSON it writes as it is, so a string
 * cell is escaped here, the same way, and stays valid UTF-8.
 */
static char *json_safe(char *v, enum column_json t)
{
	if (!v || t != COLJSON_STRING)
		return v;
	size_t len = strlen(v);
	char *esc = malloc(len * 4 + 1);
	if (!esc)
		return v;
	procfs_escape(v, len, esc, len * 4 + 1);
	free(v);
	return esc;
}

/* Print tb to out; JSON goes through memory to be mended first. */
static int print_table(struct libscols_table *tb, bool json, FILE *out)
{
	if (!json) {
		scols_table_set_stream(tb, out);
		return scols_print_table(tb);
	}
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	if (!mem)
		return -ENOMEM;
	scols_table_set_stream(tb, mem);
	int r = scols_print_table(tb);
	if (fclose(mem) != 0 && r == 0)
		r = -ENOMEM;
	if (r == 0) {
		fix_empty_arrays(buf, &len);
		if (fwrite(buf, 1, len, out) != len)
			r = -EIO;
	}
	free(buf);
	return r;
}

static void apply_table_opts(struct libscols_table *tb, const struct render_opts *o)
{
	scols_table_enable_json(tb, o->json);
	scols_table_enable_raw(tb, o->raw);
	scols_table_enable_noheadings(tb, o->noheadings);
	scols_table_enable_nowrap(tb, o->nowrap);
	if (o->table_name)
		scols_table_set_name(tb, o->table_name);
}

static int json_type(enum column_json t)
{
	switch (t) {
	case COLJSON_NUMBER: return SCOLS_JSON_NUMBER;
	case COLJSON_ARRAY: return SCOLS_JSON_ARRAY_STRING;
	case COLJSON_ARRAY_NUMBER: return SCOLS_JSON_ARRAY_NUMBER;
	default: return SCOLS_JSON_STRING;
	}
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
	for (size_t i = 0; i < ncols; i++) {
		const struct column_info *ci = &column_table[cols[i]];
		int fl = 0;
		/* tree art reads from the left: the tree column is never right-aligned */
		if ((ci->flags & COLFL_RIGHT) && (int)i != o->tree_col)
			fl |= SCOLS_FL_RIGHT;
		if ((ci->flags & COLFL_TRUNC) && !o->notruncate)
			fl |= SCOLS_FL_TRUNC;
		if ((int)i == o->tree_col)
			fl |= SCOLS_FL_TREE;
		struct libscols_column *cl = scols_table_new_column(tb, ci->name, ci->width, fl);
		if (!cl)
			goto out;
		scols_column_set_json_type(cl, json_type(ci->json));
		if (ci->json == COLJSON_ARRAY || ci->json == COLJSON_ARRAY_NUMBER) {
			/* several values: one line each in a table cell, an array in JSON */
			scols_column_set_flags(cl, fl | SCOLS_FL_WRAP);
			scols_column_set_wrapfunc(cl, scols_wrapnl_chunksize, scols_wrapnl_nextchunk, NULL);
		}
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
		ctx->context = rows[i].context;
		for (size_t c = 0; c < ncols; c++) {
			char *v = column_table[cols[c]].get(ctx, ns, p);
			if (o->json)
				v = json_safe(v, column_table[cols[c]].json);
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

	r = print_table(tb, o->json, out);
out:
	free(lines);
	scols_unref_table(tb);
	return r;
}

int render_generic(const struct render_generic_col *cols, size_t ncols, char *const *cells, size_t nrows,
		   const struct render_opts *o, FILE *out)
{
	struct libscols_table *tb = scols_new_table();
	int r = -ENOMEM;

	if (!tb)
		return -ENOMEM;
	apply_table_opts(tb, o);
	for (size_t c = 0; c < ncols; c++) {
		struct libscols_column *cl = scols_table_new_column(tb, cols[c].name, 0, cols[c].right ? SCOLS_FL_RIGHT : 0);
		if (!cl)
			goto out;
		scols_column_set_json_type(cl, json_type(cols[c].json));
	}
	for (size_t i = 0; i < nrows; i++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);
		if (!ln)
			goto out;
		for (size_t c = 0; c < ncols; c++) {
			const char *cell = cells[i * ncols + c];
			if (!cell)
				continue;
			char *v = strdup(cell);
			if (v && o->json)
				v = json_safe(v, cols[c].json);
			if (!v || scols_line_refer_data(ln, c, v) < 0) {
				free(v);
				goto out;
			}
		}
	}
	r = print_table(tb, o->json, out);
out:
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
		    scols_line_set_data(ln, 1, column_json_name(column_table[i].json)) < 0 ||
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

int render_tree_order(struct render_row *rows, size_t n)
{
	size_t *first = malloc((n ? n : 1) * sizeof(size_t));
	size_t *next = malloc((n ? n : 1) * sizeof(size_t));
	size_t *stack = malloc((n ? n : 1) * sizeof(size_t));
	size_t *newidx = malloc((n ? n : 1) * sizeof(size_t));
	struct render_row *out = malloc((n ? n : 1) * sizeof(*out));
	int r = -ENOMEM;

	if (!first || !next || !stack || !newidx || !out)
		goto done;
	for (size_t i = 0; i < n; i++)
		first[i] = next[i] = NSDB_NONE;
	/* children lists, built backwards so that they keep the given order */
	size_t roots = NSDB_NONE;
	for (size_t i = n; i-- > 0;) {
		size_t p = rows[i].parent;
		size_t *head = p == NSDB_NONE || p >= n ? &roots : &first[p];
		next[i] = *head;
		*head = i;
	}
	size_t k = 0, sp = 0;
	for (size_t root = roots; root != NSDB_NONE; root = next[root]) {
		stack[sp++] = root;
		while (sp > 0) {
			size_t i = stack[--sp];
			newidx[i] = k;
			out[k++] = rows[i];
			/* push the children last-first, so the first is taken next */
			size_t cnt = 0;
			for (size_t c = first[i]; c != NSDB_NONE; c = next[c])
				cnt++;
			sp += cnt;
			size_t at = sp;
			for (size_t c = first[i]; c != NSDB_NONE; c = next[c])
				stack[--at] = c;
		}
	}
	if (k == n) {
		for (size_t i = 0; i < n; i++)
			if (out[i].parent != NSDB_NONE && out[i].parent < n)
				out[i].parent = newidx[out[i].parent];
		if (n) /* memcpy from or to NULL is undefined, even for 0 bytes */
			memcpy(rows, out, n * sizeof(*out));
		r = 0;
	} else {
		r = -EINVAL; /* a cycle: rows unreachable from any root */
	}
done:
	free(first);
	free(next);
	free(stack);
	free(newidx);
	free(out);
	return r;
}

size_t render_keep_matches(struct render_row *rows, size_t n, const bool *match)
{
	/* 0: dropped, 1: kept as a match, 2: kept as context */
	unsigned char *keep = calloc(n ? n : 1, 1);
	size_t *newidx = malloc((n ? n : 1) * sizeof(*newidx));
	size_t k = 0;

	if (!keep || !newidx) {
		/* cannot track ancestors: keep the matches alone, flat */
		for (size_t i = 0; i < n; i++)
			if (match[i]) {
				rows[k] = rows[i];
				rows[k++].parent = NSDB_NONE;
			}
		free(keep);
		free(newidx);
		return k;
	}
	for (size_t i = 0; i < n; i++)
		if (match[i])
			keep[i] = 1;
	for (size_t i = 0; i < n; i++) {
		if (keep[i] != 1)
			continue;
		/* each walk stops at a row already kept: every row is climbed once */
		for (size_t j = rows[i].parent; j != NSDB_NONE && !keep[j]; j = rows[j].parent)
			keep[j] = 2;
	}
	for (size_t i = 0; i < n; i++) {
		newidx[i] = keep[i] ? k : NSDB_NONE;
		if (keep[i]) {
			struct render_row r = rows[i];
			r.context = r.context || keep[i] == 2;
			rows[k++] = r;
		}
	}
	for (size_t i = 0; i < k; i++)
		if (rows[i].parent != NSDB_NONE)
			rows[i].parent = newidx[rows[i].parent];
	free(keep);
	free(newidx);
	return k;
}
