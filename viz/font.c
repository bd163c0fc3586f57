/* font: font lookup. See font.h. */
#include "viz/font.h"

#include <stdio.h>
#include <unistd.h>

static const char *const LATIN[] = {"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", NULL};
static const char *const LATIN_BOLD[] = {"/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
                                         "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", NULL};
static const char *const HANGUL[] = {"/usr/share/fonts/truetype/nanum/NanumBarunGothic.ttf",
                                     "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
                                     "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", NULL};
static const char *const HANGUL_BOLD[] = {"/usr/share/fonts/truetype/nanum/NanumBarunGothicBold.ttf",
                                          "/usr/share/fonts/truetype/nanum/NanumGothicBold.ttf",
                                          "/usr/share/fonts/truetype/nanum/NanumBarunGothic.ttf", NULL};

const char *font_path(int bold, int hangul) {
    const char *const *list = hangul ? (bold ? HANGUL_BOLD : HANGUL) : (bold ? LATIN_BOLD : LATIN);
    for (; *list; list++)
        if (access(*list, R_OK) == 0) return *list;
    if (hangul) return font_path(bold, 0); /* boxes for Hangul beat no text at all */
    return NULL;
}

int font_needs_hangul(const char *s) {
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p >= 0xE1 && *p <= 0xED && p[1] >= 0x80) {
            /* U+1100..U+D7FF: Hangul Jamo, CJK, Hangul syllables (not '≈' U+2248 = E2 89 88) */
            if (*p >= 0xE3) return 1;
        }
    return 0;
}

TTF_Font *font_get(font_cache *c, float px, int bold, int hangul) {
    int size = (int)(px + 0.5f);
    if (size < 4) size = 4;
    for (int i = 0; i < c->n; i++)
        if (c->slot[i].px == size && c->slot[i].bold == bold && c->slot[i].hangul == hangul) return c->slot[i].f;
    const char *path = font_path(bold, hangul);
    static int warned;
    if (!path) {
        if (!warned++) fprintf(stderr, "pinata: no font found (install fonts-dejavu-core and fonts-nanum)\n");
        return NULL;
    }
    TTF_Font *f = TTF_OpenFont(path, size);
    if (!f) {
        if (!warned++) fprintf(stderr, "pinata: cannot open font %s: %s\n", path, TTF_GetError());
        return NULL;
    }
    if (c->n == FONT_CACHE_MAX) { /* full: drop the oldest */
        TTF_CloseFont(c->slot[0].f);
        for (int i = 1; i < c->n; i++) c->slot[i - 1] = c->slot[i];
        c->n--;
    }
    c->slot[c->n].px = size;
    c->slot[c->n].bold = bold;
    c->slot[c->n].hangul = hangul;
    c->slot[c->n].f = f;
    c->n++;
    return f;
}

void font_cache_free(font_cache *c) {
    for (int i = 0; i < c->n; i++) TTF_CloseFont(c->slot[i].f);
    c->n = 0;
}
