/* Shared by the viz tests: open a real run (simulated by the runner, as `pinata run`
 * does) and find draw commands by what they depict. Header-only, static: each test file
 * includes it. */
#ifndef PINATA_VIZ_FIXTURE_H
#define PINATA_VIZ_FIXTURE_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/runner.h"
#include "viz/doc.h"
#include "viz/layout.h"

/* The simulator wired into the viewer as the CLI wires it (cli/cmd_viz.c), for tests that
 * open a scenario file or a built-in; a trace opens with NULL. */
static inline const doc_sim *fx_sim(void) {
    static const doc_sim sim = {.is_builtin = runner_is_builtin, .run = runner_simulate, .ctx = NULL};
    return &sim;
}

/* Simulates example into a trace file (kept at path) and opens it (with no simulator). */
static inline void fx_open(doc *d, const char *example, const char *path, int compressed) {
    char err[1024];
    runner_opts o = {.quiet = 1};
    if (runner_run(example, path, &o, err, sizeof err) == RUNNER_ERROR) {
        fprintf(stderr, "runner: %s\n", err);
        abort();
    }
    if (doc_open(d, path, compressed, NULL, err, sizeof err)) {
        fprintf(stderr, "doc: %s\n", err);
        abort();
    }
}

/* A page: a document laid out into a draw list with a view (1600 wide, as tall as the
 * content). fx_page_new() leaves the document to open (fx_open or doc_open on p->d). */
typedef struct fx_page { doc d; draw_list dl; layout_view v; } fx_page;

static inline fx_page *fx_page_new(void) {
    fx_page *p = calloc(1, sizeof *p);
    if (!p) abort();
    layout_view_init(&p->v, 1600, 0);
    draw_list_init(&p->dl, 1600, 0, 0xFFFFFFFF);
    return p;
}

static inline void fx_page_free(fx_page *p) {
    draw_list_free(&p->dl);
    doc_close(&p->d);
    free(p);
}

/* The command with this tag and ref (first from index from), or -1. */
static inline long fx_find(const draw_list *dl, int tag, int32_t ref, size_t from) {
    for (size_t i = from; i < dl->n; i++)
        if (dl->cmd[i].tag == tag && dl->cmd[i].ref == ref) return (long)i;
    return -1;
}

static inline size_t fx_count(const draw_list *dl, int tag) {
    size_t n = 0;
    for (size_t i = 0; i < dl->n; i++) n += dl->cmd[i].tag == tag;
    return n;
}

/* A text's box: its advance width as the layout measures it (bold wider), from the
 * ascent above the baseline to the descent below. */
typedef struct fx_box { float x0, y0, x1, y1; const char *s; } fx_box;

static inline fx_box fx_text_box(const draw_list *dl, const draw_cmd *c) {
    const char *s = draw_cmd_text(dl, c);
    float w = draw_text_width_b(s, c->size, c->flags & DRAW_BOLD);
    float x0 = c->align == DRAW_RIGHT ? c->x - w : c->align == DRAW_CENTER ? c->x - w / 2 : c->x;
    return (fx_box){x0, c->y - c->size * 0.78f, x0 + w, c->y + c->size * 0.2f, s};
}

/* The first pair of texts that overlap by more than a pixel each way, or 0 (the help and
 * detail overlays are drawn over the page on purpose). */
static inline int fx_overlapping(const draw_list *dl, fx_box *a, fx_box *b) {
    for (size_t i = 0; i < dl->n; i++) {
        const draw_cmd *c = &dl->cmd[i];
        if (c->op != DRAW_TEXT || c->tag == DRAW_TAG_HELP || c->tag == DRAW_TAG_DETAIL) continue;
        fx_box p = fx_text_box(dl, c);
        if (!*p.s || p.x1 <= p.x0) continue;
        for (size_t j = i + 1; j < dl->n; j++) {
            const draw_cmd *e = &dl->cmd[j];
            if (e->op != DRAW_TEXT || e->tag == DRAW_TAG_HELP || e->tag == DRAW_TAG_DETAIL) continue;
            fx_box q = fx_text_box(dl, e);
            if (!*q.s || q.x1 <= q.x0) continue;
            float ox = (p.x1 < q.x1 ? p.x1 : q.x1) - (p.x0 > q.x0 ? p.x0 : q.x0);
            float oy = (p.y1 < q.y1 ? p.y1 : q.y1) - (p.y0 > q.y0 ? p.y0 : q.y0);
            if (ox > 1 && oy > 1) { *a = p; *b = q; return 1; }
        }
    }
    return 0;
}

/* Event index of the k-th (0-based) poll of future name with parent null or not. */
static inline int32_t fx_poll(const tload_trace *t, const char *name, int k) {
    for (size_t i = 0; i < t->n; i++) {
        const tload_event *e = &t->ev[i];
        if (e->kind == TLOAD_POLL && !strcmp(tload_str(t, e->name), name) && e->num == k + 1) return (int32_t)i;
    }
    return -1;
}

/* Writes a synthetic trace of about n events in the documented format: one task that is
 * woken, polled (a child poll inside, a system call inside that), returns Pending and
 * parks, over and over — the shape of a long-running server. Returns events written. */
static inline size_t fx_write_big(const char *path, size_t n) {
    FILE *f = fopen(path, "w");
    if (!f) abort();
    fprintf(f, "[\n{\"ph\":\"M\",\"name\":\"pinata\",\"ts\":0.000,\"pid\":1,\"tid\":0,\"args\":{\"schema\":1,"
               "\"scenario\":\"big\",\"seed\":1,\"title\":\"synthetic\",\"description\":\"many polls\"}},\n"
               "{\"ph\":\"M\",\"name\":\"thread_name\",\"ts\":0.000,\"pid\":1,\"tid\":1,\"args\":{\"name\":\"main\"}},\n");
    size_t w = 0;
    double t = 0;
    long poll = 0;
    for (long bind = 1; w + 6 < n; bind++, poll++) {
        fprintf(f, "{\"ph\":\"X\",\"cat\":\"wake\",\"name\":\"wake\",\"ts\":%.3f,\"dur\":0.200,\"pid\":1,\"tid\":1000,"
                   "\"args\":{\"task\":1,\"by\":\"fd 3 readable\",\"queued\":true},\"bind_id\":%ld,\"flow_out\":true},\n",
                t, bind);
        fprintf(f, "{\"ph\":\"X\",\"cat\":\"syscall\",\"name\":\"read\",\"ts\":%.3f,\"dur\":1.000,\"pid\":1,\"tid\":1,"
                   "\"args\":{\"call\":\"read(fd 3, 512)\",\"ret\":\"512 bytes\",\"fd\":3,\"task\":1}},\n", t + 2);
        fprintf(f, "{\"ph\":\"X\",\"cat\":\"poll\",\"name\":\"read_line\",\"ts\":%.3f,\"dur\":2.000,\"pid\":1,\"tid\":1,"
                   "\"args\":{\"task\":1,\"future\":2,\"parent\":1,\"result\":\"Pending\",\"poll\":%ld,\"from\":\"read\",\"at\":\"read\"}},\n",
                t + 1.5, poll + 1);
        fprintf(f, "{\"ph\":\"X\",\"cat\":\"poll\",\"name\":\"serve\",\"ts\":%.3f,\"dur\":3.000,\"pid\":1,\"tid\":1,"
                   "\"args\":{\"task\":1,\"future\":1,\"parent\":null,\"result\":\"Pending\",\"poll\":%ld,\"from\":\"read_line\",\"at\":\"read_line\"},"
                   "\"bind_id\":%ld,\"flow_in\":true},\n", t + 1, poll + 1, bind);
        fprintf(f, "{\"ph\":\"i\",\"s\":\"t\",\"cat\":\"waker\",\"name\":\"register\",\"ts\":%.3f,\"pid\":1,\"tid\":1,"
                   "\"args\":{\"task\":1,\"wakers\":1,\"on\":\"fd 3 readable\"}},\n", t + 3.5);
        fprintf(f, "{\"ph\":\"X\",\"cat\":\"park\",\"name\":\"park\",\"ts\":%.3f,\"dur\":%.3f,\"pid\":1,\"tid\":1,"
                   "\"args\":{\"thread\":1,\"until\":\"fd 3 readable\"}},\n", t + 4, 96.0);
        t += 100;
        w += 6;
    }
    fprintf(f, "{\"ph\":\"X\",\"cat\":\"executor\",\"name\":\"block_on\",\"ts\":0.000,\"dur\":%.3f,\"pid\":1,\"tid\":1,"
               "\"args\":{\"tasks\":1}},\n", t);
    fprintf(f, "{\"ph\":\"i\",\"s\":\"t\",\"cat\":\"run\",\"name\":\"end\",\"ts\":%.3f,\"pid\":1,\"tid\":1000,"
               "\"args\":{\"result\":\"ok\",\"virtual_us\":%.3f,\"polls\":%ld,\"events\":%zu}}\n]\n", t, t, poll * 2, w + 2);
    fclose(f);
    return w + 2;
}

#endif
