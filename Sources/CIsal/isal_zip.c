// Raw-deflate ZIP parts of a workbook with ISA-L, and their CRC-32 (Read/Workbook/ZipArchive.swift).
#include "huizong_isal.h"
#include <isa-l/crc.h>
#include <isa-l/igzip_lib.h>
#include <stdlib.h>

struct hz_inflater {
    struct inflate_state state;
};

hz_inflater *hz_inflater_new(void) {
    // Zeroed, and the window set: isal_inflate_init leaves hist_bits (the window size) as it finds
    // it, and heap garbage there is a different window from run to run (see isal_gzip.c).
    hz_inflater *z = calloc(1, sizeof *z);
    if (!z) return NULL;
    isal_inflate_init(&z->state);
    z->state.hist_bits = 0;
    z->state.crc_flag = ISAL_GZIP_NO_HDR;  // raw deflate; the gzip CRC-32 (= ZIP's) of the output
    return z;
}

void hz_inflater_free(hz_inflater *z) { free(z); }

int hz_inflate(hz_inflater *z, const uint8_t *in, size_t in_len, size_t *consumed,
               uint8_t *out, size_t out_len, size_t *produced) {
    uint32_t avail_in = in_len > UINT32_MAX ? UINT32_MAX : (uint32_t)in_len;
    uint32_t avail_out = out_len > UINT32_MAX ? UINT32_MAX : (uint32_t)out_len;
    z->state.next_in = (uint8_t *)in;
    z->state.avail_in = avail_in;
    z->state.next_out = out;
    z->state.avail_out = avail_out;
    int rc = isal_inflate(&z->state);
    *consumed = avail_in - z->state.avail_in;
    *produced = avail_out - z->state.avail_out;
    if (rc < 0) return -1;
    return z->state.block_state == ISAL_BLOCK_FINISH ? 1 : 0;
}

uint32_t hz_inflater_crc(const hz_inflater *z) { return z->state.crc; }

uint32_t hz_crc32(uint32_t crc, const uint8_t *buf, size_t len) { return crc32_gzip_refl(crc, buf, len); }
