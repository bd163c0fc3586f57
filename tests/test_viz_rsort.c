/* viz/rsort: the radix sort the index and the axis sort their large arrays with. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "viz/rsort.h"

static int u64_cmp(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static uint64_t next(uint64_t *s) { /* splitmix64: the same numbers on every run */
    uint64_t z = (*s += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

/* n keys masked to mask (few bits: many repeats and skipped passes), sorted by rsort_u64
 * and by qsort: the same array. */
static void sorts_like_qsort(size_t n, uint64_t mask, uint64_t seed) {
    uint64_t *a = malloc((n ? n : 1) * sizeof *a), *b = malloc((n ? n : 1) * sizeof *b);
    assert_non_null(a);
    assert_non_null(b);
    for (size_t i = 0; i < n; i++) a[i] = b[i] = next(&seed) & mask;
    rsort_u64(a, n);
    qsort(b, n, sizeof *b, u64_cmp);
    assert_memory_equal(a, b, n * sizeof *a);
    free(a);
    free(b);
}

static void rsort_should_sort_like_qsort_at_every_key_width(void **s) {
    (void)s;
    sorts_like_qsort(100000, ~UINT64_C(0), 1);              /* every pass */
    sorts_like_qsort(100000, UINT64_C(0x1FFFFFFF), 2);      /* 29 bits: times of a 0.5 s run */
    sorts_like_qsort(100000, UINT64_C(0xFF00000000FF), 3);  /* digits that never change: skipped */
    sorts_like_qsort(100000, 7, 4);                         /* mostly repeats */
    sorts_like_qsort(100, ~UINT64_C(0), 5);                 /* small: the plain sort */
    sorts_like_qsort(0, ~UINT64_C(0), 6);
}

static void rsort_bits_should_count_the_bits_a_value_needs(void **s) {
    (void)s;
    assert_int_equal(rsort_bits(0), 0);
    assert_int_equal(rsort_bits(1), 1);
    assert_int_equal(rsort_bits(1017138), 20);
    assert_int_equal(rsort_bits(UINT64_C(1) << 63), 64);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rsort_should_sort_like_qsort_at_every_key_width),
        cmocka_unit_test(rsort_bits_should_count_the_bits_a_value_needs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
