/* strhash: the hash of a NUL-terminated string for the loader's and the network's name tables
 * (open addressing, power-of-two sizes): FNV-1a, short names spread well enough. */
#ifndef PINATA_STRHASH_H
#define PINATA_STRHASH_H
#include <stdint.h>

static inline uint64_t strhash(const char *s) {
    uint64_t h = 1469598103934665603ull;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) h = (h ^ *p) * 1099511628211ull;
    return h;
}

#endif
