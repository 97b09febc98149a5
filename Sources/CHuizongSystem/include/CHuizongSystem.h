#ifndef CHUIZONG_SYSTEM_H
#define CHUIZONG_SYSTEM_H
/// Atomically exchange two paths (Linux renameat2 with RENAME_EXCHANGE). Returns 0 or -1 with errno set.
int huizong_rename_exchange(const char *from, const char *to);
/// Take an exclusive, non-blocking flock on fd. Returns 0, or -1 with errno (EWOULDBLOCK when held).
int huizong_flock_exclusive_nb(int fd);

/// Keep large freed blocks in the heap for reuse (mallopt M_MMAP_THRESHOLD / M_TRIM_THRESHOLD).
void huizong_tune_malloc(long mmap_threshold, long trim_threshold);
/// One malloc heap for every thread (mallopt M_ARENA_MAX 1): a run's reader and finish threads
/// would otherwise each keep a heap of what they freed (call before starting threads).
void huizong_single_malloc_arena(void);
#endif
