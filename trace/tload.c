/* tload: the trace loader. See tload.h for the contract.
 *
 * Shape of the work: the file is read in chunks and the events are found by the JSON, not
 * by lines (docs/trace-format.md). A tiny scanner walks each event object once, dispatching
 * on the keys it knows and skipping the rest, so loading is one pass with no JSON tree.
 * Input is hostile until scanned: strings are decoded whole into valid UTF-8 without NUL,
 * numbers never overflow, and "ts" / "dur" must lie in 0..TLOAD_MAX_NS. */
#include "trace/tload.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trace/infile.h"

#include "trace/utf8.h"

/* ---- interned strings ------------------------------------------------------------ */

/* The strings live back to back in one block (text), each NUL-terminated, found by their
 * offset (str_at): no allocation per string, 4 bytes per id. The hash table that finds a
 * string again is only needed while loading, and is freed after. */

static uint32_t str_hash(const char *s, size_t n) {
    const uint64_t m = 0x9E3779B97F4A7C15u; /* 8 bytes a step: strings are 10-40 bytes */
    uint64_t h = n * m, w = 0;
    size_t len = n;
    for (; n >= 8; s += 8, n -= 8) {
        memcpy(&w, s, 8);
        h = (h ^ w) * m;
        h ^= h >> 29;
    }
    if (n && len >= 8) memcpy(&w, s + n - 8, 8); /* the last 8 bytes, overlapping */
    else for (w = 0; n; n--) w = w << 8 | (unsigned char)s[n - 1];
    h = (h ^ w) * m;
    h ^= h >> 32;
    return (uint32_t)(h * m >> 32);
}

/* String id's length (the next one starts past its NUL). */
static size_t str_len(const tload_trace *t, uint32_t id) {
    size_t next = id + 1 < t->nstrs ? t->str_at[id + 1] : t->ntext;
    return next - t->str_at[id] - 1;
}

/* A slot of the hash table: the string's hash above its id (0: empty), so a probe only
 * reads a string whose whole hash matches (the strings are scattered in memory). */
static int strs_grow_hash(tload_trace *t) {
    size_t cap = t->hashcap ? t->hashcap * 2 : 1024;
    uint64_t *h = calloc(cap, sizeof *h);
    if (!h) return -1;
    for (size_t i = 1; i < t->nstrs; i++) {
        uint32_t hv = str_hash(t->text + t->str_at[i], str_len(t, (uint32_t)i));
        size_t j = hv & (cap - 1);
        while (h[j]) j = (j + 1) & (cap - 1);
        h[j] = (uint64_t)hv << 32 | i;
    }
    free(t->hash);
    t->hash = h;
    t->hashcap = cap;
    return 0;
}

/* Makes room for n more bytes of text and one more id. */
static int strs_room(tload_trace *t, size_t n) {
    if (t->ntext + n > t->captext) {
        size_t cap = t->captext ? t->captext : 4096;
        while (cap < t->ntext + n) cap *= 2;
        if (cap > UINT32_MAX) return -1; /* offsets are 32-bit (a trace is at most 1 GB) */
        char *p = realloc(t->text, cap);
        if (!p) return -1;
        t->text = p;
        t->captext = cap;
    }
    if (t->nstrs == t->capstrs) {
        size_t cap = t->capstrs ? t->capstrs * 2 : 256;
        uint32_t *p = realloc(t->str_at, cap * sizeof *p);
        if (!p) return -1;
        t->str_at = p;
        t->capstrs = cap;
    }
    return 0;
}

/* Returns the id of s[0..n) (adding it when new), or 0 on out-of-memory. s holds no NUL
 * (as_str cuts a raw span at one). */
static uint32_t strs_intern(tload_trace *t, const char *s, size_t n) {
    if (n == 0) return 0;
    if ((t->nstrs + 1) * 2 > t->hashcap && strs_grow_hash(t)) return 0;
    uint32_t hv = str_hash(s, n);
    size_t j = hv & (t->hashcap - 1);
    for (; t->hash[j]; j = (j + 1) & (t->hashcap - 1)) {
        uint32_t id = (uint32_t)t->hash[j];
        if ((uint32_t)(t->hash[j] >> 32) == hv && str_len(t, id) == n && !memcmp(t->text + t->str_at[id], s, n))
            return id;
    }
    if (strs_room(t, n + 1)) return 0;
    memcpy(t->text + t->ntext, s, n);
    t->text[t->ntext + n] = '\0';
    t->str_at[t->nstrs] = (uint32_t)t->ntext;
    t->ntext += n + 1;
    t->hash[j] = (uint64_t)hv << 32 | t->nstrs;
    return (uint32_t)t->nstrs++;
}

const char *tload_str(const tload_trace *t, uint32_t s) {
    return (s && s < t->nstrs) ? t->text + t->str_at[s] : "";
}

/* ---- member names ------------------------------------------------------------------ */

/* Member names the loader knows, looked up once per member, from the name's bytes in the
 * input, by a hash of its length and three of its bytes (the loader's hottest path on
 * large traces: no copy, no strlen, no strcmp). */
typedef enum key_id {
    K_NONE, K_TASK, K_FUTURE, K_PARENT, K_PARENT_TASK, K_RESULT, K_POLL, K_BYTES, K_POLLS,
    K_WAKERS, K_FD, K_TO, K_FROM, K_BY, K_CALL, K_UNTIL, K_FUTURE_NAME, K_ON, K_TASKS, K_NAME,
    K_HOST, K_DETAIL, K_AT, K_RET, K_HOW, K_QUEUED, K_PH, K_CAT, K_TS, K_DUR, K_TID, K_BIND_ID,
    K_FLOW_IN, K_FLOW_OUT, K_ARGS, K_ERR, K_VALUE, K_KEY, K_OP, K_TEXT, K_MS, K_WHY, K_THREAD,
    K_CLIENT, K_LINE, K_FROM_LINE, K_LEAF, K_ERROR, K_AFTER_READY, K_TEXT_KO, K_WOKEN_BY, K_MESSAGE,
    K_PANICKED, K_COL, K_END_COL, K_FROM_COL, K_FROM_END_COL,
    /* the header's and the memory counters' */
    K_SCHEMA, K_SCENARIO, K_SEED, K_TITLE, K_DESCRIPTION, K_TITLE_KO, K_DESCRIPTION_KO, K_POLL_COST_US,
    K_SYSCALL_COST_US, K_LONG_POLL_US, K_STACK_RESERVED_BYTES, K_STACK_USED_BYTES, K_SOURCE, K_QUIZ,
    K_SORT_INDEX, K_TASK_BYTES, K_THREADS, K_MODEL, K_QUIZ_LEFT_OUT, K_COUNT
} key_id;

static const char *const KEY_NAMES[K_COUNT] = {
    "", TRACE_ARG_TASK, TRACE_ARG_FUTURE, TRACE_ARG_PARENT, TRACE_ARG_PARENT_TASK, TRACE_ARG_RESULT,
    TRACE_ARG_POLL, TRACE_ARG_BYTES, TRACE_ARG_POLLS, TRACE_ARG_WAKERS, TRACE_ARG_FD, TRACE_ARG_TO,
    TRACE_ARG_FROM, TRACE_ARG_BY, TRACE_ARG_CALL, TRACE_ARG_UNTIL, TRACE_ARG_FUTURE_NAME, TRACE_ARG_ON,
    TRACE_ARG_TASKS, TRACE_ARG_NAME, TRACE_ARG_HOST, TRACE_ARG_DETAIL, TRACE_ARG_AT, TRACE_ARG_RET,
    TRACE_ARG_HOW, TRACE_ARG_QUEUED, TRACE_KEY_PH, TRACE_KEY_CAT, TRACE_KEY_TS, TRACE_KEY_DUR,
    TRACE_KEY_TID, TRACE_KEY_BIND_ID, TRACE_KEY_FLOW_IN, TRACE_KEY_FLOW_OUT, TRACE_KEY_ARGS, TRACE_ARG_ERR,
    TRACE_ARG_VALUE, TRACE_ARG_KEY, TRACE_ARG_OP, TRACE_ARG_TEXT, TRACE_ARG_MS, TRACE_ARG_WHY,
    TRACE_ARG_THREAD, TRACE_ARG_CLIENT, TRACE_ARG_LINE, TRACE_ARG_FROM_LINE, TRACE_ARG_LEAF,
    TRACE_ARG_ERROR, TRACE_ARG_AFTER_READY, TRACE_ARG_TEXT_KO, TRACE_ARG_WOKEN_BY, TRACE_ARG_MESSAGE,
    TRACE_ARG_PANICKED, TRACE_ARG_COL, TRACE_ARG_END_COL, TRACE_ARG_FROM_COL, TRACE_ARG_FROM_END_COL,
    TRACE_ARG_SCHEMA, TRACE_ARG_SCENARIO, TRACE_ARG_SEED, TRACE_ARG_TITLE, TRACE_ARG_DESCRIPTION, TRACE_ARG_TITLE_KO,
    TRACE_ARG_DESCRIPTION_KO, TRACE_ARG_POLL_COST_US, TRACE_ARG_SYSCALL_COST_US, TRACE_ARG_LONG_POLL_US,
    TRACE_ARG_STACK_RESERVED_BYTES, TRACE_ARG_STACK_USED_BYTES, TRACE_ARG_SOURCE, TRACE_ARG_QUIZ, TRACE_ARG_SORT_INDEX,
    TRACE_ARG_TASK_BYTES, TRACE_ARG_THREADS, TRACE_ARG_MODEL, TRACE_ARG_QUIZ_LEFT_OUT};

enum { KEY_SLOTS = 256 };

/* memcmp(a, b, n) == 0 for the few bytes of a member name, without a call. */
static inline int same_bytes(const char *a, const char *b, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i]) return 0;
    return 1;
}

/* A name's first 8 bytes as one word, zero past its end (little-endian: byte 0 lowest);
 * one load when 8 bytes may be read from k (lim), else byte by byte. */
static inline uint64_t head8(const char *k, size_t n, const char *lim) {
    uint64_t w = 0;
    size_t m = n < 8 ? n : 8;
    if (lim - k >= 8) {
        memcpy(&w, k, 8);
        return m == 8 ? w : w & ((UINT64_C(1) << (8 * m)) - 1);
    }
    for (size_t i = m; i-- > 0;) w = w << 8 | (unsigned char)k[i];
    return w;
}

static size_t key_slot(uint64_t w, size_t n) {
    return (size_t)(((w ^ n) * UINT64_C(0x9E3779B97F4A7C15)) >> 56) & (KEY_SLOTS - 1);
}

/* The key_id of the name k[0..n); lim: how far past k may be read. */
static key_id key_of(const char *k, size_t n, const char *lim) {
    static uint8_t slot[KEY_SLOTS]; /* 0 = empty, else key_id; filled on first use */
    static uint8_t len[K_COUNT];
    static uint64_t head[K_COUNT];
    static int ready;
    if (!ready) {
        for (int id = 1; id < K_COUNT; id++) {
            len[id] = (uint8_t)strlen(KEY_NAMES[id]);
            head[id] = head8(KEY_NAMES[id], len[id], KEY_NAMES[id]); /* byte by byte: a literal's end */
            size_t j = key_slot(head[id], len[id]);
            while (slot[j]) j = (j + 1) & (KEY_SLOTS - 1);
            slot[j] = (uint8_t)id;
        }
        ready = 1;
    }
    if (n == 0) return K_NONE;
    uint64_t w = head8(k, n, lim);
    for (size_t j = key_slot(w, n); slot[j]; j = (j + 1) & (KEY_SLOTS - 1)) {
        int id = slot[j];
        if (head[id] == w && len[id] == n && (n <= 8 || same_bytes(KEY_NAMES[id] + 8, k + 8, n - 8))) return (key_id)id;
    }
    return K_NONE;
}

/* ---- the scanner ------------------------------------------------------------------ */

typedef enum { JV_NONE, JV_STR, JV_NUM, JV_TRUE, JV_FALSE, JV_NULL, JV_OTHER } jv_type;

typedef struct scan scan;
typedef int (*nested_fn)(void *ctx, scan *s);

/* Where strings are decoded: one growing buffer per load, shared by a scan and the
 * sub-scans it starts, so no string is ever cut. */
typedef struct strbuf { char *p; size_t cap; } strbuf;

struct scan {
    const char *p, *end;
    strbuf *sb;
    const char *buf; /* after a string: its value, blen bytes of valid UTF-8 without NUL; not
                        NUL-terminated (a plain string is read in place, in the input) */
    size_t blen;
    const char *buf_end; /* bytes up to here may be read after buf (a word at a time) */
    int key;        /* in a member function: the member name's key_id (K_NONE: not one we know) */
    int64_t ns;     /* the last number, times 1000 (µs -> ns), rounded to the ns (pinata writes k/2048 µs) ... */
    int ns_ok;      /* ... when it fits in int64 (else 0, and only num holds it) */
    double num;     /* the last number as a double (may be inf for 1e400) */
    const char *raw, *raw_end; /* the span of the last value */
    const char *want; /* what the scanner expected when it failed */
    const char *fail_at; /* where it failed (at end: the input may just be cut there) */
    char msg[160];  /* a want made up on the spot (want points here) */
    nested_fn nested; /* optional: reads an object-valued member in place (see sc_object) */
};

/* isspace() in the C locale, without a call per byte: ' ', \t, \n, \v, \f, \r. */
static inline int is_ws(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

static inline int is_digit(char c) { return (unsigned)(c - '0') < 10; }

static inline void sc_ws(scan *s) {
    const char *p = s->p, *end = s->end;
    if (p < end && (unsigned char)*p > ' ') return; /* the usual case: no blank at all */
    while (p < end && is_ws((unsigned char)*p)) p++;
    s->p = p;
}

static int sc_fail(scan *s, const char *want) {
    if (!s->want) { s->want = want; s->fail_at = s->p; }
    return -1;
}

/* want with the offending value: `"ts": expected ..., got 1e400` (the raw text, cut). */
static int sc_fail_got(scan *s, const char *field, const char *want) {
    if (s->want) return -1;
    int n = (int)(s->raw_end - s->raw);
    snprintf(s->msg, sizeof s->msg, "\"%s\": expected %s, got %.*s%s", field, want, n > 40 ? 40 : n, s->raw,
             n > 40 ? "..." : "");
    s->p = s->raw_end == s->end ? s->end : s->raw; /* a number at the end may go on */
    return sc_fail(s, s->msg);
}

/* Room for n more bytes and a NUL after the s->blen held. */
static int sb_reserve(scan *s, size_t n) {
    strbuf *b = s->sb;
    if (s->blen + n + 1 <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < s->blen + n + 1) cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) return sc_fail(s, "memory for a string");
    b->p = p;
    b->cap = cap;
    return 0;
}

static int sb_put(scan *s, const char *src, size_t n) {
    if (sb_reserve(s, n)) return -1;
    memcpy(s->sb->p + s->blen, src, n);
    s->blen += n;
    return 0;
}

static int put_cp(scan *s, uint32_t cp) {
    char tmp[4];
    return sb_put(s, tmp, utf8_encode(cp, tmp));
}

static int hex4(scan *s, uint32_t *cp) {
    if (s->end - s->p < 4) { s->p = s->end; return -1; } /* cut: maybe more input follows */
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        int d = tolower((unsigned char)s->p[i]);
        if (!isxdigit(d)) return -1;
        v = v * 16 + (uint32_t)(isdigit(d) ? d - '0' : d - 'a' + 10);
    }
    s->p += 4;
    *cp = v;
    return 0;
}

/* One escape after the backslash. \u0000 and unpaired surrogates become U+FFFD: strings
 * are C strings, and valid UTF-8 for every backend. */
static int sc_escape(scan *s) {
    char c = *s->p++;
    const char *map = "\"\"\\\\//b\bf\fn\nr\rt\t";
    for (const char *m = map; *m; m += 2)
        if (*m == c) return sb_put(s, m + 1, 1);
    uint32_t cp, lo;
    if (c != 'u' || hex4(s, &cp)) return sc_fail(s, "a valid string escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
    if (cp >= 0xD800 && cp < 0xDC00 && s->end - s->p >= 6 && s->p[0] == '\\' && s->p[1] == 'u') {
        const char *at = s->p;
        s->p += 2;
        if (!hex4(s, &lo) && lo >= 0xDC00 && lo < 0xE000) return put_cp(s, 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00));
        s->p = at; /* not a pair: the next escape stands alone */
    }
    if (cp == 0 || (cp >= 0xD800 && cp < 0xE000)) cp = UTF8_BAD;
    return put_cp(s, cp);
}

/* Nonzero when one of the 8 bytes in w is '"', '\\', NUL or not ASCII (the bytes a plain
 * string stops at), tested all at once. */
static inline uint64_t word_stops(uint64_t w) {
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');
    return (((q - ones) & ~q) | ((b - ones) & ~b) | ((w - ones) & ~w) | w) & high;
}

static inline int byte_plain(unsigned char c) { return c != '"' && c != '\\' && c && c < 0x80; }

/* A string of plain ASCII (no escape, no NUL): read in place, 8 bytes a step. Returns 0
 * and leaves s->buf in the input, or -1 when it is not one (then sc_string decodes it). */
static inline int sc_plain_string(scan *s) {
    const char *q = s->p + 1, *end = s->end;
    for (uint64_t w, m; end - q >= 8; q += 8) {
        memcpy(&w, q, 8);
        if ((m = word_stops(w))) { /* the first stop's byte: its lowest flag (little-endian) */
            q += (unsigned)__builtin_ctzll(m) >> 3;
            goto stopped;
        }
    }
    while (q < end && byte_plain((unsigned char)*q)) q++;
stopped:
    if (q >= end || *q != '"') return -1;
    s->buf = s->p + 1;
    s->buf_end = end;
    s->blen = (size_t)(q - s->buf);
    s->p = q + 1;
    return 0;
}

/* Decodes a string at s->p (after its '"') into s->buf, whole. Raw bytes are copied in
 * runs; a raw NUL becomes U+FFFD, and invalid UTF-8 is repaired (U+FFFD), so every string
 * is valid. */
static __attribute__((noinline)) int sc_string_decode(scan *s) {
    s->p++;
    s->blen = 0;
    int high = 0;
    for (;;) {
        /* the hot loop: a run of plain bytes into room reserved for it (keys are short) */
        size_t room = (size_t)(s->end - s->p) < 256 ? (size_t)(s->end - s->p) : 256;
        if (sb_reserve(s, room)) return -1;
        char *o = s->sb->p + s->blen;
        const char *q = s->p, *stop = q + room;
        while (q < stop && *q != '"' && *q != '\\' && *q) { high |= *q & 0x80; *o++ = *q++; }
        s->blen = (size_t)(o - s->sb->p);
        s->p = q;
        if (q >= s->end) return sc_fail(s, "a closing '\"'");
        if (q == stop) continue;
        if (*q == '"') break;
        s->p++;
        if (!*q) { if (put_cp(s, UTF8_BAD)) return -1; continue; }
        if (s->p >= s->end || sc_escape(s)) return sc_fail(s, "a complete string");
    }
    s->p++;
    s->buf = s->sb->p;
    s->buf_end = s->sb->p + s->sb->cap;
    s->sb->p[s->blen] = '\0'; /* sb_reserve keeps room for it */
    if (high && !utf8_valid(s->buf, s->blen)) {
        char *fixed = malloc(3 * s->blen + 1);
        if (!fixed) return sc_fail(s, "memory for a string");
        size_t n = utf8_repair(s->buf, s->blen, fixed);
        s->blen = 0;
        int r = sb_put(s, fixed, n + 1);
        free(fixed);
        if (r) return -1;
        s->blen = n;
        s->buf = s->sb->p;
        s->buf_end = s->sb->p + s->sb->cap;
    }
    return 0;
}

/* A string at s->p into s->buf: in place when plain (sc_plain_string), else decoded. */
static inline int sc_string(scan *s) {
    if (s->p >= s->end || *s->p != '"') return sc_fail(s, "a string");
    return sc_plain_string(s) ? sc_string_decode(s) : 0;
}

/* Parses a JSON number into s->num, and into s->ns (thousandths rounded: µs -> ns) when it
 * fits. No arithmetic here can overflow: digits past what fits only go to strtod. */
/* The usual number, a time or an id as pinata writes it (at most 14 integer digits, an
 * optional fraction, no sign or exponent, not at the end of the input), the way sc_number
 * reads it, without its checks for the rest. Returns -1 for any other (sc_number reads it). */
static inline int sc_number_plain(scan *s) {
    const char *p = s->p, *end = s->end;
    int64_t ip = 0, frac = 0;
    int nd = 0, fd = 0, up = 0;
    for (; p < end && is_digit(*p) && nd < 15; nd++, p++) ip = ip * 10 + (*p - '0');
    if (nd == 0 || nd == 15) return -1;
    if (p < end && *p == '.') {
        p++;
        for (; p < end && is_digit(*p); fd++, p++) {
            if (fd < 3) frac = frac * 10 + (*p - '0');
            else if (fd == 3) up = *p >= '5'; /* rounded to the ns, as sc_number */
        }
        if (fd == 0) return -1;
    }
    if (p >= end || *p == 'e' || *p == 'E') return -1;
    for (; fd < 3; fd++) frac *= 10;
    s->ns = ip * 1000 + frac + up;
    s->num = (double)s->ns / 1000.0;
    s->ns_ok = 1;
    s->p = p;
    return 0;
}

static int sc_number(scan *s) {
    if (!sc_number_plain(s)) return 0;
    const char *start = s->p;
    int neg = 0, big = 0, fd = 0, up = 0;
    int64_t ip = 0, frac = 0;
    if (s->p < s->end && *s->p == '-') { neg = 1; s->p++; }
    if (s->p >= s->end || !is_digit(*s->p)) return sc_fail(s, "a number");
    while (s->p < s->end && is_digit(*s->p)) {
        if (ip > (INT64_MAX / 1000 - 9) / 10) big = 1; /* ip * 1000 + 999 would not fit */
        else ip = ip * 10 + (*s->p - '0');
        s->p++;
    }
    if (s->p < s->end && *s->p == '.') {
        s->p++;
        if (s->p >= s->end || !is_digit(*s->p)) return sc_fail(s, "a digit after '.'");
        while (s->p < s->end && is_digit(*s->p)) {
            if (fd < 3) frac = frac * 10 + (*s->p - '0');
            else if (fd == 3) up = *s->p >= '5'; /* rounded to the ns: pinata writes k/2048 µs */
            if (fd < 4) fd++;
            s->p++;
        }
    }
    for (; fd < 3; fd++) frac *= 10;
    int has_exp = s->p < s->end && (*s->p == 'e' || *s->p == 'E');
    if (has_exp) {
        s->p++;
        if (s->p < s->end && (*s->p == '+' || *s->p == '-')) s->p++;
        if (s->p >= s->end || !is_digit(*s->p)) return sc_fail(s, "a digit in the exponent");
        while (s->p < s->end && is_digit(*s->p)) s->p++;
    }
    if (!big && !has_exp) {
        s->ns = (ip * 1000 + frac + up) * (neg ? -1 : 1);
        s->num = (double)s->ns / 1000.0;
        s->ns_ok = 1;
        return 0;
    }
    size_t n = (size_t)(s->p - start); /* rare: strtod on a NUL-terminated copy */
    char tmp[64], *copy = n < sizeof tmp ? tmp : malloc(n + 1);
    if (!copy) return sc_fail(s, "memory for a number");
    memcpy(copy, start, n);
    copy[n] = '\0';
    s->num = strtod(copy, NULL);
    if (copy != tmp) free(copy);
    s->ns_ok = s->num > -9e15 && s->num < 9e15;
    s->ns = s->ns_ok ? (int64_t)llround(s->num * 1000.0) : 0;
    return 0;
}

static int sc_lit(scan *s, const char *lit) {
    size_t n = strlen(lit), have = (size_t)(s->end - s->p);
    if (have < n && memcmp(s->p, lit, have) == 0) s->p = s->end; /* cut: maybe more input follows */
    if (have < n || memcmp(s->p, lit, n) != 0) return sc_fail(s, "a JSON value");
    s->p += n;
    return 0;
}

static int sc_skip_compound(scan *s);

/* Reads one value; strings land in s->buf, numbers in s->ns / s->num. */
static jv_type sc_value(scan *s) { /* at the value: sc_object skipped the blanks before it */
    s->raw = s->p;
    jv_type ty = JV_NONE;
    if (s->p >= s->end) { sc_fail(s, "a value"); return JV_NONE; }
    switch (*s->p) {
    case '"': ty = sc_string(s) ? JV_NONE : JV_STR; break;
    case 't': ty = sc_lit(s, "true") ? JV_NONE : JV_TRUE; break;
    case 'f': ty = sc_lit(s, "false") ? JV_NONE : JV_FALSE; break;
    case 'n': ty = sc_lit(s, "null") ? JV_NONE : JV_NULL; break;
    case '{': case '[': ty = sc_skip_compound(s) ? JV_NONE : JV_OTHER; break;
    default: ty = sc_number(s) ? JV_NONE : JV_NUM; break;
    }
    s->raw_end = s->p;
    return ty;
}

/* Skips a nested object or array (only seen in args we do not draw). */
static int sc_skip_compound(scan *s) {
    int depth = 0;
    do {
        if (s->p >= s->end) return sc_fail(s, "a closing bracket");
        char c = *s->p;
        if (c == '"') { if (sc_string(s)) return -1; continue; }
        if (c == '{' || c == '[') depth++;
        if (c == '}' || c == ']') depth--;
        s->p++;
    } while (depth > 0);
    return 0;
}

/* Walks the members of an object; calls fn(ctx, s, type) after each value is read, the
 * member's name known by s->key (the loader keeps no member it has no name for).
 * When nested is set and a member's value is an object, nested(ctx, s) may read
 * it in place (returning 1), which saves skipping it and scanning it again. */
typedef int (*member_fn)(void *ctx, scan *s, jv_type ty);

static int sc_object(scan *s, member_fn fn, void *ctx) {
    sc_ws(s);
    if (s->p >= s->end || *s->p != '{') return sc_fail(s, "'{' starting an event object");
    s->p++;
    sc_ws(s);
    if (s->p < s->end && *s->p == '}') { s->p++; return 0; }
    for (;;) {
        sc_ws(s);
        if (sc_string(s)) return sc_fail(s, "a member name");
        int kid = (int)key_of(s->buf, s->blen, s->buf_end);
        sc_ws(s);
        if (s->p >= s->end || *s->p != ':') return sc_fail(s, "':' after a member name");
        s->p++;
        sc_ws(s);
        s->key = kid;
        if (s->nested && s->p < s->end && *s->p == '{') {
            int r = s->nested(ctx, s);
            if (r < 0) return -1;
            if (r > 0) goto next;
        }
        jv_type ty = sc_value(s);
        s->key = kid; /* a value's sub-scan may have set it */
        if (ty == JV_NONE || fn(ctx, s, ty)) return -1;
    next:
        sc_ws(s);
        if (s->p < s->end && *s->p == ',') { s->p++; continue; }
        if (s->p < s->end && *s->p == '}') { s->p++; return 0; }
        return sc_fail(s, "',' or '}' in an object");
    }
}

/* ---- one event -------------------------------------------------------------------- */

enum { HAS_TS = 1, HAS_DUR = 2, HAS_TID = 4, HAS_PH = 8, HAS_NAME = 16, HAS_TASK = 32,
       HAS_FUTURE = 64, HAS_RESULT = 128, HAS_ARGS = 256 };

typedef struct ev_ctx {
    tload_trace *t;
    tload_event ev;
    unsigned has;
    char cat[16];
    char name[64];
    /* metadata from M events */
    int schema;
    int meta_sort;
    uint32_t meta_name;
    const char *args, *args_end; /* span of the args object */
    int has_cat;
    int args_done;               /* args were read in place (kind known by then) */
    int32_t src_line;            /* args.line, 0 when absent */
    int32_t src_from;            /* args.from_line (a poll's line where it starts), 0 when absent */
    int32_t woken_by;            /* a poll's args.woken_by (tload_woken_by), 0 when absent */
    int32_t bind_id;             /* its bind_id, 0 when absent */
    uint32_t src_span, src_from_span; /* args.col | end_col << 16, and from_col | from_end_col << 16 */
    tload_mem mem;               /* a "C" memory event's counters */
} ev_ctx;

/* An integer field (ids, counts): clamped to int32 (no id of a real trace comes close). */
static int32_t as_int(scan *s, jv_type ty) {
    if (ty != JV_NUM) return -1;
    if (!s->ns_ok) return s->num > 0 ? INT32_MAX : INT32_MIN;
    int64_t v = s->ns / 1000;
    return v > INT32_MAX ? INT32_MAX : v < INT32_MIN ? INT32_MIN : (int32_t)v;
}

/* "ts" and "dur": a time in 0..TLOAD_MAX_NS, so that ts + dur and every difference the
 * index and the layout take stay far from overflow. */
static int as_time(scan *s, const char *field, int64_t *out) {
    if (!s->ns_ok || s->ns < 0 || s->ns > TLOAD_MAX_NS)
        return sc_fail_got(s, field, "a time in 0.." TLOAD_MAX_US_TEXT " µs");
    *out = s->ns;
    return 0;
}

/* "seed": the run's seed as pinata wrote it, an integer in 0..2^64-1. */
static int as_seed(scan *s, jv_type ty, uint64_t *out) {
    const char *p = s->raw;
    size_t n = (size_t)(s->raw_end - s->raw);
    uint64_t v = 0;
    int ok = ty == JV_NUM && n > 0 && n <= 20;
    for (size_t i = 0; ok && i < n; i++) {
        unsigned d = (unsigned)(p[i] - '0');
        ok = d <= 9 && v <= (UINT64_MAX - d) / 10;
        v = v * 10 + d;
    }
    if (!ok) return sc_fail_got(s, "seed", "an integer in 0..18446744073709551615");
    *out = v;
    return 0;
}

static uint32_t as_str(ev_ctx *c, scan *s, jv_type ty) {
    if (ty == JV_STR) return strs_intern(c->t, s->buf, s->blen);
    if (ty == JV_NUM || ty == JV_TRUE || ty == JV_FALSE || ty == JV_OTHER) /* its text, to a NUL in it */
        return strs_intern(c->t, s->raw, strnlen(s->raw, (size_t)(s->raw_end - s->raw)));
    return 0;
}

/* "source": an array of strings, the scenario's Rust lines, interned in order. */
static int meta_source(ev_ctx *c, scan *s, jv_type ty) {
    static const char *const want = "an array of strings for \"source\"";
    tload_trace *t = c->t;
    if (ty != JV_OTHER || *s->raw != '[') return sc_fail(s, want);
    scan sub = {.p = s->raw + 1, .end = s->raw_end - 1, .sb = s->sb};
    size_t cap = 0;
    free(t->source);
    t->source = NULL;
    t->nsource = 0;
    for (;;) {
        sc_ws(&sub);
        if (sub.p >= sub.end) break;
        if (sc_string(&sub)) { s->p = sub.p; return sc_fail(s, want); }
        if (t->nsource == cap) {
            cap = cap ? cap * 2 : 64;
            uint32_t *p = realloc(t->source, cap * sizeof *p);
            if (!p) return sc_fail(s, "memory for \"source\"");
            t->source = p;
        }
        t->source[t->nsource++] = strs_intern(t, sub.buf, sub.blen);
        sc_ws(&sub);
        if (sub.p < sub.end && *sub.p == ',') { sub.p++; continue; }
        if (sub.p < sub.end) { s->p = sub.p; return sc_fail(s, want); }
    }
    if (!t->nsource) { free(t->source); t->source = NULL; }
    return 0;
}

/* "quiz": the scenario's questions, kept as their JSON text for viz/quiz.c. */
static int meta_quiz(ev_ctx *c, scan *s, jv_type ty) {
    tload_trace *t = c->t;
    if (ty != JV_OTHER || *s->raw != '[') return sc_fail(s, "an array of questions for \"quiz\"");
    free(t->quiz); /* an event scanned again after more input was read */
    t->quiz = strndup(s->raw, (size_t)(s->raw_end - s->raw));
    return t->quiz ? 0 : sc_fail(s, "memory for \"quiz\"");
}

/* args of the first M event: the run itself. */
static int meta_arg(ev_ctx *c, scan *s, jv_type ty) {
    tload_trace *t = c->t;
    switch ((key_id)s->key) {
    case K_SOURCE: return meta_source(c, s, ty);
    case K_QUIZ: return meta_quiz(c, s, ty);
    case K_SEED: return as_seed(s, ty, &t->seed);
    case K_SCHEMA: c->schema = as_int(s, ty); break;
    case K_SCENARIO: t->scenario = as_str(c, s, ty); break;
    case K_MODEL: t->model = as_str(c, s, ty); break;
    case K_QUIZ_LEFT_OUT: t->quiz_left_out = as_str(c, s, ty); break;
    case K_TITLE: t->title = as_str(c, s, ty); break;
    case K_DESCRIPTION: t->description = as_str(c, s, ty); break;
    case K_TITLE_KO: t->title_ko = as_str(c, s, ty); break;
    case K_DESCRIPTION_KO: t->description_ko = as_str(c, s, ty); break;
    case K_POLL_COST_US: if (ty == JV_NUM && isfinite(s->num)) t->poll_cost_us = s->num; break;
    case K_SYSCALL_COST_US: if (ty == JV_NUM && isfinite(s->num)) t->syscall_cost_us = s->num; break;
    case K_LONG_POLL_US: if (ty == JV_NUM && s->ns_ok) t->long_poll_ns = s->ns; break;
    case K_STACK_USED_BYTES: if (ty == JV_NUM && s->ns_ok) t->stack_used = s->ns / 1000; break;
    case K_STACK_RESERVED_BYTES: if (ty == JV_NUM && s->ns_ok) t->stack_reserved = s->ns / 1000; break;
    case K_NAME: c->meta_name = as_str(c, s, ty); break;
    case K_SORT_INDEX: c->meta_sort = as_int(s, ty); break;
    default: break;
    }
    return 0;
}

/* The string just read is lit (s->buf holds no NUL, so a prefix never matches). */
static int str_is(const scan *s, const char *lit) {
    size_t n = strlen(lit);
    return s->blen == n && !memcmp(s->buf, lit, n);
}

static void poll_result(tload_event *e, scan *s, jv_type ty) {
    if (ty == JV_STR && str_is(s, TRACE_RESULT_PENDING)) e->result = TLOAD_RES_PENDING;
    else if (ty == JV_STR && str_is(s, TRACE_RESULT_READY)) e->result = TLOAD_RES_READY;
    else if (ty == JV_STR && str_is(s, TRACE_RESULT_PANIC)) e->result = TLOAD_RES_PANIC;
}

/* The args keys, stored by meaning into the compact slots (see tload_event); the kind
 * is known here because args are read after "ph", "cat" and "name". */
static int event_arg(ev_ctx *c, scan *s, jv_type ty) {
    tload_event *e = &c->ev;
    int kind = e->kind;
    key_id id = (key_id)s->key;
    switch (id) {
    case K_TASK: e->task = as_int(s, ty); c->has |= HAS_TASK; break;
    case K_FUTURE: if (ty == JV_NUM) { e->future = as_int(s, ty); c->has |= HAS_FUTURE; } break;
    case K_PARENT: case K_PARENT_TASK: e->parent = as_int(s, ty); break;
    case K_RESULT:
        c->has |= HAS_RESULT;
        if (kind == TLOAD_POLL) poll_result(e, s, ty);
        else e->s1 = as_str(c, s, ty); /* finish / end: ok, deadlock, error name */
        break;
    case K_POLL: case K_BYTES: case K_POLLS: case K_WAKERS: case K_FD: case K_TO: e->num = as_int(s, ty); break;
    case K_FUTURE_NAME:
        if (kind == TLOAD_LINT) e->s2 = as_str(c, s, ty);
        else e->s1 = as_str(c, s, ty);
        break;
    case K_FROM: case K_BY: case K_CALL: case K_UNTIL: case K_ON: case K_TASKS: case K_KEY: case K_TEXT: case K_MS:
        e->s1 = as_str(c, s, ty);
        break;
    case K_ERR: e->s2 = as_str(c, s, ty); break;
    case K_TEXT_KO: if (kind == TLOAD_NOTE) e->s2 = as_str(c, s, ty); break;
    case K_ERROR: if (kind == TLOAD_POLL) e->s2 = as_str(c, s, ty); break; /* Ready(Err(..)) */
    case K_VALUE: if (kind == TLOAD_LOCAL) e->s2 = as_str(c, s, ty); else e->s3 = as_str(c, s, ty); break;
    case K_OP: case K_WHY: e->s3 = as_str(c, s, ty); break;
    case K_THREAD: if (kind == TLOAD_THREAD_EXIT) e->s3 = as_str(c, s, ty); break;
    case K_CLIENT: e->num = as_int(s, ty); break;
    case K_LINE:
        if (ty == JV_NULL) break;
        if (ty != JV_NUM || s->num < 1) return sc_fail(s, "a line number (1, 2, ...) for \"line\"");
        c->src_line = as_int(s, ty);
        break;
    case K_FROM_LINE:
        if (ty == JV_NULL) break;
        if (ty != JV_NUM || s->num < 1) return sc_fail(s, "a line number (1, 2, ...) for \"from_line\"");
        c->src_from = as_int(s, ty);
        break;
    case K_COL: case K_END_COL: case K_FROM_COL: case K_FROM_END_COL: {
        if (ty == JV_NULL) break;
        if (ty != JV_NUM || s->num < 1 || s->num > 65535) return sc_fail(s, "a column (1..65535) for \"col\", \"end_col\", \"from_col\" or \"from_end_col\"");
        uint32_t v = (uint32_t)as_int(s, ty), *at = id == K_COL || id == K_END_COL ? &c->src_span : &c->src_from_span;
        int hi = id == K_END_COL || id == K_FROM_END_COL;
        *at = hi ? (*at & 0xFFFFu) | v << 16 : (*at & 0xFFFF0000u) | v;
        break;
    }
    case K_LEAF: if (ty == JV_TRUE) e->flags |= TLOAD_F_LEAF; break;
    case K_NAME: if (kind == TLOAD_SPAWN) e->s1 = as_str(c, s, ty); break;
    case K_HOST: if (kind == TLOAD_NET) e->s1 = as_str(c, s, ty); else e->s3 = as_str(c, s, ty); break;
    case K_DETAIL:
        if (kind == TLOAD_LINT || kind == TLOAD_OTHER) e->s1 = as_str(c, s, ty);
        else if (kind == TLOAD_CREATE) e->s2 = as_str(c, s, ty);
        else e->s3 = as_str(c, s, ty);
        break;
    case K_AT: case K_RET: case K_HOW: e->s2 = as_str(c, s, ty); break;
    case K_QUEUED: e->flags |= ty == JV_FALSE ? TLOAD_F_NOT_QUEUED : TLOAD_F_QUEUED; break;
    case K_AFTER_READY: if (ty == JV_TRUE) e->flags |= TLOAD_F_AFTER_READY; break;
    case K_WOKEN_BY:
        if (kind != TLOAD_POLL) break;
        if (ty == JV_STR && str_is(s, TRACE_WOKEN_SPURIOUS)) c->woken_by = TLOAD_WOKEN_SPURIOUS;
        else if (ty == JV_NUM && s->num >= 1) c->woken_by = as_int(s, ty);
        else return sc_fail(s, "a task id (1, 2, ...) or \"" TRACE_WOKEN_SPURIOUS "\" for \"" TRACE_ARG_WOKEN_BY "\"");
        break;
    case K_MESSAGE: if (kind == TLOAD_PANIC) e->s2 = as_str(c, s, ty); break;
    case K_PANICKED: if (kind == TLOAD_FINISH && ty == JV_TRUE) e->flags |= TLOAD_F_PANICKED; break;
    default: break;
    }
    return 0;
}

/* A memory counter's args: integers, read whole (stacks pass 2^31 bytes at S10 scale). */
static int mem_arg(ev_ctx *c, scan *s, jv_type ty) {
    if (ty != JV_NUM) return 0;
    /* clamped to what fits exactly (±9.2e15): a count from a hostile file never overflows */
    int64_t v = s->ns_ok ? s->ns / 1000 : s->num > 0 ? INT64_MAX / 1000 : INT64_MIN / 1000;
    switch ((key_id)s->key) {
    case K_TASKS: c->mem.tasks = v; break;
    case K_TASK_BYTES: c->mem.task_bytes = v; break;
    case K_THREADS: c->mem.threads = v; break;
    case K_STACK_USED_BYTES: c->mem.stack_used = v; break;
    case K_STACK_RESERVED_BYTES: c->mem.stack_reserved = v; break;
    default: break;
    }
    return 0;
}

static int args_member(void *ctx, scan *s, jv_type ty) {
    ev_ctx *c = ctx;
    if (c->ev.ph == 'C') return mem_arg(c, s, ty);
    return c->ev.ph == 'M' ? meta_arg(c, s, ty) : event_arg(c, s, ty);
}

static void copy_name(char *dst, size_t cap, const scan *s) {
    size_t n = s->blen < cap - 1 ? s->blen : cap - 1;
    memcpy(dst, s->buf, n);
    dst[n] = '\0';
}

static int top_member(void *ctx, scan *s, jv_type ty) {
    ev_ctx *c = ctx;
    tload_event *e = &c->ev;
    switch ((key_id)s->key) {
    case K_PH: if (ty == JV_STR) { e->ph = s->blen ? (uint8_t)s->buf[0] : 0; c->has |= HAS_PH; } break;
    case K_NAME:
        if (ty != JV_STR) break;
        copy_name(c->name, sizeof c->name, s);
        e->name = strs_intern(c->t, s->buf, s->blen);
        c->has |= HAS_NAME;
        break;
    case K_CAT: if (ty == JV_STR) { copy_name(c->cat, sizeof c->cat, s); c->has_cat = 1; } break;
    case K_TS: if (ty == JV_NUM) { if (as_time(s, "ts", &e->ts)) return -1; c->has |= HAS_TS; } break;
    case K_DUR: if (ty == JV_NUM) { if (as_time(s, "dur", &e->dur)) return -1; c->has |= HAS_DUR; } break;
    case K_TID: if (ty == JV_NUM) { e->tid = as_int(s, ty); c->has |= HAS_TID; } break;
    case K_BIND_ID: if (ty == JV_NUM) c->bind_id = as_int(s, ty); break;
    case K_FLOW_IN: if (ty == JV_TRUE) e->flags |= TLOAD_F_FLOW_IN; break;
    case K_FLOW_OUT: if (ty == JV_TRUE) e->flags |= TLOAD_F_FLOW_OUT; break;
    case K_ARGS:
        if (ty != JV_OTHER) break;
        c->args = s->raw; /* scanned later, once the kind is known */
        c->args_end = s->raw_end;
        c->has |= HAS_ARGS;
        break;
    default: break;
    }
    return 0;
}

/* ---- classification and checks --------------------------------------------------- */

/* Returns what a complete event of this kind is missing, or NULL. */
static const char *missing_field(const ev_ctx *c) {
    unsigned h = c->has;
    if (!(h & HAS_PH)) return "\"ph\"";
    if (!(h & HAS_NAME)) return "\"name\"";
    if (c->ev.ph == 'M') return NULL;
    if (!(h & HAS_TS)) return "\"ts\"";
    if (!(h & HAS_TID)) return "\"tid\"";
    if (c->ev.ph == 'X' && !(h & HAS_DUR)) return "\"dur\" on an X slice";
    if (c->ev.kind == TLOAD_POLL) {
        if (c->ev.flags & TLOAD_F_SYNC) return NULL; /* a sync call: no Pending / Ready to check */
        if (!(h & HAS_ARGS)) return "\"args\" on a poll slice";
        if (!(h & HAS_TASK)) return "\"args.task\" on a poll slice";
        if (!(h & HAS_FUTURE)) return "\"args.future\" on a poll slice";
        if (!(h & HAS_RESULT) || c->ev.result == TLOAD_RES_NONE)
            return "\"args.result\" (\"Pending\" or \"Ready\") on a poll slice";
    }
    if (c->ev.kind == TLOAD_WAKE && !(h & HAS_TASK)) return "\"args.task\" on a wake slice";
    return NULL;
}

/* ---- the file --------------------------------------------------------------------- */

typedef struct loader {
    tload_trace *t;
    const char *name;
    int lineno;          /* the line of the event being taken */
    int seen_close, seen_meta;
    strbuf sb;           /* decoded strings (see scan) */
    char *err;
    size_t errlen;
} loader;

static int fail(loader *L, int line, const char *fmt, ...) {
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(L->err, L->errlen, "%s:%d: %s", L->name, line, msg);
    return -1;
}

static void warn(tload_trace *t, const char *fmt, ...) {
    size_t n = strlen(t->warn);
    if (n + 2 >= sizeof t->warn) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->warn + n, sizeof t->warn - n - 1, fmt, ap);
    va_end(ap);
    n = strlen(t->warn);
    t->warn[n] = '\n';
    t->warn[n + 1] = '\0';
}

/* src_line (only with a source) keeps TLOAD_SRC_PER times the capacity of ev: (line,
 * from_line, span, from_span) per event. */
static int push_event(tload_trace *t, const tload_event *e, const ev_ctx *c) {
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 4096;
        if (t->source) {
            int32_t *q = realloc(t->src_line, TLOAD_SRC_PER * cap * sizeof *q);
            if (!q) return -1;
            t->src_line = q;
        }
        tload_event *p = realloc(t->ev, cap * sizeof *p);
        if (!p) return -1;
        t->ev = p;
        t->cap = cap;
    }
    if (t->src_line) {
        int32_t *q = &t->src_line[TLOAD_SRC_PER * t->n];
        q[0] = c->src_line;
        q[1] = c->src_from;
        q[2] = (int32_t)c->src_span;
        q[3] = (int32_t)c->src_from_span;
    }
    t->ev[t->n++] = *e;
    return 0;
}

/* A number of few events, kept in event order (the real models' woken_by, the flows'
 * bind_id, the lines that do not follow on). */
static int push_sparse(tload_sparse **a, size_t *n, size_t *cap, size_t i, int32_t v) {
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 16;
        tload_sparse *p = realloc(*a, c * sizeof *p);
        if (!p) return -1;
        *a = p;
        *cap = c;
    }
    (*a)[(*n)++] = (tload_sparse){(uint32_t)i, v};
    return 0;
}

/* The last entry at or before event i (n when none). */
static size_t sparse_at(const tload_sparse *a, size_t n, size_t i) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid].ev <= i) lo = mid + 1;
        else hi = mid;
    }
    return lo ? lo - 1 : n;
}

int32_t tload_woken_by(const tload_trace *t, size_t i) {
    size_t k = sparse_at(t->woken, t->nwoken, i);
    return k < t->nwoken && t->woken[k].ev == i ? t->woken[k].v : 0;
}

int32_t tload_bind_id(const tload_trace *t, size_t i) {
    size_t k = sparse_at(t->binds, t->nbinds, i);
    return k < t->nbinds && t->binds[k].ev == i ? t->binds[k].v : 0;
}

int32_t tload_line(const tload_trace *t, size_t i) {
    size_t k = sparse_at(t->lines, t->nlines, i);
    return k < t->nlines ? t->lines[k].v + (int32_t)(i - t->lines[k].ev) : 0;
}

static void meta_thread(tload_trace *t, const ev_ctx *c) {
    size_t i = 0;
    while (i < t->nthreads && t->threads[i].tid != c->ev.tid) i++;
    if (i == t->nthreads) {
        tload_thread *p = realloc(t->threads, (t->nthreads + 1) * sizeof *p);
        if (!p) return;
        t->threads = p;
        p[i] = (tload_thread){.tid = c->ev.tid, .sort = c->ev.tid, .name = 0};
        t->nthreads++;
    }
    if (!strcmp(c->name, TRACE_NAME_THREAD_NAME)) t->threads[i].name = c->meta_name;
    if (!strcmp(c->name, TRACE_NAME_THREAD_SORT) && c->meta_sort >= 0) t->threads[i].sort = c->meta_sort;
}

/* A scanned M event: the run header (must come first) or a thread name. */
static int take_meta(loader *L, ev_ctx *c) {
    tload_trace *t = L->t;
    if (!strcmp(c->name, TRACE_NAME_PINATA)) {
        if (c->schema != TRACE_SCHEMA_VERSION)
            return fail(L, L->lineno, "expected schema %d in the \"pinata\" event, got %d "
                        "(this viewer reads schema %d only)", TRACE_SCHEMA_VERSION, c->schema,
                        TRACE_SCHEMA_VERSION);
        t->schema = c->schema;
        t->meta_line = L->lineno;
        L->seen_meta = 1;
        return 0;
    }
    if (!L->seen_meta) return fail(L, L->lineno, "expected the \"pinata\" M event first");
    if (!strcmp(c->name, TRACE_NAME_THREAD_NAME) || !strcmp(c->name, TRACE_NAME_THREAD_SORT)) meta_thread(t, c);
    return 0;
}

static int take_event(loader *L, ev_ctx *c) {
    if (!L->seen_meta)
        return fail(L, L->lineno, "expected the \"pinata\" M event first (is this a pinata trace?)");
    const char *miss = missing_field(c);
    if (miss) return fail(L, L->lineno, "expected %s", miss);
    tload_trace *t = L->t;
    size_t i = t->n;
    int follows = i && tload_line(t, i - 1) + 1 == L->lineno; /* one event a line: nothing to keep */
    if ((c->woken_by && push_sparse(&t->woken, &t->nwoken, &t->capwoken, i, c->woken_by)) ||
        (c->bind_id && push_sparse(&t->binds, &t->nbinds, &t->capbinds, i, c->bind_id)) ||
        (!follows && push_sparse(&t->lines, &t->nlines, &t->caplines, i, L->lineno)) || push_event(t, &c->ev, c))
        return fail(L, L->lineno, "out of memory");
    return 0;
}

/* A "C" event: the memory counters are kept apart from the events (they are no step);
 * other counters are for Perfetto. */
static int take_counter(loader *L, ev_ctx *c) {
    tload_trace *t = L->t;
    if (strcmp(c->name, TRACE_NAME_MEMORY) || !(c->has & HAS_TS)) return 0;
    if (t->nmem == t->capmem) {
        size_t cap = t->capmem ? t->capmem * 2 : 16;
        tload_mem *p = realloc(t->mem, cap * sizeof *p);
        if (!p) return fail(L, L->lineno, "out of memory");
        t->mem = p;
        t->capmem = cap;
    }
    c->mem.ts = c->ev.ts;
    t->mem[t->nmem++] = c->mem;
    return 0;
}

/* pinata writes "ph", "cat" and "name" before "args": then args are read in place with
 * their meaning; other writers' orders fall back to reading them after the object. */
static int args_in_place(void *ctx, scan *s) {
    ev_ctx *c = ctx;
    if (s->key != K_ARGS || !(c->has & HAS_PH) || !(c->has & HAS_NAME) || (!c->has_cat && c->ev.ph != 'M'))
        return 0;
    c->ev.kind = (uint8_t)trace_classify((char)c->ev.ph, c->cat, c->name);
    if (!strcmp(c->cat, TRACE_CAT_CALL)) c->ev.flags |= TLOAD_F_SYNC;
    nested_fn saved = s->nested;
    s->nested = NULL; /* args hold no nested args */
    int r = sc_object(s, args_member, c);
    s->nested = saved;
    if (r) return -1;
    c->has |= HAS_ARGS;
    c->args_done = 1;
    return 1;
}

/* Classifies the event, then reads its args with that meaning. */
static int scan_args(ev_ctx *c, scan *s) {
    if (c->args_done) return 0; /* classified already, by args_in_place */
    c->ev.kind = (uint8_t)trace_classify((char)c->ev.ph, c->cat, c->name);
    if (!strcmp(c->cat, TRACE_CAT_CALL)) c->ev.flags |= TLOAD_F_SYNC;
    if (!c->args) return 0;
    scan sub = {.p = c->args, .end = c->args_end, .sb = s->sb};
    if (sc_object(&sub, args_member, c)) {
        if (sub.want == sub.msg) { memcpy(s->msg, sub.msg, sizeof s->msg); sub.want = s->msg; }
        s->want = sub.want;
        s->fail_at = sub.fail_at;
        return -1;
    }
    return 0;
}

static void trace_init(tload_trace *t, const char *name) {
    memset(t, 0, sizeof *t);
    if (!strs_room(t, 1)) { /* id 0: "" */
        t->text[0] = '\0';
        t->str_at[0] = 0;
        t->ntext = t->nstrs = 1;
    }
    t->long_poll_ns = t->stack_used = t->stack_reserved = -1;
    snprintf(t->path, sizeof t->path, "%s", name);
}

/* ---- the input: the text in chunks, as much as one event needs -------------------- */

/* Events are found by the JSON itself, not by lines: one event per line (as pinata
 * writes), a whole trace on one line (jq -c, json.dumps) and pretty-printed events all
 * load. A file is read in chunks; an event cut by a chunk's end is scanned again once
 * more text is there, so memory stays one chunk plus the largest event. */
typedef struct input {
    FILE *f;            /* NULL: all the text is in data already (tload_buffer) */
    char *own;          /* the buffer data points to when reading f */
    const char *data;
    size_t len, cap, pos; /* data[0..len) held, data[pos..] not yet taken */
    size_t chunk;       /* the next read; doubles while one event does not fit */
    int eof;
    int line;           /* the line of data[pos] */
    int read_errno;     /* nonzero: reading failed */
} input;

enum { CHUNK = 1 << 16 };

/* Reads the next chunk after what is held (dropping what was taken). -1 at the end. */
static int in_fill(input *in) {
    if (in->eof) return -1;
    if (in->pos) {
        memmove(in->own, in->own + in->pos, in->len - in->pos);
        in->len -= in->pos;
        in->pos = 0;
    }
    if (in->len + in->chunk + 1 > in->cap) {
        /* room for a chunk and what is left of the last one (less than a chunk): the buffer
         * is then never grown again, where growing it by the leftover each time moved it
         * to new pages, a page fault each (16,000 for the 1M-event trace) */
        size_t cap = in->len + 2 * in->chunk + 1;
        char *p = realloc(in->own, cap);
        if (!p) { in->read_errno = ENOMEM; in->eof = 1; return -1; }
        in->own = p;
        in->cap = cap;
    }
    size_t r = fread(in->own + in->len, 1, in->chunk, in->f);
    in->data = in->own;
    in->len += r;
    if (r < in->chunk) {
        in->eof = 1;
        if (ferror(in->f)) in->read_errno = errno ? errno : EIO;
    }
    return r ? 0 : -1;
}

/* Skips white space (counting lines); returns the next byte, or -1 at the end. */
static int in_peek(input *in) {
    for (;;) {
        while (in->pos < in->len && is_ws((unsigned char)in->data[in->pos]))
            in->line += in->data[in->pos++] == '\n';
        if (in->pos < in->len) return (unsigned char)in->data[in->pos];
        if (in_fill(in)) return -1;
    }
}

static int lines_in(const char *p, const char *end) {
    int n = 0;
    while ((p = memchr(p, '\n', (size_t)(end - p)))) { n++; p++; }
    return n;
}

/* ---- the file --------------------------------------------------------------------- */

/* Scans the event at in->pos: 0 taken, 1 cut by the end of the file, -1 an error. */
static int one_event(loader *L, input *in) {
    for (;;) {
        const char *start = in->data + in->pos, *end = in->data + in->len;
        scan s = {.p = start, .end = end, .sb = &L->sb};
        ev_ctx c = {.t = L->t, .schema = -1, .meta_sort = -1};
        c.ev.task = c.ev.future = c.ev.parent = -1;
        s.nested = args_in_place;
        int bad = sc_object(&s, top_member, &c);
        s.nested = NULL;
        if (!bad && !scan_args(&c, &s)) {
            L->lineno = in->line;
            in->line += lines_in(start, s.p);
            in->pos = (size_t)(s.p - in->data);
            if (c.ev.ph == 'M') return take_meta(L, &c);
            if (c.ev.ph == 'C') return take_counter(L, &c);
            return take_event(L, &c);
        }
        const char *at = s.fail_at ? s.fail_at : s.p;
        while (at < end && is_ws((unsigned char)*at)) at++;
        if (at < end) { /* a real error, not a cut */
            const char *want = s.want ? s.want : "a JSON object";
            return fail(L, in->line + lines_in(start, at), "%s%s", want == s.msg ? "" : "expected ", want);
        }
        if (!in->f || in->eof) return 1;
        /* the event goes on past what is held: read more, scan it again; the chunk doubles
         * only for an event that does not fit in what a fill holds (before, it doubled at
         * every event cut by a chunk's end, until a chunk held the whole file) */
        if (in->pos == 0) in->chunk *= 2;
        if (in_fill(in) && !in->read_errno) return 1;
        if (in->read_errno) return -1;
    }
}

/* After the events: complete, truncated (a warning: e.g. a crashed run) or broken. */
static int finish(loader *L, int last_line) {
    tload_trace *t = L->t;
    if (!L->seen_meta) return fail(L, last_line, "expected the \"pinata\" M event first");
    if (!L->seen_close) {
        t->truncated = 1;
        warn(t, "%s:%d: warning: the trace is truncated (no closing ']', e.g. a crashed run); "
             "showing the %zu events before it", L->name, last_line, t->n);
    }
    return 0;
}

/* The array: '[' event (',' event)* ']' — a ',' before ']' is let pass. */
static int load(loader *L, input *in) {
    int ch = in_peek(in);
    if (ch < 0) return in->read_errno ? -1 : fail(L, in->line, "expected '[' (the file is empty)");
    if (ch != '[') return fail(L, in->line, "expected '[' (a pinata trace is a JSON array of event objects)");
    in->pos++;
    int after_event = 0, last_line = in->line;
    for (;;) {
        ch = in_peek(in);
        if (ch < 0) break;
        if (ch == ']') { in->pos++; L->seen_close = 1; break; }
        if (after_event) {
            if (ch != ',') return fail(L, in->line, "expected ',' or ']' after an event");
            in->pos++;
            after_event = 0;
            continue;
        }
        last_line = in->line;
        int r = one_event(L, in);
        if (r < 0) return -1;
        if (r > 0) break; /* cut at the end of the file */
        after_event = 1;
    }
    if (in->read_errno) return -1;
    if (L->seen_close && in_peek(in) >= 0) return fail(L, in->line, "expected nothing after the closing ']'");
    return in->read_errno ? -1 : finish(L, last_line);
}

/* Gives back the slack of the doubling growth: the arrays live as long as the viewer; the
 * strings' hash table was only for loading. */
static void shrink(tload_trace *t) {
    free(t->hash);
    t->hash = NULL;
    t->hashcap = 0;
    char *text = realloc(t->text, t->ntext);
    if (text) { t->text = text; t->captext = t->ntext; }
    uint32_t *at = realloc(t->str_at, t->nstrs * sizeof *at);
    if (at) { t->str_at = at; t->capstrs = t->nstrs; }
    if (t->n && t->n < t->cap) {
        tload_event *p = realloc(t->ev, t->n * sizeof *p);
        if (p) { t->ev = p; t->cap = t->n; }
        if (p && t->src_line) {
            int32_t *q = realloc(t->src_line, TLOAD_SRC_PER * t->n * sizeof *q);
            if (q) t->src_line = q;
        }
    }
}

static int run(loader *L, input *in) {
    L->err[0] = '\0';
    int r = load(L, in);
    if (r && in->read_errno)
        snprintf(L->err, L->errlen, "%s: cannot read: %s", L->name, strerror(in->read_errno));
    free(L->sb.p);
    free(in->own);
    if (r) {
        if (!L->err[0]) fail(L, in->line, "expected a pinata trace");
        tload_free(L->t);
        return -1;
    }
    shrink(L->t);
    return 0;
}

int tload_stream(const char *name, FILE *f, tload_trace *t, char *err, size_t errlen) {
    trace_init(t, name);
    loader L = {.t = t, .name = name, .err = err, .errlen = errlen};
    input in = {.f = f, .chunk = CHUNK, .line = 1};
    return run(&L, &in);
}

int tload_file(const char *path, tload_trace *t, char *err, size_t errlen) {
    int fd = infile_open(path, INFILE_TRACE, NULL, err, errlen); /* once, bounded: trace/infile.h */
    if (fd < 0) {
        trace_init(t, path);
        tload_free(t);
        return -1;
    }
    return tload_fd(path, fd, t, err, errlen);
}

/* A plain file is streamed in chunks (its size is bounded already, and the events take
 * less memory than its text); a pipe or a device is read whole first, bounded. */
int tload_fd(const char *path, int fd, tload_trace *t, char *err, size_t errlen) {
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        size_t len;
        char *buf = infile_slurp(fd, path, INFILE_TRACE, &len, err, errlen);
        close(fd);
        int r = buf ? tload_buffer(path, buf, len, t, err, errlen) : (trace_init(t, path), tload_free(t), -1);
        free(buf);
        return r;
    }
    FILE *f = fdopen(fd, "r");
    if (!f) {
        snprintf(err, errlen, "%s: cannot read the file: %s", path, strerror(errno));
        close(fd);
        trace_init(t, path);
        tload_free(t);
        return -1;
    }
    int r = tload_stream(path, f, t, err, errlen);
    fclose(f);
    return r;
}

int tload_buffer(const char *name, const char *buf, size_t len, tload_trace *t, char *err,
                 size_t errlen) {
    trace_init(t, name);
    loader L = {.t = t, .name = name, .err = err, .errlen = errlen};
    input in = {.data = buf, .len = len, .eof = 1, .line = 1};
    return run(&L, &in);
}

void tload_free(tload_trace *t) {
    free(t->text);
    free(t->str_at);
    free(t->hash);
    free(t->ev);
    free(t->threads);
    free(t->source);
    free(t->quiz);
    free(t->src_line);
    free(t->woken);
    free(t->binds);
    free(t->lines);
    free(t->mem);
    char path[sizeof t->path]; /* kept: messages about the file may still name it */
    memcpy(path, t->path, sizeof path);
    memset(t, 0, sizeof *t);
    memcpy(t->path, path, sizeof path);
}

const char *tload_thread_name(const tload_trace *t, int32_t tid, char *buf, size_t len) {
    for (size_t i = 0; i < t->nthreads; i++)
        if (t->threads[i].tid == tid && t->threads[i].name) return tload_str(t, t->threads[i].name);
    if (tid == TRACE_TID_OS) snprintf(buf, len, "%s", TRACE_OS_LANE_NAME);
    else snprintf(buf, len, "thread %d", tid);
    return buf;
}

size_t tload_bytes(const tload_trace *t) {
    size_t b = t->cap * sizeof *t->ev + t->capstrs * sizeof *t->str_at + t->hashcap * sizeof *t->hash + t->captext;
    if (t->src_line) b += TLOAD_SRC_PER * t->cap * sizeof *t->src_line;
    b += t->capwoken * sizeof *t->woken + t->capbinds * sizeof *t->binds + t->caplines * sizeof *t->lines;
    b += t->nsource * sizeof *t->source + t->capmem * sizeof *t->mem;
    return b;
}
