#ifndef HUIZONG_ZIP_INFLATE_H
#define HUIZONG_ZIP_INFLATE_H
// Raw-deflate inflation of a workbook's ZIP parts with Intel ISA-L (libisal-dev), and its
// CRC-32: the sheet XML of a 200k-row workbook is 124 MB inflated, and ISA-L inflates it with
// its CRC-32 several times faster than zlib (docs/excel.md). The header hides ISA-L's types,
// so this module and any other ISA-L wrapper in the package never clash.
#include <stddef.h>
#include <stdint.h>

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
