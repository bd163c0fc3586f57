/* viz/sdlr: the PNG of a real run is not blank and shows what the layout drew. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <SDL2/SDL_image.h>

#include "viz_fixture.h"
#include "viz/sdlr.h"

static void png_of(const char *example, const char *path, draw_list *dl, caption_lang lang) {
    doc d;
    char err[512];
    fx_open(&d, example, "t_sdlr.json", 1);
    layout_view v;
    layout_view_init(&v, 1200, 0);
    v.lang = lang;
    draw_list_init(dl, 1200, 0, 0xFFFFFFFF);
    assert_int_equal(layout_build(&d.t, &d.ix, &d.ax, &v, dl, NULL), 0);
    assert_int_equal(sdlr_save_png(dl, path, err, sizeof err), 0);
    doc_close(&d);
    remove("t_sdlr.json");
}

static Uint32 pixel(SDL_Surface *s, int x, int y) {
    const Uint8 *p = (const Uint8 *)s->pixels + (size_t)y * (size_t)s->pitch + (size_t)x * 4;
    return (Uint32)p[0] << 16 | (Uint32)p[1] << 8 | p[2];
}

static void png_of_block_on_should_not_be_blank(void **s) {
    (void)s;
    draw_list dl;
    png_of("block_on", "t_b.png", &dl, CAPTION_EN);
    SDL_Surface *img = IMG_Load("t_b.png");
    assert_non_null(img);
    assert_int_equal(img->w, 1200);
    assert_int_equal(img->h, (int)(dl.height + 0.999f));
    double ink = sdlr_ink_fraction(img, 0xFFFFFFFF);
    assert_true(ink > 0.05 && ink < 0.9);
    SDL_FreeSurface(img);
    draw_list_free(&dl);
    remove("t_b.png");
}

static void png_should_paint_the_park_spans_dark_brown_where_the_layout_put_them(void **s) {
    (void)s;
    draw_list dl;
    png_of("block_on", "t_b2.png", &dl, CAPTION_EN);
    SDL_Surface *raw = IMG_Load("t_b2.png");
    SDL_Surface *img = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_RGBA32, 0);
    int parks = 0;
    for (size_t i = 0; i < dl.n; i++) {
        const draw_cmd *c = &dl.cmd[i];
        if (c->tag != DRAW_TAG_PARK || c->w < 20) continue;
        /* a pixel a little inside the bar, off its label */
        assert_int_equal(pixel(img, (int)(c->x + c->w - 4), (int)(c->y + c->h / 2)), 0x5A3A22);
        parks++;
    }
    assert_true(parks >= 4);
    SDL_FreeSurface(img);
    SDL_FreeSurface(raw);
    draw_list_free(&dl);
    remove("t_b2.png");
}

static void png_in_korean_should_render_hangul_glyphs(void **s) {
    (void)s;
    draw_list en, ko;
    png_of("block_on", "t_en.png", &en, CAPTION_EN);
    png_of("block_on", "t_ko.png", &ko, CAPTION_KO);
    SDL_Surface *a = IMG_Load("t_en.png"), *b = IMG_Load("t_ko.png");
    assert_non_null(a);
    assert_non_null(b);
    /* the header (title + description) differs, and both have ink there */
    SDL_Rect head = {0, 0, 1200, 60};
    SDL_Surface *ha = SDL_CreateRGBSurfaceWithFormat(0, 1200, 60, 32, SDL_PIXELFORMAT_RGBA32);
    SDL_Surface *hb = SDL_CreateRGBSurfaceWithFormat(0, 1200, 60, 32, SDL_PIXELFORMAT_RGBA32);
    SDL_BlitSurface(a, &head, ha, NULL);
    SDL_BlitSurface(b, &head, hb, NULL);
    assert_true(sdlr_ink_fraction(hb, 0xFFFFFFFF) > 0.01);
    assert_true(memcmp(ha->pixels, hb->pixels, (size_t)ha->pitch * 60) != 0);
    SDL_FreeSurface(ha);
    SDL_FreeSurface(hb);
    SDL_FreeSurface(a);
    SDL_FreeSurface(b);
    draw_list_free(&en);
    draw_list_free(&ko);
    remove("t_en.png");
    remove("t_ko.png");
}

static void png_should_say_why_it_cannot_be_written(void **s) {
    (void)s;
    draw_list dl;
    draw_list_init(&dl, 50, 50, 0xFFFFFFFF);
    draw_rect(&dl, 1, 1, 10, 10, 0xFF0000FF, 0, 0);
    char err[512];
    assert_int_equal(sdlr_save_png(&dl, "no/such/dir/x.png", err, sizeof err), -1);
    assert_non_null(strstr(err, "no/such/dir/x.png: cannot write PNG"));
    draw_list_free(&dl);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(png_of_block_on_should_not_be_blank),
        cmocka_unit_test(png_should_paint_the_park_spans_dark_brown_where_the_layout_put_them),
        cmocka_unit_test(png_in_korean_should_render_hangul_glyphs),
        cmocka_unit_test(png_should_say_why_it_cannot_be_written),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
