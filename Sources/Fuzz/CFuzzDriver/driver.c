#define _GNU_SOURCE
#include <sys/mman.h>
#include "CFuzzDriver.h"

int huizong_fuzz_memfd(void) { return memfd_create("huizong-fuzz", 0); }
