/* rslower: lowers a parsed Rust program (sim/rsparse.h) into the step lists of a scenario
 * (docs/scenario-format.md), so the program given as Rust runs on the same interpreter as
 * one given as JSON steps.
 *
 * It adds to doc "functions" (each fn: "params", "line", "col", "body", and "call_time" for a
 * `fn -> impl Future` whose body does work before its async block), "entry" and "args" (from
 * `task::block_on(f(args))` in a synchronous main, or an `async fn main`), and for a
 * synchronous main without block_on, "runtime.executor": "sync". Every step carries the
 * "line" and "col" of the expression it stands for, and "end_col" when that expression ends
 * on the same line. The built-ins and the rules are in docs/rust-subset.md.
 *
 * Errors are one line "PREFIX:LINE:COL: what was expected", in Rust's terms. */
#ifndef PINATA_RSLOWER_H
#define PINATA_RSLOWER_H
#include <cjson/cJSON.h>
#include <stddef.h>

#include "sim/rsparse.h"

int rslower_run(const rsparse *p, cJSON *doc, const char *prefix, char *err, size_t errlen);

#endif
