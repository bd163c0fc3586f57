/* srcpanel: the Rust source panel. See srcpanel.h for the contract. */
#include "viz/srcpanel.h"

#include <stdio.h>
#include <string.h>

enum { SRC_MAX_ROWS = 14 }; /* rows shown; a longer source scrolls with the cursor */

/* The line to light at step and the columns of the expression on it (0: the whole line). */
static int32_t line_at(const tload_trace *t, const tindex *ix, long step, int *col, int *end_col) {
    *col = *end_col = 0;
    if (!t->nsource || !t->src_line || step < 0 || !ix->n_steps) return 0;
    if ((size_t)step >= ix->n_steps) step = (long)ix->n_steps - 1;
    for (long k = step; k >= 0; k--) {
        int32_t line = srcpanel_step_line(t, ix->steps[k]);
        if (line > 0 && (size_t)line <= t->nsource) {
            srcpanel_step_cols(t, ix->steps[k], col, end_col);
            return line;
        }
    }
    return 0;
}

int32_t srcpanel_line(const tload_trace *t, const tindex *ix, long step) {
    int col, end_col;
    return line_at(t, ix, step, &col, &end_col);
}

void srcpanel_cols(const tload_trace *t, const tindex *ix, long step, int *col, int *end_col) {
    line_at(t, ix, step, col, end_col);
}

void srcpanel_step_cols(const tload_trace *t, uint32_t code, int *col, int *end_col) {
    size_t i = tindex_step_event(code);
    int from = !tindex_step_is_end(code) && tload_src_from(t, i) > 0;
    tload_src_cols(t, i, from, col, end_col);
}

int32_t srcpanel_step_line(const tload_trace *t, uint32_t code) {
    size_t i = tindex_step_event(code);
    int32_t from = tindex_step_is_end(code) ? 0 : tload_src_from(t, i);
    return from > 0 ? from : tload_src_line(t, i);
}

static void tag(draw_cmd *c) {
    if (c) c->tag = DRAW_TAG_SOURCE;
}

/* Tabs become four spaces (the text backends draw no tab stops). */
static const char *untab(const char *s, char *buf, size_t len) {
    if (!strchr(s, '\t')) return s;
    size_t n = 0;
    for (; *s && n + 5 < len; s++) {
        if (*s == '\t') { memcpy(buf + n, "    ", 4); n += 4; }
        else buf[n++] = *s;
    }
    buf[n] = '\0';
    return buf;
}

/* The width of the first n bytes of a source line, tabs as the panel draws them. */
static float prefix_width(const char *line, size_t n, float size) {
    char cut[1024], buf[1024];
    if (n >= sizeof cut) n = sizeof cut - 1;
    memcpy(cut, line, n);
    cut[n] = '\0';
    return draw_text_width_b(untab(cut, buf, sizeof buf), size, 1); /* the lit line is bold */
}

/* The expression being polled (bytes col..end_col-1 of the line; end_col 0: to the line's
 * end), behind the lit line's text. */
static void expr_rect(draw_list *d, const char *line, int col, int end_col, float x, float y, float h, float size) {
    size_t len = strlen(line), a = (size_t)col - 1, b = end_col > col ? (size_t)end_col - 1 : len;
    if (a >= len) return;
    if (b > len) b = len;
    float x0 = x + prefix_width(line, a, size), x1 = x + prefix_width(line, b, size);
    if (x1 > x0) tag(draw_rect(d, x0 - 1, y + 1, x1 - x0 + 2, h - 2, SRCPANEL_EXPR, 0, 0));
}

float srcpanel_draw(draw_list *d, const tload_trace *t, const tindex *ix, long step, float x,
                    float y, float w, float scale, int ko) {
    if (!t->nsource) return y;
    const float s = scale > 0 ? scale : 1.0f;
    const float size = 12.5f * s, head = 12 * s, row = size * 1.5f, pad = 8 * s;
    const draw_rgba fg = draw_rgb(0x1A1A1A), muted = draw_rgb(0x4A4A4A);
    int ecol = 0, eend = 0;
    int32_t cur = line_at(t, ix, step, &ecol, &eend);
    size_t n = t->nsource, rows = n < SRC_MAX_ROWS ? n : SRC_MAX_ROWS, first = 0;
    if (n > rows && cur > 0) { /* keep the current line in view, a few lines of context above */
        size_t want = (size_t)cur - 1 > rows / 3 ? (size_t)cur - 1 - rows / 3 : 0;
        first = want + rows > n ? n - rows : want;
    }
    float top = y + 6 * s, h = pad + head * 1.6f + (float)rows * row + pad;
    tag(draw_rect(d, x, top, w, h, draw_rgb(0xFAFAF7), draw_rgb(0x404040), s));

    char title[96], num[16], buf[1024];
    if (cur > 0)
        snprintf(title, sizeof title, ko ? "Rust 소스: %d번째 줄" : "Rust source: line %d", (int)cur);
    else
        snprintf(title, sizeof title, "%s", ko ? "Rust 소스" : "Rust source");
    if (n > rows) {
        size_t len = strlen(title);
        snprintf(title + len, sizeof title - len, ko ? " (%zu–%zu / %zu줄)" : " (lines %zu–%zu of %zu)",
                 first + 1, first + rows, n);
    }
    tag(draw_text(d, x + pad, top + pad + head, title, head, muted, DRAW_LEFT, 1));

    const float gutter = draw_text_width("▶ 000", size) + pad, y0 = top + pad + head * 1.6f;
    tag(draw_clip(d, x + 1, top + 1, w - 2, h - 2));
    for (size_t r = 0; r < rows; r++) {
        size_t line = first + r + 1;
        int lit = (int32_t)line == cur;
        float ry = y0 + (float)r * row, base = ry + row * 0.72f;
        if (lit) {
            tag(draw_rect(d, x + 2 * s, ry, w - 4 * s, row, SRCPANEL_HILITE, 0, 0));
            tag(draw_text(d, x + pad, base, "▶", size, draw_rgb(0xC0002A), DRAW_LEFT, 1));
        }
        snprintf(num, sizeof num, "%zu", line);
        tag(draw_text(d, x + gutter - pad * 0.75f, base, num, size, lit ? fg : muted, DRAW_RIGHT, 0));
        if (lit && ecol > 0) expr_rect(d, tload_str(t, t->source[line - 1]), ecol, eend, x + gutter, ry, row, size);
        const char *text = untab(tload_str(t, t->source[line - 1]), buf, sizeof buf);
        if (*text) tag(draw_text(d, x + gutter, base, text, size, fg, DRAW_LEFT, lit));
    }
    tag(draw_unclip(d));
    return top + h + 4 * s;
}
