/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The column table: one entry per column drives -o parsing, --list-columns,
 * JSON types, the help text and the value shown.
 */
#ifndef NSPECT_COLUMNS_H
#define NSPECT_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>

#include "nsdb.h"
#include "users.h"

enum column_id {
	COL_NS,
	COL_TYPE,
	COL_PATH,
	COL_NPROCS,
	COL_PID,
	COL_PPID,
	COL_COMMAND,
	COL_UID,
	COL_USER,
	COL_NETNSID,
	COL_PNS,
	COL_ONS,
	COL_NSFS,
	COL_HOLDERS,
	COL_NSID,
	COL_OUID,
	COL_OUSER,
	COL_MARK,
	COL_CONTAINER,
	COL_CONTAINERID,
	COL_POD,
	COL_UIDMAP,
	COL_GIDMAP,
	COL_MNTROOT,
	COL_HOSTNAME,
	COL_TIMEOFFSETS,
	COL_LEVEL,
	COL_NSPID,
	COL_COUNT
};

enum column_json {
	COLJSON_STRING,
	COLJSON_NUMBER,
	COLJSON_ARRAY, /* of strings: one per line of the value */
	COLJSON_ARRAY_NUMBER, /* of numbers: one per line of the value */
};

enum {
	COLFL_RIGHT = 1 << 0,  /* numbers: align right */
	COLFL_TRUNC = 1 << 1,  /* may be truncated to fit the terminal */
	COLFL_ALLNS = 1 << 2,  /* needs every namespace related (ancestors, child holders) */
};

/* What a value getter may look at: one row is one namespace seen through one process. */
struct column_ctx {
	struct nsdb *db;
	int procfd;
	struct users *users;
	int json;      /* values for JSON output (no "unassigned" in a number column) */
	uint64_t own_mntns; /* our mount namespace: its mounts are shown by plain path */
	bool context;       /* the row being printed only connects a tree */
};

struct column_info {
	const char *name;
	const char *help;
	enum column_json json;
	double width;          /* libsmartcols width hint */
	unsigned flags;        /* COLFL_* */
	unsigned rel;          /* NSDB_REL_* the value needs */
	/* malloc'd text, or NULL for an empty cell */
	char *(*get)(struct column_ctx *ctx, const struct nsdb_ns *ns, struct nsdb_proc *p);
};

extern const struct column_info column_table[COL_COUNT];

#define COLUMNS_MAX 128

/* "number", "string" or "array": the JSON type, as --list-columns shows it. */
const char *column_json_name(enum column_json t);

/* Column id by name (case-insensitive, len bytes), or -EINVAL. */
int column_from_name(const char *name, size_t len);

/*
 * Parse a comma-separated column list into cols.  A list starting with '+'
 * appends to the *ncols columns already there; otherwise it replaces them.
 * On -EINVAL *ret_bad is a malloc'd copy of the offending name (maybe empty);
 * -E2BIG when more than max columns result.
 */
int columns_parse(const char *list, int *cols, size_t *ncols, size_t max, char **ret_bad);

#endif
