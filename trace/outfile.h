/* outfile: writing an output file (a trace, an SVG, a PNG, a JSON report) so that a
 * failure leaves nothing behind and the destination is only ever replaced by a whole file.
 *
 * The data goes to a temporary of its own made by mkstemp() beside the destination,
 * "DIR/.pinata-BASE-XXXXXX", which outfile_close() renames over PATH when every write
 * succeeded and removes otherwise. Two runs writing the same PATH each have their own
 * temporary (the last rename wins; both files are whole). SIGINT, SIGTERM and SIGHUP
 * remove the live temporaries before the process dies; SIGKILL cannot be caught, so a
 * `.pinata-*` file may remain after `kill -9` (it is never the destination itself).
 * The new file keeps the mode of the one it replaces; a file the user may not write is
 * refused (EACCES), and through a symbolic link the file it names is replaced, not the link.
 * A path that exists and is not a regular file (/dev/null, /dev/stdout, a FIFO) is
 * written in place: renaming over it would replace the device with a plain file.
 * "-" is stdout. The caller owns the outfile and must outfile_close() it exactly once. */
#ifndef PINATA_OUTFILE_H
#define PINATA_OUTFILE_H
#include <stddef.h>
#include <stdio.h>

typedef struct outfile {
    FILE *f;    /* write here */
    char *path; /* the final path, when writing through tmp */
    char *tmp;  /* the temporary being written, or NULL when writing in place */
    int own;    /* f was opened here and is closed by outfile_close */
    int slot;   /* index in the signal handler's table of live temporaries, -1 none */
} outfile;

/* Opens path for writing (binary). Returns o->f, or NULL with errno set. */
FILE *outfile_open(outfile *o, const char *path);
/* Wraps a stream the caller keeps open: outfile_close only flushes it. */
void outfile_wrap(outfile *o, FILE *f);
/* Closes; keep != 0: the file takes its final name, otherwise it is removed. Returns 0, or
 * -1 if anything failed (then no file is left, errno says why). */
int outfile_close(outfile *o, int keep);

/* Another file of the caller's to remove on SIGINT / SIGTERM / SIGHUP (e.g. a scratch
 * trace made by mkstemp). Returns a handle for outfile_unguard, -1 when none is free. */
int outfile_guard(const char *path);
void outfile_unguard(int handle);

/* Nonzero when writing out would replace the file named input: the same device and
 * inode when out exists, else the same path. "-" and a non-file input are never it. */
int outfile_is_input(const char *out, const char *input);

/* The one message for an output that cannot be written, from errno:
 * "PATH: cannot write: REASON". */
void outfile_message(char *err, size_t errlen, const char *path);

#endif
