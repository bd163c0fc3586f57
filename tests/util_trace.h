/* Test helpers shared by the tests: run an example into a trace file and read the trace
 * back with cJSON, so every property is checked from the trace itself. */
#ifndef PINATA_UTIL_TRACE_H
#define PINATA_UTIL_TRACE_H
#include <cjson/cJSON.h>
#include <stdint.h>

/* Runs a built-in example or scenario quietly into path; returns the runner status. */
int ut_run(const char *name, const char *path);
/* Parses a trace file; NULL if it is not valid JSON. The caller frees it with cJSON_Delete. */
cJSON *ut_load(const char *path);
/* Reads a whole file; the caller frees it. *len gets its size. */
char *ut_slurp(const char *path, long *len);

/* Field access that tolerates missing fields. */
const char *ut_str(const cJSON *ev, const char *key);       /* top-level string, or "" */
const char *ut_arg_str(const cJSON *ev, const char *key);   /* args.key string, or "" */
double ut_arg_num(const cJSON *ev, const char *key);        /* args.key number, or -1 */
int ut_arg_is_null(const cJSON *ev, const char *key);
double ut_num(const cJSON *ev, const char *key);            /* top-level number, or -1 */
int ut_is(const cJSON *ev, const char *ph, const char *cat, const char *name); /* NULL = any */
/* Count of events matching ph/cat/name whose args.task equals task (task < 0: any). */
int ut_count(const cJSON *trace, const char *ph, const char *cat, const char *name, int task);

#endif
