/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Which container a process belongs to, told from its cgroup paths alone
 * (/proc/PID/cgroup), without talking to any engine.  Pure: one table of
 * patterns, fed text by the caller.
 */
#ifndef NSPECT_CONTAINER_H
#define NSPECT_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>

#define CONTAINER_ID_MAX 128

struct container_info {
	const char *engine;           /* docker, podman, containerd, cri-o, lxc, nspawn, kubernetes, systemd */
	char id[CONTAINER_ID_MAX];    /* the engine's id (64 hex digits) or name */
	char pod[64];                 /* Kubernetes pod uid, when the path has one */
	bool monitor;                 /* the engine's helper (conmon, lxc monitor), not the payload */
	bool service;                 /* only a systemd unit: a label, not a container */
};

/*
 * Parse the contents of /proc/PID/cgroup (len bytes).  The cgroup v2 line
 * is looked at first, then the v1 lines in order.  0 and *ret filled when a
 * container (or, failing that, a systemd service) is recognised; -ENOENT
 * when none is.
 */
int container_from_cgroup(const char *buf, size_t len, struct container_info *ret);

/* "engine:id", with 64-hex ids shortened to 12 as engines print them. */
void container_label(const struct container_info *c, char *buf, size_t size);

#endif
