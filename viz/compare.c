/* compare: two runs on one page. See compare.h. */
#include "viz/compare.h"
#include "viz/memtrack.h"

#include "viz/msg.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- counts ----------------------------------------------------------------------- */

typedef struct task_seen { int polled, woken; } task_seen;

static int32_t max_task(const tload_trace *t) {
    int32_t m = 0;
    for (size_t i = 0; i < t->n; i++)
        if (t->ev[i].task > m) m = t->ev[i].task;
    return m;
}

/* A task's top-level poll (its root future) or a thread's top-level call. */
static int is_top(const tload_event *e) { return e->kind == TLOAD_POLL && e->parent < 0; }

/* Walks the events in start order: a wake that queued a task marks it; its next top-level
 * poll finds the mark (progress) or not (no progress, when it returns Pending). */
static void count_polls(const tload_trace *t, const tindex *ix, compare_counts *k) {
    int32_t nt = max_task(t) + 1;
    task_seen *seen = calloc((size_t)nt, sizeof *seen);
    for (size_t s = 0; s < t->n; s++) {
        const tload_event *e = &t->ev[ix->starts[s]];
        task_seen *ts = seen && e->task >= 0 && e->task < nt ? &seen[e->task] : NULL;
        if (e->kind == TLOAD_WAKE && !(e->flags & TLOAD_F_NOT_QUEUED) && ts) ts->woken = 1;
        if (!is_top(e)) continue;
        k->n[COMPARE_CPU] += e->dur;
        if (e->flags & TLOAD_F_SYNC) { k->n[COMPARE_CALLS]++; continue; }
        k->n[COMPARE_POLLS]++;
        if (!ts) continue;
        if (ts->polled && !ts->woken && e->result == TLOAD_RES_PENDING) k->n[COMPARE_IDLE_POLLS]++;
        ts->polled = 1;
        ts->woken = 0;
    }
    free(seen);
}

/* The memory rows: task state at the most tasks, stacks at the most threads. */
static void count_memory(const tload_trace *t, compare_counts *k) {
    const tload_mem *mt = NULL, *mh = NULL;
    for (size_t i = 0; i < t->nmem; i++) {
        if (!mt || t->mem[i].tasks > mt->tasks) mt = &t->mem[i];
        if (!mh || t->mem[i].threads > mh->threads) mh = &t->mem[i];
    }
    k->has_memory = mt != NULL;
    if (!mt) return;
    k->peak_tasks = mt->tasks;
    k->n[COMPARE_TASKS] = mt->task_bytes;
    k->peak_threads = mh->threads;
    k->n[COMPARE_STACK] = mh->stack_used;
    k->n[COMPARE_RESERVED] = mh->stack_reserved;
}

void compare_count(const tload_trace *t, const tindex *ix, compare_counts *k) {
    memset(k, 0, sizeof *k);
    for (size_t i = 0; i < t->n; i++) {
        uint8_t kind = t->ev[i].kind;
        k->n[COMPARE_WAKES] += kind == TLOAD_WAKE;
        k->n[COMPARE_PARKS] += kind == TLOAD_PARK;
        k->n[COMPARE_BLOCKED] += kind == TLOAD_BLOCKED;
    }
    count_polls(t, ix, k);
    k->n[COMPARE_SPAN] = ix->t_max - ix->t_min;
    count_memory(t, k);
}

/* ---- open ------------------------------------------------------------------------- */

/* The merged steps: both runs' steps in time order (A first at a tie); at each, the
 * cursor of each run on its last step at or before it. */
static int merge_steps(compare *c) {
    const doc *a = &c->run[0], *b = &c->run[1];
    size_t na = a->ix.n_steps, nb = b->ix.n_steps;
    c->n_steps = na + nb;
    c->cur = malloc((c->n_steps ? c->n_steps : 1) * sizeof *c->cur);
    if (!c->cur) return -1;
    long i = -1, j = -1;
    for (size_t m = 0; m < c->n_steps; m++) {
        int take_a = (size_t)(i + 1) < na &&
                     ((size_t)(j + 1) >= nb || tindex_step_time(&a->t, a->ix.steps[i + 1]) <=
                                                   tindex_step_time(&b->t, b->ix.steps[j + 1]));
        if (take_a) i++;
        else j++;
        /* a run with no step yet stands on its first one (both start at time 0) */
        c->cur[m][0] = i < 0 ? 0 : i;
        c->cur[m][1] = j < 0 ? 0 : j;
    }
    return 0;
}

int compare_open(compare *c, const char *a, const char *b, int compressed, const doc_sim *sim, char *err,
                 size_t errlen) {
    memset(c, 0, sizeof *c);
    if (doc_open(&c->run[0], a, compressed, sim, err, errlen)) return -1;
    if (doc_open(&c->run[1], b, compressed, sim, err, errlen)) {
        doc_close(&c->run[0]);
        return -1;
    }
    for (int r = 0; r < 2; r++) compare_count(&c->run[r].t, &c->run[r].ix, &c->counts[r]);
    if (taxis_merge(&c->ax, &c->run[0].ax, &c->run[1].ax) || merge_steps(c)) {
        snprintf(err, errlen, "%s: out of memory comparing it with %s", a, b);
        compare_close(c);
        return -1;
    }
    return 0;
}

/* The wider of the two runs' gutters: both plots then start at one x. */
static float compare_gutter(const compare *c, const layout_view *v) {
    float a = layout_gutter(&c->run[0].t, &c->run[0].ix, v), b = layout_gutter(&c->run[1].t, &c->run[1].ix, v);
    return a > b ? a : b;
}

int64_t compare_step_time(const compare *c, long m) {
    if (m < 0 || (size_t)m >= c->n_steps) return 0;
    int64_t t = INT64_MIN;
    for (int r = 0; r < 2; r++) {
        const doc *d = &c->run[r];
        if (!d->ix.n_steps) continue;
        int64_t tr = tindex_step_time(&d->t, d->ix.steps[c->cur[m][r]]);
        if (tr > t) t = tr;
    }
    return t == INT64_MIN ? 0 : t;
}

/* Whether run r's cursor moved at merged step m onto the start of a poll. */
static int poll_start_at(const compare *c, size_t m, int r) {
    if (m > 0 && c->cur[m][r] == c->cur[m - 1][r]) return 0;
    const doc *d = &c->run[r];
    if (!d->ix.n_steps) return 0;
    uint32_t code = d->ix.steps[c->cur[m][r]];
    return !tindex_step_is_end(code) && d->t.ev[tindex_step_event(code)].kind == TLOAD_POLL;
}

long compare_next_poll(const compare *c, long m, int dir) {
    for (long k = m + dir; k >= 0 && (size_t)k < c->n_steps; k += dir)
        if (poll_start_at(c, (size_t)k, 0) || poll_start_at(c, (size_t)k, 1)) return k;
    return m;
}

int compare_set_compressed(compare *c, int compressed) {
    taxis_free(&c->ax);
    int rc = doc_set_compressed(&c->run[0], compressed) | doc_set_compressed(&c->run[1], compressed);
    return rc ? -1 : taxis_merge(&c->ax, &c->run[0].ax, &c->run[1].ax);
}

int compare_fit_view(compare *c, const layout_view *v) {
    layout_view sub = *v;
    sub.gutter = compare_gutter(c, v);
    int rc = 0;
    for (int r = 0; r < 2; r++)
        rc |= doc_set_min_frac(&c->run[r], layout_min_frac(&c->run[r].t, &c->run[r].ix, &sub));
    taxis_free(&c->ax);
    return rc ? -1 : taxis_merge(&c->ax, &c->run[0].ax, &c->run[1].ax);
}

int compare_changed(const compare *c) { return doc_changed(&c->run[0]) || doc_changed(&c->run[1]); }

void compare_close(compare *c) {
    doc_close(&c->run[0]);
    doc_close(&c->run[1]);
    taxis_free(&c->ax);
    free(c->cur);
    memset(c, 0, sizeof *c);
}

/* ---- the page --------------------------------------------------------------------- */

/* The layout's sizes (layout.c's theme), for the parts this page draws itself. */
typedef struct sizes { float s, font, small, title, pad, row; msg_lang lang; } sizes;

static sizes sizes_of(const layout_view *v) {
    float s = (v->scale > 0 ? v->scale : 1) * (v->presenter ? 1.45f : 1);
    return (sizes){s, 13 * s, 11 * s, 19 * s, 12 * s, 22 * s, v->lang == CAPTION_KO ? MSG_KO : MSG_EN};
}

static const draw_rgba FG = 0x1A1A1AFF, MUTED = 0x666666FF, RULE = 0xC8C8C8FF, STRIPE = 0xF3F3F3FF;
static const draw_rgba RUN_RGB[2] = {0xD55E00FF, 0x0072B2FF};

static draw_cmd *text(draw_list *d, float x, float y, const char *s, float size, draw_rgba col, int align, int bold,
                      int32_t ref) {
    draw_cmd *c = draw_text(d, x, y, s, size, col, align, bold);
    if (c) { c->tag = DRAW_TAG_COMPARE; c->ref = ref; }
    return c;
}

static float bold_width(const char *s, float size) { return draw_text_width_b(s, size, 1); }

/* The run's name, and the runtime model it imitated when not the ideal one (S3 vs S3 --model tokio). */
static const char *run_name(const compare *c, int r, char *buf, size_t len) {
    doc_name(&c->run[r], buf, len);
    const tload_trace *t = &c->run[r].t;
    size_t n = strlen(buf);
    if (t->model && n < len) snprintf(buf + n, len - n, " · %s", tload_str(t, t->model));
    return buf;
}

static float title(const compare *c, const sizes *z, draw_list *d, float y) {
    char na[128], nb[128], line[400];
    run_name(c, 0, na, sizeof na);
    run_name(c, 1, nb, sizeof nb);
    MSG_FMT(line, sizeof line, z->lang, MSG_CMP_TITLE, na, nb);
    y += z->title;
    text(d, z->pad, y, line, z->title, FG, DRAW_LEFT, 1, -1);
    y += z->small * 1.6f;
    text(d, z->pad, y, msg_template(MSG_CMP_SUB, z->lang), z->small, MUTED, DRAW_LEFT, 0, -1);
    return y + z->small;
}

/* The band naming a run above its picture: its letter in its colour, name and input. */
static float run_band(const compare *c, int r, const sizes *z, draw_list *d, float y) {
    char name[128], line[1300];
    float h = z->font * 1.9f, w = d->width - 2 * z->pad;
    draw_cmd *bg = draw_rect(d, z->pad, y, w, h, draw_alpha(RUN_RGB[r], 0.12f), 0, 0);
    if (bg) { bg->tag = DRAW_TAG_COMPARE; bg->ref = -1; }
    draw_cmd *bar = draw_rect(d, z->pad, y, 6 * z->s, h, RUN_RGB[r], 0, 0);
    if (bar) { bar->tag = DRAW_TAG_COMPARE; bar->ref = -1; }
    float base = y + h * 0.68f, x = z->pad + 14 * z->s;
    snprintf(line, sizeof line, "%c  %s", 'A' + r, run_name(c, r, name, sizeof name));
    text(d, x, base, line, z->font * 1.15f, RUN_RGB[r], DRAW_LEFT, 1, -1);
    x += bold_width(line, z->font * 1.15f) + 16 * z->s;
    snprintf(line, sizeof line, "(%s)", c->run[r].input);
    text(d, x, base, line, z->small, MUTED, DRAW_LEFT, 0, -1);
    return y + h;
}

/* ---- the table -------------------------------------------------------------------- */

/* A row's label: the rows' messages are in compare_row order. */
static const char *row_label(compare_row row, msg_lang lang) { return msg_template((msg_id)(MSG_CMP_ROW_POLLS + row), lang); }

static const char *fmt_bytes(double b, char *buf, size_t len) {
    if (b < 1024) snprintf(buf, len, "%.0f B", b);
    else if (b < 1024.0 * 1024) snprintf(buf, len, "%.1f KiB", b / 1024);
    else if (b < 1024.0 * 1024 * 1024) snprintf(buf, len, "%.1f MiB", b / 1048576);
    else snprintf(buf, len, "%.2f GiB", b / 1073741824.0);
    return buf;
}

/* "count × each = total" for a memory row. */
static const char *fmt_memory(int64_t count, int64_t total, char *buf, size_t len) {
    char each[32], all[32];
    fmt_bytes(count ? (double)total / (double)count : 0, each, sizeof each);
    snprintf(buf, len, "%lld × %s = %s", (long long)count, each, fmt_bytes((double)total, all, sizeof all));
    return buf;
}

static const char *cell(const compare_counts *k, compare_row row, char *buf, size_t len) {
    if (row >= COMPARE_TASKS && !k->has_memory) return "–";
    switch (row) {
    case COMPARE_CPU: case COMPARE_SPAN: return layout_fmt_time(k->n[row], buf, len);
    case COMPARE_TASKS: return fmt_memory(k->peak_tasks, k->n[row], buf, len);
    case COMPARE_STACK: case COMPARE_RESERVED: return fmt_memory(k->peak_threads, k->n[row], buf, len);
    default: snprintf(buf, len, "%lld", (long long)k->n[row]); return buf;
    }
}

/* How A stands to B: "59× more", "59× less", "same", or "–" when either is zero. */
static const char *ratio(int64_t a, int64_t b, msg_lang lang, char *buf, size_t len) {
    if (a <= 0 || b <= 0) return "–";
    double r = (double)a / (double)b;
    if (r < 1.05 && r > 1 / 1.05) return msg_template(MSG_CMP_SAME, lang);
    char num[32];
    snprintf(num, sizeof num, "%.3g", r >= 1 ? r : 1 / r);
    return MSG_FMT(buf, len, lang, r >= 1 ? MSG_CMP_MORE : MSG_CMP_LESS, num);
}

/* Rows where both runs have nothing are left out (sync rows for two async runs). */
static int row_shown(const compare *c, compare_row row) {
    if (row != COMPARE_CALLS && row != COMPARE_BLOCKED && row < COMPARE_TASKS) return 1;
    if (row >= COMPARE_TASKS) return c->counts[0].has_memory || c->counts[1].has_memory;
    return c->counts[0].n[row] || c->counts[1].n[row];
}

/* Column widths from the widest text in each (the header included). */
static void table_widths(const compare *c, const sizes *z, const char *head[4], float w[4]) {
    char buf[128];
    for (int k = 0; k < 4; k++) w[k] = bold_width(head[k], z->font);
    for (int row = 0; row < COMPARE_ROWS; row++) {
        if (!row_shown(c, (compare_row)row)) continue;
        float lw = draw_text_width(row_label((compare_row)row, z->lang), z->font);
        if (lw > w[0]) w[0] = lw;
        for (int r = 0; r < 2; r++) {
            float vw = bold_width(cell(&c->counts[r], (compare_row)row, buf, sizeof buf), z->font);
            if (vw > w[1 + r]) w[1 + r] = vw;
        }
        float rw = draw_text_width(ratio(c->counts[0].n[row], c->counts[1].n[row], z->lang, buf, sizeof buf), z->font);
        if (rw > w[3]) w[3] = rw;
    }
    for (int k = 0; k < 4; k++) w[k] += 36 * z->s;
}

static void table_row(const compare *c, const sizes *z, draw_list *d, compare_row row, const float x[5], float y,
                      int stripe) {
    char buf[128];
    if (stripe) {
        draw_cmd *bg = draw_rect(d, x[0], y, x[4] - x[0], z->row, STRIPE, 0, 0);
        if (bg) { bg->tag = DRAW_TAG_COMPARE; bg->ref = -1; }
    }
    float base = y + z->row * 0.7f;
    text(d, x[0] + 8 * z->s, base, row_label((compare_row)row, z->lang), z->font, FG, DRAW_LEFT, 0, -1);
    for (int r = 0; r < 2; r++)
        text(d, x[2 + r] - 12 * z->s, base, cell(&c->counts[r], row, buf, sizeof buf), z->font, RUN_RGB[r], DRAW_RIGHT, 1,
             (int32_t)row * 2 + r);
    text(d, x[4] - 12 * z->s, base, ratio(c->counts[0].n[row], c->counts[1].n[row], z->lang, buf, sizeof buf), z->font,
         FG, DRAW_RIGHT, 0, -1);
}

/* The definitions a teacher needs to read the table, under it. */
static float table_notes(const sizes *z, draw_list *d, float y) {
    static const msg_id NOTES[] = {MSG_CMP_NOTE_IDLE, MSG_CMP_NOTE_CPU};
    for (int i = 0; i < 2; i++) {
        y += z->small * 1.5f;
        text(d, z->pad, y, msg_template(NOTES[i], z->lang), z->small, MUTED, DRAW_LEFT, 0, -1);
    }
    return y + z->small * 0.6f;
}

/* Sizes scaled down by f (a table too wide for the page at --scale 2). */
static sizes shrink(const sizes *z, float f) {
    return (sizes){z->s * f, z->font * f, z->small * f, z->title * f, z->pad, z->row * f, z->lang};
}

static float table(const compare *c, const sizes *zin, draw_list *d, float y) {
    char na[128], nb[128], ha[160], hb[160];
    sizes zs = *zin;
    const sizes *z = &zs;
    snprintf(ha, sizeof ha, "A %s", run_name(c, 0, na, sizeof na));
    snprintf(hb, sizeof hb, "B %s", run_name(c, 1, nb, sizeof nb));
    const char *head[4] = {msg_template(MSG_CMP_HEAD_COUNTS, z->lang), ha, hb, msg_template(MSG_CMP_HEAD_AGAINST, z->lang)};
    float w[4], x[5] = {z->pad};
    table_widths(c, z, head, w);
    float total = w[0] + w[1] + w[2] + w[3], room = d->width - 2 * z->pad;
    if (total > room) { /* narrower text rather than columns cut at the page's edge */
        zs = shrink(zin, room / total);
        table_widths(c, z, head, w);
    }
    for (int k = 0; k < 4; k++) x[k + 1] = x[k] + w[k];
    y += z->pad;
    float base = y + z->row * 0.7f;
    text(d, x[0] + 8 * z->s, base, head[0], z->font, FG, DRAW_LEFT, 1, -1);
    for (int r = 0; r < 2; r++) text(d, x[2 + r] - 12 * z->s, base, head[1 + r], z->font, RUN_RGB[r], DRAW_RIGHT, 1, -1);
    text(d, x[4] - 12 * z->s, base, head[3], z->font, FG, DRAW_RIGHT, 1, -1);
    y += z->row;
    draw_line(d, x[0], y, x[4], y, RULE, z->s, 0);
    int n = 0;
    for (int row = 0; row < COMPARE_ROWS; row++) {
        if (!row_shown(c, (compare_row)row)) continue;
        table_row(c, z, d, (compare_row)row, x, y, n++ % 2 == 1);
        y += z->row;
    }
    draw_line(d, x[0], y, x[4], y, RULE, z->s, 0);
    return table_notes(z, d, y);
}

/* ---- build ------------------------------------------------------------------------ */

/* Run r laid out as on its own page, less the legend (the last run keeps it) and the
 * source panel, on the shared axis, with its cursor at the merged step. */
static int run_part(const compare *c, int r, const layout_view *v, float y, draw_list *part, layout_geom *g) {
    layout_view sub = *v;
    sub.height = 0;
    sub.no_source = 1;
    sub.no_legend = r == 0;
    sub.gutter = compare_gutter(c, v); /* one gutter: one time at one x in both */
    /* one memory scale: 808 MiB of stacks against 35 KB of tasks must look it */
    sub.mem_track = memtrack_wanted(&c->run[0].t) || memtrack_wanted(&c->run[1].t);
    int64_t top0 = memtrack_top(&c->run[0].t), top1 = memtrack_top(&c->run[1].t);
    sub.mem_top = top0 > top1 ? top0 : top1;
    sub.step = v->step >= 0 && c->n_steps ? c->cur[(size_t)v->step < c->n_steps ? v->step : (long)c->n_steps - 1][r] : -1;
    sub.help = v->help && r == 0;
    sub.status = r == 1 ? v->status : NULL;
    sub.sel_event = sub.sel_future = -1; /* a selection names one run's event: not here yet */
    if (v->band_y1 > v->band_y0) { sub.band_y0 = v->band_y0 - y; sub.band_y1 = v->band_y1 - y; }
    draw_list_init(part, v->width, 0, 0xFFFFFFFF);
    return layout_build(&c->run[r].t, &c->run[r].ix, &c->ax, &sub, part, g);
}

int compare_build(const compare *c, const layout_view *v, draw_list *out, layout_geom *geom, compare_geom *cg) {
    sizes z = sizes_of(v);
    compare_geom local;
    if (!cg) cg = &local;
    draw_list_clear(out);
    out->width = v->width;
    out->background = draw_rgb(0xFFFFFF);
    float y = title(c, &z, out, z.pad);
    layout_geom g = {0};
    int rc = 0;
    for (int r = 0; r < 2 && !rc; r++) {
        y += z.pad;
        cg->run_y0[r] = y;
        cg->cmd0[r] = out->n;
        y = run_band(c, r, &z, out, y);
        draw_list part;
        layout_geom pg;
        rc = run_part(c, r, v, y, &part, &pg) || draw_list_append(out, &part, y);
        if (r == 0) g = pg;
        y += part.height;
        draw_list_free(&part);
        cg->cmd1[r] = out->n;
        cg->run_y1[r] = y;
    }
    cg->table_y0 = y;
    y = table(c, &z, out, y);
    cg->table_y1 = y;
    out->height = v->height > 0 ? v->height : ceilf(y + z.pad);
    g.content_h = y + z.pad;
    if (geom) *geom = g;
    return rc ? -1 : 0;
}
