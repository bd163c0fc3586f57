#include "util_trace.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/wait.h>

#include "sim/runner.h"

int ut_run(const char *name, const char *path) {
    runner_opts o = {.quiet = 1};
    char err[512];
    return runner_run(name, path, &o, err, sizeof err);
}

char *ut_slurp(const char *path, long *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) { free(buf); buf = NULL; }
    if (buf) buf[n] = 0;
    fclose(f);
    if (len) *len = n;
    return buf;
}

cJSON *ut_load(const char *path) {
    char *s = ut_slurp(path, NULL);
    if (!s) return NULL;
    cJSON *j = cJSON_Parse(s);
    free(s);
    return j;
}

const char *ut_str(const cJSON *ev, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(ev, key);
    return cJSON_IsString(v) ? v->valuestring : "";
}

static const cJSON *arg(const cJSON *ev, const char *key) {
    return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(ev, "args"), key);
}

const char *ut_arg_str(const cJSON *ev, const char *key) {
    const cJSON *v = arg(ev, key);
    return cJSON_IsString(v) ? v->valuestring : "";
}

double ut_arg_num(const cJSON *ev, const char *key) {
    const cJSON *v = arg(ev, key);
    return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

int ut_arg_is_null(const cJSON *ev, const char *key) { return cJSON_IsNull(arg(ev, key)); }

double ut_num(const cJSON *ev, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(ev, key);
    return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

int ut_is(const cJSON *ev, const char *ph, const char *cat, const char *name) {
    return (!ph || !strcmp(ut_str(ev, "ph"), ph)) && (!cat || !strcmp(ut_str(ev, "cat"), cat)) &&
           (!name || !strcmp(ut_str(ev, "name"), name));
}

int ut_count(const cJSON *trace, const char *ph, const char *cat, const char *name, int task) {
    int n = 0;
    const cJSON *ev;
    cJSON_ArrayForEach(ev, trace) {
        if (ut_is(ev, ph, cat, name) && (task < 0 || ut_arg_num(ev, "task") == task)) n++;
    }
    return n;
}

void ut_world_open(ut_world *w, const exec_config *c, uint64_t seed) {
    memset(w, 0, sizeof *w);
    reactor_init(&w->r);
    w->f = open_memstream(&w->buf, &w->len);
    w->t = trace_open_stream(w->f);
    w->ex = exec_new(c, &w->r, w->t);
    w->net = net_new(w->ex, seed);
}

cJSON *ut_world_close(ut_world *w) {
    exec_free(w->ex); /* first: the network may still hold wakers (exec.h) */
    net_free(w->net);
    reactor_free(&w->r);
    trace_close(w->t, 1);
    fclose(w->f);
    cJSON *j = cJSON_Parse(w->buf);
    free(w->buf);
    return j;
}

int ut_pinata(const char *args, char *out, size_t cap) {
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "env -u DISPLAY -u WAYLAND_DISPLAY %s %s 2>&1", PINATA_BINARY, args);
    FILE *p = popen(cmd, "r");
    if (!p) return -1;
    size_t n = fread(out, 1, cap - 1, p);
    out[n] = 0;
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

size_t ut_temporaries(const char *path) {
    const char *slash = strrchr(path, '/');
    int dir = slash ? (int)(slash - path) + 1 : 0;
    char pat[1024];
    snprintf(pat, sizeof pat, "%.*s.pinata-%s-*", dir, path, path + dir);
    glob_t g;
    size_t n = glob(pat, GLOB_PERIOD, NULL, &g) == 0 ? g.gl_pathc : 0;
    globfree(&g);
    return n;
}

int ut_same_bytes(const char *a, const char *b) {
    long na = 0, nb = 0;
    char *x = ut_slurp(a, &na), *y = ut_slurp(b, &nb);
    int r = !y ? -1 : x && na == nb && memcmp(x, y, (size_t)na) == 0;
    free(x);
    free(y);
    return r;
}
