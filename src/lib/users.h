/* SPDX-License-Identifier: GPL-2.0-or-later */
/* uid -> user name, looked up once per uid (NSS can be slow). */
#ifndef NSPECT_USERS_H
#define NSPECT_USERS_H

#include <sys/types.h>

struct users;

struct users *users_new(void);
void users_free(struct users *u);
/*
 * The name of uid, or its decimal form when the password database has none.
 * The string belongs to the cache; NULL only when out of memory.
 */
const char *users_name(struct users *u, uid_t uid);

#endif
