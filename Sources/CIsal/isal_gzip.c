// ISA-L's igzip (Debian libisal-dev): the product's gzip codec (HuizongCore/Read/Gzip.swift).
// Its state structs are large (87 KB for inflate, 82 KB for deflate) and full of fixed arrays that
// Swift would import as huge tuples, so they are created, driven and freed here, behind four small
// functions, and Swift only holds an opaque pointer.
#include "huizong_isal.h"
#include <stdlib.h>
#include <isa-l/igzip_lib.h>

/// A streaming inflater of one gzip member at a time (header parsed, CRC-32 and ISIZE checked).
void *huizong_gzip_inflater_new(void) {
    // Zeroed, and the window set, for the reason given at huizong_gzip_deflate_body.
    struct inflate_state *s = (struct inflate_state *)calloc(1, sizeof *s);
    if (s) { isal_inflate_init(s); s->crc_flag = ISAL_GZIP; s->hist_bits = 0; }
    return s;
}

void huizong_gzip_inflater_free(void *s) { free(s); }

/// Ready for the next member.
void huizong_gzip_inflater_reset(void *p) {
    struct inflate_state *s = (struct inflate_state *)p;
    isal_inflate_reset(s);
    s->crc_flag = ISAL_GZIP;
    s->hist_bits = 0;
}

/// Inflates from `in` into `out`; sets what was consumed and produced and whether the member
/// ended (trailer checked). Returns 0, or ISA-L's negative error code (corrupt data).
int huizong_gzip_inflate(void *p, const uint8_t *in, uint32_t in_len, uint8_t *out,
                                       uint32_t out_len, uint32_t *consumed, uint32_t *produced,
                                       int *member_ended) {
    struct inflate_state *s = (struct inflate_state *)p;
    s->next_in = (uint8_t *)in;
    s->avail_in = in_len;
    s->next_out = out;
    s->avail_out = out_len;
    int rc = isal_inflate(s);
    *consumed = in_len - s->avail_in;
    *produced = out_len - s->avail_out;
    *member_ended = s->block_state == ISAL_BLOCK_FINISH;
    return rc < 0 ? rc : 0;
}

/// Level-1 deflate of `n` bytes into `out` as raw deflate followed by the gzip trailer (CRC-32,
/// ISIZE) — the caller writes the 10-byte header. Returns the bytes written, or -1 when `cap` is
/// too small or ISA-L fails. Deterministic: the same bytes give the same output.
long huizong_gzip_deflate_body(const uint8_t *in, uint32_t n, uint8_t *out, uint32_t cap) {
    // Zeroed, not just malloc'd: isal_deflate_stateless_init leaves hist_bits (the window size)
    // as it finds it, and heap garbage there shrank the window — the same 1 MiB member came out
    // 150 KB in one run and 800 KB in the next (seen on the 1M month's report). hist_bits is set
    // below as well; zeroing keeps every other field the library does not reset deterministic.
    struct isal_zstream *z = (struct isal_zstream *)calloc(1, sizeof *z);
    uint8_t *level_buf = (uint8_t *)calloc(1, ISAL_DEF_LVL1_DEFAULT);
    long written = -1;
    if (z && level_buf) {
        isal_deflate_stateless_init(z);
        z->level = 1;
        z->level_buf = level_buf;
        z->level_buf_size = ISAL_DEF_LVL1_DEFAULT;
        z->hist_bits = 0;  // the whole 32 KiB window
        z->gzip_flag = IGZIP_GZIP_NO_HDR;
        z->end_of_stream = 1;
        z->flush = NO_FLUSH;
        z->next_in = (uint8_t *)in;
        z->avail_in = n;
        z->next_out = out;
        z->avail_out = cap;
        if (isal_deflate_stateless(z) == COMP_OK && z->avail_in == 0) written = (long)z->total_out;
    }
    free(level_buf);
    free(z);
    return written;
}
