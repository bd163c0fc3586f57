/* srcpanel: the Rust source panel. See srcpanel.h for the contract. */
#include "viz/srcpanel.h"

#include <stdio.h>
#include <string.h>

enum { SRC_MAX_ROWS = 14 }; /* rows shown; a longer source scrolls with the cursor */

int32_t srcpanel_line(const tload_trace *t, const tindex *ix, long step) {
    if (!t->nsource || !t->src_line || step < 0 || !ix->n_steps) return 0;
    if ((size_t)step >= ix->n_steps) step = (long)ix->n_steps - 1;
    for (long k = step; k >= 0; k--) {
        int32_t line = srcpanel_step_line(t, ix->steps[k]);
        if (line > 0 && (size_t)line <= t->nsource) return line;
    }
    return 0;
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

float srcpanel_draw(draw_list *d, const tload_trace *t, const tindex *ix, long step, float x,
                    float y, float w, float scale, int ko) {
    if (!t->nsource) return y;
    const float s = scale > 0 ? scale : 1.0f;
    const float size = 12.5f * s, head = 12 * s, row = size * 1.5f, pad = 8 * s;
    const draw_rgba fg = draw_rgb(0x1A1A1A), muted = draw_rgb(0x4A4A4A);
    int32_t cur = srcpanel_line(t, ix, step);
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
        const char *text = untab(tload_str(t, t->source[line - 1]), buf, sizeof buf);
        if (*text) tag(draw_text(d, x + gutter, base, text, size, fg, DRAW_LEFT, lit));
    }
    tag(draw_unclip(d));
    return top + h + 4 * s;
}
