/* trace_fast: the trace writer's fast path, inlined where an event is written. Private to
 * sim/trace: include sim/trace.h, whose calls these are (docs/performance.md, "The trace
 * writer", explains why they are inline).
 *
 * An event is some 50 small pieces. Called through a function each, a piece costs a call, a
 * buffer check, a probe of its key and the value: some 80 instructions an argument. Inlined at
 * the call site, a key that is a string literal (every TRACE_ARG_*) is known to the compiler,
 * which writes `"task":` as one or two immediate stores; a literal value or category is
 * written the same way; only what varies (a name, a number, a time) is probed or formatted.
 * Whatever the compiler cannot see (a key in a variable, a long string, one to escape, the
 * buffer past its limit) goes to the general path in sim/trace.c, which writes the same bytes.
 *
 * Buffer: each call checks once that the cursor is below `lim` (else flushes); TRACE__ROOM
 * bytes lie past `lim`, more than any one call writes (trace_end writes < 64 bytes and does
 * not check). Arguments are written `"key":value,` after the event's `,"args":{`; trace_end
 * turns the last comma into `}`, or takes `,"args":{` back when no argument came. */
#ifndef PINATA_TRACE_FAST_H
#define PINATA_TRACE_FAST_H
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

typedef struct trace trace_t;

/* The head of struct trace: all the inline calls touch. */
typedef struct trace_hot {
    char *cur;         /* where the next byte goes */
    char *lim;         /* a call that finds cur past this flushes first */
    char *args;        /* just after the current event's `,"args":{`; NULL once flushed */
    uint64_t events;
    uint64_t flow_id;  /* the current event's flow (0: none), written by trace_end */
    int flow_out;
} trace_hot;

#define TRACE__ROOM 8192 /* bytes free past lim: what one call may write unchecked */
#define TRACE__ARGS ",\"" TRACE_KEY_ARGS "\":{"

/* ---- the general path (sim/trace.c) ---- */
enum { TRACE__INT, TRACE__US, TRACE__STR, TRACE__NULL, TRACE__BOOL, TRACE__RAW };
char *trace__flush_at(trace_t *t, char *p);  /* flushes the bytes before p; returns the cursor */
void trace__begin(trace_t *t, const char *ph, const char *cat, const char *name, int tid, int64_t ts_ns,
                  int64_t dur_ns);
void trace__arg(trace_t *t, const char *key, int kind, int64_t v, const char *s);
char *trace__str(trace_t *t, char *p, const char *s); /* any string, quoted and escaped */
char *trace__u64(char *p, uint64_t v);
extern const char trace__digits2[200];   /* "00" "01" ... "99" */
extern const char trace__frac8[256][8];  /* the 8 digits of r * 5^8 (see trace__time) */

#define TRACE__INLINE static inline __attribute__((always_inline))
#define TRACE__HOT(t) ((trace_hot *)(void *)(t))

/* What a string written as it stands must not hold: a quote, a backslash, a control character. */
#define TRACE__BAD "\"\\\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f"
/* s is a string the compiler knows (a literal, after inlining), at most max bytes and with
 * nothing to escape: it is written with stores of constants. Never true without optimisation. */
#define TRACE__LIT(s, max)                                                                         \
    (__builtin_constant_p(__builtin_strlen(s)) && __builtin_strlen(s) <= (max) &&                  \
     __builtin_constant_p(__builtin_strcspn((s), TRACE__BAD)) && __builtin_strcspn((s), TRACE__BAD) == __builtin_strlen(s))
/* A literal piece: a copy of a size the compiler knows (p is evaluated twice). */
#define TRACE__CPY(p, lit) (memcpy((p), (lit), sizeof(lit) - 1), (p) + sizeof(lit) - 1)

/* ---- short strings: probed by one or two 16-byte loads ---- */
#if defined(__SSE2__)
/* An unaligned 16-byte load that may read past the end of the C object (never past the page:
 * callers check). In asm, so that AddressSanitizer does not check it; p is passed through an
 * empty asm first, so that the compiler, which may know the object (a literal), does not warn
 * that 16 bytes pass its end. */
TRACE__INLINE __m128i trace__load16(const char *p) {
    __m128i v;
    __asm__("" : "+r"(p));
    __asm__("movdqu %1, %0" : "=x"(v) : "m"(*(const char(*)[16])(const void *)p));
    return v;
}
/* Bit i set when byte i needs escaping: '"', '\\', or a control character (the NUL too). */
TRACE__INLINE unsigned trace__esc(__m128i v) {
    __m128i ctl = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v);
    __m128i esc = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                            _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))), ctl);
    return (unsigned)_mm_movemask_epi8(esc);
}
/* Whether the n bytes from s lie in one page, so 16-byte loads there cannot fault. */
TRACE__INLINE int trace__page_safe(const char *s, unsigned n) { return ((uintptr_t)s & 4095) <= 4096 - n; }

/* A string shorter than 32 bytes with nothing to escape: its bytes and its length. */
typedef struct trace__short {
    __m128i v, w;
    unsigned n;
} trace__short;

/* Whether s is short and plain (o then holds it). The NUL counts as a byte to escape (a
 * control character), so the first such byte must be the end: one byte read tells. */
TRACE__INLINE int trace__probe(const char *s, trace__short *o) {
    __asm__("" : "+r"(s)); /* s + 16 may pass a known object's end: see trace__load16 */
    if (!trace__page_safe(s, 32)) return 0;
    __m128i v = trace__load16(s), w = v;
    unsigned bad = trace__esc(v), n;
    if (bad) {
        n = (unsigned)__builtin_ctz(bad);
    } else {
        w = trace__load16(s + 16);
        unsigned bad2 = trace__esc(w);
        if (!bad2) return 0;
        n = 16 + (unsigned)__builtin_ctz(bad2);
    }
    if (s[n]) return 0; /* a byte to escape before the end */
    o->v = v, o->w = w, o->n = n;
    return 1;
}
/* A probed string, quoted: two stores (the room takes their overhang). */
TRACE__INLINE char *trace__emit(char *p, const trace__short *o) {
    p[0] = '"';
    _mm_storeu_si128((__m128i *)(void *)(p + 1), o->v);
    _mm_storeu_si128((__m128i *)(void *)(p + 17), o->w);
    p[o->n + 1] = '"';
    return p + o->n + 2;
}
#else
typedef struct trace__short {
    unsigned n;
} trace__short;
TRACE__INLINE int trace__probe(const char *s, trace__short *o) { (void)s, (void)o; return 0; }
TRACE__INLINE char *trace__emit(char *p, const trace__short *o) { (void)o; return p; }
#endif

/* A literal string: '"', its bytes and then tail ("\":" after a key, '"' after a value),
 * written as 8-byte words that the compiler folds into constants: `"task":` is one store. */
TRACE__INLINE uint64_t trace__word(const char *s, size_t n, const char *tail, size_t i) {
    uint64_t w = 0;
    _Pragma("GCC unroll 8") for (size_t j = 0; j < 8; j++) {
        size_t at = i + j;
        unsigned char c = at == 0 ? '"' : at <= n ? (unsigned char)s[at - 1] : at <= n + 2 ? (unsigned char)tail[at - n - 1] : 0;
        w |= (uint64_t)c << (8 * j);
    }
    return w;
}
TRACE__INLINE char *trace__quoted(char *p, const char *s, const char *tail) {
    size_t n = __builtin_strlen(s), len = n + 1 + __builtin_strlen(tail);
    _Pragma("GCC unroll 8") for (size_t i = 0; i < len; i += 8) {
        uint64_t w = trace__word(s, n, tail, i);
        memcpy(p + i, &w, 8);
    }
    return p + len;
}

/* A JSON string value: a literal as it stands, a short plain one by probe, any other through
 * the general path (which may flush: it returns the cursor). */
TRACE__INLINE char *trace__put_str(trace_t *t, char *p, const char *s) {
    if (TRACE__LIT(s, 40)) return trace__quoted(p, s, "\"");
    trace__short o;
    if (trace__probe(s, &o)) return trace__emit(p, &o);
    return trace__str(t, p, s);
}

/* ---- numbers: two digits a multiply (after J. Jeon's itoa, github.com/jeaiii/itoa) ----
 * For an (N+1)-digit u, t = u * ceil(2^(32+s) / 10^N) >> s holds u / 10^(N-1) (its first two
 * digits) above bit 32 and the rest as a binary fraction below: each multiply of that fraction
 * by 100 brings the next two digits above bit 32. The constants are jeaiii's, exact for every
 * u of that many digits (checked for all 2^32 values when written). */
#define TRACE__SH(N) ((N) / 5 * (N) * 53 / 16)
#define TRACE__P10(N) ((N) == 1 ? 10u : (N) == 2 ? 100u : (N) == 3 ? 1000u : (N) == 4 ? 10000u : (N) == 5 ? 100000u \
                       : (N) == 6 ? 1000000u : (N) == 7 ? 10000000u : 100000000u)
#define TRACE__A(p, t, u, N)                                                                        \
    (t = ((uint64_t)1 << (32 + TRACE__SH(N))) / TRACE__P10(N) + 1 + (N) / 6 - (N) / 8, t *= (u),   \
     t >>= TRACE__SH(N), t += (N) / 6 * 4, memcpy((p), trace__digits2 + 2 * (t >> 32), 2))
#define TRACE__D(p, t, at) (t = UINT64_C(100) * (uint32_t)t, memcpy((p) + (at), trace__digits2 + 2 * (t >> 32), 2))
#define TRACE__S(p, t, at) ((p)[at] = (char)('0' + (UINT64_C(10) * (uint32_t)t >> 32)))
TRACE__INLINE char *trace__u32(char *p, uint32_t u) {
    uint64_t t;
    if (u < 100) {
        if (u < 10) {
            *p = (char)('0' + u);
            return p + 1;
        }
        memcpy(p, trace__digits2 + 2 * u, 2);
        return p + 2;
    }
    if (u < 1000000) {
        if (u < 10000) {
            if (u < 1000) return TRACE__A(p, t, u, 1), TRACE__S(p, t, 2), p + 3;
            return TRACE__A(p, t, u, 2), TRACE__D(p, t, 2), p + 4;
        }
        if (u < 100000) return TRACE__A(p, t, u, 3), TRACE__D(p, t, 2), TRACE__S(p, t, 4), p + 5;
        return TRACE__A(p, t, u, 4), TRACE__D(p, t, 2), TRACE__D(p, t, 4), p + 6;
    }
    if (u < 100000000) {
        if (u < 10000000) return TRACE__A(p, t, u, 5), TRACE__D(p, t, 2), TRACE__D(p, t, 4), TRACE__S(p, t, 6), p + 7;
        return TRACE__A(p, t, u, 6), TRACE__D(p, t, 2), TRACE__D(p, t, 4), TRACE__D(p, t, 6), p + 8;
    }
    if (u < 1000000000)
        return TRACE__A(p, t, u, 7), TRACE__D(p, t, 2), TRACE__D(p, t, 4), TRACE__D(p, t, 6), TRACE__S(p, t, 8), p + 9;
    return TRACE__A(p, t, u, 8), TRACE__D(p, t, 2), TRACE__D(p, t, 4), TRACE__D(p, t, 6), TRACE__D(p, t, 8), p + 10;
}
TRACE__INLINE char *trace__int(char *p, int64_t v) {
    uint64_t u = (uint64_t)v;
    if (v < 0) {
        *p++ = '-';
        u = 0 - u; /* also right for INT64_MIN */
    }
    return u <= UINT32_MAX ? trace__u32(p, (uint32_t)u) : trace__u64(p, u);
}

/* ---- event times: k/2048 µs (docs/trace-format.md, "Times"; sim/trace.c says why) ---- */
/* The 2048th of a microsecond nearest to ns (>= 0): ns * 256 / 125 rounded (never a tie: 256 r
 * / 125 has an odd denominator). One division by a constant below 2^55 ns (417 days), where
 * ns * 256 cannot overflow; beyond, the quotient and the remainder by 125 apart. */
TRACE__INLINE uint64_t trace__grid(int64_t ns) {
    uint64_t u = ns > 0 ? (uint64_t)ns : 0;
    if (__builtin_expect(u < (1ull << 55), 1)) return (u * 256 + 62) / 125;
    return u / 125 * 256 + ((u % 125) * 256 + 62) / 125;
}
/* k/2048 in decimal, exactly. The fraction j/2048 = j * 5^11 / 10^11: 11 digits, j * 5^11 =
 * m * 5^8 with m = 125 j, so its first 3 digits are m / 256 and its last 8 are (m % 256) * 5^8
 * (a table of 256). It ends in as many zeros as j has factors 2: its length is 11 - ctz(j). */
TRACE__INLINE char *trace__time(char *p, uint64_t k) {
    uint64_t us = k >> 11;
    p = us <= UINT32_MAX ? trace__u32(p, (uint32_t)us) : trace__u64(p, us);
    unsigned j = (unsigned)k & 2047;
    if (!j) return p;
    unsigned m = j * 125, hi = m >> 8;
    p[0] = '.';
    p[1] = (char)('0' + hi / 100);
    memcpy(p + 2, trace__digits2 + 2 * (hi % 100), 2);
    memcpy(p + 4, trace__frac8[m & 255], 8);
    return p + 12 - __builtin_ctz(j);
}

/* ---- the calls ---- */

/* The cursor of a call, flushed first when past the limit. */
TRACE__INLINE char *trace__cursor(trace_t *t) {
    char *p = TRACE__HOT(t)->cur;
    if (__builtin_expect(p > TRACE__HOT(t)->lim, 0)) p = trace__flush_at(t, p);
    return p;
}

/* The rest of an event's head, from its times to `,"args":{` (the fast and the general path). */
TRACE__INLINE void trace__begin_times(trace_hot *h, char *p, char ph, int tid, int64_t ts_ns, int64_t dur_ns) {
    p = TRACE__CPY(p, ",\"" TRACE_KEY_TS "\":");
    uint64_t k = trace__grid(ts_ns);
    p = trace__time(p, k);
    if (ph == TRACE_PH_SLICE[0]) { /* the end's grid point less the start's (unsigned: no overflow) */
        p = TRACE__CPY(p, ",\"" TRACE_KEY_DUR "\":");
        p = trace__time(p, trace__grid((int64_t)((uint64_t)ts_ns + (uint64_t)dur_ns)) - k);
    }
    p = TRACE__CPY(p, ",\"" TRACE_KEY_PID "\":" TRACE_STR(TRACE_PID) ",\"" TRACE_KEY_TID "\":");
    p = trace__int(p, tid);
    p = TRACE__CPY(p, TRACE__ARGS);
    h->args = p;
    h->cur = p;
    h->flow_id = 0;
}

TRACE__INLINE void trace_begin(trace_t *t, const char *ph, const char *cat, const char *name, int tid,
                               int64_t ts_ns, int64_t dur_ns) {
    if (!t) return;
    /* the fast path: ph a one-letter literal; cat a literal or short and plain (or M's own);
     * name a literal or short and plain */
    int lit_ph = TRACE__LIT(ph, 1) && __builtin_strlen(ph) == 1;
    int meta = lit_ph && ph[0] == TRACE_PH_META[0];
    int lit_cat = !meta && cat && TRACE__LIT(cat, 32);
    int lit_name = TRACE__LIT(name, 32);
    trace__short oc, on;
    if (!lit_ph || !(meta || lit_cat || (cat && trace__probe(cat, &oc))) || !(lit_name || trace__probe(name, &on))) {
        trace__begin(t, ph, cat, name, tid, ts_ns, dur_ns);
        return;
    }
    trace_hot *h = TRACE__HOT(t);
    char *p = trace__cursor(t);
    h->events++;
    p = TRACE__CPY(p, ",\n{\"" TRACE_KEY_PH "\":\"");
    *p++ = ph[0];
    *p++ = '"';
    if (ph[0] == TRACE_PH_INSTANT[0]) p = TRACE__CPY(p, ",\"" TRACE_KEY_S "\":\"t\"");
    if (meta) {
        p = TRACE__CPY(p, ",\"" TRACE_KEY_CAT "\":\"" TRACE_CAT_METADATA "\"");
    } else {
        p = TRACE__CPY(p, ",\"" TRACE_KEY_CAT "\":");
        p = lit_cat ? trace__put_str(t, p, cat) : trace__emit(p, &oc);
    }
    p = TRACE__CPY(p, ",\"" TRACE_KEY_NAME "\":");
    p = lit_name ? trace__put_str(t, p, name) : trace__emit(p, &on);
    trace__begin_times(h, p, ph[0], tid, ts_ns, dur_ns);
}

/* A key that is a literal plain name (every TRACE_ARG_*): `"key":` written by constants. */
#define TRACE__KEY_OK(key) TRACE__LIT(key, 32)
TRACE__INLINE char *trace__key(trace_t *t, const char *key) {
    return trace__quoted(trace__cursor(t), key, "\":");
}
/* An argument written: its comma, and the cursor stored. */
TRACE__INLINE void trace__arg_done(trace_t *t, char *p) {
    *p = ',';
    TRACE__HOT(t)->cur = p + 1;
}

TRACE__INLINE void trace_arg_int(trace_t *t, const char *key, int64_t v) {
    if (!t) return;
    if (TRACE__KEY_OK(key)) trace__arg_done(t, trace__int(trace__key(t, key), v));
    else trace__arg(t, key, TRACE__INT, v, NULL);
}
TRACE__INLINE void trace_arg_us(trace_t *t, const char *key, int64_t ns) {
    if (t) trace__arg(t, key, TRACE__US, ns, NULL);
}
TRACE__INLINE void trace_arg_str(trace_t *t, const char *key, const char *s) {
    if (!t) return;
    if (!TRACE__KEY_OK(key)) {
        trace__arg(t, key, TRACE__STR, 0, s);
        return;
    }
    char *p = trace__key(t, key);
    trace__arg_done(t, trace__put_str(t, p, s ? s : ""));
}
TRACE__INLINE void trace_arg_null(trace_t *t, const char *key) {
    if (!t) return;
    if (!TRACE__KEY_OK(key)) {
        trace__arg(t, key, TRACE__NULL, 0, NULL);
        return;
    }
    char *p = trace__key(t, key);
    trace__arg_done(t, TRACE__CPY(p, "null"));
}
TRACE__INLINE void trace_arg_bool(trace_t *t, const char *key, int v) {
    if (!t) return;
    if (!TRACE__KEY_OK(key)) {
        trace__arg(t, key, TRACE__BOOL, v, NULL);
        return;
    }
    char *p = trace__key(t, key);
    trace__arg_done(t, v ? TRACE__CPY(p, "true") : TRACE__CPY(p, "false"));
}
TRACE__INLINE void trace_arg_raw(trace_t *t, const char *key, const char *json) {
    if (t) trace__arg(t, key, TRACE__RAW, 0, json);
}

TRACE__INLINE void trace_flow(trace_t *t, uint64_t bind_id, int out) {
    if (!t) return;
    TRACE__HOT(t)->flow_id = bind_id;
    TRACE__HOT(t)->flow_out = out;
}

/* Closes the event: the args (or `,"args":{` taken back), the flow, the brace. No check of
 * the limit: the call before left TRACE__ROOM bytes, and this writes fewer than 64. */
TRACE__INLINE void trace_end(trace_t *t) {
    if (!t) return;
    trace_hot *h = TRACE__HOT(t);
    char *p = h->cur;
    if (p == h->args) p -= sizeof(TRACE__ARGS) - 1;
    else p[-1] = '}';
    if (h->flow_id) {
        p = TRACE__CPY(p, ",\"" TRACE_KEY_BIND_ID "\":");
        p = trace__int(p, (int64_t)h->flow_id);
        if (h->flow_out) p = TRACE__CPY(p, ",\"" TRACE_KEY_FLOW_OUT "\":true");
        else p = TRACE__CPY(p, ",\"" TRACE_KEY_FLOW_IN "\":true");
    }
    *p++ = '}';
    h->cur = p;
}

#endif
