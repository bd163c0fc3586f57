#include "sim/scenario.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/strhash.h"

#include "trace/infile.h"
#include "sim/rsfront.h"

const char *const scenario_leaf_names[LEAF_COUNT + 1] = {
    "connect", "write_all", "read_to_string", "read", "sleep", "yield_now",
    "accept", "lock", "join", "join_all", "drop_waker", NULL,
};

#define PATH_MAX_LEN 256
#define WALK_BUDGET 20000 /* steps the value check visits at least (more for a larger file) */
#define WALK_PER_VALUE 16 /* and this many more per JSON value of the file */
#define MAX_LOCALS 64

/* The ranges of docs/scenario-format.md. Every duration is at most 1e15 ns, so that sums of
 * them stay far from overflow (exec_time_add saturates at EXEC_TIME_END, 4e18 ns). */
#define MAX_MS SCN_MAX_MS
#define MAX_US 1e12             /* a cost in us: the same 1e15 ns */
#define MAX_BYTES 1e12          /* bytes of one write_all or read */
#define MAX_CHUNK_BYTES 1048576 /* bytes of a response chunk: read_to_string reads 512 per read() */
#define MAX_COUNT SCN_MAX_COUNT
#define MAX_SEED 9007199254740991.0 /* 2^53 - 1: every seed a JSON number holds exactly */

/* The loader's state. Only the first error is kept: it is the one to fix first. */
typedef struct ld {
    scenario *s;
    char *err;
    size_t errlen;
    int failed;
    const cJSON *params;  /* the document's "params", overrides applied */
    net_t *hosts;         /* the known hosts, for the value check */
    long budget;          /* steps the value check may still visit */
    int sync;             /* the function being walked runs on a synchronous thread */
    long nvalues;         /* JSON values in the document */
    int rs;               /* the steps were lowered from the Rust program: places are its lines */
} ld;

/* The scope of a function body being parsed: visible names map to slots. */
typedef struct scope {
    scn_fn *fn;
    int visible[MAX_LOCALS]; /* slots, innermost last */
    int nvisible;
    const char *fpath;       /* "functions.NAME" */
} scope;

/* In a message about steps lowered from Rust, a JSON path of a step ("functions.f.body[0].host")
 * is said as the place in the source ("line 2, column 13"). */
static void rs_places(ld *L, char *msg, size_t cap) {
    char out[384], path[256];
    size_t n = 0;
    for (const char *p = msg; *p && n + 1 < sizeof out;) {
        int line = 0, col = 0;
        size_t k = strncmp(p, "functions.", 10) ? 0 : strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.[]");
        if (k && k < sizeof path) {
            snprintf(path, sizeof path, "%.*s", (int)k, p);
            rsfront_place(L->s->doc, path, &line, &col);
        }
        if (line) {
            n += (size_t)snprintf(out + n, sizeof out - n, "line %d, column %d", line, col);
            p += k;
        } else out[n++] = *p++;
        if (n >= sizeof out) n = sizeof out - 1;
    }
    out[n] = 0;
    snprintf(msg, cap, "%s", out);
}

static int fail(ld *L, const char *path, const char *fmt, ...) {
    if (L->failed++) return -1;
    char msg[384];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int line = 0, col = 0;
    if (L->rs) rs_places(L, msg, sizeof msg);
    if (L->rs && path && !strncmp(path, "functions.", 10)) rsfront_place(L->s->doc, path, &line, &col);
    if (line) { /* a step lowered from Rust: the place is its line and column */
        char prefix[PATH_MAX_LEN + 16];
        snprintf(L->err, L->errlen, "%s:%d:%d: %s", rsfront_prefix(L->s->path, prefix, sizeof prefix), line, col, msg);
        return -1;
    }
    snprintf(L->err, L->errlen, "%s: %s: %s", L->s->path, path && *path ? path : "(top level)", msg);
    return -1;
}

/* Paths longer than PATH_MAX_LEN are cut: the message stays one readable line. (The
 * return value is tested so that the compiler knows the cut is meant.) */
static void path_key(char *out, const char *base, const char *key) {
    if (snprintf(out, PATH_MAX_LEN, "%s%s%s", base, *base ? "." : "", key) < 0) out[0] = 0;
}

static void path_idx(char *out, const char *base, int i) {
    if (snprintf(out, PATH_MAX_LEN, "%s[%d]", base, i) < 0) out[0] = 0;
}

/* "a, b, c" of a NULL-terminated list, for "expected one of" messages. */
static void join_names(char *out, size_t cap, const char *const *names) {
    size_t n = 0;
    out[0] = 0;
    for (int i = 0; names[i] && n + 2 < cap; i++)
        n += (size_t)snprintf(out + n, cap - n, "%s%s", i ? ", " : "", names[i]);
}

/* ---------- typed fields ---------- */

static const char *type_name(const cJSON *v) {
    if (cJSON_IsString(v)) return "a string";
    if (cJSON_IsNumber(v)) return "a number";
    if (cJSON_IsBool(v)) return "a boolean";
    if (cJSON_IsArray(v)) return "an array";
    if (cJSON_IsObject(v)) return "an object";
    return "null";
}

/* A "$name" string in a field that takes a number or text: a scenario parameter. */
static const cJSON *global(ld *L, const cJSON *v) {
    if (!cJSON_IsString(v) || v->valuestring[0] != '$') return v;
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(L->params, v->valuestring + 1);
    return p ? p : v;
}

static int check_keys(ld *L, const cJSON *obj, const char *path, const char *const *allowed) {
    for (const cJSON *c = obj->child; c; c = c->next) {
        int ok = 0;
        for (int i = 0; allowed[i] && !ok; i++) ok = strcmp(c->string, allowed[i]) == 0;
        if (ok) continue;
        char p[PATH_MAX_LEN], names[512];
        path_key(p, path, c->string);
        join_names(names, sizeof names, allowed);
        return fail(L, p, "unknown field: expected one of %s", names);
    }
    return 0;
}

static int get_str(ld *L, const cJSON *obj, const char *path, const char *key, int required,
                   const char **out) {
    char p[PATH_MAX_LEN];
    const cJSON *v = global(L, cJSON_GetObjectItemCaseSensitive(obj, key));
    path_key(p, path, key);
    if (!v) return required ? fail(L, p, "missing: expected a string") : 0;
    if (!cJSON_IsString(v)) return fail(L, p, "expected a string, got %s", type_name(v));
    *out = v->valuestring;
    return 0;
}

/* A number as written: exact for integers and for what a double holds (never 1e+07 for 10000000.5). */
static const char *num_text(double d, char *buf, size_t cap) {
    snprintf(buf, cap, "%.15g", d);
    if (strtod(buf, NULL) != d) snprintf(buf, cap, "%.17g", d);
    return buf;
}

static int get_num(ld *L, const cJSON *obj, const char *path, const char *key, double lo, double hi,
                   double *out) {
    char p[PATH_MAX_LEN];
    const cJSON *v = global(L, cJSON_GetObjectItemCaseSensitive(obj, key));
    path_key(p, path, key);
    if (!v) return 0; /* keeps the default */
    if (!cJSON_IsNumber(v)) return fail(L, p, "expected a number, got %s", type_name(v));
    char a[32], b[32];
    if (v->valuedouble < lo) return fail(L, p, "expected a number >= %s, got %s", num_text(lo, a, 32), num_text(v->valuedouble, b, 32));
    if (v->valuedouble > hi) return fail(L, p, "expected a number <= %s, got %s", num_text(hi, a, 32), num_text(v->valuedouble, b, 32));
    *out = v->valuedouble;
    return 0;
}

static int get_int(ld *L, const cJSON *obj, const char *path, const char *key, double lo, double hi,
                   int64_t *out) {
    double d = (double)*out;
    if (get_num(L, obj, path, key, lo, hi, &d)) return -1;
    if (d != floor(d)) {
        char p[PATH_MAX_LEN];
        path_key(p, path, key);
        char b[32];
        return fail(L, p, "expected an integer, got %s", num_text(d, b, sizeof b));
    }
    *out = (int64_t)d;
    return 0;
}

/* Milliseconds (fractions allowed) into nanoseconds. */
static int get_ms(ld *L, const cJSON *obj, const char *path, const char *key, int64_t *ns) {
    double ms = (double)*ns / 1e6;
    if (get_num(L, obj, path, key, 0, MAX_MS, &ms)) return -1;
    *ns = (int64_t)llround(ms * 1e6);
    return 0;
}

static int get_us(ld *L, const cJSON *obj, const char *path, const char *key, int64_t *ns) {
    double us = (double)*ns / 1e3;
    if (get_num(L, obj, path, key, 0, MAX_US, &us)) return -1;
    *ns = (int64_t)llround(us * 1e3);
    return 0;
}

static int get_bool(ld *L, const cJSON *obj, const char *path, const char *key, int *out) {
    char p[PATH_MAX_LEN];
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    path_key(p, path, key);
    if (!v) return 0;
    if (!cJSON_IsBool(v)) return fail(L, p, "expected true or false, got %s", type_name(v));
    *out = cJSON_IsTrue(v);
    return 0;
}

static const cJSON *get_obj(ld *L, const cJSON *obj, const char *path, const char *key, int required) {
    char p[PATH_MAX_LEN];
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    path_key(p, path, key);
    if (!v && required) fail(L, p, "missing: expected an object");
    else if (v && !cJSON_IsObject(v)) fail(L, p, "expected an object, got %s", type_name(v));
    return cJSON_IsObject(v) ? v : NULL;
}

static const cJSON *get_arr(ld *L, const cJSON *obj, const char *path, const char *key, int required) {
    char p[PATH_MAX_LEN];
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    path_key(p, path, key);
    if (!v && required) fail(L, p, "missing: expected an array");
    else if (v && !cJSON_IsArray(v)) fail(L, p, "expected an array, got %s", type_name(v));
    return cJSON_IsArray(v) ? v : NULL;
}

/* ---------- reading and parsing the file ---------- */

/* Malformed JSON: the place is a line and a column, since there is no JSON path yet. */
static int parse_doc(ld *L, const char *text) {
    const char *end = NULL;
    L->s->doc = cJSON_ParseWithOpts(text, &end, 1);
    if (L->s->doc) return 0;
    int line = 1, col = 1;
    for (const char *p = text; end && p < end && *p; p++) {
        if (*p == '\n') { line++; col = 1; }
        else col++;
    }
    char near[24] = "";
    if (end && *end) snprintf(near, sizeof near, " near '%.12s'", end);
    for (char *p = near; *p; p++) if (*p == '\n' || *p == '\r' || *p == '\t') *p = ' ';
    char place[48];
    snprintf(place, sizeof place, "line %d, column %d", line, col);
    return fail(L, place, "malformed JSON%s: expected a valid JSON value", end && *end ? near : " (it ends too early)");
}

static int cmp_key(const void *a, const void *b) {
    const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
    int c = strcmp(x->string, y->string);
    return c ? c : (x < y ? -1 : x > y); /* ties in a fixed order: the same key is reported every time */
}

/* Where check_doc is: a chain of keys and indexes up to the root, written out only for an error
 * (formatting a path for each of a large file's values cost more than the check). */
typedef struct doc_at { const struct doc_at *up; const char *key; int idx; } doc_at;

static void doc_path(const doc_at *at, char *out) {
    if (!at) { out[0] = 0; return; }
    char up[PATH_MAX_LEN];
    doc_path(at->up, up);
    if (at->key) path_key(out, up, at->key);
    else path_idx(out, up, at->idx);
}

/* A JSON object may repeat a key; cJSON would keep the first and silently ignore the rest. */
static int unique_keys(ld *L, const cJSON *obj, const doc_at *at) {
    int n = 0;
    for (const cJSON *c = obj->child; c; c = c->next) n++;
    if (n < 2) return 0;
    const cJSON **k = malloc((size_t)n * sizeof *k);
    if (!k) return fail(L, "", "out of memory");
    n = 0;
    for (const cJSON *c = obj->child; c; c = c->next) k[n++] = c;
    qsort(k, (size_t)n, sizeof *k, cmp_key);
    const char *dup = NULL;
    for (int i = 1; i < n && !dup; i++)
        if (!strcmp(k[i - 1]->string, k[i]->string)) dup = k[i]->string;
    free(k);
    if (!dup) return 0;
    char p[PATH_MAX_LEN];
    doc_at here = {at, dup, 0};
    doc_path(&here, p);
    return fail(L, p, "given twice: expected each key once in an object");
}

/* Every object of the document (but the free-form "notes") has unique keys; counts the values.
 * The recursion is as deep as the JSON nests, which cJSON bounds (CJSON_NESTING_LIMIT). */
static int check_doc(ld *L, const cJSON *v, const doc_at *at) {
    L->nvalues++;
    int obj = cJSON_IsObject(v);
    if (obj && unique_keys(L, v, at)) return -1;
    int i = 0;
    for (const cJSON *c = v->child; c && (obj || cJSON_IsArray(v)); c = c->next, i++) {
        doc_at here = {at, obj ? c->string : NULL, i};
        if (!(obj && !at && !strcmp(c->string, "notes")) && check_doc(L, c, &here)) return -1;
    }
    return 0;
}

/* --param KEY=VALUE: VALUE is JSON when it parses as JSON, a string otherwise. */
static int apply_params(ld *L, const scenario_param *ps, int n) {
    cJSON *params = cJSON_GetObjectItemCaseSensitive(L->s->doc, "params");
    if (params && !cJSON_IsObject(params)) return fail(L, "params", "expected an object");
    for (int i = 0; i < n; i++) {
        char p[PATH_MAX_LEN];
        path_key(p, "params", ps[i].key);
        if (!params || !cJSON_GetObjectItemCaseSensitive(params, ps[i].key))
            return fail(L, p, "no such parameter in the file: expected one declared in \"params\"");
        cJSON *v = cJSON_Parse(ps[i].value);
        if (!v) v = cJSON_CreateString(ps[i].value);
        if (!v) return fail(L, p, "out of memory");
        cJSON_ReplaceItemInObjectCaseSensitive(params, ps[i].key, v);
    }
    L->params = params;
    return 0;
}

/* ---------- meta, network, runtime ---------- */

static const char *const top_keys[] = {"name", "title", "description", "title_ko", "description_ko", "seed",
                                       "params", "network", "runtime", "entry", "args", "functions",
                                       "rust", "notes", "quiz", NULL};

static int parse_meta(ld *L, const cJSON *doc) {
    scenario *s = L->s;
    int64_t seed = 42;
    if (check_keys(L, doc, "", top_keys) || get_str(L, doc, "", "name", 1, &s->name)) return -1;
    s->title = s->description = s->title_ko = s->description_ko = "";
    if (get_str(L, doc, "", "title", 0, &s->title) || get_str(L, doc, "", "description", 0, &s->description) ||
        get_str(L, doc, "", "title_ko", 0, &s->title_ko) ||
        get_str(L, doc, "", "description_ko", 0, &s->description_ko) ||
        get_int(L, doc, "", "seed", 0, MAX_SEED, &seed))
        return -1;
    s->seed = (uint64_t)seed;
    return 0;
}

static const char *const chunk_keys[] = {"delay_ms", "bytes", NULL};

static int parse_chunks(ld *L, const cJSON *h, const char *path, net_host_cfg *c) {
    const cJSON *chunks = get_arr(L, h, path, "chunks", 0);
    char p[PATH_MAX_LEN], q[PATH_MAX_LEN];
    path_key(p, path, "chunks");
    if (chunks && cJSON_GetArraySize(chunks) > NET_MAX_CHUNKS)
        return fail(L, p, "expected at most %d chunks", NET_MAX_CHUNKS);
    int i = 0;
    for (const cJSON *ch = chunks ? chunks->child : NULL; ch; ch = ch->next, i++) {
        path_idx(q, p, i);
        int64_t bytes = 0, delay = 0;
        if (!cJSON_IsObject(ch)) return fail(L, q, "expected an object {\"delay_ms\": N, \"bytes\": N}");
        if (check_keys(L, ch, q, chunk_keys) || get_ms(L, ch, q, "delay_ms", &delay) ||
            get_int(L, ch, q, "bytes", 0, MAX_CHUNK_BYTES, &bytes))
            return -1;
        c->chunks[i] = (net_chunk){delay, (int32_t)bytes};
    }
    c->nchunks = i;
    return L->failed ? -1 : 0;
}

static const char *const host_keys[] = {"name", "port", "connect_ms", "jitter_ms", "chunks", "eof_after_ms",
                                        "fault", "reset_after", "resolve_ms", NULL};
static const char *const fault_names[] = {"none", "refuse", "reset", "silent", NULL};

static int parse_fault(ld *L, const cJSON *h, const char *path, net_host_cfg *c) {
    const char *fault = "none";
    int64_t reset_after = 0;
    if (get_str(L, h, path, "fault", 0, &fault)) return -1;
    int f = 0;
    while (fault_names[f] && strcmp(fault_names[f], fault) != 0) f++;
    char p[PATH_MAX_LEN], names[128];
    path_key(p, path, "fault");
    join_names(names, sizeof names, fault_names);
    if (!fault_names[f]) return fail(L, p, "expected one of %s, got '%s'", names, fault);
    c->fault = (net_fault)f;
    if (get_int(L, h, path, "reset_after", 0, c->nchunks, &reset_after)) return -1;
    c->reset_after = (int)reset_after;
    return 0;
}

static int parse_host(ld *L, const cJSON *h, const char *path, net_host_cfg *c) {
    const char *name = NULL;
    int64_t port = 80, eof_after = -1;
    *c = (net_host_cfg){.connect_ns = 10000000, .eof_with_last = 1, .resolve_ns = -1};
    if (!cJSON_IsObject(h)) return fail(L, path, "expected a host object {\"name\": ..., \"connect_ms\": ...}");
    if (check_keys(L, h, path, host_keys) || get_str(L, h, path, "name", 1, &name) ||
        get_int(L, h, path, "port", 1, 65535, &port) || get_ms(L, h, path, "connect_ms", &c->connect_ns) ||
        get_ms(L, h, path, "jitter_ms", &c->jitter_ns) || parse_chunks(L, h, path, c) ||
        get_ms(L, h, path, "eof_after_ms", &eof_after) || parse_fault(L, h, path, c) ||
        (cJSON_GetObjectItemCaseSensitive(h, "resolve_ms") && get_ms(L, h, path, "resolve_ms", &c->resolve_ns)))
        return -1;
    if (strlen(name) >= sizeof c->name) {
        char p[PATH_MAX_LEN];
        path_key(p, path, "name");
        return fail(L, p, "expected a host name of at most %d bytes", (int)sizeof c->name - 1);
    }
    snprintf(c->name, sizeof c->name, "%s", name);
    c->port = (int)port;
    if (cJSON_GetObjectItemCaseSensitive(h, "eof_after_ms")) {
        c->eof_with_last = 0;
        c->eof_after_ns = eof_after;
    }
    return 0;
}

static const char *const listener_keys[] = {"clients", "first_ms", "interval_ms", "chunks", "eof_after_ms", NULL};

static int parse_listener(ld *L, const cJSON *l, const char *path) {
    scenario *s = L->s;
    int64_t eof_after = 0;
    s->has_listener = 1;
    s->client = (net_host_cfg){.name = "client", .port = 0, .eof_with_last = 1};
    s->client_interval_ns = 1000;
    if (check_keys(L, l, path, listener_keys) || get_int(L, l, path, "clients", 0, 1e7, &s->clients) ||
        get_ms(L, l, path, "first_ms", &s->client_first_ns) ||
        get_ms(L, l, path, "interval_ms", &s->client_interval_ns) || parse_chunks(L, l, path, &s->client) ||
        get_ms(L, l, path, "eof_after_ms", &eof_after))
        return -1;
    if (cJSON_GetObjectItemCaseSensitive(l, "eof_after_ms")) {
        s->client.eof_with_last = 0;
        s->client.eof_after_ns = eof_after;
    }
    return 0;
}

typedef struct named { const char *name; int i; } named;

static int cmp_named(const void *a, const void *b) {
    const named *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : x->i - y->i;
}

/* Two hosts of one name: the second would never be reached. (A host may replace a default one.) */
static int unique_hosts(ld *L) {
    scenario *s = L->s;
    named *ix = malloc((size_t)s->nhosts * sizeof *ix + 1);
    int dup = -1;
    if (!ix) return fail(L, "network.hosts", "out of memory");
    for (int i = 0; i < s->nhosts; i++) ix[i] = (named){s->hosts[i].name, i};
    qsort(ix, (size_t)s->nhosts, sizeof *ix, cmp_named);
    for (int i = 1; i < s->nhosts; i++)
        if (!strcmp(ix[i - 1].name, ix[i].name) && (dup < 0 || ix[i].i < dup)) dup = ix[i].i;
    free(ix);
    if (dup < 0) return 0;
    char p[PATH_MAX_LEN];
    path_idx(p, "network.hosts", dup);
    return fail(L, p, "a second host named '%s': expected each name once", s->hosts[dup].name);
}

static const char *const network_keys[] = {"default_hosts", "hosts", "listener", "resolve_ms", NULL};

static int parse_network(ld *L, const cJSON *doc) {
    scenario *s = L->s;
    const cJSON *net = get_obj(L, doc, "", "network", 0);
    s->default_hosts = 1;
    if (L->failed) return -1;
    if (!net) return 0;
    if (check_keys(L, net, "network", network_keys) || get_bool(L, net, "network", "default_hosts", &s->default_hosts) ||
        get_ms(L, net, "network", "resolve_ms", &s->resolve_ns))
        return -1;
    const cJSON *hosts = get_arr(L, net, "network", "hosts", 0);
    const cJSON *lis = get_obj(L, net, "network", "listener", 0);
    if (L->failed) return -1;
    int n = hosts ? cJSON_GetArraySize(hosts) : 0, i = 0;
    s->hosts = calloc((size_t)n + 1, sizeof *s->hosts);
    if (!s->hosts) return fail(L, "network.hosts", "out of memory");
    for (const cJSON *h = hosts ? hosts->child : NULL; h; h = h->next, i++) {
        char p[PATH_MAX_LEN];
        path_idx(p, "network.hosts", i);
        if (parse_host(L, h, p, &s->hosts[i])) return -1;
    }
    s->nhosts = n;
    if (unique_hosts(L)) return -1;
    return lis ? parse_listener(L, lis, "network.listener") : 0;
}

static const char *const runtime_keys[] = {"executor", "workers", "poll_cost_us", "syscall_cost_us", "wake_cost_us",
                                           "max_polls", "max_time_ms", "stack_reserved_kib", "stack_used_kib",
                                           "long_poll_ms", "memory_counters", "max_steps", "max_tasks",
                                           "max_trace_mb", "max_task_mb", "model", "turn_us", NULL};
static const char *const executor_names[] = {"block_on", "busy_poll", "sync", NULL};

int scenario_model_index(const char *name) {
    for (int i = 0; scenario_model_names[i]; i++)
        if (!strcmp(scenario_model_names[i], name)) return i;
    return -1;
}

/* runtime.model: ideal (the lecture's executor), async-std or tokio (docs/runtime-models.md). */
static int parse_model(ld *L, const cJSON *rt) {
    const char *m = "ideal";
    if (get_str(L, rt, "runtime", "model", 0, &m)) return -1;
    int i = scenario_model_index(m);
    char names[96];
    join_names(names, sizeof names, scenario_model_names);
    if (i < 0) return fail(L, "runtime.model", "expected one of %s, got '%s'", names, m);
    L->s->cfg.model = i;
    return 0;
}

static int parse_executor(ld *L, const cJSON *rt) {
    const char *ex = "block_on";
    if (get_str(L, rt, "runtime", "executor", 0, &ex)) return -1;
    int i = 0;
    while (executor_names[i] && strcmp(executor_names[i], ex) != 0) i++;
    char names[96];
    join_names(names, sizeof names, executor_names);
    if (!executor_names[i]) return fail(L, "runtime.executor", "expected one of %s, got '%s'", names, ex);
    L->s->executor = (scn_executor)i;
    return 0;
}

static int parse_runtime(ld *L, const cJSON *doc) {
    scenario *s = L->s;
    exec_config *c = &s->cfg;
    exec_config_default(c);
    c->memory_counters = 1;
    c->max_tasks = 1000000;
    c->max_task_bytes = (uint64_t)SCN_DEFAULT_TASK_MB << 20;
    s->long_poll_ns = 10000000;
    s->max_steps = 2000000;
    s->max_trace_mb = SCN_DEFAULT_TRACE_MB;
    const cJSON *rt = get_obj(L, doc, "", "runtime", 0);
    if (L->failed) return -1;
    if (!rt) return 0;
    int64_t workers = 0, max_polls = (int64_t)c->max_polls;
    int64_t reserved = c->stack_reserved >> 10, used = c->stack_used >> 10, max_tasks = (int64_t)c->max_tasks;
    int64_t task_mb = SCN_DEFAULT_TASK_MB;
    if (check_keys(L, rt, "runtime", runtime_keys) || parse_executor(L, rt) ||
        get_int(L, rt, "runtime", "workers", 0, EXEC_MAX_WORKERS, &workers) ||
        get_us(L, rt, "runtime", "poll_cost_us", &c->poll_cost_ns) ||
        get_us(L, rt, "runtime", "syscall_cost_us", &c->syscall_cost_ns) ||
        get_us(L, rt, "runtime", "wake_cost_us", &c->wake_cost_ns) ||
        get_int(L, rt, "runtime", "max_polls", 1, 1e12, &max_polls) ||
        get_ms(L, rt, "runtime", "max_time_ms", &c->max_time_ns) ||
        get_int(L, rt, "runtime", "stack_reserved_kib", 4, 1 << 22, &reserved) ||
        get_int(L, rt, "runtime", "stack_used_kib", 1, 1 << 22, &used) ||
        get_ms(L, rt, "runtime", "long_poll_ms", &s->long_poll_ns) ||
        get_bool(L, rt, "runtime", "memory_counters", &c->memory_counters) ||
        get_int(L, rt, "runtime", "max_steps", 1, 1e8, &s->max_steps) ||
        get_int(L, rt, "runtime", "max_tasks", 1, 1e7, &max_tasks) ||
        get_int(L, rt, "runtime", "max_trace_mb", 1, SCN_MAX_TRACE_MB, &s->max_trace_mb) ||
        get_int(L, rt, "runtime", "max_task_mb", 1, 65536, &task_mb) || parse_model(L, rt) ||
        get_us(L, rt, "runtime", "turn_us", &c->turn_ns))
        return -1;
    s->has_turn = cJSON_GetObjectItemCaseSensitive(rt, "turn_us") != NULL;
    c->workers = (int)workers;
    c->max_polls = (uint64_t)max_polls;
    c->max_tasks = (uint64_t)max_tasks;
    c->max_task_bytes = (uint64_t)task_mb << 20;
    c->stack_reserved = reserved << 10;
    c->stack_used = used << 10;
    return 0;
}

static int parse_rust(ld *L, const cJSON *doc) {
    const cJSON *r = get_arr(L, doc, "", "rust", 0);
    int i = 0;
    for (const cJSON *l = r ? r->child : NULL; l; l = l->next, i++) {
        char p[PATH_MAX_LEN];
        path_idx(p, "rust", i);
        if (!cJSON_IsString(l)) return fail(L, p, "expected a line of Rust source (a string)");
    }
    L->s->rust = r;
    return L->failed ? -1 : 0;
}

/* "quiz": the scenario's own questions, written into the trace's header as they are; the
 * viewer (viz/quiz.c) checks each step against the run's steps, which only the run knows.
 * Limits in bytes, with the viewer's: ask 255, a choice 95, an explanation 767. */
static const char *const quiz_keys[] = {"step", "reveal_step", "ask", "ask_ko", "choices", "choices_ko", "answer", "explain",
                                        "explain_ko", NULL};

static int quiz_text(ld *L, const cJSON *q, const char *path, const char *key, int required, size_t max) {
    const char *v = NULL;
    char p[PATH_MAX_LEN];
    path_key(p, path, key);
    if (get_str(L, q, path, key, required, &v)) return -1;
    if (v && (!*v || strlen(v) > max)) return fail(L, p, "expected a string of 1 to %zu bytes", max);
    return 0;
}

static int quiz_choices(ld *L, const cJSON *q, const char *path, const char *key, int want) {
    const cJSON *a = get_arr(L, q, path, key, want == 0);
    char p[PATH_MAX_LEN], e[PATH_MAX_LEN];
    path_key(p, path, key);
    if (!a) return L->failed ? -1 : 0;
    int n = cJSON_GetArraySize(a);
    if (want && n != want) return fail(L, p, "expected an array of %d strings, as many as \"choices\"", want);
    if (n < 2 || n > 6) return fail(L, p, "expected an array of 2 to 6 strings");
    for (int i = 0; i < n; i++) {
        const cJSON *c = cJSON_GetArrayItem(a, i);
        path_idx(e, p, i);
        if (!cJSON_IsString(c) || !*c->valuestring || strlen(c->valuestring) > 95)
            return fail(L, e, "expected a string of 1 to 95 bytes");
    }
    return 0;
}

static int quiz_answer(ld *L, const cJSON *q, const char *path) {
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(q, "answer");
    char p[PATH_MAX_LEN];
    path_key(p, path, "answer");
    for (const cJSON *c = cJSON_GetObjectItemCaseSensitive(q, "choices")->child; cJSON_IsString(a) && c; c = c->next)
        if (!strcmp(c->valuestring, a->valuestring)) return 0;
    return fail(L, p, "expected one of its \"choices\", written the same");
}

static int parse_quiz(ld *L, const cJSON *doc) {
    const cJSON *qs = get_arr(L, doc, "", "quiz", 0);
    int i = 0, n = qs ? cJSON_GetArraySize(qs) : 0;
    int64_t after = 0;
    if (qs && (n < 1 || n > 64)) return fail(L, "quiz", "expected an array of 1 to 64 questions");
    for (const cJSON *q = qs ? qs->child : NULL; q; q = q->next, i++) {
        char p[PATH_MAX_LEN], sp[PATH_MAX_LEN];
        int64_t step = 0;
        path_idx(p, "quiz", i);
        path_key(sp, p, "step");
        if (!cJSON_IsObject(q)) return fail(L, p, "expected an object {\"step\", \"ask\", \"choices\", \"answer\", ...}");
        if (check_keys(L, q, p, quiz_keys) || get_int(L, q, p, "step", 1, 1e9, &step)) return -1;
        if (!step) return fail(L, sp, "missing: expected a step (1-based, as `pinata text` numbers them)");
        if (step <= after) return fail(L, sp, "expected a step after %lld (the questions in step order, each after the one before is answered)", (long long)after);
        int64_t reveal = step;
        if (get_int(L, q, p, "reveal_step", (double)step, 1e9, &reveal)) return -1;
        after = reveal;
        if (quiz_text(L, q, p, "ask", 1, 255) || quiz_text(L, q, p, "ask_ko", 0, 255) ||
            quiz_choices(L, q, p, "choices", 0) ||
            quiz_choices(L, q, p, "choices_ko", cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(q, "choices"))) ||
            quiz_answer(L, q, p) || quiz_text(L, q, p, "explain", 0, 767) || quiz_text(L, q, p, "explain_ko", 0, 767))
            return -1;
    }
    L->s->quiz = qs;
    return 0;
}

/* ---------- function bodies ---------- */

/* The slot of name in the hash: where it is, or the empty slot where it would go. */
static size_t fn_slot(const scenario *s, const char *name) {
    size_t i = (size_t)strhash(name) & (s->nslots - 1);
    while (s->fn_slots[i] && strcmp(s->fns[s->fn_slots[i] - 1].name, name) != 0) i = (i + 1) & (s->nslots - 1);
    return i;
}

int scenario_find_fn(const scenario *s, const char *name) {
    return s->nslots ? s->fn_slots[fn_slot(s, name)] - 1 : -1;
}

/* Hashes the function names (each is given once: check_doc refused a repeated key). */
static int index_fns(ld *L) {
    scenario *s = L->s;
    s->nslots = 16;
    while (s->nslots < 2 * (size_t)s->nfns) s->nslots *= 2;
    s->fn_slots = calloc(s->nslots, sizeof *s->fn_slots);
    if (!s->fn_slots) return fail(L, "functions", "out of memory");
    for (int i = 0; i < s->nfns; i++) s->fn_slots[fn_slot(s, s->fns[i].name)] = i + 1;
    return 0;
}

static void fn_names(const scenario *s, char *out, size_t cap) {
    size_t n = 0;
    out[0] = 0;
    for (int i = 0; i < s->nfns && n + 2 < cap; i++)
        n += (size_t)snprintf(out + n, cap - n, "%s%s", i ? ", " : "", s->fns[i].name);
}

static int add_local(ld *L, scope *sc, const char *name, const char *path) {
    scn_fn *f = sc->fn;
    if (f->nlocals >= MAX_LOCALS || sc->nvisible >= MAX_LOCALS)
        return fail(L, path, "too many variables: expected at most %d per function", MAX_LOCALS);
    const char **a = realloc(f->locals, (size_t)(f->nlocals + 1) * sizeof *a);
    if (!a) return fail(L, path, "out of memory");
    f->locals = a;
    a[f->nlocals] = name;
    sc->visible[sc->nvisible++] = f->nlocals;
    return f->nlocals++;
}

/* "$name" or "$name.field": a visible local, else a scenario parameter. */
static int parse_operand(ld *L, scope *sc, const cJSON *v, const char *path, operand *o) {
    *o = (operand){.lit = v, .slot = -1};
    if (!cJSON_IsString(v) || v->valuestring[0] != '$') return 0;
    char name[64]; /* the name part, cut at the dot */
    if (strcspn(v->valuestring + 1, ".") >= sizeof name) /* a cut name could match another variable */
        return fail(L, path, "expected a variable name of at most %d bytes", (int)sizeof name - 1);
    snprintf(name, sizeof name, "%s", v->valuestring + 1);
    char *dot = strchr(name, '.');
    if (dot) *dot = 0;
    o->field = dot ? strchr(v->valuestring, '.') + 1 : NULL;
    for (int i = sc->nvisible - 1; i >= 0; i--) {
        if (strcmp(sc->fn->locals[sc->visible[i]], name) == 0) {
            o->slot = sc->visible[i];
            o->lit = NULL;
            return 0;
        }
    }
    const cJSON *g = L->params ? cJSON_GetObjectItemCaseSensitive(L->params, name) : NULL;
    if (!g && !strcmp(name, "socket") && !o->field) {
        *o = (operand){.slot = SCN_SLOT_SOCKET};
        return 0;
    }
    if (!g) return fail(L, path, "unknown variable '$%s': expected a parameter of %s, a loop variable, or one of \"params\"", name, sc->fn->name);
    o->lit = o->field ? cJSON_GetObjectItemCaseSensitive(g, o->field) : g;
    if (!o->lit) return fail(L, path, "'$%s' has no field '%s'", name, o->field);
    o->field = NULL;
    return 0;
}

static int parse_field_operand(ld *L, scope *sc, const cJSON *st, const char *path, const char *key,
                               int required, operand *o) {
    char p[PATH_MAX_LEN];
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(st, key);
    path_key(p, path, key);
    *o = (operand){.slot = -1};
    const char *what = !strcmp(key, "host") ? "a host name" : !strcmp(key, "ms") ? "a duration in ms" : "a value";
    if (!v) return required ? fail(L, p, "missing: expected %s", what) : 0;
    return parse_operand(L, sc, v, p, o);
}

static int parse_args(ld *L, scope *sc, const cJSON *st, const char *path, step *s, const scn_fn *callee) {
    char p[PATH_MAX_LEN];
    const cJSON *args = get_arr(L, st, path, "args", 0);
    int n = args ? cJSON_GetArraySize(args) : 0, i = 0;
    path_key(p, path, "args");
    if (L->failed) return -1;
    if (n != callee->nparams)
        return fail(L, p, "expected %d argument%s for %s, got %d", callee->nparams, callee->nparams == 1 ? "" : "s",
                    callee->name, n);
    s->args = calloc((size_t)n + 1, sizeof *s->args);
    if (!s->args) return fail(L, p, "out of memory");
    s->argc = n;
    for (const cJSON *a = args ? args->child : NULL; a; a = a->next, i++) {
        char q[PATH_MAX_LEN];
        path_idx(q, p, i);
        if (parse_operand(L, sc, a, q, &s->args[i])) return -1;
    }
    return 0;
}

static const char *const verbs[] = {"await", "blocking", "call", "shutdown", "compute_ms", "spawn_local", "spawn",
                                    "spawn_thread", "thread_local_set", "thread_local_get", "task_local_set",
                                    "task_local_get", "unlock", "for", "poll_again", "note", NULL};
static const char *const step_keys[] = {"await", "blocking", "call", "shutdown", "compute_ms", "spawn_local", "spawn",
                                        "spawn_thread", "thread_local_set", "thread_local_get", "task_local_set",
                                        "task_local_get", "unlock", "for", "poll_again", "note", "note_ko", "line", "col", "end_col", "host",
                                        "port", "bytes", "request_path", "ms", "args", "value", "as", "body",
                                        "fuse", "mutex", "detach", NULL};

/* The one verb of a step object. */
static const char *step_verb(ld *L, const cJSON *st, const char *path) {
    const char *verb = NULL;
    char names[512];
    join_names(names, sizeof names, verbs);
    if (!cJSON_IsObject(st)) { fail(L, path, "expected a step: an object with one of %s", names); return NULL; }
    if (check_keys(L, st, path, step_keys)) return NULL;
    for (int i = 0; verbs[i]; i++) {
        if (!cJSON_GetObjectItemCaseSensitive(st, verbs[i])) continue;
        if (verb) { fail(L, path, "expected one action per step, got both '%s' and '%s'", verb, verbs[i]); return NULL; }
        verb = verbs[i];
    }
    if (!verb) fail(L, path, "expected a step: an object with one of %s", names);
    return verb;
}

static int set_at(ld *L, step *s, const char *what, const char *suffix, const char *path) {
    size_t n = strlen(what) + strlen(suffix) + 1;
    char *at = malloc(n);
    if (!at) return fail(L, path, "out of memory");
    snprintf(at, n, "%s%s", what, suffix);
    s->at = at;
    return 0;
}

static int parse_leaf(ld *L, scope *sc, const cJSON *st, const char *path, step *s, int leaf) {
    s->kind = STEP_AWAIT;
    s->leaf = (leaf_kind)leaf;
    switch (s->leaf) {
    case LEAF_CONNECT:
        if (parse_field_operand(L, sc, st, path, "host", 1, &s->a)) return -1;
        return parse_field_operand(L, sc, st, path, "port", 0, &s->b);
    case LEAF_WRITE_ALL:
        if (parse_field_operand(L, sc, st, path, "bytes", 0, &s->a)) return -1;
        return parse_field_operand(L, sc, st, path, "request_path", 0, &s->b);
    case LEAF_READ: return parse_field_operand(L, sc, st, path, "bytes", 0, &s->a);
    case LEAF_SLEEP: return parse_field_operand(L, sc, st, path, "ms", 1, &s->a);
    case LEAF_LOCK: return get_str(L, st, path, "mutex", 1, &s->name);
    default: return 0;
    }
}

static int find_leaf(const char *name) {
    for (int i = 0; i < LEAF_COUNT; i++)
        if (strcmp(scenario_leaf_names[i], name) == 0) return i;
    return -1;
}

/* "await" / "blocking": a leaf or an async fn of the scenario. */
static int parse_await(ld *L, scope *sc, const cJSON *st, const char *path, step *s, const char *verb) {
    char p[PATH_MAX_LEN], leaves[256], fns[256];
    const char *what = NULL;
    path_key(p, path, verb);
    if (get_str(L, st, path, verb, 1, &what)) return -1;
    s->blocking = strcmp(verb, "blocking") == 0;
    int leaf = find_leaf(what), fn = scenario_find_fn(L->s, what);
    if (leaf >= 0) {
        if (parse_leaf(L, sc, st, path, s, leaf)) return -1;
        return set_at(L, s, leaf == LEAF_JOIN || leaf == LEAF_JOIN_ALL ? "handle" : what,
                      s->blocking ? " (blocking)" : ".await", p);
    }
    if (fn < 0) {
        join_names(leaves, sizeof leaves, scenario_leaf_names);
        fn_names(L->s, fns, sizeof fns);
        return fail(L, p, "expected one of %s, or a function (%s), got '%s'", leaves, fns, what);
    }
    s->kind = STEP_AWAIT_FN;
    s->fn = fn;
    if (parse_args(L, sc, st, path, s, &L->s->fns[fn])) return -1;
    return set_at(L, s, what, ".await", p);
}

static int parse_call(ld *L, scope *sc, const cJSON *st, const char *path, step *s, const char *verb, step_kind k) {
    char p[PATH_MAX_LEN], fns[256];
    const char *what = NULL;
    path_key(p, path, verb);
    if (get_str(L, st, path, verb, 1, &what)) return -1;
    s->kind = k;
    s->fn = scenario_find_fn(L->s, what);
    if (s->fn < 0) {
        fn_names(L->s, fns, sizeof fns);
        return fail(L, p, "unknown function '%s': expected one of %s", what, fns);
    }
    if (k == STEP_SPAWN && L->s->cfg.workers < 1)
        return fail(L, p, "spawn needs a worker pool: expected runtime.workers >= 1");
    if (parse_args(L, sc, st, path, s, &L->s->fns[s->fn])) return -1;
    if (k != STEP_AWAIT_FN && get_bool(L, st, path, "detach", &s->detach)) return -1;
    return set_at(L, s, what, k == STEP_AWAIT_FN ? "()" : "", p);
}

static int parse_body(ld *L, scope *sc, const cJSON *arr, const char *path, step **out, int *n);

static int push_step(ld *L, step **steps, int *n, const char *path) {
    step *a = realloc(*steps, (size_t)(*n + 1) * sizeof *a);
    if (!a) return fail(L, path, "out of memory");
    *steps = a;
    a[*n] = (step){.slot = -1, .fn = -1, .a = {.slot = -1}, .b = {.slot = -1}, .path = strdup(path)};
    return (*n)++;
}

/* for VAR in LIST { body }: flattened into STEP_FOR, the body, STEP_END. */
static int parse_for(ld *L, scope *sc, const cJSON *st, const char *path, step **steps, int *n, int at) {
    const char *var = NULL;
    char p[PATH_MAX_LEN];
    path_key(p, path, "for");
    if (parse_operand(L, sc, cJSON_GetObjectItemCaseSensitive(st, "for"), p, &(*steps)[at].a) ||
        get_str(L, st, path, "as", 1, &var))
        return -1;
    const cJSON *body = get_arr(L, st, path, "body", 1);
    if (L->failed) return -1;
    int saved = sc->nvisible;
    int slot = add_local(L, sc, var, path);
    if (slot < 0 || add_local(L, sc, "", path) < 0) return -1; /* the hidden index */
    (*steps)[at].kind = STEP_FOR;
    (*steps)[at].slot = slot;
    char bp[PATH_MAX_LEN];
    path_key(bp, path, "body");
    if (parse_body(L, sc, body, bp, steps, n)) return -1;
    sc->nvisible = saved;
    int end = push_step(L, steps, n, path);
    if (end < 0) return -1;
    (*steps)[end].kind = STEP_END;
    (*steps)[end].jump = at;
    (*steps)[at].jump = end;
    return 0;
}

static int parse_simple(ld *L, scope *sc, const cJSON *st, const char *path, step *s, const char *verb) {
    if (!strcmp(verb, "shutdown")) { s->kind = STEP_SHUTDOWN; return 0; }
    if (!strcmp(verb, "compute_ms")) { s->kind = STEP_COMPUTE; return parse_field_operand(L, sc, st, path, verb, 1, &s->a); }
    if (!strcmp(verb, "unlock")) { s->kind = STEP_UNLOCK; return get_str(L, st, path, verb, 1, &s->name); }
    if (!strcmp(verb, "note")) {
        s->kind = STEP_NOTE;
        return get_str(L, st, path, verb, 1, &s->name) || get_str(L, st, path, "note_ko", 0, &s->name_ko);
    }
    if (!strcmp(verb, "poll_again")) { s->kind = STEP_POLL_AGAIN; return 0; }
    int set = strstr(verb, "_set") != NULL, task = !strncmp(verb, "task", 4);
    s->kind = task ? (set ? STEP_TASKL_SET : STEP_TASKL_GET) : (set ? STEP_TL_SET : STEP_TL_GET);
    if (get_str(L, st, path, verb, 1, &s->name)) return -1;
    return set ? parse_field_operand(L, sc, st, path, "value", 1, &s->a) : 0;
}

static int parse_line(ld *L, const cJSON *st, const char *path, step *s) {
    int64_t line = 0;
    int nlines = L->s->rust ? cJSON_GetArraySize(L->s->rust) : 0;
    if (get_int(L, st, path, "line", 1, nlines > 0 ? nlines : 1, &line)) return -1;
    if (line && !nlines) return fail(L, path, "a \"line\" needs the Rust source: expected a top-level \"rust\" array");
    s->line = (int)line;
    int64_t col = 0, end_col = 0; /* the expression on the line: bytes, 1-based, end exclusive */
    if (get_int(L, st, path, "col", 1, 1e6, &col) || get_int(L, st, path, "end_col", 1, 1e6, &end_col)) return -1;
    s->col = (int)col;
    s->end_col = (int)end_col;
    return get_bool(L, st, path, "fuse", &s->fuse);
}

static int parse_step(ld *L, scope *sc, const cJSON *st, const char *path, step **steps, int *n) {
    const char *verb = step_verb(L, st, path);
    if (!verb) return -1;
    int at = push_step(L, steps, n, path);
    if (at < 0 || parse_line(L, st, path, &(*steps)[at])) return -1;
    if (!strcmp(verb, "for")) return parse_for(L, sc, st, path, steps, n, at);
    step *s = &(*steps)[at];
    s->verb = verb;
    if (!strcmp(verb, "await") || !strcmp(verb, "blocking")) return parse_await(L, sc, st, path, s, verb);
    if (!strcmp(verb, "call")) return parse_call(L, sc, st, path, s, verb, STEP_AWAIT_FN);
    if (!strcmp(verb, "spawn_local")) return parse_call(L, sc, st, path, s, verb, STEP_SPAWN_LOCAL);
    if (!strcmp(verb, "spawn")) return parse_call(L, sc, st, path, s, verb, STEP_SPAWN);
    if (!strcmp(verb, "spawn_thread")) return parse_call(L, sc, st, path, s, verb, STEP_SPAWN_THREAD);
    return parse_simple(L, sc, st, path, s, verb);
}

static int parse_body(ld *L, scope *sc, const cJSON *arr, const char *path, step **out, int *n) {
    int i = 0, first = *n;
    for (const cJSON *st = arr->child; st; st = st->next, i++) {
        char p[PATH_MAX_LEN];
        path_idx(p, path, i);
        if (parse_step(L, sc, st, p, out, n)) return -1;
    }
    /* poll_again re-polls what the step before it awaited. */
    for (int k = first; k < *n; k++) {
        step *s = &(*out)[k];
        int prev_await = k > first && ((*out)[k - 1].kind == STEP_AWAIT || (*out)[k - 1].kind == STEP_AWAIT_FN);
        if (s->kind == STEP_POLL_AGAIN && !prev_await)
            return fail(L, s->path, "poll_again: expected to follow an await step (it polls that future again)");
    }
    return 0;
}

static const char *const fn_keys[] = {"params", "body", "call_time", "detail", "line", "col", NULL};

static int parse_params(ld *L, scope *sc, const cJSON *def, const char *path) {
    const cJSON *ps = get_arr(L, def, path, "params", 0);
    char p[PATH_MAX_LEN];
    path_key(p, path, "params");
    int i = 0;
    for (const cJSON *v = ps ? ps->child : NULL; v; v = v->next, i++) {
        char q[PATH_MAX_LEN];
        path_idx(q, p, i);
        if (!cJSON_IsString(v) || !v->valuestring[0]) return fail(L, q, "expected a parameter name (a string)");
        if (add_local(L, sc, v->valuestring, q) < 0) return -1;
    }
    sc->fn->nparams = i;
    return L->failed ? -1 : 0;
}

static int parse_detail(ld *L, scope *sc, const cJSON *def, const char *path) {
    const char *d = NULL;
    scn_fn *f = sc->fn;
    f->detail = f->nparams > 0 ? 0 : -1;
    if (get_str(L, def, path, "detail", 0, &d)) return -1;
    if (!d) return 0;
    for (int i = 0; i < f->nparams; i++)
        if (d[0] == '$' && strcmp(f->locals[i], d + 1) == 0) return f->detail = i, 0;
    char p[PATH_MAX_LEN];
    path_key(p, path, "detail");
    return fail(L, p, "expected \"$PARAM\", a parameter of %s, got '%s'", f->name, d);
}

/* call_time steps run synchronously when the function is called: only work without awaits. */
static int check_call_time(ld *L, const scn_fn *f) {
    for (int i = 0; i < f->ncall_time; i++) {
        step_kind k = f->call_time[i].kind;
        if (k != STEP_COMPUTE && k != STEP_NOTE && k != STEP_TL_SET && k != STEP_TL_GET)
            return fail(L, f->call_time[i].path, "expected compute_ms, note or thread_local_* (the call runs before any await)");
    }
    return 0;
}

/* The signature first (every call site checks arguments against it), the body later. */
static int parse_signature(ld *L, scn_fn *f, const cJSON *def) {
    char path[PATH_MAX_LEN];
    path_key(path, "functions", f->name);
    scope sc = {.fn = f, .fpath = path};
    int64_t line = 0;
    int nlines = L->s->rust ? cJSON_GetArraySize(L->s->rust) : 1;
    if (!cJSON_IsObject(def)) return fail(L, path, "expected a function object {\"params\": [...], \"body\": [...]}");
    if (check_keys(L, def, path, fn_keys) || parse_params(L, &sc, def, path) || parse_detail(L, &sc, def, path) ||
        get_int(L, def, path, "line", 1, nlines > 0 ? nlines : 1, &line))
        return -1;
    f->line = (int)line;
    return 0;
}

static int parse_fn(ld *L, scn_fn *f, const cJSON *def) {
    char path[PATH_MAX_LEN], p[PATH_MAX_LEN];
    path_key(path, "functions", f->name);
    scope sc = {.fn = f, .fpath = path};
    for (int i = 0; i < f->nparams; i++) sc.visible[sc.nvisible++] = i;
    const cJSON *body = get_arr(L, def, path, "body", 1);
    const cJSON *ct = get_arr(L, def, path, "call_time", 0);
    if (L->failed) return -1;
    path_key(p, path, "call_time");
    if (ct && (parse_body(L, &sc, ct, p, &f->call_time, &f->ncall_time) || check_call_time(L, f))) return -1;
    path_key(p, path, "body");
    int rc = parse_body(L, &sc, body, p, &f->body, &f->nbody);
    f->params = f->locals; /* the first nparams locals; set last, as locals grow while parsing */
    return rc;
}

static int parse_functions(ld *L, const cJSON *doc) {
    scenario *s = L->s;
    const cJSON *fns = get_obj(L, doc, "", "functions", 1);
    if (L->failed) return -1;
    s->nfns = cJSON_GetArraySize(fns);
    if (s->nfns == 0) return fail(L, "functions", "expected at least one function (the entry, \"main\")");
    s->fns = calloc((size_t)s->nfns, sizeof *s->fns);
    if (!s->fns) return fail(L, "functions", "out of memory");
    int i = 0;
    for (const cJSON *d = fns->child; d; d = d->next, i++) s->fns[i].name = d->string;
    if (index_fns(L)) return -1;
    i = 0;
    for (const cJSON *d = fns->child; d; d = d->next, i++)
        if (parse_signature(L, &s->fns[i], d)) return -1;
    i = 0;
    for (const cJSON *d = fns->child; d; d = d->next, i++)
        if (parse_fn(L, &s->fns[i], d)) return -1;
    return 0;
}

static int parse_entry(ld *L, const cJSON *doc) {
    scenario *s = L->s;
    const char *entry = "main";
    char fns[256];
    if (get_str(L, doc, "", "entry", 0, &entry)) return -1;
    s->entry = scenario_find_fn(s, entry);
    if (s->entry < 0) {
        fn_names(s, fns, sizeof fns);
        return fail(L, "entry", "unknown function '%s': expected one of %s", entry, fns);
    }
    scn_fn dummy = {.name = "the top level"};
    scope sc = {.fn = &dummy};
    step st = {0};
    if (parse_args(L, &sc, doc, "", &st, &s->fns[s->entry])) { free(st.args); return -1; }
    s->entry_args = st.args;
    return 0;
}

/* ---------- await cycles ---------- */

/* "a -> b -> ... -> a": the functions of a cycle, each name and the whole cut to a readable
 * length (a name may be any length, a cycle as long as the file). */
static void cycle_text(const scenario *s, const int *stack, int from, int depth, int back, char *out, size_t cap) {
    size_t n = 0;
    for (int k = from; k <= depth + 1; k++) {
        const char *name = s->fns[k <= depth ? stack[k] : back].name;
        if (k <= depth && n + 2 * 70 >= cap) { /* room for "... -> " and the closing name */
            n += (size_t)snprintf(out + n, cap - n, "... -> ");
            k = depth;
            continue;
        }
        n += (size_t)snprintf(out + n, cap - n, "%.60s%s%s", name, strlen(name) > 60 ? "..." : "", k <= depth ? " -> " : "");
    }
}

/* The next function fn awaits from step *i on, or -1. */
static int next_callee(const scn_fn *f, int *i) {
    for (; *i < f->nbody; (*i)++)
        if (f->body[*i].kind == STEP_AWAIT_FN) return f->body[(*i)++].fn;
    return -1;
}

/* Depth-first from root over the await graph, with an explicit stack (a chain may be as long
 * as the file allows). An async fn that awaits itself, directly or not, would have an infinite
 * future. Each function is appended to await_order after everything it awaits. */
static int dfs_cycle(ld *L, int root, int *state, int *stack, int *next, int *depth_of, int *norder) {
    scenario *s = L->s;
    int depth = 0;
    stack[0] = root;
    next[0] = 0;
    state[root] = 1;
    while (depth >= 0) {
        int fn = stack[depth], at = next[depth];
        int callee = next_callee(&s->fns[fn], &at);
        next[depth] = at;
        if (callee < 0) { /* done: its callees are all in the order */
            state[fn] = 2;
            s->await_order[(*norder)++] = fn;
            if (--depth >= 0 && depth_of[fn] + 1 > depth_of[stack[depth]]) depth_of[stack[depth]] = depth_of[fn] + 1;
            continue;
        }
        if (state[callee] == 2) {
            if (depth_of[callee] + 1 > depth_of[fn]) depth_of[fn] = depth_of[callee] + 1;
            continue;
        }
        if (state[callee] == 1) {
            const step *st = &s->fns[fn].body[at - 1];
            char chain[256], p[PATH_MAX_LEN];
            int k = 0;
            while (stack[k] != callee) k++;
            cycle_text(s, stack, k, depth, callee, chain, sizeof chain);
            path_key(p, st->path, st->verb);
            return fail(L, p, "await cycle %s: expected no cycle (the future would contain itself; Rust needs Box::pin)", chain);
        }
        state[callee] = 1;
        stack[++depth] = callee;
        next[depth] = 0;
    }
    return 0;
}

/* A function's depth: the longest chain of awaits below it, which the interpreter polls by
 * recursion (one C stack frame per level, as Rust's nested polls). */
static int check_depth(ld *L, const int *depth_of) {
    for (int fn = 0; fn < L->s->nfns; fn++) {
        if (depth_of[fn] <= SCN_MAX_AWAIT_DEPTH) continue;
        char p[PATH_MAX_LEN];
        path_key(p, "functions", L->s->fns[fn].name);
        return fail(L, p, "awaits a chain of %d nested async fns: expected at most %d (each is a nested poll "
                          "on the thread's stack)", depth_of[fn], SCN_MAX_AWAIT_DEPTH);
    }
    return 0;
}

static int check_cycles(ld *L) {
    scenario *s = L->s;
    size_t n = (size_t)s->nfns;
    int *state = calloc(n, sizeof *state), *stack = calloc(n, sizeof *stack), *next = calloc(n, sizeof *next);
    int *depth_of = calloc(n, sizeof *depth_of), norder = 0;
    s->await_order = calloc(n, sizeof *s->await_order);
    int rc = state && stack && next && depth_of && s->await_order ? 0 : fail(L, "functions", "out of memory");
    for (int i = 0; i < s->nfns && rc == 0; i++)
        if (!state[i]) rc = dfs_cycle(L, i, state, stack, next, depth_of, &norder);
    if (rc == 0) rc = check_depth(L, depth_of);
    free(state);
    free(stack);
    free(next);
    free(depth_of);
    return rc;
}

/* ---------- values: walk the program from the entry with the values it is called with ---------- */

typedef struct binding { scn_value v; char origin[PATH_MAX_LEN]; } binding;

scn_value scenario_eval(const operand *o, const scn_value *locals) {
    scn_value v = {o->lit, 0};
    if (o->slot >= 0 && locals) v = locals[o->slot];
    if (o->field) v = (scn_value){v.j ? cJSON_GetObjectItemCaseSensitive(v.j, o->field) : NULL, 0};
    return v;
}

int64_t scenario_value_int(scn_value v, int64_t def) {
    if (!v.j) return v.i;
    if (!cJSON_IsNumber(v.j)) return def;
    double d = v.j->valuedouble;
    return d != d ? def : d >= 0x1p63 ? INT64_MAX : d <= -0x1p63 ? INT64_MIN : (int64_t)d;
}

int64_t scenario_value_ms_ns(scn_value v) {
    double ms = scenario_value_num(v, 0);
    return !(ms > 0) ? 0 : ms >= MAX_MS ? (int64_t)(MAX_MS * 1e6) : (int64_t)(ms * 1e6 + 0.5);
}

double scenario_value_num(scn_value v, double def) {
    if (!v.j) return (double)v.i;
    return cJSON_IsNumber(v.j) ? v.j->valuedouble : def;
}

const char *scenario_value_str(scn_value v, const char *def) {
    return v.j && cJSON_IsString(v.j) ? v.j->valuestring : def;
}

/* The value of an operand during the walk, and where it came from (for the message). */
static scn_value walk_eval(const operand *o, const binding *b, const char *use_path, char *origin) {
    snprintf(origin, PATH_MAX_LEN, "%s", use_path);
    if (o->slot >= 0) snprintf(origin, PATH_MAX_LEN, "%s", b[o->slot].origin);
    if (o->field) {
        size_t n = strlen(origin);
        snprintf(origin + n, PATH_MAX_LEN - n, ".%s", o->field);
    }
    scn_value v = {o->lit, 0};
    if (o->slot >= 0) v = b[o->slot].v;
    if (o->slot == SCN_SLOT_SOCKET) v = (scn_value){NULL, 3};
    if (o->field) v = (scn_value){v.j ? cJSON_GetObjectItemCaseSensitive(v.j, o->field) : NULL, -1};
    return v;
}

static int is_missing(scn_value v) { return !v.j && v.i == -1; }

static int check_number(ld *L, const operand *o, const binding *b, const char *path, const char *key,
                        double lo, double hi, int integer, const char *what) {
    char use[PATH_MAX_LEN], origin[PATH_MAX_LEN];
    path_key(use, path, key);
    if (!o->lit && o->slot == -1) return 0; /* absent: the default */
    scn_value v = walk_eval(o, b, use, origin);
    if (is_missing(v)) return fail(L, origin, "missing: expected %s", what);
    if (v.j && !cJSON_IsNumber(v.j)) return fail(L, origin, "expected %s", what);
    double d = scenario_value_num(v, 0);
    char t[32];
    if (!(d >= lo && d <= hi) || (integer && d != floor(d))) return fail(L, origin, "expected %s, got %s", what, num_text(d, t, sizeof t));
    return 0;
}

static void host_names(const net_t *n, const scenario *s, char *out, size_t cap) {
    size_t k = 0;
    out[0] = 0;
    static const char *const defaults[] = {"example.com", "www.red-bean.com", "en.wikipedia.org"};
    for (int i = 0; s->default_hosts && i < 3 && net_find_host(n, defaults[i]); i++)
        k += (size_t)snprintf(out + k, cap - k, "%s%s", k ? ", " : "", defaults[i]);
    for (int i = 0; i < s->nhosts && k + 2 < cap; i++) {
        int more = k > 160; /* the first few: the line stays readable */
        k += (size_t)snprintf(out + k, cap - k, "%s%s", k ? ", " : "", more ? "..." : s->hosts[i].name);
        if (more) break;
    }
}

static int check_host(ld *L, const step *s, const binding *b) {
    char use[PATH_MAX_LEN], origin[PATH_MAX_LEN], names[512];
    path_key(use, s->path, "host");
    scn_value v = walk_eval(&s->a, b, use, origin);
    const char *h = scenario_value_str(v, NULL);
    if (!h) return fail(L, origin, "expected a host name (a string)");
    host_names(L->hosts, L->s, names, sizeof names);
    if (!net_find_host(L->hosts, h) && strcmp(origin, use) != 0)
        return fail(L, origin, "unknown host '%s' (passed to %s): expected one of %s", h, use, names);
    if (!net_find_host(L->hosts, h)) return fail(L, origin, "unknown host '%s': expected one of %s", h, names);
    return check_number(L, &s->b, b, s->path, "port", 1, 65535, 1, "a port number 1..65535");
}

static int check_leaf(ld *L, const step *s, const binding *b) {
    switch (s->leaf) {
    case LEAF_CONNECT: return check_host(L, s, b);
    case LEAF_WRITE_ALL: return check_number(L, &s->a, b, s->path, "bytes", 0, MAX_BYTES, 1, "a byte count 0..1e12");
    case LEAF_READ: return check_number(L, &s->a, b, s->path, "bytes", 1, MAX_BYTES, 1, "a byte count 1..1e12");
    case LEAF_SLEEP: return check_number(L, &s->a, b, s->path, "ms", 0, MAX_MS, 0, "a duration in ms 0..1e9");
    case LEAF_ACCEPT:
        return L->s->has_listener ? 0 : fail(L, s->path, "accept needs a listener: expected network.listener");
    default: return 0;
    }
}

static int walk_fn(ld *L, int fn, binding *args, int depth);

static int walk_call(ld *L, const step *s, const binding *b, int depth) {
    const scn_fn *callee = &L->s->fns[s->fn];
    binding *cb = calloc((size_t)callee->nlocals + 1, sizeof *cb);
    if (!cb) return fail(L, s->path, "out of memory");
    for (int i = 0; i < s->argc; i++) {
        char use[PATH_MAX_LEN];
        snprintf(use, sizeof use, "%s.args[%d]", s->path, i);
        cb[i].v = walk_eval(&s->args[i], b, use, cb[i].origin);
        if (is_missing(cb[i].v)) {
            fail(L, cb[i].origin, "missing: expected a value");
            free(cb);
            return -1;
        }
    }
    int sync = L->sync;
    if (s->kind != STEP_AWAIT_FN) L->sync = s->kind == STEP_SPAWN_THREAD; /* where the callee runs */
    int rc = walk_fn(L, s->fn, cb, depth + 1);
    L->sync = sync;
    free(cb);
    return rc;
}

static int walk_range(ld *L, const scn_fn *f, int from, int to, binding *b, int depth);

/* A loop: a few elements of its list (each may hold other hosts), or one turn of a count. */
static int walk_for(ld *L, const scn_fn *f, int at, binding *b, int depth) {
    const step *s = &f->body[at];
    char use[PATH_MAX_LEN], origin[PATH_MAX_LEN];
    path_key(use, s->path, "for");
    char t[32];
    scn_value v = walk_eval(&s->a, b, use, origin);
    if (v.j && cJSON_IsArray(v.j)) {
        int i = 0;
        for (const cJSON *e = v.j->child; e; e = e->next, i++) {
            b[s->slot].v = (scn_value){e, 0};
            snprintf(b[s->slot].origin, PATH_MAX_LEN, "%.240s[%d]", origin, i);
            int rc = walk_range(L, f, at + 1, s->jump, b, depth);
            if (rc) return rc; /* an error, or the budget is spent */
        }
        return 0;
    }
    if (!v.j || !cJSON_IsNumber(v.j) || !(v.j->valuedouble >= 0 && v.j->valuedouble <= MAX_COUNT) ||
        v.j->valuedouble != floor(v.j->valuedouble))
        return fail(L, origin, "expected a list (a JSON array) or a count (an integer 0..1e9)%s%s",
                    v.j && cJSON_IsNumber(v.j) ? ", got " : "", v.j && cJSON_IsNumber(v.j) ? num_text(v.j->valuedouble, t, sizeof t) : "");
    b[s->slot].v = (scn_value){NULL, 0};
    snprintf(b[s->slot].origin, PATH_MAX_LEN, "%s", origin);
    return v.j->valuedouble > 0 ? walk_range(L, f, at + 1, s->jump, b, depth) : 0;
}

static int walk_step(ld *L, const scn_fn *f, int *i, binding *b, int depth) {
    const step *s = &f->body[*i];
    if (--L->budget < 0) return 1; /* checked enough: the rest is like what was seen */
    switch (s->kind) {
    case STEP_AWAIT: return check_leaf(L, s, b);
    case STEP_COMPUTE: return check_number(L, &s->a, b, s->path, "compute_ms", 0, MAX_MS, 0, "a duration in ms 0..1e9");
    case STEP_SPAWN_LOCAL:
        if (L->sync) {
            char p[PATH_MAX_LEN];
            path_key(p, s->path, "spawn_local");
            return fail(L, p, "spawn_local needs an executor on this thread, but %s runs as synchronous code "
                              "(runtime.executor \"sync\" or spawn_thread): expected spawn or spawn_thread", f->name);
        }
        return walk_call(L, s, b, depth);
    case STEP_AWAIT_FN:
    case STEP_SPAWN:
    case STEP_SPAWN_THREAD: return walk_call(L, s, b, depth);
    case STEP_FOR: {
        int rc = walk_for(L, f, *i, b, depth);
        *i = s->jump;
        return rc;
    }
    default: return 0;
    }
}

static int walk_range(ld *L, const scn_fn *f, int from, int to, binding *b, int depth) {
    for (int i = from; i < to; i++) {
        int rc = walk_step(L, f, &i, b, depth);
        if (rc) return rc;
    }
    return 0;
}

static int walk_fn(ld *L, int fn, binding *args, int depth) {
    if (depth > 32) return 1; /* spawns that spawn: the limits stop a runaway at run time */
    const scn_fn *f = &L->s->fns[fn];
    int rc = walk_range(L, f, 0, f->nbody, args, depth);
    return rc < 0 ? -1 : 0;
}

static int check_values(ld *L) {
    scenario *s = L->s;
    L->hosts = net_new(NULL, 0);
    if (!L->hosts) return fail(L, "network", "out of memory");
    if (s->default_hosts) net_add_default_hosts(L->hosts);
    for (int i = 0; i < s->nhosts; i++) net_add_host(L->hosts, &s->hosts[i]);
    const scn_fn *e = &s->fns[s->entry];
    binding *b = calloc((size_t)e->nlocals + 1, sizeof *b);
    if (!b) return fail(L, "entry", "out of memory");
    for (int i = 0; i < e->nparams; i++) {
        b[i].v = (scn_value){s->entry_args[i].lit, 0};
        snprintf(b[i].origin, PATH_MAX_LEN, "args[%d]", i);
    }
    L->budget = WALK_BUDGET + WALK_PER_VALUE * L->nvalues;
    L->sync = s->executor == SCN_SYNC;
    int rc = walk_fn(L, s->entry, b, 0);
    free(b);
    return rc;
}

/* ---------- the whole load ---------- */

/* A .rs file: its scenario document is made from its `//! pinata:` comment and its lines. */
static int rs_doc(ld *L, const char *text) {
    L->s->doc = rsfront_rs_doc(L->s->path, text, strlen(text), L->err, L->errlen);
    if (!L->s->doc) L->failed++;
    return L->s->doc ? 0 : -1;
}

/* A program given as its Rust ("rust" and no "functions"): lowered into steps (sim/rsfront). */
static int lower_rust(ld *L) {
    if (!rsfront_wants(L->s->doc)) return 0;
    L->rs = 1;
    if (rsfront_lower(L->s->doc, L->s->path, L->err, L->errlen) == 0) return 0;
    L->failed++;
    return -1;
}

static void set_vtables(scenario *s) {
    for (int i = 0; i < s->nfns; i++) s->fns[i].vt.name = s->fns[i].name;
}

scenario *scenario_load(const char *path, const scenario_param *params, int nparams, char *err, size_t errlen) {
    size_t len;
    char *text = infile_read(path, INFILE_SCENARIO, &len, err, errlen);
    if (!text) return NULL;
    scenario *s = scenario_load_text(path, text, params, nparams, err, errlen);
    free(text);
    return s;
}

scenario *scenario_load_text(const char *path, const char *text, const scenario_param *params, int nparams,
                             char *err, size_t errlen) {
    scenario *s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(path))) {
        snprintf(err, errlen, "%s: out of memory", path);
        free(s);
        return NULL;
    }
    ld L = {.s = s, .err = err, .errlen = errlen};
    int rc = rsfront_is_rs(path) ? rs_doc(&L, text) : parse_doc(&L, text);
    if (!rc && !cJSON_IsObject(s->doc)) rc = fail(&L, "", "expected a JSON object (a scenario)");
    if (!rc) rc = check_doc(&L, s->doc, NULL);
    if (!rc) rc = apply_params(&L, params, nparams);
    if (!rc) rc = lower_rust(&L);
    if (!rc) rc = parse_meta(&L, s->doc) || parse_network(&L, s->doc) || parse_runtime(&L, s->doc) ||
                  parse_rust(&L, s->doc) || parse_quiz(&L, s->doc) || parse_functions(&L, s->doc) || parse_entry(&L, s->doc) ||
                  check_cycles(&L) || check_values(&L);
    net_free(L.hosts);
    if (rc || L.failed) {
        scenario_free(s);
        return NULL;
    }
    set_vtables(s);
    return s;
}

static void free_steps(step *st, int n) {
    for (int i = 0; i < n; i++) {
        free(st[i].args);
        free((char *)st[i].at);
        free(st[i].path);
    }
    free(st);
}

void scenario_free(scenario *s) {
    if (!s) return;
    for (int i = 0; i < s->nfns; i++) {
        free_steps(s->fns[i].body, s->fns[i].nbody);
        free_steps(s->fns[i].call_time, s->fns[i].ncall_time);
        free(s->fns[i].locals);
    }
    free(s->fns);
    free(s->fn_slots);
    free(s->await_order);
    free(s->hosts);
    free(s->entry_args);
    cJSON_Delete(s->doc);
    free(s->path);
    free(s);
}
