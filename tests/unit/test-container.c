/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "container.h"

#define S_(lit) lit, sizeof(lit) - 1

#define ID64 "4f3c2a1b9e8d7c6b5a4f3c2a1b9e8d7c6b5a4f3c2a1b9e8d7c6b5a4f3c2a1b9e"

static void expect(const char *cgroup, const char *engine, const char *id, const char *pod, bool monitor)
{
	struct container_info c;
	int r = container_from_cgroup(cgroup, strlen(cgroup), &c);
	if (r != 0)
		fail_msg("no container in %s", cgroup);
	assert_string_equal(c.engine, engine);
	assert_string_equal(c.id, id);
	assert_string_equal(c.pod, pod ? pod : "");
	assert_int_equal(c.monitor, monitor);
}

static void test_engines(void **state)
{
	/* Docker, systemd and cgroupfs drivers, v2 and v1 */
	expect("0::/system.slice/docker-" ID64 ".scope\n", "docker", ID64, NULL, false);
	expect("12:memory:/docker/" ID64 "\n0::/\n", "docker", ID64, NULL, false);
	/* Podman */
	expect("0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" ID64 ".scope\n", "podman", ID64,
	       NULL, false);
	expect("0::/machine.slice/libpod-conmon-" ID64 ".scope\n", "podman", ID64, NULL, true);
	expect("0::/libpod_parent/libpod-" ID64 "\n", "podman", ID64, NULL, false);
	/* containerd and CRI-O, with Kubernetes pods (systemd and cgroupfs layouts) */
	expect("0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1a2b3c4d_5e6f_7a8b_9c0d_1e2f3a4b5c6d.slice/"
	       "cri-containerd-" ID64 ".scope\n",
	       "containerd", ID64, "1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d", false);
	expect("0::/kubepods.slice/kubepods-pod11112222_3333_4444_5555_666677778888.slice/crio-" ID64 ".scope\n",
	       "cri-o", ID64, "11112222-3333-4444-5555-666677778888", false);
	expect("0::/kubepods.slice/crio-conmon-" ID64 ".scope\n", "cri-o", ID64, NULL, true);
	expect("4:cpu:/kubepods/besteffort/pod0f0f0f0f-1111-2222-3333-444455556666/" ID64 "\n", "kubernetes", ID64,
	       "0f0f0f0f-1111-2222-3333-444455556666", false);
	/* LXC, v1 and v2 */
	expect("3:memory:/lxc/web1\n", "lxc", "web1", NULL, false);
	expect("0::/lxc.payload.web-01/init.scope\n", "lxc", "web-01", NULL, false);
	expect("0::/lxc.monitor.web-01\n", "lxc", "web-01", NULL, true);
	/* systemd-nspawn, with systemd's escaping of '-' */
	expect("0::/machine.slice/machine-deb\\x2dbox.scope/payload\n", "nspawn", "deb-box", NULL, false);
	/* machinectl start: the payload is the container, the supervisor is nspawn itself */
	expect("0::/machine.slice/systemd-nspawn@box.service/payload\n", "nspawn", "box", NULL, false);
	expect("0::/machine.slice/systemd-nspawn@box.service/supervisor\n", "nspawn", "box", NULL, true);
}

static void test_fallbacks(void **state)
{
	struct container_info c;

	/* a systemd service is only a label */
	expect("0::/system.slice/nginx.service\n", "systemd", "nginx.service", NULL, false);
	assert_int_equal(container_from_cgroup(S_("0::/system.slice/nginx.service\n"), &c), 0);
	assert_true(c.service);
	/* a container beats a service on another line */
	expect("1:name=systemd:/system.slice/docker.service\n0::/system.slice/docker-" ID64 ".scope\n", "docker", ID64,
	       NULL, false);
	/* the host, a user session, empty input */
	assert_int_equal(container_from_cgroup(S_("0::/\n"), &c), -ENOENT);
	assert_int_equal(container_from_cgroup(S_("0::/user.slice/user-1000.slice/session-3.scope\n"), &c), -ENOENT);
	assert_int_equal(container_from_cgroup(S_(""), &c), -ENOENT);
	/* look-alikes: too short an id, upper case, no id at all */
	assert_int_equal(container_from_cgroup(S_("0::/docker-abc.scope\n"), &c), -ENOENT);
	assert_int_equal(container_from_cgroup(S_("0::/docker-4F3C2A1B9E8D7C6B.scope\n"), &c), -ENOENT);
	assert_int_equal(container_from_cgroup(S_("0::/docker-.scope\n"), &c), -ENOENT);
	assert_int_equal(container_from_cgroup(S_("garbage without colons"), &c), -ENOENT);
}

static void test_unterminated(void **state)
{
	/* found by fuzzing: an escape at the very end of a buffer with no NUL after it */
	static const char text[] = "0::/machine.slice/machine-a\\x2d";
	size_t len = sizeof(text) - 1;
	char *buf = malloc(len);
	memcpy(buf, text, len);
	struct container_info c;
	assert_int_equal(container_from_cgroup(buf, len - 3, &c), -ENOENT);
	assert_int_equal(container_from_cgroup(buf, len, &c), -ENOENT); /* no ".scope": not nspawn */
	free(buf);
}

static void test_label(void **state)
{
	struct container_info c = { .engine = "docker", .id = ID64 };
	char buf[64];
	container_label(&c, buf, sizeof(buf));
	assert_string_equal(buf, "docker:4f3c2a1b9e8d");
	struct container_info l = { .engine = "lxc", .id = "web1" };
	container_label(&l, buf, sizeof(buf));
	assert_string_equal(buf, "lxc:web1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_engines),
		cmocka_unit_test(test_fallbacks),
		cmocka_unit_test(test_unterminated),
		cmocka_unit_test(test_label),
	};
	return cmocka_run_group_tests_name("container", tests, NULL, NULL);
}
