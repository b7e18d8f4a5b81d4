/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Kernel interfaces newer than the build machine's headers (Debian 12 ships
 * 6.1 uapi headers, the tool runs on newer kernels).  Every constant is
 * guarded so newer headers win; features are detected by trying them at run
 * time, never by comparing version strings.
 */
#ifndef NSPECT_KERNEL_H
#define NSPECT_KERNEL_H

#include <linux/ioctl.h>
#include <sched.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP 0x02000000
#endif
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/* nsfs ioctls (linux/nsfs.h) */
#define NSIO 0xb7
#ifndef NS_GET_USERNS
#define NS_GET_USERNS _IO(NSIO, 0x1)
#endif
#ifndef NS_GET_PARENT
#define NS_GET_PARENT _IO(NSIO, 0x2)
#endif
#ifndef NS_GET_NSTYPE
#define NS_GET_NSTYPE _IO(NSIO, 0x3)
#endif
#ifndef NS_GET_OWNER_UID
#define NS_GET_OWNER_UID _IO(NSIO, 0x4)
#endif
#ifndef NS_GET_ID
#define NS_GET_ID _IOR(NSIO, 13, uint64_t)
#endif

/* --- additions for discovery beyond processes ---------------------------- */
#ifndef NSFS_MAGIC
#define NSFS_MAGIC 0x6e736673
#endif
#ifndef SIOCGSKNS
#define SIOCGSKNS 0x894C
#endif

#ifndef NS_GET_MNTNS_ID
#define NS_GET_MNTNS_ID _IOR(NSIO, 5, uint64_t)
#endif
struct nspect_mnt_ns_info {
	uint32_t size;
	uint32_t nr_mounts;
	uint64_t mnt_ns_id;
};
#define NSPECT_MNT_NS_INFO_SIZE 16
#ifndef NS_MNT_GET_INFO
#define NS_MNT_GET_INFO _IOR(NSIO, 10, struct nspect_mnt_ns_info)
#define NS_MNT_GET_NEXT _IOR(NSIO, 11, struct nspect_mnt_ns_info)
#define NS_MNT_GET_PREV _IOR(NSIO, 12, struct nspect_mnt_ns_info)
#endif

/* listmount(2) / statmount(2), 6.8; the mnt_ns_id field of the request, 6.11 */
#ifndef __NR_statmount
#define __NR_statmount 457
#endif
#ifndef __NR_listmount
#define __NR_listmount 458
#endif
#ifndef __NR_pidfd_open
#define __NR_pidfd_open 434
#endif
#ifndef __NR_pidfd_getfd
#define __NR_pidfd_getfd 438
#endif
#ifndef __NR_listns
#define __NR_listns 470
#endif

struct nspect_mnt_id_req {
	uint32_t size;
	uint32_t spare;
	uint64_t mnt_id;
	uint64_t param;
	uint64_t mnt_ns_id;
};
#define NSPECT_MNT_ID_REQ_SIZE_VER1 32
#define NSPECT_LSMT_ROOT 0xffffffffffffffffULL
#define NSPECT_STATMOUNT_SB_BASIC 0x1u
#define NSPECT_STATMOUNT_MNT_ROOT 0x8u
#define NSPECT_STATMOUNT_MNT_POINT 0x10u

/* The fixed part of struct statmount up to the fields we read; strings follow at 512. */
struct nspect_statmount {
	uint32_t size;
	uint32_t mnt_opts;
	uint64_t mask;
	uint32_t sb_dev_major;
	uint32_t sb_dev_minor;
	uint64_t sb_magic;
	uint32_t sb_flags;
	uint32_t fs_type;
	uint64_t mnt_id;
	uint64_t mnt_parent_id;
	uint32_t mnt_id_old;
	uint32_t mnt_parent_id_old;
	uint64_t mnt_attr;
	uint64_t mnt_propagation;
	uint64_t mnt_peer_group;
	uint64_t mnt_master;
	uint64_t propagate_from;
	uint32_t mnt_root;
	uint32_t mnt_point;
	uint64_t spare[50];
	char str[];
};

/* listns(2), 6.19 */
struct nspect_ns_id_req {
	uint32_t size;
	uint32_t spare;
	uint64_t ns_id;
	uint32_t ns_type;
	uint32_t spare2;
	uint64_t user_ns_id;
};
#define NSPECT_NS_ID_REQ_SIZE 32

/* nsfs file handles (6.18): reopen a namespace by id with open_by_handle_at */
#ifndef FILEID_NSFS
#define FILEID_NSFS 0xf1
#endif
#ifndef FD_NSFS_ROOT
#define FD_NSFS_ROOT -10003
#endif
struct nspect_nsfs_file_handle {
	uint64_t ns_id;
	uint32_t ns_type;
	uint32_t ns_inum;
};

/* pidfd ioctls (6.11): an fd of one namespace of the pidfd's process, race-free */
#define NSPECT_PIDFS_IOCTL_MAGIC 0xFF
#define NSPECT_PIDFD_GET_CGROUP_NAMESPACE _IO(NSPECT_PIDFS_IOCTL_MAGIC, 1)
#define NSPECT_PIDFD_GET_IPC_NAMESPACE _IO(NSPECT_PIDFS_IOCTL_MAGIC, 2)
#define NSPECT_PIDFD_GET_MNT_NAMESPACE _IO(NSPECT_PIDFS_IOCTL_MAGIC, 3)
#define NSPECT_PIDFD_GET_NET_NAMESPACE _IO(NSPECT_PIDFS_IOCTL_MAGIC, 4)
#define NSPECT_PIDFD_GET_PID_NAMESPACE _IO(NSPECT_PIDFS_IOCTL_MAGIC, 5)
#define NSPECT_PIDFD_GET_TIME_NAMESPACE _IO(NSPECT_PIDFS_IOCTL_MAGIC, 7)
#define NSPECT_PIDFD_GET_USER_NAMESPACE _IO(NSPECT_PIDFS_IOCTL_MAGIC, 9)
#define NSPECT_PIDFD_GET_UTS_NAMESPACE _IO(NSPECT_PIDFS_IOCTL_MAGIC, 10)
#ifndef __NR_pidfd_send_signal
#define __NR_pidfd_send_signal 424
#endif
#ifndef __NR_close_range
#define __NR_close_range 436
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

#endif
