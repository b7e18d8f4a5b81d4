/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fake /proc trees for the unit tests: directories, links and files under a
 * temporary root, made with cmocka assertions so that a fixture that cannot
 * be built fails the test instead of testing less.  Include after cmocka.h.
 */
#ifndef NSPECT_TEST_FIXTURE_H
#define NSPECT_TEST_FIXTURE_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* base/rel as a path, every missing directory on the way made (mkdir -p). */
static inline void fx_mkdirs(const char *base, const char *rel)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", base, rel);
	for (char *p = path + strlen(base) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	assert_true(mkdir(path, 0755) == 0 || errno == EEXIST);
}

/* base/rel, a symbolic link to target (which need not exist). */
static inline void fx_link(const char *base, const char *target, const char *rel)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", base, rel);
	assert_int_equal(symlink(target, path), 0);
}

/* base/rel, a file holding text. */
static inline void fx_write(const char *base, const char *rel, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", base, rel);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* Remove the tree at base; 0 or -1, as a cmocka teardown returns. */
static inline int fx_remove(const char *base)
{
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	return system(cmd) == 0 ? 0 : -1;
}

#endif
