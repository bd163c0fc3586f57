/* textline: the run as text, for terminals with no display: a strip chart per thread
 * on the shared (compressed) axis, then every step in time order, indented by nesting,
 * in the caption's words. */
#ifndef PINATA_TEXTLINE_H
#define PINATA_TEXTLINE_H
#include <stdio.h>
#include "viz/caption.h"
#include "viz/taxis.h"
#include "viz/tindex.h"
#include "trace/tload.h"

typedef struct textline_opts {
    int width;          /* columns of the strip chart (default 72) */
    caption_lang lang;
    long limit;         /* print at most this many steps (0: all) */
} textline_opts;

/* Writes the text timeline to f. Returns 0, -1 on a write error. */
int textline_write(FILE *f, const tload_trace *t, const tindex *ix, const taxis *ax, const textline_opts *o);

/* One strip-chart row for lane l into buf (width chars + NUL): '#' poll, '~' park,
 * '|' system call, '!' wake, '-' executor, ' ' nothing. */
void textline_strip(const tload_trace *t, const tindex *ix, const taxis *ax, size_t l, int width, char *buf);

#endif
