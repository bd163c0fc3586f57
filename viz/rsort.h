/* rsort: sorting the index's and the axis's large arrays by key, without a compare callback.
 *
 * A million-event trace sorts 1.5 M steps, 1 M thread ids and 2 M axis boundaries; qsort
 * with a callback was most of the index's and the axis's time. An LSD radix sort, 16 bits
 * a pass, skips every pass whose digit is the same in all keys (times of a 0.5 s run use
 * 29 bits: two passes). It is stable, so a key made of fields packed high to low sorts by
 * all of them at once. */
#ifndef PINATA_RSORT_H
#define PINATA_RSORT_H
#include <stddef.h>
#include <stdint.h>

/* Sorts n keys ascending (unsigned order). Out of memory: falls back to qsort. */
void rsort_u64(uint64_t *a, size_t n);

/* The number of bits needed to hold v (0 for 0). */
static inline int rsort_bits(uint64_t v) { return v ? 64 - __builtin_clzll(v) : 0; }

#endif
