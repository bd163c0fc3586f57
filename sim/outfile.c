#include "sim/outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void outfile_wrap(outfile *o, FILE *f) { *o = (outfile){.f = f}; }

static FILE *open_in_place(outfile *o, const char *path) {
    *o = (outfile){.f = fopen(path, "wb"), .own = 1};
    return o->f;
}

FILE *outfile_open(outfile *o, const char *path) {
    if (strcmp(path, "-") == 0) {
        outfile_wrap(o, stdout);
        return o->f;
    }
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) return open_in_place(o, path);
    size_t n = strlen(path);
    *o = (outfile){.tmp = malloc(n + 5), .path = strdup(path), .own = 1};
    if (!o->tmp || !o->path) {
        free(o->tmp);
        free(o->path);
        errno = ENOMEM;
        return o->f = NULL;
    }
    memcpy(o->tmp, path, n);
    memcpy(o->tmp + n, ".tmp", 5);
    o->f = fopen(o->tmp, "wb");
    if (!o->f) {
        free(o->tmp);
        free(o->path);
    }
    return o->f;
}

int outfile_close(outfile *o, int keep) {
    int rc = 0;
    if (!o->own) rc = o->f && fflush(o->f) != 0 ? -1 : 0;
    else if (o->f && fclose(o->f) != 0) rc = -1;
    if (o->tmp) {
        if (keep && rc == 0 && rename(o->tmp, o->path) != 0) rc = -1;
        int saved = errno;
        if (!keep || rc != 0) remove(o->tmp);
        errno = saved;
    }
    free(o->tmp);
    free(o->path);
    *o = (outfile){0};
    return rc;
}
