/* infile: reading an input file (a scenario, a trace) once, whole, into memory.
 *
 * Once: the file is opened a single time, so a pipe (`pinata text <(cat t.json)`), a FIFO
 * or /dev/stdin works like a plain file; whoever needs to know what it holds (a trace is a
 * JSON array, a scenario an object) looks at the buffer, never reopens the path.
 * Bounded: a scenario may be at most INFILE_SCENARIO_MB, a trace at most INFILE_TRACE_MB
 * (about six times the 1M-event traces of docs/performance.md); a larger regular file is
 * refused before it is read, a stream (/dev/zero) as soon as it passes the cap.
 * No hang on a FIFO nobody writes to: the open does not block, and the first byte (or end
 * of file) must come within INFILE_WAIT_S seconds; after that the reads block as usual. */
#ifndef PINATA_INFILE_H
#define PINATA_INFILE_H
#include <stddef.h>

enum {
    INFILE_SCENARIO_MB = 16,
    INFILE_TRACE_MB = 1024,
    INFILE_WAIT_S = 10
};

typedef enum infile_kind {
    INFILE_SCENARIO, /* a scenario file */
    INFILE_TRACE,    /* a trace file */
    INFILE_ANY       /* either: the first character decides ('[' a trace) and so the cap */
} infile_kind;

/* Opens path once for reading: without waiting for a FIFO's writer (the first byte must
 * come within INFILE_WAIT_S), and refusing a regular file larger than the cap of kind.
 * Returns a descriptor the caller closes, or -1 with one line in err. *regular: a plain
 * file, whose size is bounded already, so it may be streamed instead of read whole. */
int infile_open(const char *path, infile_kind kind, int *regular, char *err, size_t errlen);

/* Reads the rest of fd (from infile_open) into memory, refusing more than the cap of kind.
 * Returns the buffer (*len bytes plus a NUL, the caller free()s it), or NULL with err. */
char *infile_slurp(int fd, const char *path, infile_kind kind, size_t *len, char *err, size_t errlen);

/* True when the regular file fd holds a trace (infile_is_trace of its first 4 KB); its
 * position is kept. */
int infile_fd_is_trace(int fd);

/* Reads path whole (infile_open + infile_slurp). Returns a buffer of *len bytes plus a NUL the caller free()s, or NULL
 * with one line "PATH: what happened: expected ..." in err (errno kept from the failed
 * call, ENOENT when the file does not exist). */
char *infile_read(const char *path, infile_kind kind, size_t *len, char *err, size_t errlen);

/* Tests only: how long infile_open waits for a FIFO's first byte (default INFILE_WAIT_S). */
void infile_set_wait_ms(int ms);

/* True when text holds a trace: its first non-blank character is '['. */
int infile_is_trace(const char *text, size_t len);

#endif
