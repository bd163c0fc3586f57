/* window: the interactive viewer (SDL2). Steps through the run for the classroom, zooms,
 * pans, selects, narrates, reloads when the input file changes. Draws the same layout
 * as the exports, through sdlr.
 *
 * Keys: see the '?' overlay (layout.c) and docs/viewer.md. */
#ifndef PINATA_WINDOW_H
#define PINATA_WINDOW_H
#include <stddef.h>
#include "viz/doc.h"
#include "viz/layout.h"

typedef struct window_opts {
    layout_view view;              /* the initial view (lang, presenter, which, step ...) */
    int width, height;             /* window size */
    int compressed;                /* start in the compressed time mode */
    const char *screenshot_on_exit; /* write a PNG of the last frame there (tests) */
    const char *compare_with;      /* a second input: the two runs on one page (viz/compare.h) */
    const doc_sim *sim;            /* how to simulate scenario files and built-ins (doc_open) */
    int slide;                     /* --slide: the text scale at which the scenario fits the window */
} window_opts;

/* True when a display is there: DISPLAY or WAYLAND_DISPLAY is set and SDL video starts. */
int window_display_available(void);

/* Opens input (trace, example or scenario) in a window until the user quits; with
 * compare_with, both runs on one page, stepping through their merged steps.
 * Returns the process exit status; err holds a one-line message when it is not 0. */
int window_run(const char *input, const window_opts *o, char *err, size_t errlen);

#endif
