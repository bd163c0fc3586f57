#include "sim/trace.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace/outfile.h"

#define TRACE_BUF (1 << 16)  /* flush once more than this is buffered */
#define TRACE_ROOM TRACE__ROOM /* the room every call finds: its pieces are written without a check */
#define TRACE_SHORT 2048     /* a string up to this long is copied into that room */
#define TRACE_CAP (TRACE_BUF + TRACE_ROOM)

struct trace {
    trace_hot hot;      /* first: the inline calls' cursor, limit, args, events, flow */
    FILE *f;            /* out.f, read on every flush */
    outfile out;        /* where the trace goes: through a temporary, renamed at close */
    uint64_t flows;
    int io_error;
    int full;           /* the budget is spent: nothing more is written */
    int opened;         /* the "[" is in place of the first event's ",": see flush */
    uint64_t written;   /* bytes that reached the file */
    uint64_t budget;    /* at most this many (0: no budget) */
    char buf[TRACE_CAP];
};

/* Speed (docs/performance.md, "Targets": one poll event in <= 400 instructions): an event is
 * some 50 small pieces, so a piece must cost a few instructions. The calls are inline
 * (sim/trace_fast.h): a literal key or value is written by stores of constants, and each call
 * checks the buffer ONCE (flushing when the cursor is past TRACE_BUF, which leaves TRACE_ROOM
 * bytes free, more than one call writes: its literals, numbers, and strings up to TRACE_SHORT
 * bytes; a longer string goes through put(), which checks for itself, and the call asks for
 * room again after it). What the compiler cannot see goes through the general path here,
 * which writes the same bytes: those of docs/trace-format.md, checked against a plain model
 * of the format in tests/test_trace.c and by the traces in traces/.
 *
 * Every event starts with ",\n" (no test for the first); the first flush (or trace_close)
 * turns the first event's comma into the array's "[". */

/* Whether n more bytes fit the budget; once they do not, nothing more does. */
static int fits(trace_t *t, size_t n) {
    if (t->budget && (t->full || n > t->budget - t->written)) t->full = 1;
    if (t->full) return 0;
    t->written += n;
    return 1;
}

static size_t len_of(const trace_t *t) { return (size_t)(t->hot.cur - t->buf); }

static void flush(trace_t *t) {
    size_t len = len_of(t);
    if (len && !t->opened) { /* the first event's ",\n" is the array's "[\n" */
        t->buf[0] = '[';
        t->opened = 1;
    }
    if (len && fits(t, len) && fwrite(t->buf, 1, len, t->f) != len) t->io_error = 1;
    t->hot.cur = t->buf;
    t->hot.args = NULL; /* an event's args began in what was written */
}

char *trace__flush_at(trace_t *t, char *p) {
    t->hot.cur = p;
    flush(t);
    return t->hot.cur;
}

/* The cursor of a call, with TRACE_ROOM bytes free after it. */
static inline char *room(trace_t *t) { return trace__cursor(t); }
static inline void done(trace_t *t, char *p) { t->hot.cur = p; }

/* The general path: any length, flushing first when it does not fit; leaves len <= TRACE_BUF. */
static void put(trace_t *t, const char *s, size_t n) {
    if (len_of(t) + n > TRACE_BUF) flush(t);
    if (n > TRACE_BUF) { /* huge raw value: write through */
        if (fits(t, n) && fwrite(s, 1, n, t->f) != n) t->io_error = 1;
        return;
    }
    memcpy(t->hot.cur, s, n);
    t->hot.cur += n;
}

/* The 8 digits of r * 5^8 for r < 256: the last 8 of a time's 11 fraction digits (trace__time). */
const char trace__frac8[256][8] = {
    "00000000", "00390625", "00781250", "01171875", "01562500", "01953125", "02343750", "02734375",
    "03125000", "03515625", "03906250", "04296875", "04687500", "05078125", "05468750", "05859375",
    "06250000", "06640625", "07031250", "07421875", "07812500", "08203125", "08593750", "08984375",
    "09375000", "09765625", "10156250", "10546875", "10937500", "11328125", "11718750", "12109375",
    "12500000", "12890625", "13281250", "13671875", "14062500", "14453125", "14843750", "15234375",
    "15625000", "16015625", "16406250", "16796875", "17187500", "17578125", "17968750", "18359375",
    "18750000", "19140625", "19531250", "19921875", "20312500", "20703125", "21093750", "21484375",
    "21875000", "22265625", "22656250", "23046875", "23437500", "23828125", "24218750", "24609375",
    "25000000", "25390625", "25781250", "26171875", "26562500", "26953125", "27343750", "27734375",
    "28125000", "28515625", "28906250", "29296875", "29687500", "30078125", "30468750", "30859375",
    "31250000", "31640625", "32031250", "32421875", "32812500", "33203125", "33593750", "33984375",
    "34375000", "34765625", "35156250", "35546875", "35937500", "36328125", "36718750", "37109375",
    "37500000", "37890625", "38281250", "38671875", "39062500", "39453125", "39843750", "40234375",
    "40625000", "41015625", "41406250", "41796875", "42187500", "42578125", "42968750", "43359375",
    "43750000", "44140625", "44531250", "44921875", "45312500", "45703125", "46093750", "46484375",
    "46875000", "47265625", "47656250", "48046875", "48437500", "48828125", "49218750", "49609375",
    "50000000", "50390625", "50781250", "51171875", "51562500", "51953125", "52343750", "52734375",
    "53125000", "53515625", "53906250", "54296875", "54687500", "55078125", "55468750", "55859375",
    "56250000", "56640625", "57031250", "57421875", "57812500", "58203125", "58593750", "58984375",
    "59375000", "59765625", "60156250", "60546875", "60937500", "61328125", "61718750", "62109375",
    "62500000", "62890625", "63281250", "63671875", "64062500", "64453125", "64843750", "65234375",
    "65625000", "66015625", "66406250", "66796875", "67187500", "67578125", "67968750", "68359375",
    "68750000", "69140625", "69531250", "69921875", "70312500", "70703125", "71093750", "71484375",
    "71875000", "72265625", "72656250", "73046875", "73437500", "73828125", "74218750", "74609375",
    "75000000", "75390625", "75781250", "76171875", "76562500", "76953125", "77343750", "77734375",
    "78125000", "78515625", "78906250", "79296875", "79687500", "80078125", "80468750", "80859375",
    "81250000", "81640625", "82031250", "82421875", "82812500", "83203125", "83593750", "83984375",
    "84375000", "84765625", "85156250", "85546875", "85937500", "86328125", "86718750", "87109375",
    "87500000", "87890625", "88281250", "88671875", "89062500", "89453125", "89843750", "90234375",
    "90625000", "91015625", "91406250", "91796875", "92187500", "92578125", "92968750", "93359375",
    "93750000", "94140625", "94531250", "94921875", "95312500", "95703125", "96093750", "96484375",
    "96875000", "97265625", "97656250", "98046875", "98437500", "98828125", "99218750", "99609375",
};

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

const char trace__digits2[200] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                 "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                 "8081828384858687888990919293949596979899";
#define digits2 trace__digits2

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

/* Writes v in decimal at out (at most 20 bytes); returns the end. Numbers below 2^32 (nearly
 * all of a trace's) are written inline by trace__u32. */
char *trace__u64(char *out, uint64_t v) {
    if (v <= UINT32_MAX) return trace__u32(out, (uint32_t)v);
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

/* Nanoseconds as microseconds with three decimals, e.g. 1500 -> "1.500". */
static inline char *put_us(char *p, int64_t ns) {
    uint64_t u = (uint64_t)ns;
    if (ns < 0) {
        *p++ = '-';
        u = 0 - u;
    }
    p = trace__u64(p, u / 1000);
    unsigned frac = (unsigned)(u % 1000);
    p[0] = '.';
    p[1] = (char)('0' + frac / 100);
    memcpy(p + 2, digits2 + 2 * (frac % 100), 2);
    return p + 4;
}

/* ---------- event times for every viewer (docs/trace-format.md, "Times") ----------
 * An event's ts and dur are written as exact binary fractions of a microsecond: k/2048 µs,
 * k the nearest to the nanosecond time (trace__grid, trace__time in sim/trace_fast.h). A
 * double holds them exactly, so every reader's arithmetic on them is exact: ts + dur of a
 * slice is the very ts of the slice that starts when it ends, also after speedscope subtracts
 * the thread's first ts (with 35018.400 + 4985.800 the float sum passed the next poll's start
 * and speedscope mis-nested the thread). k * 1000/2048 lies within 0.25 ns of the time, so
 * rounding ts * 1000 gives the nanosecond back (Perfetto does: llround), and dur is
 * k(end) - k(start), within 0.5 ns of the true duration, so rounding dur * 1000 gives it back
 * too. Args in µs keep three decimals. */

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
char *trace__str(trace_t *t, char *p, const char *s) {
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

/* A raw piece, not escaped (the phase, a key, a raw JSON value). */
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

/* The bytes of fmt before its next '%' or its end. */
static inline size_t run_len(const char *f) {
    size_t n = 0;
#if defined(__SSE2__)
    for (; trace__page_safe(f + n, 16); n += 16) {
        __m128i v = trace__load16(f + n);
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
            len = (size_t)(trace__int(num, v) - num);
            break;
        case 'u': {
            uint64_t u = size ? va_arg(ap, size_t) : longs > 1 ? va_arg(ap, unsigned long long)
                       : longs ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
            v = u != 0;
            len = (size_t)(trace__u64(num, u) - num);
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
    t->hot.cur = t->buf;
    t->hot.lim = t->buf + TRACE_BUF;
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
    if (!t->hot.events) p = LIT(p, "[\n");
    done(t, LIT(p, "\n]\n"));
    if (!t->hot.events) t->opened = 1; /* the "[" is written */
    flush(t);
    int ok = !t->io_error && !t->full; /* a trace cut at its budget is no trace */
    int rc = outfile_close(&t->out, keep && ok) != 0 || !ok ? -1 : 0;
    free(t);
    return rc;
}

/* ---------- the general path of the calls (sim/trace_fast.h has the fast one) ---------- */

void trace__begin(trace_t *t, const char *ph, const char *cat, const char *name, int tid, int64_t ts_ns,
                  int64_t dur_ns) {
    char *p = room(t);
    t->hot.events++;
    p = LIT(p, ",\n{\"" TRACE_KEY_PH "\":\"");
    p = put_raw(t, p, ph);
    *p++ = '"';
    if (ph[0] == TRACE_PH_INSTANT[0]) p = LIT(p, ",\"" TRACE_KEY_S "\":\"t\"");
    if (ph[0] == TRACE_PH_META[0]) { /* DevTools' model needs a cat on M */
        p = LIT(p, ",\"" TRACE_KEY_CAT "\":\"" TRACE_CAT_METADATA "\"");
    } else if (cat) {
        p = LIT(p, ",\"" TRACE_KEY_CAT "\":");
        p = trace__str(t, p, cat);
    }
    p = LIT(p, ",\"" TRACE_KEY_NAME "\":");
    p = trace__str(t, p, name);
    trace__begin_times(&t->hot, p, ph[0], tid, ts_ns, dur_ns);
}

void trace__arg(trace_t *t, const char *key, int kind, int64_t v, const char *s) {
    char *p = room(t);
    *p++ = '"';
    p = put_raw(t, p, key);
    p = LIT(p, "\":");
    switch (kind) {
    case TRACE__INT: p = trace__int(p, v); break;
    case TRACE__US: p = put_us(p, v); break;
    case TRACE__STR: p = trace__str(t, p, s ? s : ""); break;
    case TRACE__NULL: p = LIT(p, "null"); break;
    case TRACE__BOOL: p = v ? LIT(p, "true") : LIT(p, "false"); break;
    default: p = put_raw(t, p, s);
    }
    *p++ = ',';
    t->hot.cur = p;
}

uint64_t trace_next_flow(trace_t *t) { return t ? ++t->flows : 0; }
uint64_t trace_events(const trace_t *t) { return t ? t->hot.events : 0; }

void trace_set_budget(trace_t *t, uint64_t max_bytes) {
    if (t) t->budget = max_bytes;
}

int trace_full(const trace_t *t) { return t && t->full; }
