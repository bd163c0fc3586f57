#include "sim/trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace/outfile.h"

#define TRACE_BUF (1 << 16)   /* flush when this much is buffered */
#define TRACE_SLACK 4096      /* the fixed pieces of an event write into this without a flush */
#define TRACE_CAP (TRACE_BUF + TRACE_SLACK)

struct trace {
    FILE *f;            /* out.f, read on every flush */
    outfile out;        /* where the trace goes: through a temporary, renamed at close */
    size_t len;         /* bytes in buf, at most TRACE_CAP */
    uint64_t events;
    uint64_t flows;
    int nargs;          /* args written in the current event; -1 before "args" opened */
    uint64_t flow_id;   /* pending flow of the current event */
    int flow_out;
    int io_error;
    int full;           /* the budget is spent: nothing more is written */
    uint64_t written;   /* bytes that reached the file */
    uint64_t budget;    /* at most this many (0: no budget) */
    char buf[TRACE_CAP];
};

/* Speed (issue 5: one poll event in <= 50 ns; docs/performance.md): an event is some 25
 * small pieces, so each piece must cost a few instructions. Literal pieces are copied with a
 * constant size (the compiler turns that into a few moves); a short string is checked for
 * characters to escape and copied with 16-byte SSE2 loads and stores instead of strpbrk +
 * strlen + memcpy; numbers are formatted straight into the buffer. The bytes written are
 * exactly those of the original writer (tests/test_bench.c, and the traces in traces/):
 * only the speed changed. */

/* Whether n more bytes fit the budget; once they do not, nothing more does. */
static int fits(trace_t *t, size_t n) {
    if (t->budget && (t->full || n > t->budget - t->written)) t->full = 1;
    if (t->full) return 0;
    t->written += n;
    return 1;
}

static void flush(trace_t *t) {
    if (t->len && fits(t, t->len) && fwrite(t->buf, 1, t->len, t->f) != t->len) t->io_error = 1;
    t->len = 0;
}

/* The general path: any length, flushing first when it does not fit. */
static void put(trace_t *t, const char *s, size_t n) {
    if (t->len + n > TRACE_BUF) flush(t);
    if (n > TRACE_BUF) { /* huge raw value: write through */
        if (fits(t, n) && fwrite(s, 1, n, t->f) != n) t->io_error = 1;
        return;
    }
    memcpy(t->buf + t->len, s, n);
    t->len += n;
}

/* A piece of at most TRACE_SLACK bytes whose size the compiler knows. */
static inline void put_lit(trace_t *t, const char *s, size_t n) {
    if (t->len + n > TRACE_CAP) flush(t);
    memcpy(t->buf + t->len, s, n);
    t->len += n;
}
#define PUT_LIT(t, lit) put_lit((t), (lit), sizeof(lit) - 1)

#if defined(__SSE2__)
#include <emmintrin.h>

/* strlen(s) when s holds nothing to escape (needs_escape), else SIZE_MAX: the test and the
 * length in one pass, 16 bytes at a time. Like strlen, it reads whole aligned 16-byte blocks:
 * a block never crosses a page, so reading past the NUL is safe, but it is outside the C
 * object, so AddressSanitizer must not check these loads. */
__attribute__((no_sanitize_address)) static size_t plain_len(const char *s) {
    size_t off = (uintptr_t)s & 15;
    const char *blk = s - off;
    const __m128i zero = _mm_setzero_si128(), quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
    const __m128i c1f = _mm_set1_epi8(0x1F);
    unsigned live = 0xFFFFu << off; /* the bytes of the first block that belong to s */
    for (;; blk += 16, live = 0xFFFFu) {
        __m128i v = _mm_load_si128((const __m128i *)(const void *)blk);
        /* a control character: v <= 0x1F unsigned (the NUL too, which comes last) */
        __m128i ctl = _mm_cmpeq_epi8(_mm_min_epu8(v, c1f), v);
        __m128i esc = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash)), ctl);
        unsigned nul = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, zero)) & live;
        unsigned bad = (unsigned)_mm_movemask_epi8(esc) & live;
        if (!(nul | bad)) continue;
        unsigned at = nul ? (unsigned)__builtin_ctz(nul) : 16;
        if (bad && (unsigned)__builtin_ctz(bad) < at) return SIZE_MAX;
        return (size_t)(blk + at - s);
    }
}
#else
/* What sends a string to trace_escape: '"', '\\' and every control character (below 0x20),
 * which JSON allows in a string only escaped (a scenario's name may hold an ESC). */
static int needs_escape(const char *s) {
    for (; *s; s++)
        if (*s == '"' || *s == '\\' || (unsigned char)*s < 0x20) return 1;
    return 0;
}
static size_t plain_len(const char *s) { return needs_escape(s) ? SIZE_MAX : strlen(s); }
#endif

/* Copies n bytes with a few moves, reading only s[0..n) (a library memcpy call costs more
 * than the copy for the short names an event is made of). */
static inline void copy_short(char *d, const char *s, size_t n) {
    if (n >= 16) {
        memcpy(d, s, n);
    } else if (n >= 8) {
        memcpy(d, s, 8);
        memcpy(d + n - 8, s + n - 8, 8);
    } else if (n >= 4) {
        memcpy(d, s, 4);
        memcpy(d + n - 4, s + n - 4, 4);
    } else if (n) {
        d[0] = s[0];
        d[n / 2] = s[n / 2];
        d[n - 1] = s[n - 1];
    }
}

static const char digits2[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                              "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                              "8081828384858687888990919293949596979899";

static const uint64_t powers10[20] = {1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull,
                                      10000000ull, 100000000ull, 1000000000ull, 10000000000ull,
                                   100000000000ull, 1000000000000ull, 10000000000000ull,
                                   100000000000000ull, 1000000000000000ull, 10000000000000000ull,
                                   100000000000000000ull, 1000000000000000000ull,
                                   10000000000000000000ull};

/* Decimal digits of v, without a loop: bits * log10(2) (1233/4096) is the digit count or one
 * less, and one comparison tells which. v | 1 has as many digits as v (powers of ten are
 * even) and is never 0. */
static inline size_t digits_of(uint64_t v) {
    uint64_t w = v | 1;
    unsigned t = ((64u - (unsigned)__builtin_clzll(w)) * 1233u) >> 12;
    return (size_t)t + (w >= powers10[t]);
}

/* Writes v in decimal at out (at most 20 bytes), right to left in place; returns its length. */
static inline size_t fmt_u64(char *out, uint64_t v) {
    size_t n = digits_of(v);
    char *p = out + n;
    while (v >= 100) {
        unsigned r = (unsigned)(v % 100);
        v /= 100;
        p -= 2;
        memcpy(p, digits2 + 2 * r, 2);
    }
    if (v >= 10) memcpy(p - 2, digits2 + 2 * v, 2);
    else p[-1] = (char)('0' + v);
    return n;
}

static inline void put_int(trace_t *t, int64_t v) {
    if (t->len + 24 > TRACE_CAP) flush(t);
    uint64_t u = (uint64_t)v;
    if (v < 0) {
        t->buf[t->len++] = '-';
        u = 0 - u; /* also right for INT64_MIN */
    }
    t->len += fmt_u64(t->buf + t->len, u);
}

/* Nanoseconds as microseconds with three decimals, e.g. 1500 -> "1.500". */
static inline void put_us(trace_t *t, int64_t ns) {
    if (t->len + 32 > TRACE_CAP) flush(t);
    uint64_t u = (uint64_t)ns;
    if (ns < 0) {
        t->buf[t->len++] = '-';
        u = 0 - u;
    }
    char *b = t->buf + t->len;
    size_t n = fmt_u64(b, u / 1000);
    unsigned frac = (unsigned)(u % 1000);
    b[n] = '.';
    b[n + 1] = (char)('0' + frac / 100);
    memcpy(b + n + 2, digits2 + 2 * (frac % 100), 2);
    t->len += n + 4;
}

/* ---------- event times for every viewer (docs/trace-format.md, "Times") ----------
 * An event's ts and dur are written as exact binary fractions of a microsecond: k/2048 µs,
 * k the nearest to the nanosecond time. A double holds them exactly, so every reader's
 * arithmetic on them is exact: ts + dur of a slice is the very ts of the slice that starts
 * when it ends, also after speedscope subtracts the thread's first ts (with 35018.400 +
 * 4985.800 the float sum passed the next poll's start and speedscope mis-nested the thread).
 * k * 1000/2048 lies within 0.25 ns of the time, so rounding ts * 1000 gives the nanosecond
 * back (Perfetto does: llround), and dur is k(end) - k(start), within 0.5 ns of the true
 * duration, so rounding dur * 1000 gives it back too. Args in µs keep three decimals. */

/* The binary fraction nearest to ns (>= 0), in 2048ths of a microsecond: ns * 256 / 125,
 * rounded (never a tie: 256 r / 125 has an odd denominator), without overflow. */
static inline uint64_t grid_of(int64_t ns) {
    uint64_t u = ns > 0 ? (uint64_t)ns : 0;
    return u / 125 * 256 + ((u % 125) * 256 + 62) / 125;
}

/* k/2048 in decimal, exactly: the integer part, then the fraction's 11 digits
 * (f/2048 = f * 5^11 / 10^11) without trailing zeros, e.g. 410 -> "0.2001953125". */
static inline void put_grid(trace_t *t, uint64_t k) {
    if (t->len + 36 > TRACE_CAP) flush(t);
    char *b = t->buf + t->len;
    size_t n = fmt_u64(b, k >> 11);
    uint64_t f = (k & 2047) * 48828125u;
    if (f) {
        char d[11];
        for (int i = 10; i >= 0; i--, f /= 10) d[i] = (char)('0' + f % 10);
        size_t m = 11;
        while (d[m - 1] == '0') m--;
        b[n++] = '.';
        memcpy(b + n, d, m);
        n += m;
    }
    t->len += n;
}

size_t trace_escape(char *buf, size_t cap, const char *s) {
    size_t n = 0;
    if (!cap) return 0;
    for (; s && *s && n + 7 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') { buf[n++] = '\\'; buf[n++] = (char)c; }
        else if (c == '\n') { buf[n++] = '\\'; buf[n++] = 'n'; }
        else if (c == '\t') { buf[n++] = '\\'; buf[n++] = 't'; }
        else if (c < 0x20) n += (size_t)snprintf(buf + n, cap - n, "\\u%04x", c);
        else buf[n++] = (char)c;
    }
    buf[n] = 0;
    return n;
}

/* The slow path of put_str: a string that needs escaping, or does not fit the buffer. */
static __attribute__((noinline)) void put_str_slow(trace_t *t, const char *s, size_t n) {
    PUT_LIT(t, "\"");
    if (n != SIZE_MAX) {
        put(t, s, n);
    } else {
        char b[1024];
        put(t, b, trace_escape(b, sizeof b, s));
    }
    PUT_LIT(t, "\"");
}

/* A JSON string, any length: measured in one pass, then copied, or escaped whole through
 * trace_escape (bounded to 1 KiB, as it always was) when it holds a character to escape. */
static void put_str_any(trace_t *t, const char *s) {
    size_t n = plain_len(s);
    if (n != SIZE_MAX && t->len + n + 2 <= TRACE_CAP) {
        char *d = t->buf + t->len;
        d[0] = '"';
        copy_short(d + 1, s, n);
        d[n + 1] = '"';
        t->len += n + 2;
        return;
    }
    put_str_slow(t, s, n);
}

#if defined(__SSE2__)
/* Bit i set when byte i of v needs escaping: '"', '\\', or a control character (v <= 0x1F
 * unsigned; the NUL too, which the callers mask off). */
static inline unsigned escape_mask(__m128i v) {
    __m128i ctl = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v);
    __m128i esc = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                            _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))), ctl);
    return (unsigned)_mm_movemask_epi8(esc);
}

/* An unaligned 16-byte load that may read past the end of the C object (never past the page:
 * callers check). It is written in asm so that AddressSanitizer does not check it, which lets
 * put_str stay an ordinary inline function. */
static inline __m128i load16(const char *p) {
    __m128i v;
    __asm__("movdqu %1, %0" : "=x"(v) : "m"(*(const char(*)[16])(const void *)p));
    return v;
}

static inline unsigned nul_mask(__m128i v) {
    return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_setzero_si128()));
}

/* A JSON string. Nearly every string of an event is a name shorter than 32 bytes: one or two
 * unaligned 16-byte loads find its NUL and any character to escape, and as many stores copy
 * it. The loads may read past the NUL, so they are made only when the 32 bytes lie in one
 * page; the buffer's slack takes the stores' overhang. */
static inline void put_str(trace_t *t, const char *s) {
    if (((uintptr_t)s & 4095) <= 4096 - 32 && t->len + 34 <= TRACE_CAP) {
        char *d = t->buf + t->len;
        __m128i v = load16(s);
        unsigned nul = nul_mask(v), n;
        if (nul) {
            n = (unsigned)__builtin_ctz(nul);
            if (escape_mask(v) & ((1u << n) - 1)) goto any;
        } else {
            __m128i w = load16(s + 16);
            unsigned nul2 = nul_mask(w);
            if (!nul2 || escape_mask(v)) goto any;
            n = 16 + (unsigned)__builtin_ctz(nul2);
            if (escape_mask(w) & ((1u << (n - 16)) - 1)) goto any;
            _mm_storeu_si128((__m128i *)(void *)(d + 17), w);
        }
        d[0] = '"';
        _mm_storeu_si128((__m128i *)(void *)(d + 1), v);
        d[n + 1] = '"';
        t->len += n + 2;
        return;
    }
any:
    put_str_any(t, s);
}
#else
static void put_str(trace_t *t, const char *s) { put_str_any(t, s); }
#endif

/* A raw piece of any length, not escaped (the phase, a raw JSON value). */
static void put_raw_any(trace_t *t, const char *s) { put(t, s, strlen(s)); }

#if defined(__SSE2__)
static inline void put_raw(trace_t *t, const char *s) {
    if (((uintptr_t)s & 4095) <= 4096 - 16 && t->len + 16 <= TRACE_CAP) {
        __m128i v = load16(s);
        unsigned nul = nul_mask(v);
        if (nul) {
            _mm_storeu_si128((__m128i *)(void *)(t->buf + t->len), v);
            t->len += (unsigned)__builtin_ctz(nul);
            return;
        }
    }
    put_raw_any(t, s);
}
#else
static void put_raw(trace_t *t, const char *s) { put_raw_any(t, s); }
#endif

static trace_t *trace_new(FILE *f) {
    trace_t *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->f = f;
    PUT_LIT(t, "[\n");
    return t;
}

trace_t *trace_open_stream(FILE *f) {
    trace_t *t = trace_new(f);
    if (t) outfile_wrap(&t->out, f);
    return t;
}

trace_t *trace_open(const char *path) {
    outfile out;
    FILE *f = outfile_open(&out, path);
    trace_t *t = f ? trace_new(f) : NULL;
    if (!t) {
        if (f) outfile_close(&out, 0);
        return NULL;
    }
    t->out = out;
    return t;
}

int trace_close(trace_t *t, int keep) {
    if (!t) return 0;
    PUT_LIT(t, "\n]\n");
    flush(t);
    int ok = !t->io_error && !t->full; /* a trace cut at its budget is no trace */
    int rc = outfile_close(&t->out, keep && ok) != 0 || !ok ? -1 : 0;
    free(t);
    return rc;
}

void trace_begin(trace_t *t, const char *ph, const char *cat, const char *name, int tid,
                 int64_t ts_ns, int64_t dur_ns) {
    if (!t) return;
    if (t->events++) PUT_LIT(t, ",\n");
    /* the keys are trace/schema.h's, pasted into the literal pieces */
    PUT_LIT(t, "{\"" TRACE_KEY_PH "\":\"");
    put_raw(t, ph);
    PUT_LIT(t, "\"");
    if (ph[0] == TRACE_PH_INSTANT[0]) PUT_LIT(t, ",\"" TRACE_KEY_S "\":\"t\"");
    if (ph[0] == TRACE_PH_META[0]) cat = TRACE_CAT_METADATA; /* DevTools' model needs a cat on M */
    if (cat) { PUT_LIT(t, ",\"" TRACE_KEY_CAT "\":"); put_str(t, cat); }
    PUT_LIT(t, ",\"" TRACE_KEY_NAME "\":");
    put_str(t, name);
    PUT_LIT(t, ",\"" TRACE_KEY_TS "\":");
    uint64_t k = grid_of(ts_ns);
    put_grid(t, k);
    if (ph[0] == TRACE_PH_SLICE[0]) { PUT_LIT(t, ",\"" TRACE_KEY_DUR "\":"); put_grid(t, grid_of(ts_ns + dur_ns) - k); }
    PUT_LIT(t, ",\"" TRACE_KEY_PID "\":" TRACE_STR(TRACE_PID) ",\"" TRACE_KEY_TID "\":");
    put_int(t, tid);
    t->nargs = -1;
    t->flow_id = 0;
}

static inline __attribute__((always_inline)) void arg_key(trace_t *t, const char *key) {
    if (t->nargs < 0) PUT_LIT(t, ",\"" TRACE_KEY_ARGS "\":{");
    else PUT_LIT(t, ",");
    t->nargs = t->nargs < 0 ? 1 : t->nargs + 1;
    put_str(t, key);
    PUT_LIT(t, ":");
}

void trace_arg_int(trace_t *t, const char *key, int64_t v) {
    if (!t) return;
    arg_key(t, key);
    put_int(t, v);
}

void trace_arg_us(trace_t *t, const char *key, int64_t ns) {
    if (!t) return;
    arg_key(t, key);
    put_us(t, ns);
}

void trace_arg_str(trace_t *t, const char *key, const char *s) {
    if (!t) return;
    arg_key(t, key);
    put_str(t, s ? s : "");
}

void trace_arg_null(trace_t *t, const char *key) {
    if (!t) return;
    arg_key(t, key);
    PUT_LIT(t, "null");
}

void trace_arg_bool(trace_t *t, const char *key, int v) {
    if (!t) return;
    arg_key(t, key);
    if (v) PUT_LIT(t, "true");
    else PUT_LIT(t, "false");
}

void trace_arg_raw(trace_t *t, const char *key, const char *json) {
    if (!t) return;
    arg_key(t, key);
    put_raw(t, json);
}

void trace_flow(trace_t *t, uint64_t bind_id, int out) {
    if (!t) return;
    t->flow_id = bind_id;
    t->flow_out = out;
}

void trace_end(trace_t *t) {
    if (!t) return;
    if (t->nargs >= 0) PUT_LIT(t, "}");
    if (t->flow_id) {
        PUT_LIT(t, ",\"" TRACE_KEY_BIND_ID "\":");
        put_int(t, (int64_t)t->flow_id);
        if (t->flow_out) PUT_LIT(t, ",\"" TRACE_KEY_FLOW_OUT "\":true");
        else PUT_LIT(t, ",\"" TRACE_KEY_FLOW_IN "\":true");
    }
    PUT_LIT(t, "}");
}

uint64_t trace_next_flow(trace_t *t) { return t ? ++t->flows : 0; }
uint64_t trace_events(const trace_t *t) { return t ? t->events : 0; }

void trace_set_budget(trace_t *t, uint64_t max_bytes) {
    if (t) t->budget = max_bytes;
}

int trace_full(const trace_t *t) { return t && t->full; }
