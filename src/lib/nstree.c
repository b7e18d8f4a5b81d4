/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdlib.h>

#include "nstree.h"

void nstree_parents(const struct nsdb *db, enum nstree_rel rel, size_t *tparent)
{
	for (size_t i = 0; i < db->nns; i++) {
		const struct nsdb_ns *ns = &db->ns[i];
		size_t p = NSDB_NONE;

		if (rel == NSTREE_OWNER) {
			/* for a user namespace its owner is its parent */
			if (ns->owner)
				p = nsdb_find_ns(db, NSTYPE_USER, ns->owner);
		} else if (ns->parent && nstype_table[ns->type].has_parent) {
			p = nsdb_find_ns(db, ns->type, ns->parent);
		}
		tparent[i] = p == i ? NSDB_NONE : p;
	}
}

/* Children of every node as one array (counting sort): kids[first[i] .. first[i + 1]). */
struct csr {
	size_t *first, *kids;
};

static int csr_build(const size_t *tparent, size_t n, struct csr *c)
{
	c->first = calloc(n + 1, sizeof(*c->first));
	c->kids = malloc((n ? n : 1) * sizeof(*c->kids));
	if (!c->first || !c->kids)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (tparent[i] != NSDB_NONE)
			c->first[tparent[i] + 1]++;
	for (size_t i = 0; i < n; i++)
		c->first[i + 1] += c->first[i];
	size_t *fill = malloc((n ? n : 1) * sizeof(*fill));
	if (!fill)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		fill[i] = c->first[i];
	for (size_t i = 0; i < n; i++)
		if (tparent[i] != NSDB_NONE)
			c->kids[fill[tparent[i]]++] = i;
	free(fill);
	return 0;
}

enum { NOT_SHOWN, SHOWN, CONTEXT };

int nstree_rows(const struct nsdb *db, const size_t *tparent, const bool *match, size_t root, int max_depth,
		struct render_row **ret_rows, size_t *ret_n)
{
	size_t n = db->nns;
	struct csr c = { 0 };
	unsigned char *state = calloc(n ? n : 1, 1);
	size_t *depth = malloc((n ? n : 1) * sizeof(*depth));
	size_t *queue = malloc((n ? n : 1) * sizeof(*queue));
	size_t *rowof = malloc((n ? n : 1) * sizeof(*rowof));
	bool *in_scope = malloc((n ? n : 1) * sizeof(*in_scope));
	struct render_row *rows = NULL;
	int r = -ENOMEM;

	if (!state || !depth || !queue || !rowof || !in_scope || csr_build(tparent, n, &c) < 0)
		goto out;

	/* the subtree asked for, found breadth-first from its root */
	for (size_t i = 0; i < n; i++)
		in_scope[i] = root == NSDB_NONE;
	if (root != NSDB_NONE) {
		size_t head = 0, tail = 0;
		in_scope[root] = true;
		queue[tail++] = root;
		while (head < tail) {
			size_t v = queue[head++];
			for (size_t k = c.first[v]; k < c.first[v + 1]; k++)
				if (!in_scope[c.kids[k]]) {
					in_scope[c.kids[k]] = true;
					queue[tail++] = c.kids[k];
				}
		}
	}

	/* matches, then the ancestors that connect them; each walk stops at a marked node */
	for (size_t i = 0; i < n; i++)
		if (match[i] && in_scope[i])
			state[i] = SHOWN;
	for (size_t i = 0; i < n; i++) {
		if (state[i] != SHOWN || i == root)
			continue;
		for (size_t j = tparent[i]; j != NSDB_NONE && in_scope[j] && state[j] == NOT_SHOWN; j = tparent[j]) {
			state[j] = CONTEXT;
			if (j == root)
				break;
		}
	}

	/*
	 * Depth, breadth-first from the tops: a shown node whose parent is not
	 * shown (or is outside the subtree) is a top.  Nodes no top reaches sit
	 * on a cycle that racing reads made; they become tops themselves.
	 */
	size_t head = 0, tail = 0, orphan_from = 0;
	for (size_t i = 0; i < n; i++) {
		depth[i] = NSDB_NONE;
		size_t p = tparent[i];
		bool top = p == NSDB_NONE || state[p] == NOT_SHOWN || i == root;
		if (state[i] != NOT_SHOWN && top) {
			depth[i] = 0;
			queue[tail++] = i;
		}
	}
	for (;;) {
		while (head < tail) {
			size_t v = queue[head++];
			for (size_t k = c.first[v]; k < c.first[v + 1]; k++) {
				size_t w = c.kids[k];
				if (state[w] != NOT_SHOWN && depth[w] == NSDB_NONE && w != root) {
					depth[w] = depth[v] + 1;
					queue[tail++] = w;
				}
			}
		}
		size_t orphan = NSDB_NONE;
		for (; orphan_from < n && orphan == NSDB_NONE; orphan_from++)
			if (state[orphan_from] != NOT_SHOWN && depth[orphan_from] == NSDB_NONE)
				orphan = orphan_from;
		if (orphan == NSDB_NONE)
			break;
		depth[orphan] = 0;
		queue[tail++] = orphan;
	}

	rows = malloc((n ? n : 1) * sizeof(*rows));
	if (!rows)
		goto out;
	size_t nrows = 0;
	for (size_t i = 0; i < n; i++) {
		rowof[i] = NSDB_NONE;
		if (state[i] == NOT_SHOWN || (max_depth > 0 && depth[i] >= (size_t)max_depth))
			continue;
		rowof[i] = nrows;
		rows[nrows++] = (struct render_row){ .ns = i, .proc = db->ns[i].rep, .parent = NSDB_NONE,
						     .context = state[i] == CONTEXT };
	}
	for (size_t k = 0; k < nrows; k++) {
		size_t i = rows[k].ns, p = tparent[i];
		/* a top (depth 0) hangs under nothing, even when its parent is shown on a cycle */
		if (depth[i] > 0 && p != NSDB_NONE && rowof[p] != NSDB_NONE)
			rows[k].parent = rowof[p];
	}
	*ret_rows = rows;
	*ret_n = nrows;
	rows = NULL;
	r = 0;
out:
	free(rows);
	free(c.first);
	free(c.kids);
	free(state);
	free(depth);
	free(queue);
	free(rowof);
	free(in_scope);
	return r;
}
