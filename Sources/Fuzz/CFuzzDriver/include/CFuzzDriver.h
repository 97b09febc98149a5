#ifndef CFUZZDRIVER_H
#define CFUZZDRIVER_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (compiler-rt, linked by -sanitize=fuzzer): runs the fuzzing loop with the
/// process's arguments, calling `callback` once per input. A target's main.swift calls it, so the
/// target is an ordinary Swift executable with its own `main` (libFuzzer's is then not linked).
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

/// A memory file (memfd) the reader target writes each input to and opens by /proc/self/fd path:
/// the input then goes through the product's own file path (InputFile) unchanged. -1 on failure.
int huizong_fuzz_memfd(void);

#endif
