/* doc: open, simulate, index. See doc.h. */
#include "viz/doc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trace/infile.h"
#include "trace/outfile.h"
#include "viz/quiz.h"

static void stamp(doc *d) {
    struct stat st;
    if (d->watch[0] && stat(d->watch, &st) == 0) {
        d->watch_mtime = st.st_mtim.tv_sec;
        d->watch_mtime_ns = st.st_mtim.tv_nsec;
    }
}

int doc_changed(const doc *d) {
    struct stat st;
    if (!d->watch[0] || stat(d->watch, &st) != 0) return 0;
    return st.st_mtim.tv_sec != d->watch_mtime || st.st_mtim.tv_nsec != d->watch_mtime_ns;
}

/* Simulates input (a built-in, or a scenario file whose text was read) into a temporary
 * trace file, loads it, removes the file. */
static int simulate(doc *d, const char *input, const char *text, char *err, size_t errlen) {
    char tmp[] = "/tmp/pinata-view-XXXXXX";
    int fd = mkstemp(tmp);
    if (fd < 0) { snprintf(err, errlen, "%s: cannot make a temporary trace file", input); return -1; }
    close(fd);
    int guard = outfile_guard(tmp); /* Ctrl-C during a long simulation leaves no file in /tmp */
    int rc = -1;
    if (d->sim.run(d->sim.ctx, input, text, tmp, err, errlen) == 0) rc = tload_file(tmp, &d->t, err, errlen);
    else tload_free(&d->t);
    if (!rc) { /* later messages (a scenario quiz that does not fit the run) name the input */
        snprintf(d->t.path, sizeof d->t.path, "%s", input);
        d->t.meta_line = 0;
    }
    unlink(tmp);
    outfile_unguard(guard);
    d->simulated = 1;
    return rc;
}

static int derive(doc *d, char *err, size_t errlen) {
    if (tindex_build(&d->t, &d->ix) || taxis_build(&d->ax, &d->t, &d->ix, d->compressed)) {
        snprintf(err, errlen, "%s: out of memory indexing the trace", d->input);
        return -1;
    }
    return 0;
}

/* A file that exists is opened once (trace/infile: a pipe or a FIFO works too) and what it
 * holds decides: a trace is loaded, a scenario simulated. Else a built-in's name. */
static int open_input(doc *d, const char *input, const struct stat *st, char *err, size_t errlen) {
    if (!st && d->sim.is_builtin && d->sim.is_builtin(input)) return simulate(d, input, NULL, err, errlen);
    if (!st) {
        snprintf(err, errlen, "%s: expected a trace file, a scenario file or a built-in example "
                 "(see `pinata list`)", input);
        return -1;
    }
    int regular, fd = infile_open(input, INFILE_ANY, &regular, err, errlen);
    if (fd < 0) return -1;
    if (regular && infile_fd_is_trace(fd)) return tload_fd(input, fd, &d->t, err, errlen);
    size_t len;
    char *text = infile_slurp(fd, input, INFILE_ANY, &len, err, errlen);
    close(fd);
    if (!text) return -1;
    int rc = -1;
    if (infile_is_trace(text, len)) rc = tload_buffer(input, text, len, &d->t, err, errlen);
    else if (d->sim.run) rc = simulate(d, input, text, err, errlen);
    else snprintf(err, errlen, "%s: expected a trace file (this viewer opens no scenario)", input);
    free(text);
    return rc;
}

/* A trace ran already: the options that change a simulation did nothing to it; say so
 * (one warning line) rather than show the old run as if it were the one asked for. */
static void warn_sim_only(doc *d) {
    if (d->simulated || !d->sim.sim_only || !d->sim.sim_only[0]) return;
    size_t n = strlen(d->t.warn);
    const char *m = tload_str(&d->t, d->t.model);
    snprintf(d->t.warn + n, sizeof d->t.warn - n, "%s: a trace, run already (model %s), shown as it ran: "
             "%s would change only a scenario or an example it runs\n", d->input, m && *m ? m : "ideal", d->sim.sim_only);
}

/* The scenario's quiz was left out of the run just made with other options (sim/runner.c). */
static void warn_quiz_left_out(doc *d) {
    size_t n = strlen(d->t.warn);
    if (d->simulated) quiz_left_out_line(&d->t, d->input, d->t.warn + n, sizeof d->t.warn - n);
}

int doc_open(doc *d, const char *input, int compressed, const doc_sim *sim, char *err, size_t errlen) {
    memset(d, 0, sizeof *d);
    snprintf(d->input, sizeof d->input, "%s", input);
    d->compressed = compressed;
    if (sim) d->sim = *sim;
    struct stat st;
    int exists = stat(input, &st) == 0;
    if (open_input(d, input, exists ? &st : NULL, err, errlen)) { doc_close(d); return -1; }
    warn_sim_only(d);
    warn_quiz_left_out(d);
    /* only a plain file is watched: a FIFO's time changes as it is written, and it cannot
     * be read again */
    if (exists && S_ISREG(st.st_mode)) snprintf(d->watch, sizeof d->watch, "%s", input);
    stamp(d);
    if (derive(d, err, errlen) || quiz_check(&d->t, &d->ix, err, errlen)) { doc_close(d); return -1; }
    return 0;
}

int doc_set_compressed(doc *d, int compressed) {
    double min_frac = d->ax.min_frac > 0 ? d->ax.min_frac : TAXIS_MIN_FRAC; /* the view's, kept */
    taxis_free(&d->ax);
    d->compressed = compressed;
    return taxis_build_min(&d->ax, &d->t, &d->ix, compressed, min_frac);
}

int doc_set_min_frac(doc *d, double min_frac) {
    if (d->ax.min_frac == min_frac) return 0;
    taxis_free(&d->ax);
    return taxis_build_min(&d->ax, &d->t, &d->ix, d->compressed, min_frac);
}

int doc_fit_view(doc *d, layout_view *v, int grow) {
    float w0 = v->width;
    for (int it = 0; it < 8; it++) {
        double want = layout_min_frac(&d->t, &d->ix, v);
        taxis_room *rooms;
        size_t n = layout_rooms(&d->t, &d->ix, v, &rooms);
        taxis_free(&d->ax);
        int rc = taxis_build_rooms(&d->ax, &d->t, &d->ix, d->compressed, want, rooms, n);
        free(rooms);
        if (rc) return -1;
        if (!grow || !d->compressed || d->ax.min_got <= 0) return 0;
        double polls_short = want / d->ax.min_got, rooms_short = d->ax.rooms_got > 0 ? 1 / d->ax.rooms_got : 1;
        double short_by = fmax(polls_short, rooms_short);
        /* the polls' least width matters most (up to 4x); names get as much wider a page as
         * the text is larger (--scale 2: 2x), so the 1600 px page keeps its size */
        float big = layout_min_poll_px(v) / 6, cap = (polls_short > 1.001 ? 4 : fminf(2, big)) * w0;
        if (short_by < 1.001 || v->width >= cap) return 0;
        float plot = layout_min_poll_px(v) / (float)want; /* the plot's width in pixels */
        float w = v->width + plot * (float)(short_by - 1) * 1.1f + 8; /* a little over: the gutter stays */
        if (polls_short <= 1.001) w = cap; /* names left out: the page the text's size asks for,
                                             * on which the same names fit as at 1600 px */
        v->width = ceilf(w < cap ? w : cap);
    }
    return 0;
}

void doc_close(doc *d) {
    taxis_free(&d->ax);
    tindex_free(&d->ix);
    tload_free(&d->t);
}

/* The name goes into file names: a '/' or a control character from the trace becomes '_'
 * (a scenario named "../x" must not write outside the current directory). */
static void file_safe(char *s) {
    for (; *s; s++)
        if (*s == '/' || *s == '\\' || (unsigned char)*s < 0x20 || *s == 0x7F) *s = '_';
}

const char *doc_name(const doc *d, char *buf, size_t len) {
    const char *s = tload_str(&d->t, d->t.scenario);
    if (*s) {
        snprintf(buf, len, "%s", s);
        file_safe(buf);
        return buf;
    }
    const char *base = strrchr(d->input, '/');
    snprintf(buf, len, "%s", base ? base + 1 : d->input);
    char *dot = strrchr(buf, '.');
    if (dot && dot != buf) *dot = '\0';
    file_safe(buf);
    return buf;
}
