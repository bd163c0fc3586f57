/* svg: replays a draw list as an SVG document with real <text> (vector slides, and text
 * that can be searched and edited). Same list, same picture as the PNG and the window. */
#ifndef PINATA_SVG_H
#define PINATA_SVG_H
#include <stdio.h>
#include "viz/draw.h"

/* Writes the document to f. Returns 0, -1 on a write error. */
int svg_write_stream(const draw_list *d, FILE *f);

/* Writes path through a temporary file renamed on success; -1 with one line in err. */
int svg_write(const draw_list *d, const char *path, char *err, size_t errlen);

#endif
