/* font: finds and opens the fonts: DejaVu Sans for Latin text and NanumBarunGothic
 * (fonts-nanum) for Hangul, falling back to Noto CJK. A text with Hangul is drawn
 * entirely in the Hangul font, which has Latin glyphs too.
 *
 * Ownership: font_cache owns every TTF_Font it returns; font_cache_free() closes them.
 * TTF_Init must have been called. */
#ifndef PINATA_FONT_H
#define PINATA_FONT_H
#include <SDL2/SDL_ttf.h>

enum { FONT_CACHE_MAX = 48 };

typedef struct font_cache {
    struct { int px, bold, hangul; TTF_Font *f; } slot[FONT_CACHE_MAX];
    int n;
} font_cache;

/* The path of the font file to use, or NULL when none is installed. */
const char *font_path(int bold, int hangul);

/* True when the UTF-8 text holds a Hangul (or other CJK) character. */
int font_needs_hangul(const char *s);

/* The font for a pixel size (rounded), or NULL (with a message on stderr once). */
TTF_Font *font_get(font_cache *c, float px, int bold, int hangul);

void font_cache_free(font_cache *c);

#endif
