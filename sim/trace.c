#include "sim/trace.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace/outfile.h"

#define TRACE_BUF (1 << 16)  /* flush once more than this is buffered */
#define TRACE_ROOM 8192      /* the room every call finds: its pieces are written without a check */
#define TRACE_SHORT 2048     /* a string up to this long is copied into that room */
#define TRACE_CAP (TRACE_BUF + TRACE_ROOM)

struct trace {
    FILE *f;            /* out.f, read on every flush */
    outfile out;        /* where the trace goes: through a temporary, renamed at close */
    size_t len;         /* bytes in buf, at most TRACE_CAP */
    uint64_t events;
    uint64_t flows;
    int in_args;        /* the current event's "args" object is open */
    uint64_t flow_id;   /* pending flow of the current event */
    int flow_out;
    int io_error;
    int full;           /* the budget is spent: nothing more is written */
    uint64_t written;   /* bytes that reached the file */
    uint64_t budget;    /* at most this many (0: no budget) */
    char buf[TRACE_CAP];
};

/* Speed (docs/performance.md, "Targets": one poll event in <= 400 instructions): an event is
 * some 50 small pieces, so a piece must cost a few instructions. Each call (trace_begin, one
 * trace_arg_*, trace_end) checks the buffer ONCE: room() flushes when more than TRACE_BUF is
 * buffered, which leaves TRACE_ROOM bytes free, more than the call's pieces can take (its
 * literals, numbers, and strings up to TRACE_SHORT bytes; a longer string goes through
 * put(), which checks for itself, and the call asks for room again after it). The pieces
 * write through a local cursor p, so the length is not reloaded after every byte stored.
 * Literals are copied with a size the compiler knows; a short string is checked for
 * characters to escape and copied with 16-byte SSE2 loads and stores; numbers are formatted
 * in place, two digits at a time. The bytes are those of docs/trace-format.md, checked
 * against a plain model of the format in tests/test_trace.c and by the traces in traces/. */

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

/* The cursor of a call, with TRACE_ROOM bytes free after it. */
static inline char *room(trace_t *t) {
    if (__builtin_expect(t->len > TRACE_BUF, 0)) flush(t);
    return t->buf + t->len;
}
static inline void done(trace_t *t, const char *p) { t->len = (size_t)(p - t->buf); }

/* The general path: any length, flushing first when it does not fit; leaves len <= TRACE_BUF. */
static void put(trace_t *t, const char *s, size_t n) {
    if (t->len + n > TRACE_BUF) flush(t);
    if (n > TRACE_BUF) { /* huge raw value: write through */
        if (fits(t, n) && fwrite(s, 1, n, t->f) != n) t->io_error = 1;
        return;
    }
    memcpy(t->buf + t->len, s, n);
    t->len += n;
}

/* A piece whose size the compiler knows: a few moves. */
#define LIT(p, lit) (memcpy((p), (lit), sizeof(lit) - 1), (p) + sizeof(lit) - 1)

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

/* Two digits of v < 100, or one when lead and v < 10 (the number's first digits). */
static inline char *two(char *p, unsigned v, int lead) {
    if (lead && v < 10) {
        *p = (char)('0' + v);
        return p + 1;
    }
    memcpy(p, digits2 + 2 * v, 2);
    return p + 2;
}

/* Four digits of v < 10000, or fewer when lead (no leading zeros). */
static inline char *four(char *p, unsigned v, int lead) {
    if (lead && v < 100) return two(p, v, 1);
    p = two(p, v / 100, lead);
    return two(p, v % 100, 0);
}

/* v in decimal, by its magnitude: each branch writes exactly its digits, two at a time, with
 * 32-bit divisions by constants (a multiply each). Nearly every number of a trace (an id, a
 * count, a time in µs) is below 10^8, two or three branches deep. */
static inline char *fmt_u32(char *p, uint32_t v) {
    if (v < 10000) return four(p, v, 1);
    if (v < 100000000) {
        p = four(p, v / 10000, 1);
        return four(p, v % 10000, 0);
    }
    p = two(p, v / 100000000, 1);
    v %= 100000000;
    p = four(p, v / 10000, 0);
    return four(p, v % 10000, 0);
}

/* Writes v in decimal at out (at most 20 bytes); returns the end. */
static inline char *fmt_u64(char *out, uint64_t v) {
    if (v <= UINT32_MAX) return fmt_u32(out, (uint32_t)v);
    char *end = out + digits_of(v), *p = end;
    while (v > UINT32_MAX) {
        unsigned r = (unsigned)(v % 100);
        v /= 100;
        p -= 2;
        memcpy(p, digits2 + 2 * r, 2);
    }
    uint32_t w = (uint32_t)v; /* the first digits, right-aligned before p */
    while (w >= 100) {
        p -= 2;
        memcpy(p, digits2 + 2 * (w % 100), 2);
        w /= 100;
    }
    if (w >= 10) memcpy(p - 2, digits2 + 2 * w, 2);
    else p[-1] = (char)('0' + w);
    return end;
}

static inline char *put_int(char *p, int64_t v) {
    uint64_t u = (uint64_t)v;
    if (v < 0) {
        *p++ = '-';
        u = 0 - u; /* also right for INT64_MIN */
    }
    return fmt_u64(p, u);
}

/* Nanoseconds as microseconds with three decimals, e.g. 1500 -> "1.500". */
static inline char *put_us(char *p, int64_t ns) {
    uint64_t u = (uint64_t)ns;
    if (ns < 0) {
        *p++ = '-';
        u = 0 - u;
    }
    p = fmt_u64(p, u / 1000);
    unsigned frac = (unsigned)(u % 1000);
    p[0] = '.';
    p[1] = (char)('0' + frac / 100);
    memcpy(p + 2, digits2 + 2 * (frac % 100), 2);
    return p + 4;
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
 * (j/2048 = j * 5^11 / 10^11) without trailing zeros, e.g. 410 -> "0.2001953125". The 11
 * digits are written whole, two at a time; j * 5^11 ends in as many decimal zeros as j has
 * factors 2 (at most 10, fewer than its 11 factors 5), so the length is 11 - ctz(j). */
static inline char *put_grid(char *p, uint64_t k) {
    p = fmt_u64(p, k >> 11);
    unsigned j = (unsigned)(k & 2047);
    if (!j) return p;
    uint64_t f = (uint64_t)j * 48828125u; /* j * 5^11 < 10^11 */
    unsigned hi = (unsigned)(f / 100000000u);
    uint32_t lo = (uint32_t)(f % 100000000u);
    p[0] = '.';
    p[1] = (char)('0' + hi / 100);
    memcpy(p + 2, digits2 + 2 * (hi % 100), 2);
    memcpy(p + 4, digits2 + 2 * (lo / 1000000), 2);
    memcpy(p + 6, digits2 + 2 * (lo / 10000 % 100), 2);
    memcpy(p + 8, digits2 + 2 * (lo / 100 % 100), 2);
    memcpy(p + 10, digits2 + 2 * (lo % 100), 2);
    return p + 12 - __builtin_ctz(j);
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

/* A JSON string of any length, measured in one pass: copied into the room when it is short
 * and plain; otherwise through put() (long), or escaped whole through trace_escape (bounded
 * to 1 KiB, as it always was). Returns the cursor after it, with the room restored. */
static __attribute__((noinline)) char *put_str_any(trace_t *t, char *p, const char *s) {
    size_t n = plain_len(s);
    if (n <= TRACE_SHORT) {
        p[0] = '"';
        memcpy(p + 1, s, n);
        p[n + 1] = '"';
        return p + n + 2;
    }
    *p++ = '"';
    done(t, p);
    if (n != SIZE_MAX) {
        put(t, s, n);
    } else {
        char b[1024];
        put(t, b, trace_escape(b, sizeof b, s));
    }
    p = room(t);
    *p++ = '"';
    return p;
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

/* Whether the n bytes from s lie in one page, so 16-byte loads there cannot fault. */
static inline int page_safe(const char *s, unsigned n) { return ((uintptr_t)s & 4095) <= 4096 - n; }

/* A JSON string. Nearly every string of an event is a name shorter than 32 bytes: one or two
 * unaligned 16-byte loads find its NUL and any character to escape, and as many stores copy
 * it (the room takes the stores' overhang). */
static inline char *put_str(trace_t *t, char *p, const char *s) {
    if (page_safe(s, 32)) {
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
            _mm_storeu_si128((__m128i *)(void *)(p + 17), w);
        }
        p[0] = '"';
        _mm_storeu_si128((__m128i *)(void *)(p + 1), v);
        p[n + 1] = '"';
        return p + n + 2;
    }
any:
    return put_str_any(t, p, s);
}

/* A short string probed for a fast path: its first 32 bytes loaded, its length n < 32. */
typedef struct shortstr {
    __m128i v, w;
    unsigned n;
} shortstr;

/* Whether s is shorter than 32 bytes and holds nothing to escape (o then holds it). */
static inline int probe_str(const char *s, shortstr *o) {
    if (!page_safe(s, 32)) return 0;
    __m128i v = load16(s), w = v;
    unsigned nul = nul_mask(v), n;
    if (nul) {
        n = (unsigned)__builtin_ctz(nul);
        if (escape_mask(v) & ((1u << n) - 1)) return 0;
    } else {
        w = load16(s + 16);
        unsigned nul2 = nul_mask(w);
        if (!nul2 || escape_mask(v)) return 0;
        n = 16 + (unsigned)__builtin_ctz(nul2);
        if (escape_mask(w) & ((1u << (n - 16)) - 1)) return 0;
    }
    *o = (shortstr){v, w, n};
    return 1;
}

/* Whether the key is shorter than 16 bytes. Keys are plain names (trace.h): not escaped. */
static inline int probe_key(const char *key, shortstr *o) {
    if (!page_safe(key, 16)) return 0;
    __m128i v = load16(key);
    unsigned nul = nul_mask(v);
    if (!nul) return 0;
    *o = (shortstr){v, v, (unsigned)__builtin_ctz(nul)};
    return 1;
}

/* A probed string, quoted: two stores (the room takes their overhang). */
static inline char *emit_str(char *p, const shortstr *o) {
    p[0] = '"';
    _mm_storeu_si128((__m128i *)(void *)(p + 1), o->v);
    _mm_storeu_si128((__m128i *)(void *)(p + 17), o->w);
    p[o->n + 1] = '"';
    return p + o->n + 2;
}

/* A probed key: `"key":`. */
static inline char *emit_key(char *p, const shortstr *o) {
    p[0] = '"';
    _mm_storeu_si128((__m128i *)(void *)(p + 1), o->v);
    memcpy(p + o->n + 1, "\":", 2);
    return p + o->n + 3;
}
#define TRACE_FAST 1

/* A raw piece, not escaped (the phase, a raw JSON value). */
static inline char *put_raw(trace_t *t, char *p, const char *s) {
    if (page_safe(s, 16)) {
        __m128i v = load16(s);
        unsigned nul = nul_mask(v);
        if (nul) {
            _mm_storeu_si128((__m128i *)(void *)p, v);
            return p + __builtin_ctz(nul);
        }
    }
    size_t n = strlen(s);
    if (n <= TRACE_SHORT) {
        memcpy(p, s, n);
        return p + n;
    }
    done(t, p);
    put(t, s, n);
    return room(t);
}
#else
static char *put_str(trace_t *t, char *p, const char *s) { return put_str_any(t, p, s); }
/* No fast paths: every call takes the general one. */
typedef struct shortstr {
    unsigned n;
} shortstr;
static inline int probe_str(const char *s, shortstr *o) { (void)s, (void)o; return 0; }
static inline int probe_key(const char *key, shortstr *o) { (void)key, (void)o; return 0; }
static inline char *emit_str(char *p, const shortstr *o) { (void)o; return p; }
static inline char *emit_key(char *p, const shortstr *o) { (void)o; return p; }
#define TRACE_FAST 0
static char *put_raw(trace_t *t, char *p, const char *s) {
    size_t n = strlen(s);
    if (n <= TRACE_SHORT) {
        memcpy(p, s, n);
        return p + n;
    }
    done(t, p);
    put(t, s, n);
    return room(t);
}
#endif

/* The bytes of fmt before its next '%' or its end. */
static inline size_t run_len(const char *f) {
    size_t n = 0;
#if defined(__SSE2__)
    for (; page_safe(f + n, 16); n += 16) {
        __m128i v = load16(f + n);
        unsigned stop = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('%')),
                                                                 _mm_cmpeq_epi8(v, _mm_setzero_si128())));
        if (stop) return n + (unsigned)__builtin_ctz(stop);
    }
#endif
    while (f[n] && f[n] != '%') n++;
    return n;
}

/* trace_textf's conversions: the text between them is copied a run at a time. */
static size_t vtextf(char *buf, size_t cap, const char *fmt, va_list ap) {
    if (!cap) return 0;
    char *p = buf, *end = buf + cap - 1, num[24];
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') {
            size_t run = run_len(f), n = run < (size_t)(end - p) ? run : (size_t)(end - p);
            memcpy(p, f, n);
            p += n;
            f += run - 1;
            continue;
        }
        int prec0 = f[1] == '.' && f[2] == '0', longs = 0, size = 0;
        f += 1 + 2 * prec0;
        for (; *f == 'l'; f++) longs++;
        if (*f == 'z') size = 1, f++;
        const char *s = num;
        size_t len;
        int64_t v = 0;
        switch (*f) {
        case 's':
            s = va_arg(ap, const char *);
            if (!s) s = "(null)";
            len = strlen(s);
            break;
        case 'd':
        case 'i':
            v = size ? (int64_t)va_arg(ap, ptrdiff_t) : longs > 1 ? va_arg(ap, long long)
              : longs ? va_arg(ap, long) : va_arg(ap, int);
            len = (size_t)(put_int(num, v) - num);
            break;
        case 'u': {
            uint64_t u = size ? va_arg(ap, size_t) : longs > 1 ? va_arg(ap, unsigned long long)
                       : longs ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
            v = u != 0;
            len = (size_t)(fmt_u64(num, u) - num);
            break;
        }
        case '%':
            s = "%", len = 1;
            break;
        case 0:
            f--; /* a lone '%' at the end: the loop ends */
            continue;
        default: /* not a conversion of this printf: written as it stands */
            s = f - 1, len = 2;
        }
        if (prec0 && !v && *f != 's') len = 0; /* "%.0d" of 0 writes nothing, as in C */
        if (len > (size_t)(end - p)) len = (size_t)(end - p);
        memcpy(p, s, len);
        p += len;
    }
    *p = 0;
    return (size_t)(p - buf);
}

size_t trace_textf(char *buf, size_t cap, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    size_t n = vtextf(buf, cap, fmt, ap);
    va_end(ap);
    return n;
}

static trace_t *trace_new(FILE *f) {
    trace_t *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->f = f;
    done(t, LIT(t->buf, "[\n"));
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
    char *p = room(t);
    done(t, LIT(p, "\n]\n"));
    flush(t);
    int ok = !t->io_error && !t->full; /* a trace cut at its budget is no trace */
    int rc = outfile_close(&t->out, keep && ok) != 0 || !ok ? -1 : 0;
    free(t);
    return rc;
}

/* Each call below has one body, compiled twice: a fast path, taken when the buffer has room
 * and every string was probed short and plain (probe_str), which writes with no call and so
 * needs no stack frame; and the general path (noinline), which measures, escapes, and flushes.
 * The format is written down once, in the body. */
#define BODY static inline __attribute__((always_inline))

/* A string of the call: probed (fast) or the general way. */
BODY char *str_of(trace_t *t, char *p, int fast, const char *s, const shortstr *o) {
    return fast ? emit_str(p, o) : put_str(t, p, s);
}

BODY void begin_body(trace_t *t, int fast, const char *ph, const char *cat, const char *name, int tid,
                     int64_t ts_ns, int64_t dur_ns, const shortstr *oc, const shortstr *on) {
    char *p = fast ? t->buf + t->len : room(t);
    if (t->events++) p = LIT(p, ",\n");
    /* the keys are trace/schema.h's, pasted into the literal pieces */
    p = LIT(p, "{\"" TRACE_KEY_PH "\":\"");
    if (fast) *p++ = ph[0]; /* one character: the fast path's condition */
    else p = put_raw(t, p, ph);
    *p++ = '"';
    if (ph[0] == TRACE_PH_INSTANT[0]) p = LIT(p, ",\"" TRACE_KEY_S "\":\"t\"");
    if (ph[0] == TRACE_PH_META[0]) { /* DevTools' model needs a cat on M */
        p = LIT(p, ",\"" TRACE_KEY_CAT "\":\"" TRACE_CAT_METADATA "\"");
    } else if (cat) {
        p = LIT(p, ",\"" TRACE_KEY_CAT "\":");
        p = str_of(t, p, fast, cat, oc);
    }
    p = LIT(p, ",\"" TRACE_KEY_NAME "\":");
    p = str_of(t, p, fast, name, on);
    p = LIT(p, ",\"" TRACE_KEY_TS "\":");
    uint64_t k = grid_of(ts_ns);
    p = put_grid(p, k);
    if (ph[0] == TRACE_PH_SLICE[0]) { /* the end's grid point less the start's (unsigned: no overflow) */
        p = LIT(p, ",\"" TRACE_KEY_DUR "\":");
        p = put_grid(p, grid_of((int64_t)((uint64_t)ts_ns + (uint64_t)dur_ns)) - k);
    }
    p = LIT(p, ",\"" TRACE_KEY_PID "\":" TRACE_STR(TRACE_PID) ",\"" TRACE_KEY_TID "\":");
    p = put_int(p, tid);
    done(t, p);
    t->in_args = 0;
    t->flow_id = 0;
}

static __attribute__((noinline)) void begin_slow(trace_t *t, const char *ph, const char *cat, const char *name,
                                                 int tid, int64_t ts_ns, int64_t dur_ns) {
    begin_body(t, 0, ph, cat, name, tid, ts_ns, dur_ns, NULL, NULL);
}

void trace_begin(trace_t *t, const char *ph, const char *cat, const char *name, int tid,
                 int64_t ts_ns, int64_t dur_ns) {
    if (!t) return;
    shortstr oc = {0}, on; /* oc is read only with a cat: zeroed for the compiler's sake */
    if (TRACE_FAST && t->len <= TRACE_BUF && ph[0] && !ph[1] && (!cat || probe_str(cat, &oc)) && probe_str(name, &on))
        begin_body(t, 1, ph, cat, name, tid, ts_ns, dur_ns, &oc, &on);
    else
        begin_slow(t, ph, cat, name, tid, ts_ns, dur_ns);
}

/* An argument's key and what comes before it: `,"args":{"key":` for the first, `,"key":`
 * after. Keys are plain names (trace.h), written as they are. */
BODY char *key_of(trace_t *t, int fast, const char *key, const shortstr *ok) {
    char *p = fast ? t->buf + t->len : room(t);
    if (!t->in_args) {
        p = LIT(p, ",\"" TRACE_KEY_ARGS "\":{");
        t->in_args = 1;
    } else {
        *p++ = ',';
    }
    if (fast) return emit_key(p, ok);
    *p++ = '"';
    p = put_raw(t, p, key);
    return LIT(p, "\":");
}

/* The value of one argument, by kind. */
enum { ARG_INT, ARG_US, ARG_STR, ARG_NULL, ARG_BOOL };

BODY void arg_body(trace_t *t, int fast, const char *key, int kind, int64_t v, const char *s,
                   const shortstr *ok, const shortstr *os) {
    char *p = key_of(t, fast, key, ok);
    switch (kind) {
    case ARG_INT: p = put_int(p, v); break;
    case ARG_US: p = put_us(p, v); break;
    case ARG_STR: p = str_of(t, p, fast, s, os); break;
    case ARG_NULL: p = LIT(p, "null"); break;
    default: p = v ? LIT(p, "true") : LIT(p, "false");
    }
    done(t, p);
}

static __attribute__((noinline)) void arg_slow(trace_t *t, const char *key, int kind, int64_t v, const char *s) {
    arg_body(t, 0, key, kind, v, s, NULL, NULL);
}

/* The fast path of an argument whose value has no string. */
BODY void arg_num(trace_t *t, const char *key, int kind, int64_t v) {
    shortstr ok;
    if (TRACE_FAST && t->len <= TRACE_BUF && probe_key(key, &ok)) arg_body(t, 1, key, kind, v, NULL, &ok, NULL);
    else arg_slow(t, key, kind, v, NULL);
}

void trace_arg_int(trace_t *t, const char *key, int64_t v) {
    if (t) arg_num(t, key, ARG_INT, v);
}

void trace_arg_us(trace_t *t, const char *key, int64_t ns) {
    if (t) arg_num(t, key, ARG_US, ns);
}

void trace_arg_null(trace_t *t, const char *key) {
    if (t) arg_num(t, key, ARG_NULL, 0);
}

void trace_arg_bool(trace_t *t, const char *key, int v) {
    if (t) arg_num(t, key, ARG_BOOL, v);
}

void trace_arg_str(trace_t *t, const char *key, const char *s) {
    if (!t) return;
    if (!s) s = "";
    shortstr ok, os;
    if (TRACE_FAST && t->len <= TRACE_BUF && probe_key(key, &ok) && probe_str(s, &os))
        arg_body(t, 1, key, ARG_STR, 0, s, &ok, &os);
    else
        arg_slow(t, key, ARG_STR, 0, s);
}

void trace_arg_raw(trace_t *t, const char *key, const char *json) {
    if (!t) return;
    done(t, put_raw(t, key_of(t, 0, key, NULL), json));
}

void trace_flow(trace_t *t, uint64_t bind_id, int out) {
    if (!t) return;
    t->flow_id = bind_id;
    t->flow_out = out;
}

void trace_end(trace_t *t) {
    if (!t) return;
    char *p = room(t);
    if (t->in_args) *p++ = '}';
    if (t->flow_id) {
        p = LIT(p, ",\"" TRACE_KEY_BIND_ID "\":");
        p = put_int(p, (int64_t)t->flow_id);
        if (t->flow_out) p = LIT(p, ",\"" TRACE_KEY_FLOW_OUT "\":true");
        else p = LIT(p, ",\"" TRACE_KEY_FLOW_IN "\":true");
    }
    *p++ = '}';
    done(t, p);
}

uint64_t trace_next_flow(trace_t *t) { return t ? ++t->flows : 0; }
uint64_t trace_events(const trace_t *t) { return t ? t->events : 0; }

void trace_set_budget(trace_t *t, uint64_t max_bytes) {
    if (t) t->budget = max_bytes;
}

int trace_full(const trace_t *t) { return t && t->full; }
