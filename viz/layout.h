/* layout: a trace and a view state in, a draw-command list out.
 *
 * The page, top to bottom: the title and description; the Simplified View (per task, the
 * async calls as nested bars from call to completion, as if synchronous); the
 * Implementation (per thread, the executor, the polls nested in it ending in a Pending
 * mark — a hollow circle — or a Ready mark — a filled diamond —, parked time dark brown,
 * system calls, and wake arrows from what woke to the poll it caused); one time axis; a
 * legend; and, when a step is selected, the cursor and a caption narrating it.
 *
 * The layout is pure: no SDL, no file. Every backend replays the same list. */
#ifndef PINATA_LAYOUT_H
#define PINATA_LAYOUT_H
#include "viz/caption.h"
#include "viz/draw.h"
#include "viz/taxis.h"
#include "viz/tindex.h"
#include "trace/tload.h"

typedef enum layout_which { LAYOUT_BOTH = 0, LAYOUT_SIMPLIFIED, LAYOUT_IMPLEMENTATION } layout_which;

typedef struct layout_view {
    float width, height;  /* canvas; height 0: as tall as the content */
    float scale;          /* text and line scale for slides (1 = normal) */
    int presenter;        /* bigger fonts, thicker lines, high contrast */
    caption_lang lang;    /* captions and labels */
    layout_which which;   /* both views or one */
    double u_lo, u_hi;    /* visible axis range; u_hi <= u_lo: the whole run */
    long step;            /* cursor on this step, -1: no cursor (the whole run) */
    int reveal;           /* hide what comes after the cursor instead of fading it */
    int32_t sel_future;   /* selected future id (linked highlight), -1 none */
    int32_t sel_event;    /* selected event index (details), -1 none */
    int help;             /* the '?' overlay listing every key */
    const char *status;   /* a status line (window: play speed, mode); NULL none */
    /* the window's scrolled view: bars and rows wholly above band_y0 or below band_y1 are
     * left out (the page keeps its height); band_y1 <= band_y0: everything is drawn */
    float band_y0, band_y1;
    /* a part of a larger page (compare stacks two runs): leave out the legend / the source
     * panel, which the page draws once */
    int no_legend, no_source;
    float gutter;         /* > 0: the names' gutter this wide (compare gives both runs one), else fitted */
    /* the memory track (viz/memtrack.h): drawn when the run wants it or mem_track is set;
     * mem_top > 0 is its scale in bytes (compare: one scale for both runs), else its peak */
    int mem_track;
    int64_t mem_top;
} layout_view;

/* Where things landed, for the window (zoom about the mouse, pan by dragging). */
typedef struct layout_geom {
    float plot_x0, plot_x1; /* pixels of the time axis */
    double u_lo, u_hi;      /* the axis range they show */
    float content_h;        /* the height the content needs */
} layout_geom;

void layout_view_init(layout_view *v, float width, float height);

/* Rebuilds out (cleared first) for the view. geom may be NULL. Returns 0, -1 on OOM. */
int layout_build(const tload_trace *t, const tindex *ix, const taxis *ax, const layout_view *v,
                 draw_list *out, layout_geom *geom);

/* The height layout_build would use for height 0 (export sizes the canvas with it). */
float layout_content_height(const tload_trace *t, const tindex *ix, const layout_view *v);

/* The rooms the view's names need on the compressed axis (taxis_build_rooms): each poll's
 * short name, each Simplified View bar's name, "park (sleeps)". *out is malloc'd (free it);
 * returns how many (0 for a trace with more polls than TAXIS_MAX_MIN). */
size_t layout_rooms(const tload_trace *t, const tindex *ix, const layout_view *v, taxis_room **out);

/* --slide: a page of v->width x v->height (1920 x 1080) that holds the whole scenario at
 * the largest text scale from 1.5 down that fits; when none does, the Rust source panel
 * is left out (v->no_source), then the scale goes down to 0.8. Sets v->scale (and
 * no_source); returns 0 when it fits, 1 when even that does not (the page is cut). */
int layout_fit_slide(const tload_trace *t, const tindex *ix, layout_view *v);
enum { LAYOUT_SLIDE_W = 1920, LAYOUT_SLIDE_H = 1080 };

/* The least width of a poll for the view, in pixels: 6 at scale 1, more with --scale and
 * --presenter. layout_min_frac() is that share of the view's plot for the whole run
 * (taxis_build_min's min_frac), so each poll is at least that wide at fit. */
float layout_min_poll_px(const layout_view *v);
/* The gutter's width for the view (v->gutter when set, else the names' width). */
float layout_gutter(const tload_trace *t, const tindex *ix, const layout_view *v);
double layout_min_frac(const tload_trace *t, const tindex *ix, const layout_view *v);

/* Breaks s into lines of at most width pixels at size (draw_text_width); writes up to
 * max lines, returns how many (the caption box, the quiz box). */
int layout_wrap(const char *s, float size, float width, char lines[][256], int max);

/* Writes "12.5 µs" / "3.20 ms" / "1.500 s" for ns. */
const char *layout_fmt_time(int64_t ns, char *buf, size_t len);

#endif
