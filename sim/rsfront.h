/* rsfront: a scenario whose program is its Rust source (docs/rust-subset.md).
 *
 * Two ways in:
 *   - a scenario JSON with "rust" (its lines) and no "functions": rsfront_lower() lexes
 *     (sim/rslex), parses (sim/rsparse) and lowers (sim/rslower) the lines into the
 *     document's "functions", "entry" and "args";
 *   - a .rs file run directly: rsfront_rs_doc() makes the scenario document from the file's
 *     leading `//! pinata: { ...json... }` comment (the network, the runtime, the title; the
 *     name defaults to the file's base name) and its lines as "rust".
 * Errors are one line: "lecture.rs:12:18: expected ..." (a .rs file) or
 * "x.json: rust:12:18: expected ..." (a program inside a scenario), in Rust's terms. */
#ifndef PINATA_RSFRONT_H
#define PINATA_RSFRONT_H
#include <cjson/cJSON.h>
#include <stddef.h>

/* True when path names a Rust file (ends with ".rs"). */
int rsfront_is_rs(const char *path);
/* The scenario document of a .rs file (text, len bytes), or NULL with one line in err. */
cJSON *rsfront_rs_doc(const char *path, const char *text, size_t len, char *err, size_t errlen);
/* True when doc's program is its Rust: "rust" and no "functions". */
int rsfront_wants(const cJSON *doc);
/* Lowers doc's "rust" into its steps. -1 with one line in err. */
int rsfront_lower(cJSON *doc, const char *path, char *err, size_t errlen);
/* The place a message should name for a JSON path inside lowered steps ("functions.f.body[2].host"):
 * the line and column of the nearest step or function on the way, 0 when none. */
void rsfront_place(const cJSON *doc, const char *path, int *line, int *col);
/* "lecture.rs" for a .rs file, "x.json: rust" for a program inside a scenario (into buf). */
const char *rsfront_prefix(const char *path, char *buf, size_t cap);

#endif
