/* rng: the one seeded random number generator of a run (splitmix64): every random choice
 * of a scenario comes from here, so a seed fixes the whole trace. */
#ifndef PINATA_RNG_H
#define PINATA_RNG_H
#include <stdint.h>

typedef struct rng { uint64_t s; } rng_t;

void rng_seed(rng_t *r, uint64_t seed);
uint64_t rng_next(rng_t *r);
/* Uniform in [0, n); 0 when n is 0. */
uint64_t rng_below(rng_t *r, uint64_t n);

#endif
