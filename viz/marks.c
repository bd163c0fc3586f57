/* marks: slide marks and their words. See marks.h. */
#include "viz/marks.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "viz/msg.h"

/* Every shape is made of convex pieces: the backends fill polygons as triangle fans. */
static void tag_both(draw_cmd *a, draw_cmd *b, int tag, int32_t ref) {
    if (a) { a->tag = (uint8_t)tag; a->ref = ref; }
    if (b) { b->tag = (uint8_t)tag; b->ref = ref; }
}

void marks_err(draw_list *d, float x, float yc, float r, draw_rgba fill, int tag, int32_t ref) {
    float b = r * 0.3f; /* half the width of an arm of the ✕ */
    float p1[8] = {x - r - b, yc - r + b, x - r + b, yc - r - b, x + r + b, yc + r - b, x + r - b, yc + r + b};
    float p2[8] = {x + r - b, yc - r - b, x + r + b, yc - r + b, x - r + b, yc + r + b, x - r - b, yc + r - b};
    draw_cmd *a = draw_poly(d, p1, 4, fill, 0, 0);
    size_t ia = d->n - 1;
    draw_cmd *c = draw_poly(d, p2, 4, fill, 0, 0);
    tag_both(a ? &d->cmd[ia] : NULL, c, tag, ref); /* the second command may have moved the list */
}

draw_cmd *marks_flag(draw_list *d, float x, float y_top, float y_foot, float s, int task_local, draw_rgba fill) {
    draw_line(d, x, y_top, x, y_foot, fill, 1.2f * s, 0);
    float h = 7 * s;
    if (task_local) { /* a square flag: the value travels with the task */
        float p[8] = {x, y_top, x + h, y_top, x + h, y_top + h, x, y_top + h};
        return draw_poly(d, p, 4, fill, 0, 0);
    }
    float p[6] = {x, y_top, x + 1.4f * h, y_top + h / 2, x, y_top + h}; /* a pennant: the thread's */
    return draw_poly(d, p, 3, fill, 0, 0);
}

draw_cmd *marks_move(draw_list *d, float x, float yc, float s, draw_rgba fill) {
    float w = 12 * s, h = 4 * s; /* a shaft and a head ending at x */
    draw_rect(d, x - w, yc - h / 4, w - 4 * s, h / 2, fill, 0, 0);
    float p[6] = {x - 5 * s, yc - h, x, yc, x - 5 * s, yc + h};
    return draw_poly(d, p, 3, fill, 0, 0);
}

void marks_create(draw_list *d, float x, float yc, float r, draw_rgba fill, int tag, int32_t ref) {
    float b = r * 0.3f; /* a plus: two bars */
    draw_cmd *a = draw_rect(d, x - b, yc - r, 2 * b, 2 * r, fill, 0, 0);
    size_t ia = d->n - 1;
    draw_cmd *c = draw_rect(d, x - r, yc - b, 2 * r, 2 * b, fill, 0, 0);
    tag_both(a ? &d->cmd[ia] : NULL, c, tag, ref);
}

draw_cmd *marks_no_progress(draw_list *d, float x, float yc, float r, float lw, draw_rgba col) {
    draw_cmd *c = draw_circle(d, x, yc, r, draw_rgb(0xFFFFFF), col, lw);
    size_t ic = d->n - 1;
    float k = r * 1.25f; /* the slash passes the rim: it reads as "nothing" at small sizes */
    draw_line(d, x - k * 0.7f, yc + k * 0.7f, x + k * 0.7f, yc - k * 0.7f, col, lw, 0);
    return c ? &d->cmd[ic] : NULL; /* the line may have moved the list */
}

draw_cmd *marks_panic(draw_list *d, float x, float yc, float r, draw_rgba fill, float text_size) {
    float p[16];
    for (int i = 0; i < 8; i++) { /* a regular octagon, flat on top like a stop sign */
        float a = 3.14159265f / 8.0f + (float)i * 3.14159265f / 4.0f;
        p[2 * i] = x + r * cosf(a);
        p[2 * i + 1] = yc + r * sinf(a);
    }
    draw_cmd *c = draw_poly(d, p, 8, fill, draw_rgb(0xFFFFFF), 1.0f);
    size_t ic = d->n - 1;
    draw_text(d, x, yc + text_size * 0.36f, "!", text_size, draw_rgb(0xFFFFFF), DRAW_CENTER, 1);
    return c ? &d->cmd[ic] : NULL;
}

draw_cmd *marks_torn(draw_list *d, float x, float y, float h, float s, draw_rgba bg) {
    draw_rect(d, x - 0.5f * s, y - s, 2.5f * s, h + 2 * s, bg, 0, 0); /* the bar's right outline */
    draw_cmd *c = NULL;
    for (int k = 0; k < 2; k++) { /* convex pieces: triangles */
        float y0 = y + h * (float)k / 2, y1 = y + h * (float)(k + 1) / 2;
        float p[6] = {x + 0.5f * s, y0, x - 9 * s, (y0 + y1) / 2, x + 0.5f * s, y1};
        c = draw_poly(d, p, 3, bg, 0, 0);
    }
    return c;
}

const char *marks_no_progress_label(int32_t by, msg_lang lang, char *buf, size_t len) {
    char task[24];
    snprintf(task, sizeof task, "%d", by);
    const char *args[] = {task, NULL};
    if (by > 0) return msg_fmt(buf, len, lang, MSG_POLL_WOKEN_OTHER, args);
    snprintf(buf, len, "%s", msg_template(MSG_POLL_SPURIOUS, lang));
    return buf;
}

const char *marks_local_label(const tload_trace *t, const tload_event *e, char *buf, size_t len) {
    int set = !strcmp(tload_str(t, tload_local_op(e)), "set");
    snprintf(buf, len, "%s %s %s", tload_str(t, tload_local_key(e)), set ? "=" : "→", tload_str(t, tload_local_value(e)));
    return buf;
}

const char *marks_local_value(const tload_trace *t, const tload_event *e, char *buf, size_t len) {
    snprintf(buf, len, "%s %s", strcmp(tload_str(t, tload_local_op(e)), "set") ? "→" : "=", tload_str(t, tload_local_value(e)));
    return buf;
}

/* The first statement of a source line, and of `let x = work` its work. */
static void first_work(const char *line, char *buf, size_t len) {
    while (*line == ' ') line++;
    size_t n = strcspn(line, ";");
    if (!strncmp(line, "let ", 4) && memchr(line, '=', n)) {
        const char *eq = memchr(line, '=', n);
        n -= (size_t)(eq + 1 - line);
        line = eq + 1;
        while (*line == ' ' && n) { line++; n--; }
    }
    snprintf(buf, len, "%.*s", (int)n, line);
}

const char *marks_call_time_work(const tload_trace *t, size_t i, char *buf, size_t len) {
    if (i >= t->n || t->ev[i].kind != TLOAD_COMPUTE || strncmp(tload_str(t, tload_compute_why(&t->ev[i])), "call time", 9))
        return NULL;
    int32_t line = tload_src_line(t, i);
    buf[0] = '\0';
    if (line > 0 && (size_t)line <= t->nsource) first_work(tload_str(t, t->source[line - 1]), buf, len);
    return buf;
}

const char *marks_err_name(const char *err) {
    return *err == '-' ? trace_net_err_name((int)strtol(err, NULL, 10)) : err;
}
