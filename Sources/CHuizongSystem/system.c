#define _GNU_SOURCE
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "CHuizongSystem.h"

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

int huizong_rename_exchange(const char *from, const char *to) {
    return (int)syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, RENAME_EXCHANGE);
}

int huizong_flock_exclusive_nb(int fd) {
    return flock(fd, LOCK_EX | LOCK_NB);
}

void huizong_tune_malloc(long mmap_threshold, long trim_threshold) {
    mallopt(M_MMAP_THRESHOLD, (int)mmap_threshold);
    mallopt(M_TRIM_THRESHOLD, (int)trim_threshold);
}

void huizong_single_malloc_arena(void) {
    mallopt(M_ARENA_MAX, 1);
}
