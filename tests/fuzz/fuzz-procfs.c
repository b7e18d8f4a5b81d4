/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer harness: every /proc text parser on arbitrary bytes. */
#include <stdint.h>
#include <string.h>

#include "procfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	enum nstype t;
	uint64_t ino;
	struct procfs_stat st;
	pid_t v[8];
	size_t n;
	char out[512];

	procfs_parse_nslink(s, size, &t, &ino);
	procfs_parse_stat(s, size, &st);
	procfs_parse_nspid(s, size, v, 8, &n);
	procfs_escape(s, size, out, sizeof(out));
	procfs_format_cmdline(s, size, out, sizeof(out));
	procfs_format_idmap(s, size, false, out, sizeof(out));
	procfs_format_idmap(s, size, true, out, sizeof(out));
	procfs_format_timens(s, size, out, sizeof(out));

	/* the string parsers need a terminated copy */
	char buf[256];
	size_t len = size < sizeof(buf) - 1 ? size : sizeof(buf) - 1;
	memcpy(buf, data, len);
	buf[len] = '\0';
	int type;
	pid_t pid;
	procfs_parse_nsarg(buf, &type, &ino);
	procfs_parse_pid(buf, &pid);
	procfs_parse_u64(buf, &ino);
	return 0;
}
