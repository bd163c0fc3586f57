/* page: the run as ONE self-contained HTML page that steps, narrates and lights the Rust
 * line in any browser, offline — one more backend of the draw list.
 *
 * The page has no layout of its own: for every step it holds, and for each of the 12 ways
 * to look at it (3 views x English / Korean x faded / reveal), it carries the very draw
 * list layout_build makes for the window, the SVG and the PNG. Each distinct draw command
 * is written once (a dictionary); a step's list is an edit of the previous step's list
 * (most of the picture does not change from one step to the next). A small inline script
 * (viz/page.html) rebuilds a step's list and replays it as inline SVG, as svg.c does.
 * A click's outline and details are the layout's own, drawn with the selection set
 * (docs/viewer.md, "The page").
 *
 * Nothing in the page refers to the network: no URL, no external script, font or style;
 * strings from the trace are written with "/" escaped, so none reads as a URL either. */
#ifndef PINATA_PAGE_H
#define PINATA_PAGE_H
#include <stddef.h>
#include "viz/layout.h"

typedef struct page_opts {
    long first, last;  /* the steps the page holds, 0-based, inclusive */
    long start;        /* the step it opens at (a #step=K in the address wins) */
    size_t max_bytes;  /* a larger page is refused (nothing is written) */
    const char *title; /* the browser tab's title */
} page_opts;

/* The largest page `pinata export` writes (the data is deflated: it stops early when the
 * lists before deflating pass PAGE_MAX_RAW times that), and the most steps it tries to
 * put in one. */
enum { PAGE_MAX_BYTES = 2000000, PAGE_MAX_RAW = 16, PAGE_MAX_STEPS = 4000 };

/* Writes the page for the run (t, ix, ax) seen as base (its width, scale, presenter, time
 * range, and the view, language and reveal it opens with) to path, through a temporary
 * renamed on success. Returns 0; -1 with one line in err (too large: it says so and
 * suggests --from/--to; nothing is left behind). */
int page_write(const tload_trace *t, const tindex *ix, const taxis *ax, const layout_view *base,
               const page_opts *o, const char *path, char *err, size_t errlen);

/* The same into a malloc'd NUL-terminated buffer (*out, *len), for tests. */
int page_build(const tload_trace *t, const tindex *ix, const taxis *ax, const layout_view *base,
               const page_opts *o, char **out, size_t *len, char *err, size_t errlen);

/* How many ways to look at a step the page holds, and which one a view is. */
enum { PAGE_COMBOS = 12 };
int page_combo(layout_which which, caption_lang lang, int reveal);

#endif
