/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer harness: /proc/PID/cgroup text to container. */
#include <stdint.h>
#include <string.h>

#include "container.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct container_info c;
	char label[CONTAINER_ID_MAX + 32];

	if (container_from_cgroup((const char *)data, size, &c) == 0) {
		/* what was found is always printable and terminated */
		if (strnlen(c.id, sizeof(c.id)) == sizeof(c.id) || !c.engine)
			__builtin_trap();
		container_label(&c, label, sizeof(label));
	}
	return 0;
}
