/* textline: text timeline. See textline.h. */
#include "viz/textline.h"
#include "viz/msg.h"

#include <stdlib.h>
#include <string.h>

#include "trace/printable.h"
#include "viz/layout.h"
#include "trace/utf8.h"

static int rank_of(uint8_t kind) {
    switch (kind) { /* what wins a shared column: the interesting thing */
    case TLOAD_POLL: return 5;
    case TLOAD_WAKE: return 4;
    case TLOAD_COMPUTE: return 4;
    case TLOAD_SYSCALL: return 3;
    case TLOAD_PARK: case TLOAD_BLOCKED: return 2;
    case TLOAD_EXECUTOR: return 1;
    default: return 0;
    }
}

static char glyph(uint8_t kind) {
    switch (kind) {
    case TLOAD_POLL: return '#';
    case TLOAD_WAKE: return '!';
    case TLOAD_COMPUTE: return '=';
    case TLOAD_SYSCALL: return '|';
    case TLOAD_PARK: case TLOAD_BLOCKED: return '~';
    case TLOAD_EXECUTOR: return '-';
    default: return ' ';
    }
}

/* Marks slice e on one strip (buf, best: width columns each). hint: the axis segment of the
 * last lookup (events come nearly in time order). */
static void strip_mark(const tload_event *e, const taxis *ax, double total, int width, char *buf, char *best,
                       size_t *hint) {
    int a = (int)(taxis_u_hint(ax, e->ts, hint) / total * width), b = (int)(taxis_u_hint(ax, e->ts + e->dur, hint) / total * width);
    if (a >= width) a = width - 1;
    if (b >= width) b = width - 1;
    for (int c = a; c <= b; c++)
        if (rank_of(e->kind) > best[c]) { best[c] = (char)rank_of(e->kind); buf[c] = glyph(e->kind); }
}

void textline_strip(const tload_trace *t, const tindex *ix, const taxis *ax, size_t l, int width, char *buf) {
    char best[1024];
    if (width > 1023) width = 1023;
    memset(buf, ' ', (size_t)width);
    memset(best, 0, (size_t)width);
    buf[width] = '\0';
    double total = ax->u_total > 0 ? ax->u_total : 1;
    size_t hint = 0;
    for (size_t i = 0; i < t->n; i++)
        if (ix->lane[i] == l && t->ev[i].ph == 'X') strip_mark(&t->ev[i], ax, total, width, buf, best, &hint);
}

/* Every lane's strip in one pass over the events (in file order, as textline_strip: the
 * same strips), lanes * (width + 1) characters from strip[l * (width + 1)]; NULL when out
 * of memory (then a strip at a time). A million-event run was one pass per lane. */
static char *all_strips(const tload_trace *t, const tindex *ix, const taxis *ax, int width) {
    size_t row = (size_t)width + 1, n = ix->n_lanes;
    char *buf = malloc(n * row + 1), *best = calloc(n * row + 1, 1);
    if (!buf || !best) { free(buf); free(best); return NULL; }
    for (size_t l = 0; l < n; l++) {
        memset(buf + l * row, ' ', (size_t)width);
        buf[l * row + (size_t)width] = '\0';
    }
    double total = ax->u_total > 0 ? ax->u_total : 1;
    size_t hint = 0;
    for (size_t i = 0; i < t->n; i++)
        if (t->ev[i].ph == 'X')
            strip_mark(&t->ev[i], ax, total, width, buf + ix->lane[i] * row, best + ix->lane[i] * row, &hint);
    free(best);
    return buf;
}

/* Every string from the trace goes through printable(): an ESC in a scenario's name must
 * not reach the terminal (sim/printable.h). */
static void put_safe(FILE *f, const char *fmt, const char *s, int flags) {
    char safe[4096];
    printable(safe, sizeof safe, s, flags);
    fprintf(f, fmt, safe);
}

static void header(FILE *f, const tload_trace *t, const textline_opts *o) {
    int ko = o->lang == CAPTION_KO;
    const char *title = tload_str(t, ko && t->title_ko ? t->title_ko : t->title);
    const char *desc = tload_str(t, ko && t->description_ko ? t->description_ko : t->description);
    put_safe(f, "pinata — %s\n", *title ? title : tload_str(t, t->scenario), 0);
    if (*desc) put_safe(f, "%s\n", desc, 0);
    if (t->warn[0]) put_safe(f, "%s", t->warn, PRINTABLE_KEEP_NEWLINES);
    fputc('\n', f);
}

/* s cut and padded to cols terminal columns (a Hangul or CJK character takes two), never
 * inside a UTF-8 sequence: printf's %-12.12s counts bytes and would cut one in half. */
static const char *fit(char *buf, size_t len, const char *s, int cols) {
    size_t n = 0;
    int used = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p && n + 8 < len) {
        uint32_t cp;
        size_t k = utf8_decode((const char *)p, &cp); /* never past the NUL */
        int w = k == 3 && cp >= 0x1000 ? 2 : 1; /* U+1100 and up: Hangul, CJK (wide) */
        if (used + w > cols) break;
        for (size_t i = 0; i < k; i++) buf[n++] = (char)p[i];
        p += k;
        used += w;
    }
    while (used++ < cols && n + 1 < len) buf[n++] = ' ';
    buf[n] = '\0';
    return buf;
}

/* Thread name of tid, printable, in cols columns; the OS lane in the chosen language. */
static const char *thread_name(const tload_trace *t, int32_t tid, msg_lang lang, int cols, char *buf, size_t len) {
    char name[96], safe[400];
    const char *s = tid == TRACE_TID_OS ? msg_template(MSG_LANE_OS, lang) : tload_thread_name(t, tid, name, sizeof name);
    printable(safe, sizeof safe, s, 0);
    return fit(buf, len, safe, cols);
}

static void strips(FILE *f, const tload_trace *t, const tindex *ix, const taxis *ax, int width, msg_lang lang) {
    char strip[1024], name[400];
    if (width > 1023) width = 1023;
    char *all = all_strips(t, ix, ax, width);
    for (size_t l = 0; l < ix->n_lanes; l++) {
        if (!all) textline_strip(t, ix, ax, l, width, strip);
        fprintf(f, "%s |%s|\n", thread_name(t, ix->lanes[l].tid, lang, 22, name, sizeof name),
                all ? all + l * ((size_t)width + 1) : strip);
    }
    free(all);
    fprintf(f, "%-22s  %s\n\n", "", msg_template(MSG_TEXT_LEGEND, lang));
}

int textline_write(FILE *f, const tload_trace *t, const tindex *ix, const taxis *ax, const textline_opts *o) {
    int width = o->width > 8 ? o->width : 72;
    char text[512], safe[2048], tbuf[48], name[400];
    header(f, t, o);
    msg_lang lang = o->lang == CAPTION_KO ? MSG_KO : MSG_EN;
    strips(f, t, ix, ax, width, lang);
    size_t n = ix->n_steps;
    if (o->limit > 0 && (size_t)o->limit < n) n = (size_t)o->limit;
    for (size_t s = 0; s < n; s++) {
        uint32_t code = ix->steps[s];
        uint32_t i = tindex_step_event(code);
        const tload_event *e = &t->ev[i];
        int depth = ix->depth[i];
        caption_step(t, ix, code, o->lang, text, sizeof text);
        printable(safe, sizeof safe, text, 0);
        fprintf(f, "%5zu %11s  %s %*s%s\n", s + 1, layout_fmt_time(tindex_step_time(t, code), tbuf, sizeof tbuf),
                thread_name(t, e->tid, lang, 12, name, sizeof name), depth * 2, "", safe);
    }
    if (n < ix->n_steps) {
        char more[24], line[160];
        snprintf(more, sizeof more, "%zu", ix->n_steps - n);
        fprintf(f, "%s\n", MSG_FMT(line, sizeof line, lang, MSG_TEXT_MORE_STEPS, more));
    }
    return ferror(f) ? -1 : 0;
}
