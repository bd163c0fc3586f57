/* trace: a streaming writer of the pinata trace (docs/trace-format.md).
 *
 * Events are formatted straight into a buffer and flushed as it fills, so memory does not
 * grow with the length of a run. A NULL trace_t* is valid everywhere and records nothing:
 * that is how a run "with the trace off" costs only a branch per event.
 *
 * Writing an event: trace_begin(), then any trace_arg_*() calls, then trace_end(). A key is a
 * plain name (letters, digits, '_': trace/schema.h's TRACE_KEY_* or alike), written as it is,
 * without escaping; values and names are escaped as JSON needs.
 * The caller owns the trace and closes it with trace_close(). */
#ifndef PINATA_TRACE_H
#define PINATA_TRACE_H
#include <stdint.h>
#include <stdio.h>

#include "trace/schema.h" /* every name and number the trace holds: TRACE_TID_OS, ... */

typedef struct trace trace_t;

/* Opens path for writing through "path.tmp"; "-" means stdout. NULL on error (errno set). */
trace_t *trace_open(const char *path);
/* Writes into an already open stream that the caller keeps (e.g. a memstream in tests). */
trace_t *trace_open_stream(FILE *f);
/* Closes the array. keep != 0: the temporary is renamed to its final path; otherwise it is
 * removed, so a failed run leaves no partial file. Returns 0, or -1 on an I/O error. */
int trace_close(trace_t *t, int keep);

/* Writing an event (defined in sim/trace_fast.h: inline, so a literal key costs a store):
 *
 * void trace_begin(trace_t *t, const char *ph, const char *cat, const char *name, int tid,
 *                  int64_t ts_ns, int64_t dur_ns);
 *     Starts an event. ph: "X", "i", "C" or "M"; ts_ns/dur_ns are virtual nanoseconds (dur
 *     only for X).
 * void trace_arg_int(trace_t *t, const char *key, int64_t v);
 * void trace_arg_us(trace_t *t, const char *key, int64_t ns);   a time, printed in µs
 * void trace_arg_str(trace_t *t, const char *key, const char *s);
 * void trace_arg_null(trace_t *t, const char *key);
 * void trace_arg_bool(trace_t *t, const char *key, int v);
 * void trace_arg_raw(trace_t *t, const char *key, const char *json);
 *     A raw JSON value (an array or object the caller formatted); not escaped.
 * void trace_flow(trace_t *t, uint64_t bind_id, int out);
 *     The flow fields, written after the args: call it before trace_end.
 * void trace_end(trace_t *t); */
#include "sim/trace_fast.h"

/* A fresh flow id, unique in this trace (1, 2, ...). 0 when t is NULL. */
uint64_t trace_next_flow(trace_t *t);
/* Number of events written so far. */
uint64_t trace_events(const trace_t *t);

/* The output budget: at most max_bytes reach the file (0: no budget). Past it nothing more is
 * written, trace_full() turns true (the executor stops the run as a limit) and trace_close()
 * keeps no file. */
void trace_set_budget(trace_t *t, uint64_t max_bytes);
int trace_full(const trace_t *t);

/* snprintf for the texts the trace shows (what woke a task, a system call, ...) at a tenth
 * of libc's cost: %s, %d, %i, %u with l, ll or z, %%, and a precision of 0 ("%.0lld": nothing
 * for 0, as in C). Anything else is copied as it stands. Truncates to cap - 1 bytes and
 * returns the bytes written (not, as snprintf, the length it would have had). */
size_t trace_textf(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Appends s to buf as a JSON string body (no quotes), escaping as needed. Returns bytes
 * written, never more than cap-1; buf is NUL-terminated. Shared with the scenario code. */
size_t trace_escape(char *buf, size_t cap, const char *s);

#endif
