/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Namespace trees: ownership (every namespace under the user namespace that
 * owns it, user namespaces under their parents) and parentage (pid and user
 * namespaces under their parents).  Linear, no recursion: a chain of 32 user
 * namespaces or 100,000 siblings costs the same stack.
 */
#ifndef NSPECT_NSTREE_H
#define NSPECT_NSTREE_H

#include <stdbool.h>

#include "nsdb.h"
#include "render.h"

enum nstree_rel {
	NSTREE_OWNER,
	NSTREE_PARENT,
};

/*
 * tparent[i]: the index of the namespace that namespace i hangs under, or
 * NSDB_NONE.  Needs owners and parents asked (NSDB_REL_OWNER|NSDB_REL_PARENT).
 */
void nstree_parents(const struct nsdb *db, enum nstree_rel rel, size_t *tparent);

/*
 * The rows of a tree, in namespace (inode) order, each linked to its parent
 * row.  match[i] says whether namespace i passes the user's filters; the
 * ancestors that connect a match to the top are kept too, with context set.
 * root limits the tree to the subtree below that namespace (NSDB_NONE: all);
 * max_depth > 0 keeps that many levels.  Rows get the namespace's lowest-pid
 * process.  *ret_rows is malloc'd.  -ENOMEM.
 */
int nstree_rows(const struct nsdb *db, const size_t *tparent, const bool *match, size_t root, int max_depth,
		struct render_row **ret_rows, size_t *ret_n);

#endif
