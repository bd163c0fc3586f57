#include "sim/trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TRACE_BUF (1 << 16)
#define TRACE_SLACK 4096 /* an event's fixed part always fits in the slack */

struct trace {
    FILE *f;
    int own;            /* we opened f and must close it */
    char *path;         /* final path, or NULL for a stream */
    char *tmp;          /* temporary path being written */
    char buf[TRACE_BUF + TRACE_SLACK];
    size_t len;
    uint64_t events;
    uint64_t flows;
    int nargs;          /* args written in the current event; -1 before "args" opened */
    uint64_t flow_id;   /* pending flow of the current event */
    int flow_out;
    int io_error;
};

static void flush(trace_t *t) {
    if (t->len && fwrite(t->buf, 1, t->len, t->f) != t->len) t->io_error = 1;
    t->len = 0;
}

static void put(trace_t *t, const char *s, size_t n) {
    if (t->len + n > TRACE_BUF) flush(t);
    if (n > TRACE_BUF) { /* huge raw value: write through */
        if (fwrite(s, 1, n, t->f) != n) t->io_error = 1;
        return;
    }
    memcpy(t->buf + t->len, s, n);
    t->len += n;
}

static void puts_(trace_t *t, const char *s) { put(t, s, strlen(s)); }

/* Hand-rolled integer formatting: snprintf is most of the cost of an event. */
static size_t fmt_u64(char *out, uint64_t v) {
    char tmp[24];
    size_t n = 0;
    do { tmp[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    for (size_t i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
    return n;
}

static void put_int(trace_t *t, int64_t v) {
    char b[24];
    size_t n = 0;
    if (v < 0) { b[n++] = '-'; v = -v; }
    n += fmt_u64(b + n, (uint64_t)v);
    put(t, b, n);
}

/* Nanoseconds as microseconds with three decimals, e.g. 1500 -> "1.500". */
static void put_us(trace_t *t, int64_t ns) {
    char b[32];
    size_t n = 0;
    if (ns < 0) { b[n++] = '-'; ns = -ns; }
    n += fmt_u64(b + n, (uint64_t)(ns / 1000));
    int64_t frac = ns % 1000;
    b[n++] = '.';
    b[n++] = (char)('0' + frac / 100);
    b[n++] = (char)('0' + frac / 10 % 10);
    b[n++] = (char)('0' + frac % 10);
    put(t, b, n);
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

static void put_str(trace_t *t, const char *s) {
    char b[1024];
    put(t, "\"", 1);
    /* Fast path: most names need no escaping. */
    if (!strpbrk(s, "\"\\\n\t\r\b\f")) puts_(t, s);
    else put(t, b, trace_escape(b, sizeof b, s));
    put(t, "\"", 1);
}

static trace_t *trace_new(FILE *f) {
    trace_t *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->f = f;
    puts_(t, "[\n");
    return t;
}

trace_t *trace_open_stream(FILE *f) { return trace_new(f); }

trace_t *trace_open(const char *path) {
    if (strcmp(path, "-") == 0) return trace_new(stdout);
    size_t n = strlen(path);
    char *tmp = malloc(n + 5);
    if (!tmp) return NULL;
    memcpy(tmp, path, n);
    memcpy(tmp + n, ".tmp", 5);
    FILE *f = fopen(tmp, "wb");
    if (!f) { free(tmp); return NULL; }
    trace_t *t = trace_new(f);
    if (!t) { fclose(f); remove(tmp); free(tmp); return NULL; }
    t->own = 1;
    t->tmp = tmp;
    t->path = strdup(path);
    return t;
}

int trace_close(trace_t *t, int keep) {
    if (!t) return 0;
    puts_(t, "\n]\n");
    flush(t);
    int rc = t->io_error ? -1 : 0;
    if (t->own) {
        if (fclose(t->f) != 0) rc = -1;
        if (keep && rc == 0) {
            if (rename(t->tmp, t->path) != 0) rc = -1;
        }
        if (!keep || rc != 0) remove(t->tmp);
    } else if (fflush(t->f) != 0) {
        rc = -1;
    }
    free(t->tmp);
    free(t->path);
    free(t);
    return rc;
}

void trace_begin(trace_t *t, const char *ph, const char *cat, const char *name, int tid,
                 int64_t ts_ns, int64_t dur_ns) {
    if (!t) return;
    if (t->events++) puts_(t, ",\n");
    puts_(t, "{\"ph\":\"");
    puts_(t, ph);
    puts_(t, "\"");
    if (ph[0] == 'i') puts_(t, ",\"s\":\"t\"");
    if (cat) { puts_(t, ",\"cat\":"); put_str(t, cat); }
    puts_(t, ",\"name\":");
    put_str(t, name);
    puts_(t, ",\"ts\":");
    put_us(t, ts_ns);
    if (ph[0] == 'X') { puts_(t, ",\"dur\":"); put_us(t, dur_ns); }
    puts_(t, ",\"pid\":1,\"tid\":");
    put_int(t, tid);
    t->nargs = -1;
    t->flow_id = 0;
}

static void arg_key(trace_t *t, const char *key) {
    puts_(t, t->nargs < 0 ? ",\"args\":{" : ",");
    t->nargs = t->nargs < 0 ? 1 : t->nargs + 1;
    put_str(t, key);
    put(t, ":", 1);
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
    puts_(t, "null");
}

void trace_arg_bool(trace_t *t, const char *key, int v) {
    if (!t) return;
    arg_key(t, key);
    puts_(t, v ? "true" : "false");
}

void trace_arg_raw(trace_t *t, const char *key, const char *json) {
    if (!t) return;
    arg_key(t, key);
    puts_(t, json);
}

void trace_flow(trace_t *t, uint64_t bind_id, int out) {
    if (!t) return;
    t->flow_id = bind_id;
    t->flow_out = out;
}

void trace_end(trace_t *t) {
    if (!t) return;
    if (t->nargs >= 0) put(t, "}", 1);
    if (t->flow_id) {
        puts_(t, ",\"bind_id\":");
        put_int(t, (int64_t)t->flow_id);
        puts_(t, t->flow_out ? ",\"flow_out\":true" : ",\"flow_in\":true");
    }
    put(t, "}", 1);
}

uint64_t trace_next_flow(trace_t *t) { return t ? ++t->flows : 0; }
uint64_t trace_events(const trace_t *t) { return t ? t->events : 0; }
