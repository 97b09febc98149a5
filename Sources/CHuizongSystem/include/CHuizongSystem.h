#ifndef CHUIZONG_SYSTEM_H
#define CHUIZONG_SYSTEM_H
/// Atomically exchange two paths (Linux renameat2 with RENAME_EXCHANGE). Returns 0 or -1 with errno set.
int huizong_rename_exchange(const char *from, const char *to);
/// Take an exclusive, non-blocking flock on fd. Returns 0, or -1 with errno (EWOULDBLOCK when held).
int huizong_flock_exclusive_nb(int fd);
#endif
