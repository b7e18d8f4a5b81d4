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

#endif
