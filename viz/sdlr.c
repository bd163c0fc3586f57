/* sdlr: the SDL backend. See sdlr.h.
 * Thick lines, polygons and circles are triangles (SDL_RenderGeometry); text goes through
 * SDL2_ttf into textures cached by content, so a frame redraws without re-rasterising. */
#include "viz/sdlr.h"

#include <SDL2/SDL_image.h>
#include <SDL2/SDL_ttf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#include "trace/outfile.h"

static SDL_Color rgba(draw_rgba c) {
    return (SDL_Color){(Uint8)(c >> 24), (Uint8)(c >> 16), (Uint8)(c >> 8), (Uint8)c};
}

int sdlr_init(sdlr *s, SDL_Renderer *r) {
    memset(s, 0, sizeof *s);
    s->r = r;
    if (!TTF_WasInit() && TTF_Init() != 0) return -1;
    s->cache = calloc(SDLR_TEXT_CACHE, sizeof *s->cache);
    SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_BLEND);
    return s->cache ? 0 : -1;
}

static void cache_clear(sdlr *s) {
    for (int i = 0; i < SDLR_TEXT_CACHE; i++)
        if (s->cache[i].tex) SDL_DestroyTexture(s->cache[i].tex);
    memset(s->cache, 0, SDLR_TEXT_CACHE * sizeof *s->cache);
    s->cached = 0;
}

void sdlr_free(sdlr *s) {
    if (s->cache) cache_clear(s);
    free(s->cache);
    free(s->bv);
    font_cache_free(&s->fonts);
    memset(s, 0, sizeof *s);
}

/* ---- the batch -------------------------------------------------------------------- */

static void flush(sdlr *s) {
    if (s->bn) SDL_RenderGeometry(s->r, NULL, s->bv, (int)s->bn, NULL, 0);
    s->bn = 0;
}

/* Room for n more vertices; 0 when there is none (the caller draws directly). */
static int batch_room(sdlr *s, size_t n) {
    if (s->bn + n <= s->bcap) return 1;
    size_t cap = s->bcap ? s->bcap * 2 : 8192;
    while (cap < s->bn + n) cap *= 2;
    SDL_Vertex *v = realloc(s->bv, cap * sizeof *v);
    if (!v) { flush(s); return s->bn + n <= s->bcap; }
    s->bv = v;
    s->bcap = cap;
    return 1;
}

static void batch_tri(sdlr *s, float x0, float y0, float x1, float y1, float x2, float y2, SDL_Color k) {
    SDL_Vertex *v = s->bv + s->bn;
    v[0] = (SDL_Vertex){{x0, y0}, k, {0, 0}};
    v[1] = (SDL_Vertex){{x1, y1}, k, {0, 0}};
    v[2] = (SDL_Vertex){{x2, y2}, k, {0, 0}};
    s->bn += 3;
}

/* A box as two triangles: the same pixels as SDL_RenderFillRectF under GL. */
static int batch_box(sdlr *s, float x, float y, float w, float h, draw_rgba c) {
    if (!s->batch || !batch_room(s, 6)) return 0;
    SDL_Color k = rgba(c);
    batch_tri(s, x, y, x + w, y, x + w, y + h, k);
    batch_tri(s, x, y, x + w, y + h, x, y + h, k);
    return 1;
}

/* ---- shapes ----------------------------------------------------------------------- */

static void tri_fan(sdlr *s, const float *xy, int n, draw_rgba c) {
    if (s->batch && n >= 3 && batch_room(s, (size_t)(n - 2) * 3)) {
        SDL_Color k = rgba(c);
        for (int i = 1; i + 1 < n; i++)
            batch_tri(s, xy[0], xy[1], xy[2 * i], xy[2 * i + 1], xy[2 * i + 2], xy[2 * i + 3], k);
        return;
    }
    SDL_Vertex v[64];
    int idx[192], ni = 0;
    if (n > 64) n = 64;
    for (int i = 0; i < n; i++) v[i] = (SDL_Vertex){{xy[2 * i], xy[2 * i + 1]}, rgba(c), {0, 0}};
    for (int i = 1; i + 1 < n; i++) { idx[ni++] = 0; idx[ni++] = i; idx[ni++] = i + 1; }
    SDL_RenderGeometry(s->r, NULL, v, n, idx, ni);
}

static void thick_line(sdlr *s, float x1, float y1, float x2, float y2, float lw, draw_rgba c) {
    float dx = x2 - x1, dy = y2 - y1, len = sqrtf(dx * dx + dy * dy);
    if (len < 1e-3f) return;
    if (lw <= 1.01f && (dx == 0 || dy == 0)) {
        /* batched: a one-pixel box over the pixels the line would light */
        float bx = dx == 0 ? floorf(x1 + 0.5f) : fminf(x1, x2), by = dy == 0 ? floorf(y1 + 0.5f) : fminf(y1, y2);
        if (batch_box(s, bx, by, dx == 0 ? 1 : fabsf(dx), dy == 0 ? 1 : fabsf(dy), c)) return;
        SDL_Color k = rgba(c);
        SDL_SetRenderDrawColor(s->r, k.r, k.g, k.b, k.a);
        SDL_RenderDrawLineF(s->r, x1, y1, x2, y2);
        return;
    }
    float nx = -dy / len * lw / 2, ny = dx / len * lw / 2;
    float q[8] = {x1 + nx, y1 + ny, x2 + nx, y2 + ny, x2 - nx, y2 - ny, x1 - nx, y1 - ny};
    tri_fan(s, q, 4, c);
}

/* Narrows [lo, hi], the distances along a line from p0 in direction d (a unit vector's
 * part), to where p0 + a * d lies on a canvas (at most 16384 px, sdlr_save_png). */
static void dash_visible(float p0, float d, float *lo, float *hi) {
    const float min = -16, max = 16384 + 16;
    if (fabsf(d) < 1e-6f) {
        if (p0 < min || p0 > max) *hi = *lo; /* parallel, outside */
        return;
    }
    float a = (min - p0) / d, b = (max - p0) / d;
    if (a > b) { float t = a; a = b; b = t; }
    if (a > *lo) *lo = a;
    if (b < *hi) *hi = b;
}

static void line_cmd(sdlr *s, const draw_cmd *c) {
    if (!(c->flags & DRAW_DASHED)) { thick_line(s, c->x, c->y, c->w, c->h, c->lw, c->stroke); return; }
    float dx = c->w - c->x, dy = c->h - c->y, len = sqrtf(dx * dx + dy * dy);
    if (len < 1e-3f) return;
    /* only the dashes on the canvas (a line can be longer than a million pixels), starting
     * on the same 9 px grid, so the pixels drawn do not change */
    float lo = 0, hi = len;
    dash_visible(c->x, dx / len, &lo, &hi);
    dash_visible(c->y, dy / len, &lo, &hi);
    for (float a = floorf(lo / 9) * 9; a < hi; a += 9) { /* dashes of 5, gaps of 4, as in the SVG */
        float b = a + 5 > len ? len : a + 5;
        thick_line(s, c->x + dx * a / len, c->y + dy * a / len, c->x + dx * b / len, c->y + dy * b / len, c->lw,
                   c->stroke);
    }
}

static void rect_cmd(sdlr *s, const draw_cmd *c) {
    SDL_FRect r = {c->x, c->y, c->w, c->h};
    if ((c->fill & 0xFF) && !batch_box(s, c->x, c->y, c->w, c->h, c->fill)) {
        SDL_Color k = rgba(c->fill);
        SDL_SetRenderDrawColor(s->r, k.r, k.g, k.b, k.a);
        SDL_RenderFillRectF(s->r, &r);
    }
    if ((c->stroke & 0xFF) && c->lw > 0 && c->w >= 3) {
        float x0 = c->x, y0 = c->y, x1 = c->x + c->w, y1 = c->y + c->h, h = c->lw / 2;
        thick_line(s, x0 - h, y0, x1 + h, y0, c->lw, c->stroke);
        thick_line(s, x0 - h, y1, x1 + h, y1, c->lw, c->stroke);
        thick_line(s, x0, y0, x0, y1, c->lw, c->stroke);
        thick_line(s, x1, y0, x1, y1, c->lw, c->stroke);
    }
}

static void poly_outline(sdlr *s, const float *p, int n, float lw, draw_rgba c) {
    for (int i = 0; i < n; i++) {
        int j = (i + 1) % n;
        thick_line(s, p[2 * i], p[2 * i + 1], p[2 * j], p[2 * j + 1], lw, c);
    }
}

static void circle_cmd(sdlr *s, const draw_cmd *c) {
    float p[48];
    /* the window's marks (radius 5 or so) as 12-gons: 0.2 px from round, half the
     * triangles, and a fit view draws hundreds of them */
    int n = s->batch && c->w <= 8 ? 12 : 24;
    for (int i = 0; i < n; i++) {
        float a = (float)i * 6.2831853f / (float)n;
        p[2 * i] = c->x + c->w * cosf(a);
        p[2 * i + 1] = c->y + c->w * sinf(a);
    }
    if (!(c->stroke & 0xFF) || c->lw <= 0) {
        if (c->fill & 0xFF) tri_fan(s, p, n, c->fill);
        return;
    }
    /* a ring: the stroke as a disc, the fill as a smaller disc on it (as SVG centres
     * the stroke on the edge: half outside, half inside) */
    float q[48], ro = c->w + c->lw / 2, ri = c->w - c->lw / 2;
    for (int i = 0; i < n; i++) {
        float a = (float)i * 6.2831853f / (float)n;
        q[2 * i] = c->x + ro * cosf(a);
        q[2 * i + 1] = c->y + ro * sinf(a);
        p[2 * i] = c->x + ri * cosf(a);
        p[2 * i + 1] = c->y + ri * sinf(a);
    }
    tri_fan(s, q, n, c->stroke);
    if ((c->fill & 0xFF) && ri > 0) tri_fan(s, p, n, c->fill);
}

static void poly_cmd(sdlr *s, const draw_list *d, const draw_cmd *c) {
    const float *p = draw_cmd_pts(d, c);
    if (c->fill & 0xFF) tri_fan(s, p, (int)c->npts, c->fill);
    if ((c->stroke & 0xFF) && c->lw > 0) poly_outline(s, p, (int)c->npts, c->lw, c->stroke);
}

static void arrow_cmd(sdlr *s, const draw_cmd *c) {
    float head[6];
    draw_arrow_head(c, head);
    float mx = (head[2] + head[4]) / 2, my = (head[3] + head[5]) / 2;
    thick_line(s, c->x, c->y, mx, my, c->lw, c->stroke);
    tri_fan(s, head, 3, c->stroke);
}

/* ---- text ------------------------------------------------------------------------- */

static uint64_t text_key(const char *t, const draw_cmd *c) {
    uint64_t h = 1469598103934665603ull;
    for (const unsigned char *p = (const unsigned char *)t; *p; p++) h = (h ^ *p) * 1099511628211ull;
    h ^= (uint64_t)(c->size * 4) << 40 ^ (uint64_t)c->fill << 8 ^ c->flags;
    return h ? h : 1;
}

static sdlr_text *text_get(sdlr *s, const char *t, const draw_cmd *c) {
    uint64_t key = text_key(t, c);
    size_t j = key % SDLR_TEXT_CACHE;
    for (int probe = 0; probe < 8; probe++, j = (j + 1) % SDLR_TEXT_CACHE) {
        if (s->cache[j].key == key) return &s->cache[j];
        if (!s->cache[j].key) break;
    }
    if (s->cache[j].key) { if (s->cached > SDLR_TEXT_CACHE / 2) cache_clear(s); j = key % SDLR_TEXT_CACHE; }
    int hangul = font_needs_hangul(t);
    TTF_Font *f = font_get(&s->fonts, c->size, c->flags & DRAW_BOLD, hangul);
    if (!f) return NULL;
    SDL_Surface *surf = TTF_RenderUTF8_Blended(f, t, rgba(c->fill | 0xFF));
    if (!surf) return NULL;
    SDL_Texture *tex = SDL_CreateTextureFromSurface(s->r, surf);
    sdlr_text *e = &s->cache[j];
    if (e->tex) SDL_DestroyTexture(e->tex);
    *e = (sdlr_text){key, tex, surf->w, surf->h, TTF_FontAscent(f)};
    SDL_FreeSurface(surf);
    if (!tex) { e->key = 0; return NULL; }
    SDL_SetTextureAlphaMod(tex, (Uint8)(c->fill & 0xFF));
    s->cached++;
    return e;
}

static void text_cmd(sdlr *s, const draw_list *d, const draw_cmd *c) {
    const char *t = draw_cmd_text(d, c);
    if (!*t) return;
    flush(s); /* what was batched lies under the text */
    sdlr_text *e = text_get(s, t, c);
    if (!e) return;
    float x = c->x;
    if (c->align == DRAW_CENTER) x -= (float)e->w / 2;
    else if (c->align == DRAW_RIGHT) x -= (float)e->w;
    /* the command's y is the baseline, as in SVG */
    SDL_FRect dst = {floorf(x), floorf(c->y - (float)e->ascent), (float)e->w, (float)e->h};
    SDL_RenderCopyF(s->r, e->tex, NULL, &dst);
}

/* A polygon, moved up by the window's scroll (its points live in the list). */
static void poly_scrolled(sdlr *s, const draw_list *d, const draw_cmd *c) {
    float p[64];
    const float *src = draw_cmd_pts(d, c);
    int n = c->npts > 32 ? 32 : (int)c->npts;
    for (int i = 0; i < n; i++) { p[2 * i] = src[2 * i]; p[2 * i + 1] = src[2 * i + 1] - s->scroll_y; }
    if (c->fill & 0xFF) tri_fan(s, p, n, c->fill);
    if ((c->stroke & 0xFF) && c->lw > 0) poly_outline(s, p, n, c->lw, c->stroke);
}

/* ---- replay ----------------------------------------------------------------------- */

int sdlr_render(sdlr *s, const draw_list *d) {
    SDL_Color bg = rgba(d->background);
    SDL_RenderSetClipRect(s->r, NULL);
    SDL_SetRenderDrawColor(s->r, bg.r, bg.g, bg.b, 255);
    SDL_RenderClear(s->r);
    for (size_t i = 0; i < d->n; i++) {
        draw_cmd moved = d->cmd[i];
        const draw_cmd *c = &moved;
        if (moved.op == DRAW_POLY) { poly_scrolled(s, d, &moved); continue; }
        moved.y -= s->scroll_y;
        if (moved.op == DRAW_LINE || moved.op == DRAW_ARROW) moved.h -= s->scroll_y; /* h is y2 */
        switch (c->op) {
        case DRAW_RECT: rect_cmd(s, c); break;
        case DRAW_LINE: line_cmd(s, c); break;
        case DRAW_ARROW: arrow_cmd(s, c); break;
        case DRAW_TEXT: text_cmd(s, d, c); break;
        case DRAW_POLY: poly_cmd(s, d, c); break;
        case DRAW_CIRCLE: circle_cmd(s, c); break;
        case DRAW_CLIP: {
            flush(s);
            SDL_Rect r = {(int)c->x, (int)c->y, (int)c->w, (int)c->h};
            SDL_RenderSetClipRect(s->r, &r);
            break;
        }
        case DRAW_UNCLIP: flush(s); SDL_RenderSetClipRect(s->r, NULL); break;
        }
    }
    flush(s);
    return 0;
}

/* Through sim/outfile: a failed save leaves no file, and a device is written in place. */
static int save_surface(SDL_Surface *surf, const char *path, char *err, size_t errlen) {
    outfile o;
    if (!outfile_open(&o, path)) {
        snprintf(err, errlen, "%s: cannot write PNG: %s", path, strerror(errno));
        return -1;
    }
    SDL_RWops *rw = SDL_RWFromFP(o.f, SDL_FALSE);
    int rc = rw ? IMG_SavePNG_RW(surf, rw, 1) : -1;
    if (rc != 0) snprintf(err, errlen, "%s: cannot write PNG: %s", path, rw ? IMG_GetError() : SDL_GetError());
    if (outfile_close(&o, rc == 0) != 0 && rc == 0) {
        snprintf(err, errlen, "%s: cannot write PNG: %s", path, strerror(errno));
        rc = -1;
    }
    return rc;
}

int sdlr_save_png(const draw_list *d, const char *path, char *err, size_t errlen) {
    int w = (int)ceilf(d->width), h = (int)ceilf(d->height);
    if (w < 1 || h < 1 || w > 16384 || h > 16384) {
        snprintf(err, errlen, "%s: expected a size up to 16384 x 16384 pixels, got %d x %d", path, w, h);
        return -1;
    }
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_RGBA32);
    if (!surf) { snprintf(err, errlen, "%s: cannot make a %dx%d image: %s", path, w, h, SDL_GetError()); return -1; }
    SDL_Renderer *r = SDL_CreateSoftwareRenderer(surf);
    sdlr s;
    int rc = -1;
    if (r && sdlr_init(&s, r) == 0) {
        sdlr_render(&s, d);
        SDL_RenderPresent(r);
        sdlr_free(&s);
        rc = save_surface(surf, path, err, errlen);
    } else snprintf(err, errlen, "%s: cannot render: %s", path, SDL_GetError());
    if (r) SDL_DestroyRenderer(r);
    SDL_FreeSurface(surf);
    return rc;
}

int sdlr_screenshot(SDL_Renderer *r, const char *path, char *err, size_t errlen) {
    int w, h;
    SDL_GetRendererOutputSize(r, &w, &h);
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_RGBA32);
    if (!surf) { snprintf(err, errlen, "%s: %s", path, SDL_GetError()); return -1; }
    int rc = SDL_RenderReadPixels(r, NULL, SDL_PIXELFORMAT_RGBA32, surf->pixels, surf->pitch);
    if (rc == 0) rc = save_surface(surf, path, err, errlen);
    else snprintf(err, errlen, "%s: cannot read the window: %s", path, SDL_GetError());
    SDL_FreeSurface(surf);
    return rc;
}

double sdlr_ink_fraction(SDL_Surface *s, uint32_t bg_rgba) {
    SDL_Surface *c = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_RGBA32, 0);
    if (!c) return 0;
    size_t ink = 0, n = (size_t)c->w * (size_t)c->h;
    for (int y = 0; y < c->h; y++) {
        const Uint8 *row = (const Uint8 *)c->pixels + (size_t)y * (size_t)c->pitch;
        for (int x = 0; x < c->w; x++) {
            const Uint8 *p = row + 4 * x;
            uint32_t v = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | 0xFF;
            ink += v != (bg_rgba | 0xFF);
        }
    }
    SDL_FreeSurface(c);
    return n ? (double)ink / (double)n : 0;
}
