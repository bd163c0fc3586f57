/* rsort: LSD radix sort. See rsort.h. */
#include "viz/rsort.h"

#include <stdlib.h>
#include <string.h>

static int u64_cmp(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

void rsort_u64(uint64_t *a, size_t n) {
    uint64_t *tmp = n >= 256 ? malloc(n * sizeof *tmp) : NULL;
    size_t *cnt = tmp ? malloc(65536 * sizeof *cnt) : NULL;
    if (!cnt) { /* small, or out of memory: the plain sort */
        free(tmp);
        qsort(a, n, sizeof *a, u64_cmp);
        return;
    }
    uint64_t any = 0, all = ~UINT64_C(0);
    for (size_t i = 0; i < n; i++) { any |= a[i]; all &= a[i]; }
    uint64_t *src = a, *dst = tmp;
    for (int shift = 0; shift < 64; shift += 16) {
        if ((((any ^ all) >> shift) & 0xFFFF) == 0) continue; /* one digit everywhere: no pass */
        memset(cnt, 0, 65536 * sizeof *cnt);
        for (size_t i = 0; i < n; i++) cnt[(src[i] >> shift) & 0xFFFF]++;
        size_t sum = 0;
        for (size_t d = 0; d < 65536; d++) { size_t c = cnt[d]; cnt[d] = sum; sum += c; }
        for (size_t i = 0; i < n; i++) dst[cnt[(src[i] >> shift) & 0xFFFF]++] = src[i];
        uint64_t *sw = src; src = dst; dst = sw;
    }
    if (src != a) memcpy(a, src, n * sizeof *a);
    free(cnt);
    free(tmp);
}
