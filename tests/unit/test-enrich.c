/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Optional facts about a namespace, read from a fixture /proc tree of plain
 * files (id maps, time offsets, NSpid, mountinfo) and from the test process
 * itself; the hostname through a real uts namespace.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"

#include "enrich.h"
#include "kernel.h"

static char root[64];
#define mkdirs(rel) fx_mkdirs(root, rel)
#define link_to(target, rel) fx_link(root, target, rel)
#define write_file(rel, text) fx_write(root, rel, text)
static int procfd = -1;

/*
 * 100: a user namespace with two ranges, a time namespace with offsets, a
 *      process three pid namespaces deep, a container root over the host's;
 * 101: malformed maps and offsets, no NSpid, nothing mounted on /;
 * 102: a user namespace whose maps are not written yet;
 * 103: a root on a block device that does not exist.
 */
static int setup(void **state)
{
	strcpy(root, "/tmp/nspect-enrich-XXXXXX");
	assert_non_null(mkdtemp(root));
	mkdirs("100");
	mkdirs("101");
	mkdirs("102");
	mkdirs("103");
	/* the kernel's own layout: "%10u %10u %10u\n" */
	write_file("100/uid_map", "         0     100000      65536\n     65536       1000          1\n");
	write_file("100/gid_map", "         0     200000         10\n");
	write_file("100/timens_offsets", "monotonic       3600         0\nboottime           0 250000000\n");
	write_file("100/status", "Name:\tworker\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t4242\n"
				 "NSpid:\t4242\t17\t1\nNSpgid:\t4242\t17\t1\n");
	write_file("100/mountinfo",
		   "1 0 8:1 / / rw,relatime - ext4 /dev/nspect-test-no-such-disk rw\n"
		   "2 1 0:5 / /proc rw,nosuid - proc proc rw\n"
		   /* mounted over the first: this is the root the namespace's processes see */
		   "3 1 0:40 /containers/c1\\040data / rw,relatime - overlay overlay rw,lowerdir=/l\n"
		   "4 3 0:41 / /tmp rw - tmpfs tmpfs rw\n");
	write_file("101/uid_map", "0 1000\n");
	write_file("101/gid_map", "0 x 1\n");
	write_file("101/timens_offsets", "monotonic 1 2000000000\n");
	write_file("101/status", "Name:\told\nState:\tS (sleeping)\n");
	write_file("101/mountinfo", "2 1 0:5 / /proc rw - proc proc rw\n");
	write_file("102/uid_map", "");
	write_file("103/mountinfo", "1 0 8:1 / / rw - ext4 /dev/nspect-test-no-such-disk rw\n");
	/* 104: the most ranges a map may have (340), in the kernel's 33-byte lines; a negative offset */
	mkdirs("104");
	char path[256];
	snprintf(path, sizeof(path), "%s/104/uid_map", root);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	for (unsigned i = 0; i < 340; i++)
		fprintf(f, "%10u %10u %10u\n", i, 1000 + i, 1u);
	fclose(f);
	write_file("104/timens_offsets", "monotonic           0         0\nboottime           -5 500000000\n");
	/* timens_offsets are those of the namespace a process's children get: say which */
	mkdirs("100/ns");
	mkdirs("101/ns");
	mkdirs("104/ns");
	link_to("time:[4026599100]", "100/ns/time_for_children");
	link_to("time:[4026599101]", "101/ns/time_for_children");
	link_to("time:[4026599104]", "104/ns/time_for_children");
	procfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(procfd >= 0);
	/* libblkid's cache of device tags goes with the fixture, not to /run/blkid */
	char cache[128];
	snprintf(cache, sizeof(cache), "%s/blkid.tab", root);
	assert_int_equal(setenv("BLKID_FILE", cache, 1), 0);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];
	close(procfd);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

static void assert_str_free(char *s, const char *want)
{
	assert_non_null(s);
	assert_string_equal(s, want);
	free(s);
}

static void test_idmap(void **state)
{
	/* compact in a table, one line per range when full */
	assert_str_free(enrich_idmap(procfd, 100, "uid_map", false), "0-65535:100000,65536:1000");
	assert_str_free(enrich_idmap(procfd, 100, "uid_map", true), "0 100000 65536\n65536 1000 1");
	/* which map is read is the caller's choice */
	assert_str_free(enrich_idmap(procfd, 100, "gid_map", false), "0-9:200000");
	/* a map not written yet is empty, not unknown */
	assert_str_free(enrich_idmap(procfd, 102, "uid_map", false), "");
	/* malformed, missing: unknown, never a guess */
	assert_null(enrich_idmap(procfd, 101, "uid_map", false));
	assert_null(enrich_idmap(procfd, 101, "gid_map", true));
	assert_null(enrich_idmap(procfd, 102, "gid_map", false));
	assert_null(enrich_idmap(procfd, 999, "uid_map", false));
}

static void test_idmap_self(void **state)
{
	/* the test process's own map reads, and has at least one range */
	int pfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	char *s = enrich_idmap(pfd, getpid(), "uid_map", false);
	assert_non_null(s);
	assert_non_null(strchr(s, ':'));
	/* the full form has exactly one line per compact range */
	char *full = enrich_idmap(pfd, getpid(), "uid_map", true);
	assert_non_null(full);
	size_t commas = 0, newlines = 0;
	for (char *p = s; *p; p++)
		commas += *p == ',';
	for (char *p = full; *p; p++)
		newlines += *p == '\n';
	assert_int_equal(commas, newlines);
	free(s);
	free(full);
	close(pfd);
}

static uint64_t ino_of(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? st.st_ino : 0;
}

static void test_timens(void **state)
{
	/* through /proc when the process's children's namespace is the one asked about */
	assert_str_free(enrich_timens(procfd, 100, -1, 4026599100ULL), "monotonic=+3600s,boottime=+0.250000000s");
	/* seconds plus nanoseconds, the nanoseconds never negative: "-5 500000000" is -4.5 s */
	assert_str_free(enrich_timens(procfd, 104, -1, 4026599104ULL), "monotonic=0s,boottime=-4.500000000s");
	/* another namespace (as right after unshare(CLONE_NEWTIME)): not its offsets */
	assert_null(enrich_timens(procfd, 100, -1, 4026599104ULL));
	/* malformed, no time_for_children link, no process, nothing to read through */
	assert_null(enrich_timens(procfd, 101, -1, 4026599101ULL));
	assert_null(enrich_timens(procfd, 102, -1, 4026599100ULL));
	assert_null(enrich_timens(procfd, 999, -1, 4026599100ULL));
	assert_null(enrich_timens(procfd, 0, -1, 4026599100ULL));

	/* our own time namespace: both clocks, in the kernel's order */
	uint64_t own = ino_of("/proc/self/ns/time");
	if (!own || ino_of("/proc/self/ns/time_for_children") != own)
		skip(); /* a kernel without time namespaces, or we are between two */
	int pfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	char *s = enrich_timens(pfd, getpid(), -1, own);
	assert_non_null(s);
	assert_true(strncmp(s, "monotonic=", 10) == 0);
	assert_non_null(strstr(s, ",boottime="));
	assert_int_equal(s[strlen(s) - 1], 's');
	/* through an fd as well: a child joins it (root), else /proc answers the same */
	int fd = open("/proc/self/ns/time", O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_str_free(enrich_timens(pfd, getpid(), fd, own), s);
	/* an fd alone (no process): only a child that may join it can tell */
	char *byfd = enrich_timens(-1, 0, fd, own);
	if (geteuid() == 0)
		assert_str_free(byfd, s);
	else
		free(byfd);
	close(fd);
	close(pfd);
	free(s);
}

/* A time namespace of our own making with offsets, before and after a process is in it (root). */
static void test_timens_new(void **state)
{
	int go[2], ready[2];
	char c = 'n';

	if (geteuid() != 0 || !ino_of("/proc/self/ns/time"))
		skip();
	assert_int_equal(pipe2(go, O_CLOEXEC), 0);
	assert_int_equal(pipe2(ready, O_CLOEXEC), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(go[1]);
		close(ready[0]);
		/* the namespace is our children's; we stay in the old one */
		static const char offs[] = "monotonic 3600 0\nboottime -5 500000000\n";
		int fd = -1;
		if (unshare(CLONE_NEWTIME) == 0)
			fd = open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
		c = fd >= 0 && write(fd, offs, sizeof(offs) - 1) == (ssize_t)(sizeof(offs) - 1) ? 'y' : 'n';
		if (fd >= 0)
			close(fd);
		if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(go[0]);
	close(ready[1]);
	assert_int_equal(read(ready[0], &c, 1), 1);
	close(ready[0]);

	char path[64];
	char *by_fd = NULL, *by_proc = NULL, *own_ns = NULL;
	uint64_t newns = 0, oldns = 0;
	int pfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (c == 'y') {
		snprintf(path, sizeof(path), "/proc/%d/ns/time_for_children", (int)pid);
		newns = ino_of(path);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		snprintf(path, sizeof(path), "/proc/%d/ns/time", (int)pid);
		oldns = ino_of(path);
		by_fd = fd >= 0 ? enrich_timens(-1, 0, fd, newns) : NULL;
		by_proc = enrich_timens(pfd, pid, -1, newns);
		/* the process itself is still in its old namespace, whose offsets its file does not show */
		own_ns = enrich_timens(pfd, pid, -1, oldns);
		if (fd >= 0)
			close(fd);
	}
	close(pfd);
	close(go[1]);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (c != 'y')
		fail_msg("as root, but: %s", "no time namespaces here (a restricted container)");
	assert_true(newns != oldns);
	assert_str_free(by_fd, "monotonic=+3600s,boottime=-4.500000000s");
	assert_str_free(by_proc, "monotonic=+3600s,boottime=-4.500000000s");
	assert_null(own_ns);
}

static void test_nspid(void **state)
{
	/* outermost first, with the separator asked for */
	assert_str_free(enrich_nspid(procfd, 100, " "), "4242 17 1");
	assert_str_free(enrich_nspid(procfd, 100, "\n"), "4242\n17\n1");
	assert_null(enrich_nspid(procfd, 101, " "));
	assert_null(enrich_nspid(procfd, 999, " "));

	/* the test process: its last pid is the one getpid() gives */
	int pfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	char *s = enrich_nspid(pfd, getpid(), ",");
	close(pfd);
	assert_non_null(s);
	char want[16];
	snprintf(want, sizeof(want), "%d", (int)getpid());
	const char *last = strrchr(s, ',');
	assert_string_equal(last ? last + 1 : s, want);
	free(s);
}

static void test_mntroot(void **state)
{
	/* the top-most mount on /, with its root inside the filesystem unescaped */
	assert_str_free(enrich_mntroot(procfd, 100), "overlay[/containers/c1 data] overlay");
	/* a device source is kept as is; a device blkid cannot read adds no LABEL/UUID */
	assert_str_free(enrich_mntroot(procfd, 103), "/dev/nspect-test-no-such-disk ext4");
	/* nothing on /, or no mountinfo: unknown */
	assert_null(enrich_mntroot(procfd, 101));
	assert_null(enrich_mntroot(procfd, 999));

	/* our own mount namespace has a root, of the type mountinfo gives its last "/" */
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096], fstype[256] = "";
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char mp[2048];
		const char *dash = strstr(line, " - ");
		if (sscanf(line, "%*s %*s %*s %*s %2047s", mp) == 1 && strcmp(mp, "/") == 0 && dash)
			assert_int_equal(sscanf(dash + 3, "%255s", fstype), 1);
	}
	fclose(f);
	int pfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	char *s = enrich_mntroot(pfd, getpid());
	close(pfd);
	assert_non_null(s);
	char *sp = strchr(s, ' ');
	assert_non_null(sp);
	assert_true(strncmp(sp + 1, fstype, strlen(fstype)) == 0);
	free(s);
}

/*
 * Was a bug, kept as a regression test: enrich_idmap reads at
 * most 4095 bytes, but a map of 340 ranges (the kernel's limit) is 11220
 * bytes in /proc: UIDMAP silently shows the first 124 ranges.  Every range,
 * or nothing, but never a part passed off as the whole.
 */
static void test_fixed_idmap_truncated(void **state)
{
	char *s = enrich_idmap(procfd, 104, "uid_map", false);
	size_t ranges = 0;
	if (s) {
		ranges = 1;
		for (const char *p = s; *p; p++)
			ranges += *p == ',';
	}
	free(s);
	assert_true(ranges == 0 || ranges == 340);
}

static void test_hostname_not_uts(void **state)
{
	/* not a namespace, a namespace of another type, no fd: nothing */
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	assert_null(enrich_hostname(fd));
	close(fd);
	fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_null(enrich_hostname(fd));
	close(fd);
	assert_null(enrich_hostname(-1));
}

/* A child in a uts namespace of its own with a known hostname (needs CAP_SYS_ADMIN). */
static void test_hostname(void **state)
{
	static const char name[] = "nspect-unit-host";
	int go[2], ready[2];
	char c;

	if (geteuid() != 0)
		skip(); /* joining a uts namespace, even our own, needs CAP_SYS_ADMIN */
	assert_int_equal(pipe2(go, O_CLOEXEC), 0);
	assert_int_equal(pipe2(ready, O_CLOEXEC), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(go[1]);
		close(ready[0]);
		c = unshare(CLONE_NEWUTS) == 0 && sethostname(name, sizeof(name) - 1) == 0 ? 'y' : 'n';
		if (write(ready[1], &c, 1) != 1)
			_exit(1);
		/* stay until the parent has read our namespace */
		if (read(go[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(go[0]);
	close(ready[1]);
	assert_int_equal(read(ready[0], &c, 1), 1);
	close(ready[0]);

	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/ns/uts", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *s = c == 'y' && fd >= 0 ? enrich_hostname(fd) : NULL;
	if (fd >= 0)
		close(fd);
	close(go[1]);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (c != 'y')
		fail_msg("as root, but: %s", "uts namespaces not available here (a restricted container)");
	assert_str_free(s, name);

	/* and our own: the name gethostname gives, we are not moved by asking */
	char own[256];
	assert_int_equal(gethostname(own, sizeof(own)), 0);
	fd = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
	assert_str_free(enrich_hostname(fd), own);
	close(fd);
	char again[256];
	assert_int_equal(gethostname(again, sizeof(again)), 0);
	assert_string_equal(again, own);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_idmap),
		cmocka_unit_test(test_idmap_self),
		cmocka_unit_test(test_timens),
		cmocka_unit_test(test_timens_new),
		cmocka_unit_test(test_nspid),
		cmocka_unit_test(test_mntroot),
		cmocka_unit_test(test_fixed_idmap_truncated),
		cmocka_unit_test(test_hostname_not_uts),
		cmocka_unit_test(test_hostname),
	};
	return cmocka_run_group_tests_name("enrich", tests, setup, teardown);
}
