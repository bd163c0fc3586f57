#include "sim/rsfront.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/rslex.h"
#include "sim/rslower.h"
#include "sim/rsparse.h"

int rsfront_is_rs(const char *path) {
    size_t n = strlen(path);
    return n > 3 && !strcmp(path + n - 3, ".rs");
}

const char *rsfront_prefix(const char *path, char *buf, size_t cap) {
    snprintf(buf, cap, rsfront_is_rs(path) ? "%s" : "%s: rust", path);
    return buf;
}

int rsfront_wants(const cJSON *doc) {
    return cJSON_IsObject(doc) && cJSON_GetObjectItemCaseSensitive(doc, "rust") &&
           !cJSON_GetObjectItemCaseSensitive(doc, "functions");
}

/* The lines of "rust" joined with '\n': the text the tokens' lines count in. */
static char *join_lines(const cJSON *rust, const char *path, size_t *len, char *err, size_t errlen) {
    size_t n = 0;
    int i = 0;
    if (!cJSON_IsArray(rust)) {
        snprintf(err, errlen, "%s: rust: expected an array of lines of Rust source", path);
        return NULL;
    }
    for (const cJSON *l = rust->child; l; l = l->next, i++) {
        if (!cJSON_IsString(l)) {
            snprintf(err, errlen, "%s: rust[%d]: expected a line of Rust source (a string)", path, i);
            return NULL;
        }
        n += strlen(l->valuestring) + 1;
    }
    char *text = malloc(n + 1), *p = text;
    if (!text) { snprintf(err, errlen, "%s: out of memory", path); return NULL; }
    for (const cJSON *l = rust->child; l; l = l->next) {
        size_t k = strlen(l->valuestring);
        memcpy(p, l->valuestring, k);
        p += k;
        *p++ = '\n';
    }
    *p = 0;
    *len = n;
    return text;
}

int rsfront_lower(cJSON *doc, const char *path, char *err, size_t errlen) {
    size_t len = 0;
    char prefix[512];
    char *text = join_lines(cJSON_GetObjectItemCaseSensitive(doc, "rust"), path, &len, err, errlen);
    if (!text) return -1;
    rsfront_prefix(path, prefix, sizeof prefix);
    rslex lx;
    rsparse ps = {.items = -1};
    int rc = rslex_run(&lx, text, len, prefix, err, errlen);
    if (rc == 0) rc = rsparse_run(&ps, &lx, prefix, err, errlen);
    if (rc == 0) rc = rslower_run(&ps, doc, prefix, err, errlen);
    rsparse_free(&ps);
    rslex_free(&lx);
    free(text);
    return rc;
}

/* ---------- a .rs file ---------- */

static const char *base_name(const char *path, size_t *n) {
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    *n = strlen(b) - 3; /* without ".rs" */
    return b;
}

/* The text of the leading `//!` lines from the one that starts "pinata:" on, and its line. */
static char *header(const char *text, size_t len, int *hline) {
    size_t i = 0, cap = 256, n = 0;
    int line = 1, in = 0;
    char *out = malloc(cap);
    if (!out) return NULL;
    out[0] = 0;
    *hline = 0;
    while (i < len) {
        size_t e = i;
        while (e < len && text[e] != '\n') e++;
        const char *l = text + i;
        size_t k = e - i;
        while (k && (*l == ' ' || *l == '\t')) l++, k--;
        if (k < 3 || strncmp(l, "//!", 3)) break;
        l += 3, k -= 3;
        while (k && (*l == ' ' || *l == '\t')) l++, k--;
        if (!in && k >= 7 && !strncmp(l, "pinata:", 7)) { in = 1; *hline = line; l += 7, k -= 7; }
        if (in) {
            if (n + k + 2 > cap) {
                while (n + k + 2 > cap) cap *= 2;
                char *a = realloc(out, cap);
                if (!a) { free(out); return NULL; }
                out = a;
            }
            memcpy(out + n, l, k);
            n += k;
            out[n++] = '\n';
            out[n] = 0;
        }
        i = e + 1;
        line++;
    }
    return out;
}

static cJSON *source_lines(const char *text, size_t len) {
    cJSON *a = cJSON_CreateArray();
    size_t i = 0;
    while (a && i < len) {
        size_t e = i;
        while (e < len && text[e] != '\n') e++;
        size_t k = e - i;
        if (k && text[i + k - 1] == '\r') k--;
        char *l = malloc(k + 1);
        if (!l) { cJSON_Delete(a); return NULL; }
        memcpy(l, text + i, k);
        l[k] = 0;
        cJSON_AddItemToArray(a, cJSON_CreateString(l));
        free(l);
        i = e + 1;
    }
    return a;
}

cJSON *rsfront_rs_doc(const char *path, const char *text, size_t len, char *err, size_t errlen) {
    int hline = 0;
    if (memchr(text, 0, len)) {
        snprintf(err, errlen, "%s: a NUL byte in the file: expected Rust source text", path);
        return NULL;
    }
    char *h = header(text, len, &hline);
    if (!h) { snprintf(err, errlen, "%s: out of memory", path); return NULL; }
    cJSON *doc = hline ? cJSON_ParseWithOpts(h, NULL, 0) : cJSON_CreateObject();
    free(h);
    if (!cJSON_IsObject(doc)) {
        cJSON_Delete(doc);
        snprintf(err, errlen, "%s:%d:1: the '//! pinata:' comment: expected a JSON object ({\"network\": ..., \"runtime\": ...}) "
                              "on the //! lines at the top of the file", path, hline);
        return NULL;
    }
    static const char *const own[] = {"rust", "functions", "entry", "args", NULL};
    for (int i = 0; own[i]; i++)
        if (cJSON_GetObjectItemCaseSensitive(doc, own[i])) {
            snprintf(err, errlen, "%s:%d:1: the '//! pinata:' comment gives \"%s\": expected it from the Rust program itself", path, hline, own[i]);
            cJSON_Delete(doc);
            return NULL;
        }
    if (!cJSON_GetObjectItemCaseSensitive(doc, "name")) {
        size_t n;
        const char *b = base_name(path, &n);
        char name[128];
        snprintf(name, sizeof name, "%.*s", (int)(n < 127 ? n : 127), b);
        cJSON_AddStringToObject(doc, "name", name);
    }
    cJSON *lines = source_lines(text, len);
    if (!lines) { cJSON_Delete(doc); snprintf(err, errlen, "%s: out of memory", path); return NULL; }
    cJSON_AddItemToObject(doc, "rust", lines);
    return doc;
}

/* ---------- places of lowered steps ---------- */

void rsfront_place(const cJSON *doc, const char *path, int *line, int *col) {
    *line = *col = 0;
    const cJSON *cur = doc;
    const char *p = path;
    while (cur && *p) {
        if (*p == '.') p++;
        if (*p == '[') {
            cur = cJSON_GetArrayItem(cur, atoi(p + 1));
            p = strchr(p, ']');
            if (!p) break;
            p++;
        } else {
            char key[128];
            size_t k = strcspn(p, ".[");
            snprintf(key, sizeof key, "%.*s", (int)(k < 127 ? k : 127), p);
            cur = cJSON_IsObject(cur) ? cJSON_GetObjectItemCaseSensitive(cur, key) : NULL;
            p += k;
        }
        const cJSON *l = cJSON_IsObject(cur) ? cJSON_GetObjectItemCaseSensitive(cur, "line") : NULL;
        const cJSON *c = cJSON_IsObject(cur) ? cJSON_GetObjectItemCaseSensitive(cur, "col") : NULL;
        if (cJSON_IsNumber(l) && cJSON_IsNumber(c)) {
            *line = l->valueint;
            *col = c->valueint;
        }
    }
}
