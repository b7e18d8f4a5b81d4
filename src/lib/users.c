/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "users.h"

struct user_entry {
	uid_t uid;
	char *name;
};

/* A handful of distinct uids per host: a small array beats a hash here. */
struct users {
	struct user_entry *e;
	size_t n, cap;
};

struct users *users_new(void)
{
	return calloc(1, sizeof(struct users));
}

void users_free(struct users *u)
{
	if (!u)
		return;
	for (size_t i = 0; i < u->n; i++)
		free(u->e[i].name);
	free(u->e);
	free(u);
}

const char *users_name(struct users *u, uid_t uid)
{
	for (size_t i = 0; i < u->n; i++)
		if (u->e[i].uid == uid)
			return u->e[i].name;

	if (u->n == u->cap) {
		size_t ncap = u->cap ? u->cap * 2 : 16;
		struct user_entry *n = reallocarray(u->e, ncap, sizeof(*n));
		if (!n)
			return NULL;
		u->e = n;
		u->cap = ncap;
	}
	struct passwd pw, *res = NULL;
	char buf[4096], num[16];
	const char *name = num;
	if (getpwuid_r(uid, &pw, buf, sizeof(buf), &res) == 0 && res)
		name = res->pw_name;
	else
		snprintf(num, sizeof(num), "%u", (unsigned)uid);
	char *copy = strdup(name);
	if (!copy)
		return NULL;
	u->e[u->n].uid = uid;
	u->e[u->n].name = copy;
	return u->e[u->n++].name;
}
