/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "container.h"

enum id_kind { ID_HEX, ID_NAME };

/* One path component: PREFIX<id>SUFFIX. */
static const struct pattern {
	const char *prefix, *suffix;
	const char *engine;
	enum id_kind kind;
	bool monitor;
} patterns[] = {
	{ "docker-", ".scope", "docker", ID_HEX, false },         /* systemd cgroup driver */
	{ "libpod-conmon-", ".scope", "podman", ID_HEX, true },
	{ "libpod-", ".scope", "podman", ID_HEX, false },
	{ "libpod-", "", "podman", ID_HEX, false },               /* cgroupfs driver */
	{ "cri-containerd-", ".scope", "containerd", ID_HEX, false },
	{ "crio-conmon-", ".scope", "cri-o", ID_HEX, true },
	{ "crio-", ".scope", "cri-o", ID_HEX, false },
	{ "lxc.payload.", "", "lxc", ID_NAME, false },            /* LXC 4+ on cgroup v2 */
	{ "lxc.monitor.", "", "lxc", ID_NAME, true },
	{ "machine-", ".scope", "nspawn", ID_NAME, false },       /* systemd-nspawn run by hand */
	{ "systemd-nspawn@", ".service", "nspawn", ID_NAME, false }, /* machinectl start */
};

/* PARENT/<id>: the cgroupfs layouts of older engines. */
static const struct parent_pattern {
	const char *parent;
	const char *engine;
	enum id_kind kind;
} parent_patterns[] = {
	{ "docker", "docker", ID_HEX },
	{ "lxc", "lxc", ID_NAME },
	{ "libpod_parent", "podman", ID_HEX },
};

static bool all_hex(const char *s, size_t len)
{
	if (len < 12 || len > 64)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
			return false;
	return true;
}

static bool valid_name(const char *s, size_t len)
{
	if (len == 0 || len >= CONTAINER_ID_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == '/')
			return false;
	return true;
}

static int hexval(char c)
{
	return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

/* systemd escapes '-' in unit names as \x2d; copy with that undone. */
static void copy_unescaped(char *dst, size_t size, const char *src, size_t len)
{
	size_t o = 0;
	/* by hand: src is not NUL-terminated, and sscanf would read past it */
	for (size_t i = 0; i < len && o + 1 < size; i++) {
		if (src[i] == '\\' && i + 3 < len && src[i + 1] == 'x' && isxdigit((unsigned char)src[i + 2]) &&
		    isxdigit((unsigned char)src[i + 3])) {
			dst[o++] = (char)(hexval(src[i + 2]) << 4 | hexval(src[i + 3]));
			i += 3;
		} else
			dst[o++] = src[i];
	}
	dst[o] = '\0';
}

static bool take_id(struct container_info *c, enum id_kind kind, const char *s, size_t len)
{
	if (kind == ID_HEX ? !all_hex(s, len) : !valid_name(s, len))
		return false;
	copy_unescaped(c->id, sizeof(c->id), s, len);
	return true;
}

static bool match_component(const char *s, size_t len, struct container_info *c)
{
	for (size_t k = 0; k < sizeof(patterns) / sizeof(*patterns); k++) {
		const struct pattern *p = &patterns[k];
		size_t pl = strlen(p->prefix), sl = strlen(p->suffix);
		if (len <= pl + sl || strncmp(s, p->prefix, pl) != 0 || strncmp(s + len - sl, p->suffix, sl) != 0)
			continue;
		if (!take_id(c, p->kind, s + pl, len - pl - sl))
			continue;
		c->engine = p->engine;
		c->monitor = p->monitor;
		return true;
	}
	return false;
}

/* A Kubernetes pod uid in "pod<uid>" or "kubepods-<qos>-pod<uid_with_underscores>.slice". */
static void match_pod(const char *s, size_t len, struct container_info *c)
{
	const char *p = NULL;
	for (size_t i = 0; i + 3 < len; i++)
		if (strncmp(s + i, "pod", 3) == 0 && (i == 0 || s[i - 1] == '-')) {
			p = s + i + 3;
			break;
		}
	if (!p)
		return;
	size_t n = (size_t)(s + len - p);
	if (n > 6 && strncmp(p + n - 6, ".slice", 6) == 0)
		n -= 6;
	if (n < 8 || n >= sizeof(c->pod))
		return;
	for (size_t i = 0; i < n; i++) {
		char ch = p[i] == '_' ? '-' : p[i];
		if (!isxdigit((unsigned char)ch) && ch != '-')
			return;
		c->pod[i] = ch;
	}
	c->pod[n] = '\0';
}

/* Look at one cgroup path, its deepest component first. */
static bool match_path(const char *path, size_t len, struct container_info *c)
{
	const char *comp[64];
	size_t clen[64], n = 0;

	for (size_t i = 0; i < len && n < 64;) {
		while (i < len && path[i] == '/')
			i++;
		size_t j = i;
		while (j < len && path[j] != '/')
			j++;
		if (j > i) {
			comp[n] = path + i;
			clen[n++] = j - i;
		}
		i = j;
	}
	bool in_kube = false;
	for (size_t k = 0; k < n; k++) {
		if (clen[k] >= 8 && strncmp(comp[k], "kubepods", 8) == 0)
			in_kube = true;
		if (in_kube && !c->pod[0])
			match_pod(comp[k], clen[k], c);
	}

	for (size_t k = n; k-- > 0;) {
		if (match_component(comp[k], clen[k], c)) {
			/* systemd-nspawn@NAME.service/supervisor is nspawn itself,
			 * outside the container's namespaces; .../payload is inside */
			if (k + 1 < n && clen[k + 1] == 10 && strncmp(comp[k + 1], "supervisor", 10) == 0)
				c->monitor = true;
			return true;
		}
		if (k > 0)
			for (size_t q = 0; q < sizeof(parent_patterns) / sizeof(*parent_patterns); q++) {
				const struct parent_pattern *pp = &parent_patterns[q];
				if (strlen(pp->parent) == clen[k - 1] && strncmp(comp[k - 1], pp->parent, clen[k - 1]) == 0 &&
				    take_id(c, pp->kind, comp[k], clen[k])) {
					c->engine = pp->engine;
					return true;
				}
			}
		/* cgroupfs kubepods: /kubepods/<qos>/pod<uid>/<id> */
		if (in_kube && take_id(c, ID_HEX, comp[k], clen[k]) && clen[k] == 64) {
			c->engine = "kubernetes";
			return true;
		}
	}
	return false;
}

static bool match_service(const char *path, size_t len, struct container_info *c)
{
	const char *end = path + len, *slash = path;
	for (const char *p = path; p < end; p++)
		if (*p == '/')
			slash = p + 1;
	size_t n = (size_t)(end - slash);
	if (n <= 8 || strncmp(end - 8, ".service", 8) != 0 || !valid_name(slash, n))
		return false;
	copy_unescaped(c->id, sizeof(c->id), slash, n);
	c->engine = "systemd";
	c->service = true;
	return true;
}

int container_from_cgroup(const char *buf, size_t len, struct container_info *ret)
{
	struct container_info c;
	const char *end = buf + len;

	/* two rounds: containers on any line first, then a service as a fallback label */
	for (int round = 0; round < 2; round++) {
		/* the v2 line ("0::") first, then the others */
		for (int want_v2 = 1; want_v2 >= 0; want_v2--) {
			for (const char *line = buf; line < end;) {
				const char *nl = memchr(line, '\n', (size_t)(end - line));
				const char *le = nl ? nl : end;
				const char *c1 = memchr(line, ':', (size_t)(le - line));
				const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(le - c1 - 1)) : NULL;
				bool is_v2 = c1 && c1 - line == 1 && line[0] == '0' && c2 == c1 + 1;
				if (c2 && is_v2 == want_v2) {
					memset(&c, 0, sizeof(c));
					const char *path = c2 + 1;
					bool found = round == 0 ? match_path(path, (size_t)(le - path), &c)
								: match_service(path, (size_t)(le - path), &c);
					if (found) {
						*ret = c;
						return 0;
					}
				}
				line = nl ? nl + 1 : end;
			}
		}
	}
	return -ENOENT;
}

void container_label(const struct container_info *c, char *buf, size_t size)
{
	bool hex = all_hex(c->id, strlen(c->id)) && strlen(c->id) == 64;
	snprintf(buf, size, "%s:%.*s", c->engine, hex ? 12 : (int)strlen(c->id), c->id);
}
