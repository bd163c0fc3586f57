/* tload: the trace loader. See tload.h for the contract.
 *
 * Shape of the work: the file is read line by line (getline); each line holds one event
 * object (docs/trace-format.md). A tiny scanner walks the object once, dispatching on the
 * keys it knows and skipping the rest, so loading is one pass with no JSON tree. */
#include "viz/tload.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/infile.h"

/* ---- interned strings ------------------------------------------------------------ */

static uint32_t str_hash(const char *s, size_t n) {
    uint32_t h = 2166136261u; /* FNV-1a: short strings, good enough spread */
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static int strs_grow_hash(tload_trace *t) {
    size_t cap = t->hashcap ? t->hashcap * 2 : 1024;
    uint32_t *h = calloc(cap, sizeof *h);
    if (!h) return -1;
    for (size_t i = 1; i < t->nstrs; i++) {
        size_t j = str_hash(t->strs[i], strlen(t->strs[i])) & (cap - 1);
        while (h[j]) j = (j + 1) & (cap - 1);
        h[j] = (uint32_t)i;
    }
    free(t->hash);
    t->hash = h;
    t->hashcap = cap;
    return 0;
}

/* Returns the id of s[0..n) (adding it when new), or 0 on out-of-memory. */
static uint32_t strs_intern(tload_trace *t, const char *s, size_t n) {
    if (n == 0) return 0;
    if ((t->nstrs + 1) * 2 > t->hashcap && strs_grow_hash(t)) return 0;
    size_t j = str_hash(s, n) & (t->hashcap - 1);
    for (; t->hash[j]; j = (j + 1) & (t->hashcap - 1)) {
        const char *c = t->strs[t->hash[j]];
        if (strncmp(c, s, n) == 0 && c[n] == '\0') return t->hash[j];
    }
    if (t->nstrs == t->capstrs) {
        size_t cap = t->capstrs * 2;
        char **p = realloc(t->strs, cap * sizeof *p);
        if (!p) return 0;
        t->strs = p;
        t->capstrs = cap;
    }
    char *copy = malloc(n + 1);
    if (!copy) return 0;
    memcpy(copy, s, n);
    copy[n] = '\0';
    t->strs[t->nstrs] = copy;
    t->hash[j] = (uint32_t)t->nstrs;
    return (uint32_t)t->nstrs++;
}

const char *tload_str(const tload_trace *t, uint32_t s) {
    return (s && s < t->nstrs) ? t->strs[s] : "";
}

/* ---- the scanner ------------------------------------------------------------------ */

typedef enum { JV_NONE, JV_STR, JV_NUM, JV_TRUE, JV_FALSE, JV_NULL, JV_OTHER } jv_type;

typedef struct scan scan;
typedef int (*nested_fn)(void *ctx, scan *s, const char *key);

struct scan {
    const char *p, *end;
    char buf[1024]; /* the last string value, decoded (longer strings are cut) */
    size_t blen;
    int64_t ns;     /* the last number, times 1000 (µs -> ns), exact for 3 decimals */
    double num;     /* the last number as a double */
    const char *raw, *raw_end; /* the span of the last value */
    const char *want; /* what the scanner expected when it failed */
    nested_fn nested; /* optional: reads an object-valued member in place (see sc_object) */
};

static void sc_ws(scan *s) {
    while (s->p < s->end && isspace((unsigned char)*s->p)) s->p++;
}

static int sc_fail(scan *s, const char *want) {
    if (!s->want) s->want = want;
    return -1;
}

static void put_utf8(scan *s, unsigned cp) {
    char tmp[4];
    size_t n;
    if (cp < 0x80) { tmp[0] = (char)cp; n = 1; }
    else if (cp < 0x800) { tmp[0] = (char)(0xC0 | cp >> 6); tmp[1] = (char)(0x80 | (cp & 63)); n = 2; }
    else { tmp[0] = (char)(0xE0 | cp >> 12); tmp[1] = (char)(0x80 | ((cp >> 6) & 63));
           tmp[2] = (char)(0x80 | (cp & 63)); n = 3; }
    if (s->blen + n < sizeof s->buf) { memcpy(s->buf + s->blen, tmp, n); s->blen += n; }
}

static int sc_escape(scan *s) {
    char c = *s->p++;
    const char *map = "\"\"\\\\//b\bf\fn\nr\rt\t";
    for (const char *m = map; *m; m += 2)
        if (*m == c) { if (s->blen + 1 < sizeof s->buf) s->buf[s->blen++] = m[1]; return 0; }
    if (c != 'u' || s->end - s->p < 4) return sc_fail(s, "a valid string escape");
    unsigned cp = 0;
    for (int i = 0; i < 4; i++) {
        int d = *s->p++;
        cp = cp * 16 + (unsigned)(isdigit(d) ? d - '0' : (tolower(d) - 'a' + 10));
    }
    put_utf8(s, cp); /* surrogate pairs are not produced by pinata; kept as is */
    return 0;
}

/* Decodes a string at s->p into s->buf. */
static int sc_string(scan *s) {
    if (s->p >= s->end || *s->p != '"') return sc_fail(s, "a string");
    s->p++;
    s->blen = 0;
    while (s->p < s->end && *s->p != '"') {
        if (*s->p == '\\') {
            s->p++;
            if (s->p >= s->end || sc_escape(s)) return sc_fail(s, "a complete string");
            continue;
        }
        if (s->blen + 1 < sizeof s->buf) s->buf[s->blen++] = *s->p;
        s->p++;
    }
    if (s->p >= s->end) return sc_fail(s, "a closing '\"'");
    s->p++;
    s->buf[s->blen] = '\0';
    return 0;
}

/* Parses a JSON number; also computes it in thousandths exactly (µs -> ns). */
static int sc_number(scan *s) {
    const char *start = s->p;
    int neg = 0;
    int64_t ip = 0, frac = 0;
    int fd = 0;
    if (s->p < s->end && *s->p == '-') { neg = 1; s->p++; }
    if (s->p >= s->end || !isdigit((unsigned char)*s->p)) return sc_fail(s, "a number");
    while (s->p < s->end && isdigit((unsigned char)*s->p)) ip = ip * 10 + (*s->p++ - '0');
    if (s->p < s->end && *s->p == '.') {
        s->p++;
        while (s->p < s->end && isdigit((unsigned char)*s->p)) {
            if (fd < 3) { frac = frac * 10 + (*s->p - '0'); fd++; }
            s->p++;
        }
    }
    while (fd < 3) { frac *= 10; fd++; }
    int has_exp = s->p < s->end && (*s->p == 'e' || *s->p == 'E');
    if (has_exp) {
        s->p++;
        if (s->p < s->end && (*s->p == '+' || *s->p == '-')) s->p++;
        while (s->p < s->end && isdigit((unsigned char)*s->p)) s->p++;
    }
    s->ns = (neg ? -1 : 1) * (ip * 1000 + frac);
    s->num = (double)s->ns / 1000.0;
    if (has_exp) { /* rare: fall back to strtod */
        char tmp[64];
        size_t n = (size_t)(s->p - start) < sizeof tmp - 1 ? (size_t)(s->p - start) : sizeof tmp - 1;
        memcpy(tmp, start, n);
        tmp[n] = '\0';
        s->num = strtod(tmp, NULL);
        s->ns = (int64_t)(s->num * 1000.0);
    }
    return 0;
}

static int sc_lit(scan *s, const char *lit) {
    size_t n = strlen(lit);
    if ((size_t)(s->end - s->p) < n || memcmp(s->p, lit, n) != 0) return sc_fail(s, "a JSON value");
    s->p += n;
    return 0;
}

static int sc_skip_compound(scan *s);

/* Reads one value; strings land in s->buf, numbers in s->ns / s->num. */
static jv_type sc_value(scan *s) {
    sc_ws(s);
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

/* Walks the members of an object; calls fn(ctx, key, type) after each value is read.
 * When nested is set and a member's value is an object, nested(ctx, s, key) may read
 * it in place (returning 1), which saves skipping it and scanning it again. */
typedef int (*member_fn)(void *ctx, scan *s, const char *key, jv_type ty);

static int sc_object(scan *s, member_fn fn, void *ctx) {
    char key[32];
    sc_ws(s);
    if (s->p >= s->end || *s->p != '{') return sc_fail(s, "'{' starting an event object");
    s->p++;
    sc_ws(s);
    if (s->p < s->end && *s->p == '}') { s->p++; return 0; }
    for (;;) {
        sc_ws(s);
        if (sc_string(s)) return sc_fail(s, "a member name");
        size_t kl = s->blen < sizeof key - 1 ? s->blen : sizeof key - 1;
        memcpy(key, s->buf, kl);
        key[kl] = '\0';
        sc_ws(s);
        if (s->p >= s->end || *s->p != ':') return sc_fail(s, "':' after a member name");
        s->p++;
        sc_ws(s);
        if (s->nested && s->p < s->end && *s->p == '{') {
            int r = s->nested(ctx, s, key);
            if (r < 0) return -1;
            if (r > 0) goto next;
        }
        jv_type ty = sc_value(s);
        if (ty == JV_NONE || fn(ctx, s, key, ty)) return -1;
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
    tload_mem mem;               /* a "C" memory event's counters */
} ev_ctx;

static int32_t as_int(scan *s, jv_type ty) {
    return ty == JV_NUM ? (int32_t)(s->ns / 1000) : -1;
}

static uint32_t as_str(ev_ctx *c, scan *s, jv_type ty) {
    if (ty == JV_STR) return strs_intern(c->t, s->buf, s->blen);
    if (ty == JV_NUM || ty == JV_TRUE || ty == JV_FALSE || ty == JV_OTHER)
        return strs_intern(c->t, s->raw, (size_t)(s->raw_end - s->raw));
    return 0;
}

/* "source": an array of strings, the scenario's Rust lines, interned in order. */
static int meta_source(ev_ctx *c, scan *s, jv_type ty) {
    static const char *const want = "an array of strings for \"source\"";
    tload_trace *t = c->t;
    if (ty != JV_OTHER || *s->raw != '[') return sc_fail(s, want);
    scan sub = {.p = s->raw + 1, .end = s->raw_end - 1};
    size_t cap = 0;
    free(t->source);
    t->source = NULL;
    t->nsource = 0;
    for (;;) {
        sc_ws(&sub);
        if (sub.p >= sub.end) break;
        if (sc_string(&sub)) return sc_fail(s, want);
        if (t->nsource == cap) {
            cap = cap ? cap * 2 : 64;
            uint32_t *p = realloc(t->source, cap * sizeof *p);
            if (!p) return sc_fail(s, "memory for \"source\"");
            t->source = p;
        }
        t->source[t->nsource++] = strs_intern(t, sub.buf, sub.blen);
        sc_ws(&sub);
        if (sub.p < sub.end && *sub.p == ',') { sub.p++; continue; }
        if (sub.p < sub.end) return sc_fail(s, want);
    }
    if (!t->nsource) { free(t->source); t->source = NULL; }
    return 0;
}

/* args of the first M event: the run itself. */
static int meta_arg(ev_ctx *c, scan *s, const char *k, jv_type ty) {
    tload_trace *t = c->t;
    if (!strcmp(k, "source")) return meta_source(c, s, ty);
    if (!strcmp(k, "schema")) c->schema = as_int(s, ty);
    else if (!strcmp(k, "scenario")) t->scenario = as_str(c, s, ty);
    else if (!strcmp(k, "seed") && ty == JV_NUM) t->seed = (uint64_t)s->num;
    else if (!strcmp(k, "title")) t->title = as_str(c, s, ty);
    else if (!strcmp(k, "description")) t->description = as_str(c, s, ty);
    else if (!strcmp(k, "title_ko")) t->title_ko = as_str(c, s, ty);
    else if (!strcmp(k, "description_ko")) t->description_ko = as_str(c, s, ty);
    else if (!strcmp(k, "poll_cost_us") && ty == JV_NUM) t->poll_cost_us = s->num;
    else if (!strcmp(k, "syscall_cost_us") && ty == JV_NUM) t->syscall_cost_us = s->num;
    else if (!strcmp(k, "name")) c->meta_name = as_str(c, s, ty);
    else if (!strcmp(k, "sort_index")) c->meta_sort = as_int(s, ty);
    return 0;
}

/* Member names the loader knows, looked up once per member by hash instead of a chain
 * of strcmp (the loader's hottest path on large traces). */
typedef enum key_id {
    K_NONE, K_TASK, K_FUTURE, K_PARENT, K_PARENT_TASK, K_RESULT, K_POLL, K_BYTES, K_POLLS,
    K_WAKERS, K_FD, K_TO, K_FROM, K_BY, K_CALL, K_UNTIL, K_FUTURE_NAME, K_ON, K_TASKS, K_NAME,
    K_HOST, K_DETAIL, K_AT, K_RET, K_HOW, K_QUEUED, K_PH, K_CAT, K_TS, K_DUR, K_TID, K_BIND_ID,
    K_FLOW_IN, K_FLOW_OUT, K_ARGS, K_ERR, K_VALUE, K_KEY, K_OP, K_TEXT, K_MS, K_WHY, K_THREAD,
    K_CLIENT, K_LINE, K_FROM_LINE, K_LEAF, K_ERROR, K_AFTER_READY, K_TEXT_KO, K_COUNT
} key_id;

static const char *const KEY_NAMES[K_COUNT] = {
    "", "task", "future", "parent", "parent_task", "result", "poll", "bytes", "polls", "wakers", "fd",
    "to", "from", "by", "call", "until", "future_name", "on", "tasks", "name", "host", "detail", "at",
    "ret", "how", "queued", "ph", "cat", "ts", "dur", "tid", "bind_id", "flow_in", "flow_out", "args",
    "err", "value", "key", "op", "text", "ms", "why", "thread", "client", "line", "from_line", "leaf", "error", "after_ready", "text_ko"};

enum { KEY_SLOTS = 256 };

static key_id key_of(const char *k) {
    static uint8_t slot[KEY_SLOTS]; /* 0 = empty, else key_id; filled on first use */
    static int ready;
    if (!ready) {
        for (int id = 1; id < K_COUNT; id++) {
            size_t j = str_hash(KEY_NAMES[id], strlen(KEY_NAMES[id])) & (KEY_SLOTS - 1);
            while (slot[j]) j = (j + 1) & (KEY_SLOTS - 1);
            slot[j] = (uint8_t)id;
        }
        ready = 1;
    }
    for (size_t j = str_hash(k, strlen(k)) & (KEY_SLOTS - 1); slot[j]; j = (j + 1) & (KEY_SLOTS - 1))
        if (!strcmp(KEY_NAMES[slot[j]], k)) return (key_id)slot[j];
    return K_NONE;
}

static void poll_result(tload_event *e, scan *s, jv_type ty) {
    if (ty == JV_STR && !strcmp(s->buf, "Pending")) e->result = TLOAD_RES_PENDING;
    else if (ty == JV_STR && !strcmp(s->buf, "Ready")) e->result = TLOAD_RES_READY;
}

/* The args keys, stored by meaning into the compact slots (see tload_event); the kind
 * is known here because args are read after "ph", "cat" and "name". */
static int event_arg(ev_ctx *c, scan *s, const char *k, jv_type ty) {
    tload_event *e = &c->ev;
    int kind = e->kind;
    switch (key_of(k)) {
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
        if (ty != JV_NUM || s->ns < 1000) return sc_fail(s, "a line number (1, 2, ...) for \"line\"");
        c->src_line = s->ns / 1000 > INT32_MAX ? INT32_MAX : (int32_t)(s->ns / 1000);
        break;
    case K_FROM_LINE:
        if (ty == JV_NULL) break;
        if (ty != JV_NUM || s->ns < 1000) return sc_fail(s, "a line number (1, 2, ...) for \"from_line\"");
        c->src_from = s->ns / 1000 > INT32_MAX ? INT32_MAX : (int32_t)(s->ns / 1000);
        break;
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
    default: break;
    }
    return 0;
}

/* A memory counter's args: integers, read whole (stacks pass 2^31 bytes at S10 scale). */
static int mem_arg(ev_ctx *c, scan *s, const char *k, jv_type ty) {
    if (ty != JV_NUM) return 0;
    int64_t v = (int64_t)s->num;
    if (!strcmp(k, "tasks")) c->mem.tasks = v;
    else if (!strcmp(k, "task_bytes")) c->mem.task_bytes = v;
    else if (!strcmp(k, "threads")) c->mem.threads = v;
    else if (!strcmp(k, "stack_used_bytes")) c->mem.stack_used = v;
    else if (!strcmp(k, "stack_reserved_bytes")) c->mem.stack_reserved = v;
    return 0;
}

static int args_member(void *ctx, scan *s, const char *k, jv_type ty) {
    ev_ctx *c = ctx;
    if (c->ev.ph == 'C') return mem_arg(c, s, k, ty);
    return c->ev.ph == 'M' ? meta_arg(c, s, k, ty) : event_arg(c, s, k, ty);
}

static void copy_name(char *dst, size_t cap, const scan *s) {
    size_t n = s->blen < cap - 1 ? s->blen : cap - 1;
    memcpy(dst, s->buf, n);
    dst[n] = '\0';
}

static int top_member(void *ctx, scan *s, const char *k, jv_type ty) {
    ev_ctx *c = ctx;
    tload_event *e = &c->ev;
    switch (key_of(k)) {
    case K_PH: if (ty == JV_STR) { e->ph = (uint8_t)s->buf[0]; c->has |= HAS_PH; } break;
    case K_NAME:
        if (ty != JV_STR) break;
        copy_name(c->name, sizeof c->name, s);
        e->name = strs_intern(c->t, s->buf, s->blen);
        c->has |= HAS_NAME;
        break;
    case K_CAT: if (ty == JV_STR) { copy_name(c->cat, sizeof c->cat, s); c->has_cat = 1; } break;
    case K_TS: if (ty == JV_NUM) { e->ts = s->ns; c->has |= HAS_TS; } break;
    case K_DUR: if (ty == JV_NUM) { e->dur = s->ns; c->has |= HAS_DUR; } break;
    case K_TID: if (ty == JV_NUM) { e->tid = as_int(s, ty); c->has |= HAS_TID; } break;
    case K_BIND_ID: if (ty == JV_NUM) e->bind_id = as_int(s, ty); break;
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

static tload_kind classify(const char *ph, const char *cat, const char *name) {
    static const struct { char ph; const char *cat, *name; tload_kind k; } table[] = {
        {'X', "executor", NULL, TLOAD_EXECUTOR}, {'X', "poll", NULL, TLOAD_POLL},
        {'X', "wake", NULL, TLOAD_WAKE},         {'X', "park", NULL, TLOAD_PARK},
        {'X', "syscall", NULL, TLOAD_SYSCALL},   {'X', "call", NULL, TLOAD_POLL},
        {'X', "blocked", NULL, TLOAD_BLOCKED},   {'X', "compute", NULL, TLOAD_COMPUTE},
        {'i', "local", NULL, TLOAD_LOCAL},       {'i', "note", NULL, TLOAD_NOTE},
        {'i', "thread", "exit", TLOAD_THREAD_EXIT}, {'i', "task", "spawn", TLOAD_SPAWN},
        {'i', "task", "finish", TLOAD_FINISH},   {'i', "future", NULL, TLOAD_CREATE},
        {'i', "waker", NULL, TLOAD_WAKER},       {'i', "net", NULL, TLOAD_NET},
        {'i', "clock", NULL, TLOAD_CLOCK},       {'i', "lint", NULL, TLOAD_LINT},
        {'i', "run", "deadlock", TLOAD_DEADLOCK}, {'i', "run", "end", TLOAD_END},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (table[i].ph == ph[0] && !strcmp(table[i].cat, cat) &&
            (!table[i].name || !strcmp(table[i].name, name)))
            return table[i].k;
    return TLOAD_OTHER;
}

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
    int lineno;
    int seen_open, seen_close, seen_meta;
    int bad_line;        /* first line that failed to scan (0: none) */
    char bad_msg[160];
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

/* src_line (only with a source) keeps twice the capacity of ev: (line, from_line) per event. */
static int push_event(tload_trace *t, const tload_event *e, int32_t src_line, int32_t src_from) {
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 4096;
        if (t->source) {
            int32_t *q = realloc(t->src_line, 2 * cap * sizeof *q);
            if (!q) return -1;
            t->src_line = q;
        }
        tload_event *p = realloc(t->ev, cap * sizeof *p);
        if (!p) return -1;
        t->ev = p;
        t->cap = cap;
    }
    if (t->src_line) {
        t->src_line[2 * t->n] = src_line;
        t->src_line[2 * t->n + 1] = src_from;
    }
    t->ev[t->n++] = *e;
    return 0;
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
    if (!strcmp(c->name, "thread_name")) t->threads[i].name = c->meta_name;
    if (!strcmp(c->name, "thread_sort_index") && c->meta_sort >= 0) t->threads[i].sort = c->meta_sort;
}

/* A scanned M event: the run header (must come first) or a thread name. */
static int take_meta(loader *L, ev_ctx *c) {
    tload_trace *t = L->t;
    if (!strcmp(c->name, "pinata")) {
        if (c->schema != 1)
            return fail(L, L->lineno, "expected schema 1 in the \"pinata\" event, got %d "
                        "(this viewer reads schema 1 only)", c->schema);
        t->schema = c->schema;
        L->seen_meta = 1;
        return 0;
    }
    if (!L->seen_meta) return fail(L, L->lineno, "expected the \"pinata\" M event first");
    if (!strcmp(c->name, "thread_name") || !strcmp(c->name, "thread_sort_index")) meta_thread(t, c);
    return 0;
}

static int take_event(loader *L, ev_ctx *c) {
    if (!L->seen_meta && L->bad_line) /* the header itself was broken: say how */
        return fail(L, L->bad_line, "%s", L->bad_msg);
    if (!L->seen_meta)
        return fail(L, L->lineno, "expected the \"pinata\" M event first (is this a pinata trace?)");
    const char *miss = missing_field(c);
    if (miss) return fail(L, L->lineno, "expected %s", miss);
    c->ev.line = L->lineno;
    return push_event(L->t, &c->ev, c->src_line, c->src_from) ? fail(L, L->lineno, "out of memory") : 0;
}

/* A "C" event: the memory counters are kept apart from the events (they are no step);
 * other counters are for Perfetto. */
static int take_counter(loader *L, ev_ctx *c) {
    tload_trace *t = L->t;
    if (strcmp(c->name, "memory") || !(c->has & HAS_TS)) return 0;
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
static int args_in_place(void *ctx, scan *s, const char *key) {
    ev_ctx *c = ctx;
    if (strcmp(key, "args") || !(c->has & HAS_PH) || !(c->has & HAS_NAME) || (!c->has_cat && c->ev.ph != 'M'))
        return 0;
    char ph[2] = {(char)c->ev.ph, 0};
    c->ev.kind = (uint8_t)classify(ph, c->cat, c->name);
    if (!strcmp(c->cat, "call")) c->ev.flags |= TLOAD_F_SYNC;
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
    char ph[2] = {(char)c->ev.ph, 0};
    c->ev.kind = (uint8_t)classify(ph, c->cat, c->name);
    if (!strcmp(c->cat, "call")) c->ev.flags |= TLOAD_F_SYNC;
    if (!c->args || c->args_done) return 0;
    scan sub = {.p = c->args, .end = c->args_end};
    if (sc_object(&sub, args_member, c)) { s->want = sub.want; return -1; }
    return 0;
}

static int parse_line(loader *L, const char *line, size_t len) {
    scan s = {.p = line, .end = line + len};
    sc_ws(&s);
    if (!L->seen_open) {
        if (s.p >= s.end) return 0;
        if (*s.p != '[')
            return fail(L, L->lineno, "expected '[' (a pinata trace is a JSON array, one event per line)");
        L->seen_open = 1;
        s.p++;
        sc_ws(&s);
    }
    if (s.p >= s.end) return 0;
    if (*s.p == ']') { L->seen_close = 1; return 0; }
    if (L->seen_close) return fail(L, L->lineno, "expected nothing after the closing ']'");
    ev_ctx c = {.t = L->t, .schema = -1, .meta_sort = -1};
    c.ev.task = c.ev.future = c.ev.parent = -1;
    s.nested = args_in_place;
    int bad = sc_object(&s, top_member, &c);
    s.nested = NULL;
    if (bad || scan_args(&c, &s)) {
        if (!L->bad_line) {
            L->bad_line = L->lineno;
            snprintf(L->bad_msg, sizeof L->bad_msg, "expected %s", s.want ? s.want : "a JSON object");
        }
        return 1; /* decided by the caller: truncation at the end, or an error */
    }
    sc_ws(&s);
    if (s.p < s.end && *s.p == ',') s.p++;
    sc_ws(&s);
    if (s.p < s.end && *s.p == ']') { L->seen_close = 1; s.p++; }
    if (c.ev.ph == 'M') return take_meta(L, &c);
    if (c.ev.ph == 'C') return take_counter(L, &c);
    return take_event(L, &c);
}

static void trace_init(tload_trace *t, const char *name) {
    memset(t, 0, sizeof *t);
    t->capstrs = 256;
    t->strs = malloc(t->capstrs * sizeof *t->strs);
    t->strs[0] = calloc(1, 1);
    t->nstrs = 1;
    snprintf(t->path, sizeof t->path, "%s", name);
}

/* After the last line: decide between complete, truncated (warning) and broken (error). */
static int finish(loader *L, int last_nonempty) {
    tload_trace *t = L->t;
    if (!L->seen_open) return fail(L, 1, "expected '[' (the file is empty)");
    if (!L->seen_meta) return fail(L, L->lineno, "expected the \"pinata\" M event first");
    if (L->bad_line && L->bad_line != last_nonempty)
        return fail(L, L->bad_line, "%s", L->bad_msg);
    if (L->bad_line || !L->seen_close) {
        t->truncated = 1;
        warn(t, "%s:%d: warning: the trace is truncated (no closing ']', e.g. a crashed run); "
             "showing the %zu events before it", L->name, last_nonempty, t->n);
    }
    return 0;
}

typedef int (*line_src)(void *src, const char **line, size_t *len);

static int load(loader *L, line_src next, void *src) {
    const char *line;
    size_t len;
    int last_nonempty = 0;
    while (next(src, &line, &len) == 0) {
        L->lineno++;
        size_t i = 0;
        while (i < len && isspace((unsigned char)line[i])) i++;
        if (i < len) last_nonempty = L->lineno;
        int r = parse_line(L, line, len);
        if (r < 0) return -1;
        if (r > 0 && L->bad_line != L->lineno) return -1;
    }
    return finish(L, last_nonempty);
}

typedef struct file_src { FILE *f; char *buf; size_t cap; } file_src;

static int file_next(void *p, const char **line, size_t *len) {
    file_src *fs = p;
    ssize_t n = getline(&fs->buf, &fs->cap, fs->f);
    if (n < 0) return -1;
    *line = fs->buf;
    *len = (size_t)n;
    return 0;
}

typedef struct buf_src { const char *p, *end; } buf_src;

static int buf_next(void *p, const char **line, size_t *len) {
    buf_src *bs = p;
    if (bs->p >= bs->end) return -1;
    const char *nl = memchr(bs->p, '\n', (size_t)(bs->end - bs->p));
    const char *stop = nl ? nl : bs->end;
    *line = bs->p;
    *len = (size_t)(stop - bs->p);
    bs->p = nl ? nl + 1 : bs->end;
    return 0;
}

/* Gives back the slack of the doubling growth: the arrays live as long as the viewer. */
static void shrink(tload_trace *t) {
    if (t->n && t->n < t->cap) {
        tload_event *p = realloc(t->ev, t->n * sizeof *p);
        if (p) { t->ev = p; t->cap = t->n; }
        if (p && t->src_line) {
            int32_t *q = realloc(t->src_line, 2 * t->n * sizeof *q);
            if (q) t->src_line = q;
        }
    }
}

static int done(loader *L, int r) {
    if (!r) shrink(L->t);
    if (r) {
        if (!L->err[0]) fail(L, L->bad_line ? L->bad_line : L->lineno, "%s", L->bad_msg);
        tload_free(L->t);
        return -1;
    }
    return 0;
}

int tload_file(const char *path, tload_trace *t, char *err, size_t errlen) {
    int fd = infile_open(path, INFILE_TRACE, NULL, err, errlen); /* once, bounded: sim/infile.h */
    if (fd < 0) {
        trace_init(t, path);
        tload_free(t);
        return -1;
    }
    return tload_fd(path, fd, t, err, errlen);
}

/* A plain file is streamed line by line (its size is bounded already, and the events take
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
    trace_init(t, path);
    loader L = {.t = t, .name = path, .err = err, .errlen = errlen};
    err[0] = '\0';
    file_src fs = {.f = fdopen(fd, "r")};
    if (!fs.f) {
        snprintf(err, errlen, "%s: cannot read the file: %s", path, strerror(errno));
        close(fd);
        tload_free(t);
        return -1;
    }
    int r = load(&L, file_next, &fs);
    free(fs.buf);
    fclose(fs.f);
    return done(&L, r);
}

int tload_buffer(const char *name, const char *buf, size_t len, tload_trace *t, char *err,
                 size_t errlen) {
    trace_init(t, name);
    loader L = {.t = t, .name = name, .err = err, .errlen = errlen};
    err[0] = '\0';
    buf_src bs = {.p = buf, .end = buf + len};
    return done(&L, load(&L, buf_next, &bs));
}

void tload_free(tload_trace *t) {
    for (size_t i = 0; i < t->nstrs; i++) free(t->strs[i]);
    free(t->strs);
    free(t->hash);
    free(t->ev);
    free(t->threads);
    free(t->source);
    free(t->src_line);
    free(t->mem);
    char path[sizeof t->path]; /* kept: messages about the file may still name it */
    memcpy(path, t->path, sizeof path);
    memset(t, 0, sizeof *t);
    memcpy(t->path, path, sizeof path);
}

const char *tload_thread_name(const tload_trace *t, int32_t tid, char *buf, size_t len) {
    for (size_t i = 0; i < t->nthreads; i++)
        if (t->threads[i].tid == tid && t->threads[i].name) return tload_str(t, t->threads[i].name);
    if (tid == 1000) snprintf(buf, len, "OS: network & timers");
    else snprintf(buf, len, "thread %d", tid);
    return buf;
}

size_t tload_bytes(const tload_trace *t) {
    size_t b = t->cap * sizeof *t->ev + t->capstrs * sizeof *t->strs + t->hashcap * sizeof *t->hash;
    if (t->src_line) b += 2 * t->cap * sizeof *t->src_line;
    b += t->nsource * sizeof *t->source + t->capmem * sizeof *t->mem;
    for (size_t i = 0; i < t->nstrs; i++) b += strlen(t->strs[i]) + 1 + 16; /* + malloc overhead */
    return b;
}
