#include "trace/infile.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { CHUNK = 1 << 20 }; /* one read() at most: a too-large input is noticed early */
static int wait_ms = INFILE_WAIT_S * 1000;

void infile_set_wait_ms(int ms) { wait_ms = ms; }

static size_t cap_of(infile_kind k) {
    return (size_t)(k == INFILE_SCENARIO ? INFILE_SCENARIO_MB : INFILE_TRACE_MB) << 20;
}

/* The first byte that is not a JSON blank, or -1 when there is none yet. */
static int first_char(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n') return (unsigned char)s[i];
    return -1;
}

int infile_is_trace(const char *text, size_t len) { return first_char(text, len) == '['; }

/* INFILE_ANY becomes a trace or a scenario at the first non-blank byte. */
static infile_kind decide(infile_kind k, const char *buf, size_t n) {
    int c = k == INFILE_ANY ? first_char(buf, n) : 0;
    return k != INFILE_ANY || c < 0 ? k : c == '[' ? INFILE_TRACE : INFILE_SCENARIO;
}

static void too_large(const char *path, infile_kind k, char *err, size_t errlen) {
    if (k == INFILE_TRACE)
        snprintf(err, errlen, "%s: larger than %d MB: expected a trace of at most %d MB", path, INFILE_TRACE_MB,
                 INFILE_TRACE_MB);
    else if (k == INFILE_SCENARIO)
        snprintf(err, errlen, "%s: larger than %d MB: expected a scenario file of at most %d MB", path,
                 INFILE_SCENARIO_MB, INFILE_SCENARIO_MB);
    else
        snprintf(err, errlen, "%s: larger than %d MB: expected a trace (at most %d MB) or a scenario file (at most %d MB)",
                 path, INFILE_TRACE_MB, INFILE_TRACE_MB, INFILE_SCENARIO_MB);
    errno = EFBIG;
}

static void cannot_read(const char *path, char *err, size_t errlen) {
    snprintf(err, errlen, "%s: cannot read the file: %s", path, strerror(errno));
}

/* A FIFO, a pipe or a device: wait for the first byte or the end of file, at most
 * INFILE_WAIT_S; then make reads block again (a slow writer is still a writer). */
static int wait_readable(int fd, const struct stat *st, const char *path, char *err, size_t errlen) {
    if (!S_ISREG(st->st_mode)) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int r;
        while ((r = poll(&p, 1, wait_ms)) < 0 && errno == EINTR) {}
        if (r == 0) {
            errno = ETIMEDOUT;
            snprintf(err, errlen, "%s: nothing to read after %g s: expected a file, or a pipe or FIFO that something "
                     "writes to", path, wait_ms / 1000.0);
            return -1;
        }
        if (r < 0) { cannot_read(path, err, errlen); return -1; }
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) { cannot_read(path, err, errlen); return -1; }
    return 0;
}

/* Makes the buffer at least need bytes, doubling. */
static char *grow(char *buf, size_t *cap, size_t need) {
    if (need <= *cap) return buf;
    size_t c = *cap ? *cap : 1;
    while (c < need) c *= 2;
    char *b = realloc(buf, c);
    if (b) *cap = c;
    return b;
}

char *infile_slurp(int fd, const char *path, infile_kind k, size_t *len, char *err, size_t errlen) {
    struct stat st;
    if (fstat(fd, &st) != 0) { cannot_read(path, err, errlen); return NULL; }
    size_t cap = 0, n = 0;
    int reg = S_ISREG(st.st_mode);
    /* a regular file: its size, the NUL and one byte to see the end, so no doubling slack */
    char *buf = grow(NULL, &cap, reg ? (size_t)st.st_size + 2 : 64 * 1024);
    for (;;) {
        /* room for at least one byte and the NUL; a stream reads in larger steps */
        char *b = buf ? grow(buf, &cap, n + (reg ? 2 : 4096)) : NULL;
        if (!b) { free(buf); errno = ENOMEM; cannot_read(path, err, errlen); return NULL; }
        buf = b;
        size_t room = cap - n - 1 < CHUNK ? cap - n - 1 : CHUNK;
        ssize_t r = read(fd, buf + n, room);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) { cannot_read(path, err, errlen); free(buf); return NULL; }
        if (r == 0) break;
        n += (size_t)r;
        k = decide(k, buf, n);
        size_t max = cap_of(k);
        if (n > max || (reg && (size_t)st.st_size > max)) {
            too_large(path, k, err, errlen);
            free(buf);
            return NULL;
        }
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

int infile_open(const char *path, infile_kind kind, int *regular, char *err, size_t errlen) {
    /* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) { cannot_read(path, err, errlen); return -1; }
    struct stat st;
    int rc = -1;
    if (fstat(fd, &st) != 0) cannot_read(path, err, errlen);
    else if (S_ISDIR(st.st_mode)) { errno = EISDIR; cannot_read(path, err, errlen); }
    else if (S_ISREG(st.st_mode) && (size_t)st.st_size > cap_of(kind)) too_large(path, kind, err, errlen);
    else rc = wait_readable(fd, &st, path, err, errlen);
    if (rc == 0) {
        if (regular) *regular = S_ISREG(st.st_mode);
        return fd;
    }
    int saved = errno;
    close(fd);
    errno = saved;
    return -1;
}

int infile_fd_is_trace(int fd) {
    char head[4096];
    ssize_t n = pread(fd, head, sizeof head, 0);
    return n > 0 && infile_is_trace(head, (size_t)n);
}

char *infile_read(const char *path, infile_kind kind, size_t *len, char *err, size_t errlen) {
    int fd = infile_open(path, kind, NULL, err, errlen);
    if (fd < 0) return NULL;
    char *buf = infile_slurp(fd, path, kind, len, err, errlen);
    int saved = errno;
    close(fd);
    errno = saved;
    return buf;
}
