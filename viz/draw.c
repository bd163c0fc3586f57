/* draw: the draw-command list. See draw.h. */
#include "viz/draw.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "trace/utf8.h"

void draw_list_init(draw_list *d, float width, float height, draw_rgba background) {
    memset(d, 0, sizeof *d);
    d->width = width;
    d->height = height;
    d->background = background;
}

void draw_list_clear(draw_list *d) {
    d->n = d->tlen = d->npts = 0;
}

void draw_list_free(draw_list *d) {
    free(d->cmd);
    free(d->text);
    free(d->pts);
    memset(d, 0, sizeof *d);
}

static draw_cmd *push(draw_list *d, draw_op op) {
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 1024;
        draw_cmd *p = realloc(d->cmd, cap * sizeof *p);
        if (!p) return NULL;
        d->cmd = p;
        d->cap = cap;
    }
    draw_cmd *c = &d->cmd[d->n++];
    memset(c, 0, sizeof *c);
    c->op = (uint8_t)op;
    c->ref = -1;
    return c;
}

draw_cmd *draw_rect(draw_list *d, float x, float y, float w, float h, draw_rgba fill, draw_rgba stroke, float lw) {
    draw_cmd *c = push(d, DRAW_RECT);
    if (!c) return NULL;
    c->x = x; c->y = y; c->w = w; c->h = h;
    c->fill = fill; c->stroke = stroke; c->lw = lw;
    return c;
}

draw_cmd *draw_line(draw_list *d, float x1, float y1, float x2, float y2, draw_rgba col, float lw, int dashed) {
    draw_cmd *c = push(d, DRAW_LINE);
    if (!c) return NULL;
    c->x = x1; c->y = y1; c->w = x2; c->h = y2;
    c->stroke = col; c->lw = lw;
    c->flags = dashed ? DRAW_DASHED : 0;
    return c;
}

draw_cmd *draw_arrow(draw_list *d, float x1, float y1, float x2, float y2, draw_rgba col, float lw) {
    draw_cmd *c = draw_line(d, x1, y1, x2, y2, col, lw, 0);
    if (c) c->op = DRAW_ARROW;
    return c;
}

static uint32_t put_text(draw_list *d, const char *s) {
    size_t n = strlen(s) + 1;
    if (d->tlen + n > d->tcap) {
        size_t cap = d->tcap ? d->tcap * 2 : 4096;
        while (cap < d->tlen + n) cap *= 2;
        char *p = realloc(d->text, cap);
        if (!p) return UINT32_MAX;
        d->text = p;
        d->tcap = cap;
    }
    memcpy(d->text + d->tlen, s, n);
    uint32_t at = (uint32_t)d->tlen;
    d->tlen += n;
    return at;
}

draw_cmd *draw_text(draw_list *d, float x, float y, const char *s, float size, draw_rgba col, int align, int bold) {
    uint32_t at = put_text(d, s);
    if (at == UINT32_MAX) return NULL;
    draw_cmd *c = push(d, DRAW_TEXT);
    if (!c) return NULL;
    c->x = x; c->y = y; c->size = size; c->fill = col;
    c->align = (uint8_t)align;
    c->flags = bold ? DRAW_BOLD : 0;
    c->data = at;
    c->w = draw_text_width(s, size); /* for hit tests and backends that need a box */
    c->h = size;
    return c;
}

draw_cmd *draw_clip(draw_list *d, float x, float y, float w, float h) {
    draw_cmd *c = push(d, DRAW_CLIP);
    if (c) { c->x = x; c->y = y; c->w = w; c->h = h; }
    return c;
}

draw_cmd *draw_unclip(draw_list *d) { return push(d, DRAW_UNCLIP); }

draw_cmd *draw_poly(draw_list *d, const float *xy, int npts, draw_rgba fill, draw_rgba stroke, float lw) {
    if (d->npts + (size_t)npts > d->pcap) {
        size_t cap = d->pcap ? d->pcap * 2 : 1024;
        while (cap < d->npts + (size_t)npts) cap *= 2;
        float *p = realloc(d->pts, cap * 2 * sizeof *p);
        if (!p) return NULL;
        d->pts = p;
        d->pcap = cap;
    }
    draw_cmd *c = push(d, DRAW_POLY);
    if (!c) return NULL;
    memcpy(d->pts + d->npts * 2, xy, (size_t)npts * 2 * sizeof *xy);
    c->data = (uint32_t)d->npts;
    c->npts = (uint32_t)npts;
    d->npts += (size_t)npts;
    c->fill = fill; c->stroke = stroke; c->lw = lw;
    /* bounding box, for hit tests */
    float x0 = xy[0], x1 = xy[0], y0 = xy[1], y1 = xy[1];
    for (int i = 1; i < npts; i++) {
        if (xy[2 * i] < x0) x0 = xy[2 * i];
        if (xy[2 * i] > x1) x1 = xy[2 * i];
        if (xy[2 * i + 1] < y0) y0 = xy[2 * i + 1];
        if (xy[2 * i + 1] > y1) y1 = xy[2 * i + 1];
    }
    c->x = x0; c->y = y0; c->w = x1 - x0; c->h = y1 - y0;
    return c;
}

draw_cmd *draw_circle(draw_list *d, float cx, float cy, float r, draw_rgba fill, draw_rgba stroke, float lw) {
    draw_cmd *c = push(d, DRAW_CIRCLE);
    if (!c) return NULL;
    c->x = cx; c->y = cy; c->w = r;
    c->fill = fill; c->stroke = stroke; c->lw = lw;
    return c;
}

const char *draw_cmd_text(const draw_list *d, const draw_cmd *c) { return d->text + c->data; }
const float *draw_cmd_pts(const draw_list *d, const draw_cmd *c) { return d->pts + 2 * c->data; }

/* The advance of an ASCII character in em (DejaVu Sans, coarsely). A switch, not a
 * strchr per character: the layout measures every label several times a frame, and the
 * HTML page lays out every step twelve times. */
static float ascii_em(uint32_t c) {
    switch (c) {
    case 'i': case 'l': case 'j': case 't': case 'f': case 'I': case '.': case ',': case ':': case ';':
    case '!': case '|': case '\'': case '(': case ')': case '[': case ']': case ' ':
        return 0.32f;
    case 'm': case 'w': case 'M': case 'W': case '@':
        return 0.90f;
    default:
        if (c >= 'A' && c <= 'Z') return 0.70f;
        if (c >= '0' && c <= '9') return 0.636f;
        return 0.60f;
    }
}

float draw_text_width(const char *s, float size) {
    /* DejaVu Sans advances for the ASCII range; a coarse table keeps the estimate within a
     * few per cent of SDL_ttf's measure for labels */
    float w = 0;
    while (*s) {
        uint32_t c;
        s += utf8_decode(s, &c); /* never past the NUL, even after a cut character */
        if (c < 0x80) w += ascii_em(c) * size;
        else if (c >= 0x800) w += 0.92f * size; /* three bytes and more: Hangul and CJK, full width */
        else w += 0.62f * size;
    }
    return w;
}

float draw_text_width_b(const char *s, float size, int bold) {
    float w = draw_text_width(s, size);
    if (!bold) return w;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p >= 0xE3) return w; /* drawn in the Hangul font, whose bold is as wide */
    return w * 1.14f; /* DejaVu Sans Bold, measured against SDL_ttf */
}

long draw_hit(const draw_list *d, float x, float y) {
    for (size_t i = d->n; i-- > 0;) {
        const draw_cmd *c = &d->cmd[i];
        if (c->ref < 0) continue;
        float x0 = c->x, y0 = c->y, w = c->w, h = c->h;
        if (c->op == DRAW_CIRCLE) { x0 = c->x - c->w; y0 = c->y - c->w; w = h = 2 * c->w; }
        if (c->op == DRAW_TEXT || c->op == DRAW_LINE || c->op == DRAW_ARROW) continue;
        if (w < 3) { x0 -= (3 - w) / 2; w = 3; } /* thin bars stay clickable */
        y0 -= 1.5f; /* and the gaps between rows belong to a row */
        h += 3;
        if (x >= x0 && x <= x0 + w && y >= y0 && y <= y0 + h) return (long)i;
    }
    return -1;
}

draw_rgba draw_mix(draw_rgba a, draw_rgba b, float t) {
    draw_rgba out = a & 0xFF;
    for (int sh = 8; sh <= 24; sh += 8) {
        float ca = (float)((a >> sh) & 0xFF), cb = (float)((b >> sh) & 0xFF);
        uint32_t v = (uint32_t)(ca + (cb - ca) * t + 0.5f);
        out |= (v > 255 ? 255 : v) << sh;
    }
    return out;
}

void draw_arrow_head(const draw_cmd *c, float out[6]) {
    float dx = c->w - c->x, dy = c->h - c->y;
    float len = sqrtf(dx * dx + dy * dy);
    if (len < 1e-3f) len = 1e-3f;
    float ux = dx / len, uy = dy / len, size = 5.0f + 2.5f * c->lw;
    float bx = c->w - ux * size, by = c->h - uy * size;
    out[0] = c->w; out[1] = c->h;
    out[2] = bx - uy * size * 0.55f; out[3] = by + ux * size * 0.55f;
    out[4] = bx + uy * size * 0.55f; out[5] = by - ux * size * 0.55f;
}

int draw_list_move_back(draw_list *d, size_t at, size_t from) {
    if (at >= from || from >= d->n) return 0;
    size_t tail = d->n - from, mid = from - at;
    draw_cmd *tmp = malloc(tail * sizeof *tmp);
    if (!tmp) return -1;
    memcpy(tmp, d->cmd + from, tail * sizeof *tmp);
    memmove(d->cmd + at + tail, d->cmd + at, mid * sizeof *tmp);
    memcpy(d->cmd + at, tmp, tail * sizeof *tmp);
    free(tmp);
    return 0;
}

/* Grows an array to hold need items of size sz; 0, or -1 when out of memory. */
static int reserve(void **p, size_t *cap, size_t need, size_t sz) {
    if (need <= *cap) return 0;
    size_t c = *cap ? *cap : 1024;
    while (c < need) c *= 2;
    void *q = realloc(*p, c * sz);
    if (!q) return -1;
    *p = q;
    *cap = c;
    return 0;
}

int draw_list_append(draw_list *d, const draw_list *src, float dy) {
    if (reserve((void **)&d->cmd, &d->cap, d->n + src->n, sizeof *d->cmd) ||
        reserve((void **)&d->text, &d->tcap, d->tlen + src->tlen, 1) ||
        reserve((void **)&d->pts, &d->pcap, d->npts + src->npts, 2 * sizeof *d->pts)) /* pcap counts points */
        return -1;
    for (size_t i = 0; i < src->n; i++) {
        draw_cmd c = src->cmd[i];
        c.y += dy;
        if (c.op == DRAW_LINE || c.op == DRAW_ARROW) c.h += dy; /* h is y2 */
        if (c.op == DRAW_TEXT) c.data += (uint32_t)d->tlen;
        if (c.op == DRAW_POLY) c.data += (uint32_t)d->npts;
        d->cmd[d->n++] = c;
    }
    if (src->tlen) memcpy(d->text + d->tlen, src->text, src->tlen);
    d->tlen += src->tlen;
    for (size_t k = 0; k < src->npts; k++) {
        d->pts[2 * (d->npts + k)] = src->pts[2 * k];
        d->pts[2 * (d->npts + k) + 1] = src->pts[2 * k + 1] + dy;
    }
    d->npts += src->npts;
    return 0;
}

size_t draw_list_drop(draw_list *d, const uint8_t *drop) {
    size_t k = 0;
    for (size_t i = 0; i < d->n; i++)
        if (!drop[i]) d->cmd[k++] = d->cmd[i];
    size_t gone = d->n - k;
    d->n = k;
    return gone;
}
