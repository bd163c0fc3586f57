#include "trace/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---------- the temporaries a signal must remove ----------
 * A fixed table, so the handler only reads memory that is never freed: a slot's path is
 * written before the slot is marked live and unmarked before it is reused. */

enum { SLOTS = 8, SLOT_PATH = 4096 };
static char slot_path[SLOTS][SLOT_PATH];
static volatile sig_atomic_t slot_live[SLOTS];
static const int caught[] = {SIGINT, SIGTERM, SIGHUP};

static void on_signal(int sig) {
    for (int i = 0; i < SLOTS; i++)
        if (slot_live[i]) unlink(slot_path[i]);
    signal(sig, SIG_DFL); /* then die of the same signal, as if never caught */
    raise(sig);
}

/* Installed once, only over the default action: a program that ignores a signal (nohup)
 * or handles it itself (SDL's window turns SIGINT into a quit event) keeps its choice. */
static void install_handlers(void) {
    static int done;
    if (done) return;
    done = 1;
    for (size_t i = 0; i < sizeof caught / sizeof *caught; i++) {
        struct sigaction old, sa = {.sa_handler = on_signal};
        sigemptyset(&sa.sa_mask);
        if (sigaction(caught[i], NULL, &old) == 0 && old.sa_handler == SIG_DFL) sigaction(caught[i], &sa, NULL);
    }
}

static int slot_take(const char *path) {
    if (strlen(path) >= SLOT_PATH) return -1;
    for (int i = 0; i < SLOTS; i++)
        if (!slot_live[i]) {
            memcpy(slot_path[i], path, strlen(path) + 1);
            slot_live[i] = 1;
            install_handlers();
            return i;
        }
    return -1; /* more than SLOTS at once: still written safely, only not cleaned on a signal */
}

static void slot_drop(int i) {
    if (i >= 0) slot_live[i] = 0;
}

int outfile_guard(const char *path) { return slot_take(path); }
void outfile_unguard(int handle) { slot_drop(handle); }

/* ---------- opening and closing ---------- */

void outfile_wrap(outfile *o, FILE *f) { *o = (outfile){.f = f, .slot = -1}; }

static FILE *open_in_place(outfile *o, const char *path) {
    *o = (outfile){.f = fopen(path, "wb"), .own = 1, .slot = -1};
    return o->f;
}

/* "DIR/.pinata-BASE-XXXXXX": beside the destination (rename stays on one file system),
 * hidden, and recognisable as pinata's should one survive a SIGKILL. */
static char *tmp_template(const char *path) {
    const char *slash = strrchr(path, '/');
    size_t dir = slash ? (size_t)(slash - path) + 1 : 0;
    const char *base = path + dir;
    int blen = (int)strnlen(base, 64); /* keeps the name under NAME_MAX */
    size_t cap = dir + (size_t)blen + 32;
    char *t = malloc(cap);
    if (t) snprintf(t, cap, "%.*s.pinata-%.*s-XXXXXX", (int)dir, path, blen, base);
    return t;
}

/* mkstemp makes the file 0600; a finished output gets the mode of the file it replaces,
 * or the one a plain fopen would give. */
static void set_mode(int fd, const struct stat *old) {
    if (old) {
        fchmod(fd, old->st_mode & 07777);
        return;
    }
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
}

/* Through a symbolic link the file it names is replaced and the link stays: the path at
 * the end of the links (at most 16), or NULL. The caller frees it. */
static char *follow_links(const char *path) {
    char *p = strdup(path);
    for (int hops = 0; p && hops < 16; hops++) {
        struct stat st;
        char target[4096];
        ssize_t n;
        if (lstat(p, &st) != 0 || !S_ISLNK(st.st_mode)) return p;
        if ((n = readlink(p, target, sizeof target - 1)) < 0) break;
        target[n] = '\0';
        const char *slash = strrchr(p, '/');
        int dir = target[0] == '/' || !slash ? 0 : (int)(slash - p) + 1;
        char *next = malloc((size_t)dir + (size_t)n + 1);
        if (next) snprintf(next, (size_t)dir + (size_t)n + 1, "%.*s%s", dir, p, target);
        free(p);
        p = next;
    }
    free(p);
    return NULL;
}

/* old: the regular file at path (NULL when there is none). */
static FILE *open_tmp(outfile *o, const char *path, const struct stat *old) {
    *o = (outfile){.tmp = tmp_template(path), .path = strdup(path), .own = 1, .slot = -1};
    int fd = o->tmp && o->path ? mkstemp(o->tmp) : (errno = ENOMEM, -1);
    if (fd >= 0) {
        o->slot = slot_take(o->tmp);
        set_mode(fd, old);
        o->f = fdopen(fd, "wb");
        if (!o->f) {
            int saved = errno;
            close(fd);
            unlink(o->tmp);
            slot_drop(o->slot);
            errno = saved;
        }
    }
    if (!o->f) {
        free(o->tmp);
        free(o->path);
        *o = (outfile){.slot = -1};
    }
    return o->f;
}

FILE *outfile_open(outfile *o, const char *path) {
    if (strcmp(path, "-") == 0) {
        outfile_wrap(o, stdout);
        return o->f;
    }
    struct stat st;
    if (stat(path, &st) != 0) return open_tmp(o, path, NULL);
    if (!S_ISREG(st.st_mode)) return open_in_place(o, path);
    /* a file the user may not write is not replaced behind their back by a rename */
    if (access(path, W_OK) != 0) {
        *o = (outfile){.slot = -1};
        return NULL;
    }
    char *real = follow_links(path);
    FILE *f = open_tmp(o, real ? real : path, &st);
    free(real);
    return f;
}

int outfile_close(outfile *o, int keep) {
    /* a stream's error flag is sticky: a write that failed anywhere fails the whole file */
    int rc = o->f && ferror(o->f) ? (errno = errno ? errno : EIO, -1) : 0;
    if (!o->own) rc |= o->f && fflush(o->f) != 0 ? -1 : 0;
    else if (o->f && fclose(o->f) != 0) rc = -1;
    if (o->tmp) {
        if (keep && rc == 0 && rename(o->tmp, o->path) != 0) rc = -1;
        int saved = errno;
        if (!keep || rc != 0) unlink(o->tmp);
        slot_drop(o->slot);
        errno = saved;
    }
    free(o->tmp);
    free(o->path);
    *o = (outfile){.slot = -1};
    return rc;
}

int outfile_is_input(const char *out, const char *input) {
    if (!strcmp(out, "-")) return 0;
    struct stat so, si;
    if (stat(out, &so) != 0) return !strcmp(out, input);
    if (!S_ISREG(so.st_mode)) return 0; /* written in place, never replaced */
    return stat(input, &si) == 0 && so.st_dev == si.st_dev && so.st_ino == si.st_ino;
}

void outfile_message(char *err, size_t errlen, const char *path) {
    snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno ? errno : EIO));
}
