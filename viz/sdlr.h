/* sdlr: replays a draw list on an SDL_Renderer — the window's, or a software renderer
 * on an SDL_Surface for PNG files (no display needed).
 *
 * Ownership: sdlr owns its font cache and text textures; sdlr_free() releases them, not
 * the renderer, which belongs to the caller. */
#ifndef PINATA_SDLR_H
#define PINATA_SDLR_H
#include <SDL2/SDL.h>
#include <stddef.h>
#include "viz/draw.h"
#include "viz/font.h"

enum { SDLR_TEXT_CACHE = 4096 };

typedef struct sdlr_text {
    uint64_t key;          /* hash of text, size, colour, weight; 0 = empty slot */
    SDL_Texture *tex;
    int w, h, ascent;
} sdlr_text;

typedef struct sdlr {
    SDL_Renderer *r;
    font_cache fonts;
    sdlr_text *cache;      /* SDLR_TEXT_CACHE slots, open addressing */
    int cached;
    float scroll_y;        /* the window scrolled down by this many pixels (0 for files) */
    /* batch (the window): fills, thin lines and shapes go into one triangle list drawn by
     * one SDL_RenderGeometry call before each text or clip, instead of one call each (a
     * draw call costs microseconds under a software GL); files keep the plain calls, so
     * PNGs stay as they were */
    int batch;
    SDL_Vertex *bv;
    size_t bn, bcap;
} sdlr;

int sdlr_init(sdlr *s, SDL_Renderer *r);
void sdlr_free(sdlr *s);

/* Draws the whole list (clears with its background first). Returns 0. */
int sdlr_render(sdlr *s, const draw_list *d);

/* Renders d into a PNG file at its own size, through a temporary file renamed on
 * success. Returns 0, or -1 with one line in err. Needs TTF_Init (done if not). */
int sdlr_save_png(const draw_list *d, const char *path, char *err, size_t errlen);

/* Saves what the renderer shows (the window) as a PNG. */
int sdlr_screenshot(SDL_Renderer *r, const char *path, char *err, size_t errlen);

/* Fraction of pixels of a surface-backed PNG render that differ from the background
 * (tests: the PNG is not blank). */
double sdlr_ink_fraction(SDL_Surface *s, uint32_t bg_rgba);

#endif
