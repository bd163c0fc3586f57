/* Test helpers shared by the tests: run an example into a trace file and read the trace
 * back with cJSON, so every property is checked from the trace itself. */
#ifndef PINATA_UTIL_TRACE_H
#define PINATA_UTIL_TRACE_H
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/exec.h"
#include "sim/net.h"

/* Runs a built-in example or scenario quietly into path; returns the runner status. */
int ut_run(const char *name, const char *path);
/* Parses a trace file; NULL if it is not valid JSON. The caller frees it with cJSON_Delete. */
cJSON *ut_load(const char *path);
/* Reads a whole file; the caller frees it. *len gets its size. */
char *ut_slurp(const char *path, long *len);

/* Whether files a and b hold the same bytes: 1 yes, 0 no, -1 b cannot be read. */
int ut_same_bytes(const char *a, const char *b);

/* How many of sim/outfile's temporaries for path ("DIR/.pinata-BASE-*") exist: 0 after
 * any run that ended, failed or not. */
size_t ut_temporaries(const char *path);

/* Field access that tolerates missing fields. */
const char *ut_str(const cJSON *ev, const char *key);       /* top-level string, or "" */
const char *ut_arg_str(const cJSON *ev, const char *key);   /* args.key string, or "" */
double ut_arg_num(const cJSON *ev, const char *key);        /* args.key number, or -1 */
int ut_arg_is_null(const cJSON *ev, const char *key);
double ut_num(const cJSON *ev, const char *key);            /* top-level number, or -1 */
int ut_is(const cJSON *ev, const char *ph, const char *cat, const char *name); /* NULL = any */
/* Count of events matching ph/cat/name whose args.task equals task (task < 0: any). */
int ut_count(const cJSON *trace, const char *ph, const char *cat, const char *name, int task);

/* A run traced into memory: an executor, its reactor, a network and a trace written to a
 * memstream. ut_world_close frees them in the safe order and returns the parsed trace
 * (NULL if it is not valid JSON); the caller cJSON_Delete()s it. */
typedef struct ut_world {
    reactor_t r;
    trace_t *t;
    exec_t *ex;
    net_t *net;
    FILE *f;
    char *buf;
    size_t len;
} ut_world;
void ut_world_open(ut_world *w, const exec_config *c, uint64_t seed);
cJSON *ut_world_close(ut_world *w);

/* Runs `PINATA_BINARY ARGS` with no display, capturing stdout and stderr into out (cap
 * bytes); returns the exit status, -1 if it did not exit. */
int ut_pinata(const char *args, char *out, size_t cap);

#endif
