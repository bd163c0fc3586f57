/* marks: what a slide points at besides polls, Pending, Ready and wakes — the shapes and
 * the words on them. The layout decides where they go; this module draws them and names
 * them, the same for every backend:
 *   - an Err end (a cross ✕, not Ready's diamond) with the error's name (failing_host);
 *   - a thread_local! (pennant) or task_local! (square flag) set or read (S6);
 *   - a task resuming on another worker than its last poll (S6);
 *   - a future's creation (a plus) before its first await: a spawn, an async block (S5);
 *   - the call-time work of a fn that returns a future, before the future exists (S5);
 *   - a poll that made no progress because no wake of its own task caused it (the real
 *     runtime models: block_on polls its root for a sibling's wake; a spurious wake);
 *   - a panic (a poll after Ready under the real models);
 *   - a future that never completed (a torn bar end). */
#ifndef PINATA_MARKS_H
#define PINATA_MARKS_H
#include <stddef.h>

#include "viz/draw.h"
#include "viz/msg.h"
#include "trace/tload.h"

/* A cross centred at x, yc (half size r): a task's root future ended in Err. Two bars, both
 * tagged tag / ref (every shape here is made of convex pieces: backends fill polygons as
 * triangle fans). */
void marks_err(draw_list *d, float x, float yc, float r, draw_rgba fill, int tag, int32_t ref);

/* A flag on a pole from y_foot up to y_top at x: a pennant (triangle) for a thread_local,
 * a square flag for a task_local. Returns the flag (the pole is drawn before it). */
draw_cmd *marks_flag(draw_list *d, float x, float y_top, float y_foot, float s, int task_local, draw_rgba fill);

/* An arrow into a poll from the left, ending at x: the task moved to this thread (a shaft,
 * then the head, returned). */
draw_cmd *marks_move(draw_list *d, float x, float yc, float s, draw_rgba fill);

/* A plus centred at x, yc (two bars, both tagged): a future was created here (a spawn, a
 * call) before its await. */
void marks_create(draw_list *d, float x, float yc, float r, draw_rgba fill, int tag, int32_t ref);

/* A hollow circle crossed by a slash (∅): Pending from a poll that no wake of its own task
 * asked for — nothing could have changed for it. Returns the circle (tag it). */
draw_cmd *marks_no_progress(draw_list *d, float x, float yc, float r, float lw, draw_rgba col);

/* An octagon (a stop sign) with a "!": the poll panicked, or a panic unwound through it. */
draw_cmd *marks_panic(draw_list *d, float x, float yc, float r, draw_rgba fill, float text_size);

/* A torn right end at x on a bar from y, h tall: two notches in the background colour bg
 * cut into it (and its outline), so the bar does not read as ending there — the future
 * never completed (the run ended first: timeout's slow request). Returns the last notch. */
draw_cmd *marks_torn(draw_list *d, float x, float y, float h, float s, draw_rgba bg);

/* The words under a no-progress mark: "task 3 was woken, not this one" or "spurious wake"
 * (by is the poll's tload_woken_by). */
const char *marks_no_progress_label(int32_t by, msg_lang lang, char *buf, size_t len);

/* "REQUEST = example.com" for a set, "REQUEST → example.com" for a read (a local event). */
const char *marks_local_label(const tload_trace *t, const tload_event *e, char *buf, size_t len);
/* The same without the key, where the row already names it: "→ example.com". */
const char *marks_local_value(const tload_trace *t, const tload_event *e, char *buf, size_t len);

/* Event i is call-time work (a compute whose why starts "call time"): writes what the work
 * is, from its source line ("host.to_string()" from `let host = host.to_string(); ...`, ""
 * without a source) and returns buf; NULL for anything else. */
const char *marks_call_time_work(const tload_trace *t, size_t i, char *buf, size_t len);

/* The error's name from a task's finish ("ECONNREFUSED"; "-3" in an older trace, without
 * "error", is named from the code). */
const char *marks_err_name(const char *err);

#endif
