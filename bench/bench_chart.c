#include "bench/bench_chart.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "bench/bench_report.h"
#include "viz/sdlr.h"
#include "viz/svg.h"

/* Okabe-Ito colours: told apart with every kind of colour blindness. */
#define C_BG 0xFFFFFFFFu
#define C_TEXT 0x222222FFu
#define C_MUTED 0x666666FFu
#define C_GRID 0xBBBBBBFFu
#define C_OFF 0x0072B2FFu   /* blue: trace off */
#define C_ON 0xE69F00FFu    /* orange: trace on */

#define X0 450.0f           /* where 1x is */
#define X1 1060.0f         /* where the largest decade is */
#define ROW0 190.0f
#define ROW_H 118.0f

typedef struct chart_row {
    const char *what;
    char detail[96];
    double off, on;         /* ratios; on = 0 when there is none */
} chart_row;

static float x_of(double ratio, int decades) {
    double v = ratio < 1 ? 0 : log10(ratio) / decades;
    return X0 + (float)(v > 1 ? 1 : v) * (X1 - X0);
}

static void fmt_time(char *b, size_t cap, double ns) {
    if (ns >= 1000) snprintf(b, cap, "%.1f \xc2\xb5s", ns / 1000);
    else snprintf(b, cap, "%.0f ns", ns);
}

static void fmt_size(char *b, size_t cap, double bytes) {
    if (bytes >= 1024) snprintf(b, cap, "%.1f KiB", bytes / 1024);
    else snprintf(b, cap, "%.0f B", bytes);
}

static double ratio(double a, double b) { return b > 0 ? a / b : 0; }

static int rows_of(const bench_results *r, chart_row *row) {
    char a[32], b[32];
    fmt_time(a, sizeof a, r->thread_create.median);
    fmt_time(b, sizeof b, r->task_create[BENCH_OFF].median);
    row[0] = (chart_row){"create + run to completion", "", ratio(r->thread_create.median, r->task_create[0].median),
                         ratio(r->thread_create.median, r->task_create[1].median)};
    snprintf(row[0].detail, sizeof row[0].detail, "thread %s  \xc2\xb7  task %s", a, b);
    fmt_time(a, sizeof a, r->thread_switch.median);
    fmt_time(b, sizeof b, r->task_switch[BENCH_OFF].median);
    row[1] = (chart_row){"switch (one handoff)", "", ratio(r->thread_switch.median, r->task_switch[0].median),
                         ratio(r->thread_switch.median, r->task_switch[1].median)};
    snprintf(row[1].detail, sizeof row[1].detail, "thread %s  \xc2\xb7  task %s", a, b);
    fmt_size(a, sizeof a, r->thread_bytes_rss);
    fmt_size(b, sizeof b, r->task_bytes_malloc[BENCH_OFF]);
    row[2] = (chart_row){"memory while waiting", "", ratio(r->thread_bytes_rss, r->task_bytes_malloc[0]),
                         ratio(r->thread_bytes_rss, r->task_bytes_malloc[1])};
    snprintf(row[2].detail, sizeof row[2].detail, "thread %s  \xc2\xb7  task %s", a, b);
    fmt_size(a, sizeof a, r->thread_bytes_rss_100k);
    row[3] = (chart_row){"memory, 100 KB of stack used", "", ratio(r->thread_bytes_rss_100k, r->task_bytes_malloc[0]),
                         ratio(r->thread_bytes_rss_100k, r->task_bytes_malloc[1])};
    snprintf(row[3].detail, sizeof row[3].detail, "thread %s  \xc2\xb7  task %s", a, b);
    return 4;
}

static int decades_for(const chart_row *row, int n) {
    double max = 10;
    for (int i = 0; i < n; i++) if (row[i].off > max) max = row[i].off;
    int d = (int)ceil(log10(max) - 1e-9);
    return d < 1 ? 1 : d;
}

static void draw_axis(draw_list *d, int decades, float top, float bottom) {
    for (int k = 0; k <= decades; k++) {
        float x = X0 + (X1 - X0) * (float)k / (float)decades;
        char lab[24];
        snprintf(lab, sizeof lab, "%.0f\xc3\x97", pow(10, k));
        draw_line(d, x, top, x, bottom, C_GRID, 1, k > 0);
        draw_text(d, x, bottom + 24, lab, 16, C_MUTED, DRAW_CENTER, 0);
    }
}

static void draw_row(draw_list *d, const chart_row *row, float y, int decades) {
    char lab[32];
    draw_text(d, 60, y + 26, row->what, 22, C_TEXT, DRAW_LEFT, 1);
    draw_text(d, 60, y + 52, row->detail, 16, C_MUTED, DRAW_LEFT, 0);
    float x = x_of(row->off, decades);
    draw_rect(d, X0, y + 4, x - X0, 46, C_OFF, 0, 0);
    snprintf(lab, sizeof lab, "%.0f\xc3\x97", row->off);
    draw_text(d, x + 10, y + 36, lab, 26, C_TEXT, DRAW_LEFT, 1);
    if (row->on > 0) {
        float xo = x_of(row->on, decades);
        draw_rect(d, X0, y + 56, xo - X0, 14, C_ON, 0, 0);
        snprintf(lab, sizeof lab, "%.0f\xc3\x97 with the trace on", row->on);
        draw_text(d, xo + 8, y + 69, lab, 14, C_MUTED, DRAW_LEFT, 0);
    }
}

static void draw_titles(draw_list *d, const bench_results *r) {
    char sub[160], foot[200];
    draw_text(d, 60, 70, "Async tasks versus OS threads, measured on this machine", 34, C_TEXT, DRAW_LEFT, 1);
    snprintf(sub, sizeof sub, "How many times more an OS thread costs than a pinata task (log scale, median of %d runs)",
             r->opts.reps);
    draw_text(d, 60, 108, sub, 19, C_MUTED, DRAW_LEFT, 0);
    struct utsname u;
    snprintf(foot, sizeof foot, "pinata bench  \xc2\xb7  %ld tasks and threads, %ld handoffs  \xc2\xb7  Linux %s",
             r->opts.n, r->opts.switches, uname(&u) == 0 ? u.release : "?");
    draw_text(d, 60, BENCH_CHART_H - 24, foot, 14, C_MUTED, DRAW_LEFT, 0);
    draw_rect(d, X1 - 60, 128, 16, 16, C_OFF, 0, 0);
    draw_text(d, X1 - 38, 142, "trace off", 15, C_TEXT, DRAW_LEFT, 0);
    draw_rect(d, X1 + 50, 132, 16, 8, C_ON, 0, 0);
    draw_text(d, X1 + 72, 142, "trace on", 15, C_TEXT, DRAW_LEFT, 0);
}

int bench_chart_build(const bench_results *r, draw_list *d) {
    chart_row row[4];
    int n = rows_of(r, row), decades = decades_for(row, n);
    draw_list_init(d, BENCH_CHART_W, BENCH_CHART_H, C_BG);
    draw_titles(d, r);
    draw_axis(d, decades, ROW0 - 10, ROW0 + ROW_H * (float)n - 20);
    for (int i = 0; i < n; i++) draw_row(d, &row[i], ROW0 + ROW_H * (float)i, decades);
    return d->n > 0 ? 0 : -1;
}

static int ends_with(const char *s, const char *suffix) {
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcmp(s + a - b, suffix);
}

int bench_chart_write(const bench_results *r, const char *path, char *err, size_t errlen) {
    draw_list d;
    if (bench_chart_build(r, &d) != 0) {
        draw_list_free(&d);
        snprintf(err, errlen, "%s: out of memory drawing the chart", path);
        return -1;
    }
    int rc = ends_with(path, ".svg") ? svg_write(&d, path, err, errlen) : sdlr_save_png(&d, path, err, errlen);
    draw_list_free(&d);
    return rc;
}
