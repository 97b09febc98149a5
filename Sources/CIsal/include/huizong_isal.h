#ifndef HUIZONG_ISAL_H
#define HUIZONG_ISAL_H
// Intel ISA-L (Debian libisal-dev), the package's one deflate codec, behind small C functions:
// its state structs are large (87 KB for inflate, 82 KB for deflate) and full of fixed arrays that
// Swift would import as huge tuples, so they are created, driven and freed in C and Swift holds
// opaque pointers. Two users: gzip in and out (HuizongCore/Read/Gzip.swift, isal_gzip.c) and the
// raw-deflate parts of an .xlsx with their CRC-32 (Read/Workbook/ZipArchive.swift, isal_zip.c).
#include <stddef.h>
#include <stdint.h>

// MARK: gzip (one member at a time)

/// A streaming inflater of one gzip member at a time (header parsed, CRC-32 and ISIZE checked).
void *huizong_gzip_inflater_new(void);

void huizong_gzip_inflater_free(void *s);

/// Ready for the next member.
void huizong_gzip_inflater_reset(void *p);

/// Inflates from `in` into `out`; sets what was consumed and produced and whether the member
/// ended (trailer checked). Returns 0, or ISA-L's negative error code (corrupt data).
int huizong_gzip_inflate(void *p, const uint8_t *in, uint32_t in_len, uint8_t *out, uint32_t out_len, uint32_t *consumed, uint32_t *produced, int *member_ended);

/// Level-1 deflate of `n` bytes into `out` as raw deflate followed by the gzip trailer (CRC-32,
/// ISIZE) — the caller writes the 10-byte header. Returns the bytes written, or -1 when `cap` is
/// too small or ISA-L fails. Deterministic: the same bytes give the same output.
long huizong_gzip_deflate_body(const uint8_t *in, uint32_t n, uint8_t *out, uint32_t cap);

// MARK: raw deflate of ZIP parts
typedef struct hz_inflater hz_inflater;

/// A raw-deflate inflater computing the CRC-32 (ZIP/gzip) of what it outputs; NULL when out of memory.
hz_inflater *hz_inflater_new(void);
void hz_inflater_free(hz_inflater *z);

/// Inflates from `in` into `out`: sets how much was consumed and produced. Returns 1 when the
/// deflate stream is complete and all its output delivered, 0 when more input or output space is
/// needed, -1 when the data is not valid deflate.
int hz_inflate(hz_inflater *z, const uint8_t *in, size_t in_len, size_t *consumed,
               uint8_t *out, size_t out_len, size_t *produced);

/// The CRC-32 of everything output so far.
uint32_t hz_inflater_crc(const hz_inflater *z);

/// CRC-32 (ZIP/gzip polynomial) of `len` bytes, continuing from `crc` (0 to start).
uint32_t hz_crc32(uint32_t crc, const uint8_t *buf, size_t len);

#endif
