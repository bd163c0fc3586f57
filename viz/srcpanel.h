/* srcpanel: the scenario's Rust source under the timeline, its current line lit (as in
 * Python Tutor's code pane), so a class stepping through a run reads which `.await` the
 * step is about.
 *
 * Only for traces whose header carries "source" (docs/trace-format.md); layout_build calls
 * it then and never otherwise, so a trace without source draws exactly what it drew.
 * Every command it appends is tagged DRAW_TAG_SOURCE (ref -1: nothing to click). */
#ifndef PINATA_SRCPANEL_H
#define PINATA_SRCPANEL_H
#include "viz/draw.h"
#include "viz/tindex.h"
#include "trace/tload.h"

/* The fill of the current line's highlight (tests find the lit line by it). */
#define SRCPANEL_HILITE 0xFFE08AFFu

/* The fill behind the expression being polled on the lit line, when the trace gives its
 * columns (a program given as Rust: docs/trace-format.md, col / end_col). */
#define SRCPANEL_EXPR 0xFFB547FFu

/* The line to light at step (1-based, 0 none): the line of the step's event, else of the
 * latest event at or before it that has one. step < 0: no cursor, no line. */
int32_t srcpanel_line(const tload_trace *t, const tindex *ix, long step);

/* The line of one step (code, see tindex.h), 0 if it has none: a poll's start is the line
 * it resumes at (from_line: the await it stopped at last time, or the fn on its first
 * poll); its end, and every other event, the event's line. */
int32_t srcpanel_step_line(const tload_trace *t, uint32_t code);

/* The columns of the expression lit at step (on srcpanel_line's line): *col its first byte
 * (1-based), *end_col just past its last; both 0 when the trace gives none (the whole line). */
void srcpanel_cols(const tload_trace *t, const tindex *ix, long step, int *col, int *end_col);
/* The same for one step: a poll's start has the columns of where it resumes (from_col). */
void srcpanel_step_cols(const tload_trace *t, uint32_t code, int *col, int *end_col);

/* Appends the panel as a box at (x, y), w wide: a heading, then the source lines (at most
 * a screenful, scrolled so the current line shows). scale is the layout's text scale
 * (presenter mode included); ko: Korean heading. Returns the y below the box. Appends
 * nothing and returns y when the trace has no source. */
float srcpanel_draw(draw_list *d, const tload_trace *t, const tindex *ix, long step, float x,
                    float y, float w, float scale, int ko);

#endif
