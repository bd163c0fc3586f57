/* outfile: writing an output file (a trace, an SVG, a PNG, a JSON report) so that a
 * failure leaves nothing behind.
 *
 * The data goes to "PATH.tmp", which outfile_close() renames over PATH when the write
 * succeeded and removes when it failed. A path that exists and is not a regular file
 * (/dev/null, /dev/stdout, a FIFO) is written in place: renaming over it would replace the
 * device with a plain file, and there is no partial file to clean up. "-" is stdout.
 * The caller owns the outfile and must outfile_close() it exactly once. */
#ifndef PINATA_OUTFILE_H
#define PINATA_OUTFILE_H
#include <stdio.h>

typedef struct outfile {
    FILE *f;    /* write here */
    char *path; /* the final path, when writing through tmp */
    char *tmp;  /* the temporary being written, or NULL when writing in place */
    int own;    /* f was opened here and is closed by outfile_close */
} outfile;

/* Opens path for writing (binary). Returns o->f, or NULL with errno set. */
FILE *outfile_open(outfile *o, const char *path);
/* Wraps a stream the caller keeps open: outfile_close only flushes it. */
void outfile_wrap(outfile *o, FILE *f);
/* Closes; keep != 0: the file takes its final name, otherwise it is removed. Returns 0, or
 * -1 if anything failed (then no file is left, errno says why). */
int outfile_close(outfile *o, int keep);

#endif
