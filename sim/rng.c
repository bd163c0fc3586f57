#include "sim/rng.h"

void rng_seed(rng_t *r, uint64_t seed) { r->s = seed; }

uint64_t rng_next(rng_t *r) {
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

uint64_t rng_below(rng_t *r, uint64_t n) { return n ? rng_next(r) % n : 0; }
