/* page: the self-contained HTML page. See page.h; the player is viz/page.html. */
#include "viz/page.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "trace/outfile.h"
#include "viz/quiz.h"
#include "trace/utf8.h"
#include "page_html.h" /* generated from viz/page.html by CMake: static const char page_html[] */

/* ---- a growing string ----------------------------------------------------------------- */

typedef struct sbuf { char *p; size_t n, cap; int oom; } sbuf;

static void sb_put(sbuf *b, const char *s, size_t n) {
    if (b->oom) return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->n + n + 1) cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) { b->oom = 1; return; }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void sb_str(sbuf *b, const char *s) { sb_put(b, s, strlen(s)); }

static void sb_fmt(sbuf *b, const char *fmt, ...) {
    char tmp[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0) sb_put(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* A coordinate as svg.c writes it (one decimal; two for a bar's width), without a
 * trailing ".0": the page's size is mostly numbers. */
static void sb_num(sbuf *b, double v, int dec) {
    char t[48];
    snprintf(t, sizeof t, dec == 2 ? "%.2f" : "%.1f", v);
    size_t n = strlen(t);
    while (n && t[n - 1] == '0') n--;
    if (n && t[n - 1] == '.') n--;
    t[n] = '\0';
    sb_str(b, strcmp(t, "-0") ? t : "0");
}

/* A JSON string that is also safe inside <script>: no '<' (no "</script>"), and every
 * '/' escaped, so a URL in a trace's text never reads as one in the file. Invalid UTF-8
 * becomes U+FFFD and control characters are dropped, as svg.c does, but for a line break
 * (kept: a scenario's quiz text may have one; a drawn text never does). The page's one
 * JSON string writer: the draw lists, the title and the quiz. */
static void sb_json(sbuf *b, const char *s) {
    sb_put(b, "\"", 1);
    while (*s) {
        uint32_t c;
        size_t n = utf8_decode(s, &c);
        if (c == '"') sb_put(b, "\\\"", 2);
        else if (c == '\\') sb_put(b, "\\\\", 2);
        else if (c == '\n') sb_put(b, "\\n", 2);
        else if (c == '/') sb_put(b, "\\/", 2);
        else if (c == '<' || c == '>' || c == '&' || c == '\t' || c == 0x2028 || c == 0x2029) sb_fmt(b, "\\u%04x", c);
        else if (c < 0x20 || c == 0xFFFE || c == 0xFFFF) {}
        else if (c == UTF8_BAD) sb_str(b, "\\ufffd");
        else sb_put(b, s, n);
        s += n;
    }
    sb_put(b, "\"", 1);
}

/* ---- a dictionary: each distinct key gets the next id ---------------------------------- */

typedef struct dict {
    sbuf pool;       /* the keys, each followed by a NUL (strings are read from here) */
    uint32_t *off;   /* key i starts at pool.p + off[i], and is off[i + 1] - off[i] - 1 long */
    size_t n, cap;
    uint64_t *slot;  /* open addressing: the hash's high half << 32 | id + 1; 0 empty */
    size_t nslot;
} dict;

/* Eight bytes at a time: the page hashes every command of every step it lays out. */
static uint64_t hash_bytes(const void *p, size_t n) {
    const unsigned char *s = p;
    uint64_t h = 0x9E3779B97F4A7C15ull ^ n, w;
    for (; n >= 8; s += 8, n -= 8) {
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
    }
    w = 0;
    memcpy(&w, s, n);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 29);
}

static size_t dict_len(const dict *d, size_t i) {
    return (i + 1 < d->n ? d->off[i + 1] : d->pool.n) - d->off[i] - 1;
}

static int dict_grow(dict *d) {
    size_t ns = d->nslot ? d->nslot * 2 : 4096;
    uint64_t *s = calloc(ns, sizeof *s);
    if (!s) return -1;
    for (size_t i = 0; i < d->nslot; i++) {
        if (!d->slot[i]) continue;
        size_t id = (uint32_t)d->slot[i] - 1;
        size_t h = (size_t)hash_bytes(d->pool.p + d->off[id], dict_len(d, id)) & (ns - 1);
        while (s[h]) h = (h + 1) & (ns - 1);
        s[h] = d->slot[i];
    }
    free(d->slot);
    d->slot = s;
    d->nslot = ns;
    return 0;
}

/* The id of the n bytes at key, added when new; -1 when out of memory. */
static long dict_idn(dict *d, const void *key, size_t n) {
    if ((d->n + 1) * 2 > d->nslot && dict_grow(d)) return -1;
    uint64_t hv = hash_bytes(key, n), tag = hv & 0xFFFFFFFF00000000ull;
    size_t h = (size_t)hv & (d->nslot - 1);
    for (; d->slot[h]; h = (h + 1) & (d->nslot - 1)) {
        if ((d->slot[h] & 0xFFFFFFFF00000000ull) != tag) continue;
        size_t i = (uint32_t)d->slot[h] - 1;
        if (dict_len(d, i) == n && !memcmp(d->pool.p + d->off[i], key, n)) return (long)i;
    }
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 4096;
        uint32_t *o = realloc(d->off, cap * sizeof *o);
        if (!o) return -1;
        d->off = o;
        d->cap = cap;
    }
    d->off[d->n] = (uint32_t)d->pool.n;
    sb_put(&d->pool, key, n);
    sb_put(&d->pool, "", 1);
    if (d->pool.oom) return -1;
    d->slot[h] = tag | ((uint64_t)d->n + 1);
    return (long)d->n++;
}

static long dict_id(dict *d, const char *s) { return dict_idn(d, s, strlen(s)); }

static void dict_reset(dict *d) {
    d->n = d->pool.n = 0;
    if (d->nslot) memset(d->slot, 0, d->nslot * sizeof *d->slot);
}

static void dict_free(dict *d) {
    free(d->pool.p);
    free(d->off);
    free(d->slot);
}

/* ---- one draw command as a JSON array ------------------------------------------------- */

/* [code, ...] with code = op + 8 * tag + 2048 * (ref + 1); colours are palette indices.
 * The player (page.html, cmd_svg) turns it into the element svg.c writes. A text, line or
 * arrow is never hit by a click (draw_hit), so its ref is left out: more commands alike. */
static int entry(sbuf *b, const draw_list *d, const draw_cmd *c, dict *pal) {
    char col[2][16];
    snprintf(col[0], sizeof col[0], "%u", c->fill);
    snprintf(col[1], sizeof col[1], "%u", c->stroke);
    long f = dict_id(pal, col[0]), s = dict_id(pal, col[1]);
    if (f < 0 || s < 0) return -1;
    int hit = c->op != DRAW_TEXT && c->op != DRAW_LINE && c->op != DRAW_ARROW;
    long long code = c->op + 8LL * c->tag + 2048LL * (hit ? c->ref + 1 : 0);
    sb_fmt(b, "[%lld", code);
    float v[8];
    int nv = 0, dec2 = -1;
    switch (c->op) {
    case DRAW_RECT: /* svg.c strokes only a bar 3 px wide or more */
        v[0] = c->x; v[1] = c->y; v[2] = c->w; v[3] = c->h; nv = 4; dec2 = 2;
        break;
    case DRAW_LINE: v[0] = c->x; v[1] = c->y; v[2] = c->w; v[3] = c->h; nv = 4; break;
    case DRAW_ARROW: {
        float head[6];
        draw_arrow_head(c, head);
        v[0] = c->x; v[1] = c->y; v[2] = (head[2] + head[4]) / 2; v[3] = (head[3] + head[5]) / 2; nv = 4;
        for (int i = 0; i < nv; i++) { sb_put(b, ",", 1); sb_num(b, v[i], 1); }
        sb_fmt(b, ",%ld,", s);
        sb_num(b, c->lw, 2);
        for (int i = 0; i < 6; i++) { sb_put(b, ",", 1); sb_num(b, head[i], 1); }
        sb_put(b, "]", 1);
        return b->oom ? -1 : 0;
    }
    case DRAW_TEXT: v[0] = c->x; v[1] = c->y; v[2] = c->size; nv = 3; break;
    case DRAW_CLIP: v[0] = c->x; v[1] = c->y; v[2] = c->w; v[3] = c->h; nv = 4; break;
    case DRAW_CIRCLE: v[0] = c->x; v[1] = c->y; v[2] = c->w; nv = 3; break;
    default: break;
    }
    for (int i = 0; i < nv; i++) { sb_put(b, ",", 1); sb_num(b, v[i], i == dec2 ? 2 : 1); }
    switch (c->op) {
    case DRAW_RECT: sb_fmt(b, ",%ld,%ld,", f, s); sb_num(b, c->w >= 3 ? c->lw : 0, 2); break;
    case DRAW_LINE: sb_fmt(b, ",%ld,", s); sb_num(b, c->lw, 2); sb_fmt(b, ",%d", (c->flags & DRAW_DASHED) ? 1 : 0); break;
    case DRAW_TEXT:
        sb_fmt(b, ",%ld,%d,", f, (c->align % 3) | ((c->flags & DRAW_BOLD) ? 4 : 0));
        sb_json(b, draw_cmd_text(d, c));
        break;
    case DRAW_CIRCLE: sb_fmt(b, ",%ld,%ld,", f, s); sb_num(b, c->lw, 2); break;
    case DRAW_POLY: {
        const float *p = draw_cmd_pts(d, c);
        sb_fmt(b, ",%ld,%ld,", f, s);
        sb_num(b, c->lw, 2);
        for (uint32_t i = 0; i < 2 * c->npts; i++) { sb_put(b, ",", 1); sb_num(b, p[i], 1); }
        break;
    }
    default: break;
    }
    sb_put(b, "]", 1);
    return b->oom ? -1 : 0;
}

/* ---- a step's list as an edit of the previous one ------------------------------------ */

typedef struct ids { uint32_t *v; size_t n, cap; } ids;

static int ids_push(ids *a, uint32_t x) {
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 1024;
        uint32_t *p = realloc(a->v, cap * sizeof *p);
        if (!p) return -1;
        a->v = p;
        a->cap = cap;
    }
    a->v[a->n++] = x;
    return 0;
}

/* Where each id of the previous list is: first[id] its first position, next[pos] the
 * one after (NONE: no more). Sized to the dictionary as it grows. */
#define NONE UINT32_MAX
typedef struct finder { uint32_t *first, *next; size_t nfirst, nnext; } finder;

static int finder_load(finder *F, const ids *a, size_t dict_n) {
    if (F->nfirst < dict_n) {
        uint32_t *p = realloc(F->first, dict_n * 2 * sizeof *p);
        if (!p) return -1;
        for (size_t i = F->nfirst; i < dict_n * 2; i++) p[i] = NONE;
        F->first = p;
        F->nfirst = dict_n * 2;
    }
    if (F->nnext < a->n + 1) {
        uint32_t *p = realloc(F->next, (a->n + 1) * 2 * sizeof *p);
        if (!p) return -1;
        F->next = p;
        F->nnext = (a->n + 1) * 2;
    }
    for (size_t i = a->n; i-- > 0;) {
        F->next[i] = F->first[a->v[i]];
        F->first[a->v[i]] = (uint32_t)i;
    }
    return 0;
}

static void finder_clear(finder *F, const ids *a) {
    for (size_t i = 0; i < a->n; i++) F->first[a->v[i]] = NONE;
}

/* The first position at or after i of id x in the loaded list, NONE when none. */
static uint32_t finder_at(const finder *F, uint32_t x, size_t i) {
    uint32_t p = x < F->nfirst ? F->first[x] : NONE;
    while (p != NONE && p < i) p = F->next[p];
    return p;
}

/* Writes the edit that turns a into b as groups "copy, skip, count, ids...": copy that
 * many of a's next commands, skip that many, then insert count new ids. What is left of
 * a after the last group is dropped. Any edit rebuilds b exactly; a short one is found
 * greedily (the nearest place where the two lists agree again). Each inserted id is
 * written as its difference from the one inserted before it (*last, carried from step to
 * step of one way to look): new commands come in runs, so this deflates to half. */
static void write_edit(sbuf *out, const ids *a, const ids *b, const finder *F, uint32_t *last) {
    size_t i = 0, j = 0;
    enum { LOOK = 400 };
    for (;;) {
        size_t copy = 0;
        while (i < a->n && j < b->n && a->v[i] == b->v[j]) { i++; j++; copy++; }
        if (j == b->n) {
            if (copy) sb_fmt(out, ",%zu,0,0", copy);
            return;
        }
        size_t best_i = a->n, best_j = b->n, cost = SIZE_MAX;
        for (size_t bj = j; bj < b->n && bj - j < LOOK && bj - j < cost; bj++) {
            uint32_t p = finder_at(F, b->v[bj], i);
            if (p != NONE && (p - i) + (bj - j) < cost) { cost = (p - i) + (bj - j); best_i = p; best_j = bj; }
        }
        sb_fmt(out, ",%zu,%zu,%zu", copy, best_i - i, best_j - j);
        for (size_t k = j; k < best_j; k++) {
            sb_fmt(out, ",%lld", (long long)b->v[k] - (long long)*last);
            *last = b->v[k];
        }
        i = best_i;
        j = best_j;
    }
}

/* ---- the page's data ------------------------------------------------------------------- */

typedef struct pager {
    const tload_trace *t;
    const tindex *ix;
    const taxis *ax;
    const page_opts *o;
    dict cmds, pal;
    dict raw;           /* a command as laid out (its bytes, text and points) -> raw_id */
    ids raw_id;         /* its entry's id in cmds: most commands recur from step to step */
    sbuf key;
    sbuf steps[PAGE_COMBOS];
    sbuf over[PAGE_COMBOS / 2]; /* per view and language: the selections' outlines and details */
    sbuf scratch;
    draw_list dl;
    ids prev, cur;
    finder F;
    quiz qz;            /* the quiz's questions (viz/quiz.h), written by write_quiz */
} pager;

int page_combo(layout_which which, caption_lang lang, int reveal) {
    return ((int)which * 2 + (lang == CAPTION_KO)) * 2 + (reveal != 0);
}

static void combo_view(int c, layout_view *v) {
    v->which = (layout_which)(c / 4);
    v->lang = (c / 2) % 2 ? CAPTION_KO : CAPTION_EN;
    v->reveal = c % 2;
}

/* The entry id of one laid-out command. A command recurs in most steps' lists: its raw
 * bytes (its text or points in place of their offsets) find the entry made the first time,
 * which saves formatting it again. */
static long cmd_id(pager *P, const draw_cmd *c) {
    draw_cmd k = *c;
    k.data = 0;
    P->key.n = 0;
    sb_put(&P->key, (const char *)&k, sizeof k);
    if (c->op == DRAW_TEXT) sb_str(&P->key, draw_cmd_text(&P->dl, c));
    if (c->op == DRAW_POLY) sb_put(&P->key, (const char *)draw_cmd_pts(&P->dl, c), 2 * c->npts * sizeof(float));
    if (P->key.oom) return -1;
    size_t before = P->raw.n;
    long r = dict_idn(&P->raw, P->key.p, P->key.n);
    if (r < 0) return -1;
    if ((size_t)r < before) return (long)P->raw_id.v[r];
    P->scratch.n = 0;
    long id = entry(&P->scratch, &P->dl, c, &P->pal) ? -1 : dict_id(&P->cmds, P->scratch.p);
    if (id < 0 || ids_push(&P->raw_id, (uint32_t)id)) return -1;
    return id;
}

/* The ids of the laid-out list (commands of the given tags only, when tags is set). */
static int list_ids(pager *P, const uint8_t *tags, ids *out) {
    out->n = 0;
    for (size_t i = 0; i < P->dl.n; i++) {
        const draw_cmd *c = &P->dl.cmd[i];
        if (tags && !tags[c->tag]) continue;
        long id = cmd_id(P, c);
        if (id < 0 || ids_push(out, (uint32_t)id)) return -1;
    }
    return 0;
}

static size_t pager_bytes(const pager *P) {
    size_t n = P->cmds.pool.n + P->pal.pool.n;
    for (int c = 0; c < PAGE_COMBOS; c++) n += P->steps[c].n;
    for (int c = 0; c < PAGE_COMBOS / 2; c++) n += P->over[c].n;
    return n;
}

static int too_big(const pager *P, const char *what, char *err, size_t errlen) {
    snprintf(err, errlen, "%s: the page would be larger than %.3g MB (%ld steps): too large for one page; "
             "pick a part of the run with --from US --to US", what, (double)P->o->max_bytes / 1e6,
             P->o->last - P->o->first + 1);
    return -1;
}

/* Every step of every way to look at it, each an edit of the one before. */
static int lay_steps(pager *P, const layout_view *base, const char *what, char *err, size_t errlen) {
    for (int c = 0; c < PAGE_COMBOS; c++) {
        layout_view v = *base;
        combo_view(c, &v);
        P->prev.n = 0;
        uint32_t last = 0;
        for (long k = P->o->first; k <= P->o->last; k++) {
            v.step = k;
            if (layout_build(P->t, P->ix, P->ax, &v, &P->dl, NULL) || list_ids(P, NULL, &P->cur) ||
                finder_load(&P->F, &P->prev, P->cmds.n)) {
                snprintf(err, errlen, "%s: out of memory laying out the page", what);
                return -1;
            }
            sbuf *s = &P->steps[c];
            sb_str(s, k == P->o->first ? "[" : ",[");
            sb_num(s, P->dl.height, 1);
            write_edit(s, &P->prev, &P->cur, &P->F, &last);
            sb_put(s, "]", 1);
            finder_clear(&P->F, &P->prev);
            ids t = P->prev; P->prev = P->cur; P->cur = t;
            if (s->oom) { snprintf(err, errlen, "%s: out of memory writing the page", what); return -1; }
            if (pager_bytes(P) > P->o->max_bytes * PAGE_MAX_RAW) return too_big(P, what, err, errlen);
        }
    }
    return 0;
}

/* What a click selects, as the window's select_at: a Simplified View bar or a future's +
 * selects the future; anything else with a ref its event (a poll its future too). The
 * key is "f<id>" or "e<index>", as the player makes it. */
static int select_key(const pager *P, const draw_cmd *c, layout_view *v, char *key, size_t len) {
    v->sel_future = v->sel_event = -1;
    if (c->ref < 0 || c->op == DRAW_TEXT || c->op == DRAW_LINE || c->op == DRAW_ARROW) return 0;
    if (c->tag == DRAW_TAG_BAR || c->tag == DRAW_TAG_CREATE) {
        v->sel_future = c->ref;
        snprintf(key, len, "f%d", c->ref);
        return 1;
    }
    if (c->tag == DRAW_TAG_MEMORY || c->tag == DRAW_TAG_SELECT || (size_t)c->ref >= P->t->n) return 0;
    v->sel_event = c->ref;
    if (P->t->ev[c->ref].kind == TLOAD_POLL) v->sel_future = P->t->ev[c->ref].future;
    snprintf(key, len, "e%d", c->ref);
    return 1;
}

/* For every command a click can select, per view and language: the layout's own outline
 * and details box for that selection (the commands tagged SELECT and DETAIL), laid out
 * without a cursor, so one list serves every step. */
static int lay_overlays(pager *P, const layout_view *base, const char *what, char *err, size_t errlen) {
    uint8_t tags[256] = {0};
    tags[DRAW_TAG_SELECT] = tags[DRAW_TAG_DETAIL] = 1;
    dict seen = {0};
    draw_list all;
    draw_list_init(&all, base->width, 0, 0xFFFFFFFF);
    int rc = 0;
    for (int vl = 0; vl < PAGE_COMBOS / 2 && !rc; vl++) {
        layout_view v = *base;
        combo_view(vl * 2, &v);
        v.step = -1;
        if (layout_build(P->t, P->ix, P->ax, &v, &all, NULL)) { rc = -1; break; }
        sbuf *o = &P->over[vl];
        sb_put(o, "{", 1);
        dict_reset(&seen);
        for (size_t i = 0; i < all.n && !rc; i++) {
            char key[32];
            if (!select_key(P, &all.cmd[i], &v, key, sizeof key)) continue;
            size_t before = seen.n;
            if (dict_id(&seen, key) < 0) { rc = -1; break; }
            if (seen.n == before) continue; /* this selection is written already */
            if (layout_build(P->t, P->ix, P->ax, &v, &P->dl, NULL) || list_ids(P, tags, &P->cur)) { rc = -1; break; }
            sb_fmt(o, "%s\"%s\":[", o->n > 1 ? "," : "", key);
            for (size_t k = 0; k < P->cur.n; k++) sb_fmt(o, "%s%u", k ? "," : "", P->cur.v[k]);
            sb_put(o, "]", 1);
            if (o->oom) rc = -1;
            else if (pager_bytes(P) > P->o->max_bytes * PAGE_MAX_RAW) { draw_list_free(&all); dict_free(&seen); return too_big(P, what, err, errlen); }
        }
        sb_put(o, "}", 1);
    }
    draw_list_free(&all);
    dict_free(&seen);
    if (rc) snprintf(err, errlen, "%s: out of memory laying out the page", what);
    return rc;
}

/* The steps N and P stop at (a poll starts), relative to the first step held. */
/* The quiz for the player, one object a question:
 *   {"step":17,"reveal_step":20,"kind":"result","answer":0,"ask":"...","ask_ko":"...",
 *    "choices":["Pending","Ready"],"choices_ko":[...],"explain":"...","explain_ko":"..."}
 * Steps are 1-based, as in "step k of N", `export --step K` and the scenario's "quiz";
 * answer is the 0-based index into choices. */
static void write_choices(sbuf *b, const char *key, const quiz_question *q, int lang) {
    sb_fmt(b, ",\"%s\":[", key);
    for (int k = 0; k < q->nchoices; k++) {
        if (k) sb_put(b, ",", 1);
        sb_json(b, q->choice[lang][k]);
    }
    sb_put(b, "]", 1);
}

static void write_text(sbuf *b, const char *key, const char *text) {
    sb_fmt(b, ",\"%s\":", key);
    sb_json(b, text);
}

static void write_quiz(sbuf *b, const quiz *qz) {
    sb_put(b, "[", 1);
    for (size_t i = 0; i < qz->n; i++) {
        const quiz_question *q = &qz->q[i];
        sb_fmt(b, "%s{\"step\":%ld,\"reveal_step\":%ld,\"kind\":\"%s\",\"answer\":%d", i ? ",\n" : "\n",
               q->step + 1, q->reveal_step + 1, quiz_kind_name(q->kind), q->answer);
        write_text(b, "ask", q->ask[MSG_EN]);
        write_text(b, "ask_ko", q->ask[MSG_KO]);
        write_choices(b, "choices", q, MSG_EN);
        write_choices(b, "choices_ko", q, MSG_KO);
        write_text(b, "explain", q->explain[MSG_EN]);
        write_text(b, "explain_ko", q->explain[MSG_KO]);
        sb_put(b, "}", 1);
    }
    sb_str(b, "\n]");
}

static void write_polls(sbuf *b, const pager *P) {
    int any = 0;
    sb_put(b, "[", 1);
    for (long k = P->o->first; k <= P->o->last; k++) {
        uint32_t code = P->ix->steps[k];
        if (tindex_step_is_end(code) || P->t->ev[tindex_step_event(code)].kind != TLOAD_POLL) continue;
        sb_fmt(b, "%s%ld", any ? "," : "", k - P->o->first);
        any = 1;
    }
    sb_put(b, "]", 1);
}

static void write_strings(sbuf *b, const dict *d, int quoted) {
    sb_put(b, "[", 1);
    for (size_t i = 0; i < d->n; i++) {
        if (i) sb_put(b, ",", 1);
        if (quoted) sb_json(b, d->pool.p + d->off[i]);
        else sb_str(b, d->pool.p + d->off[i]);
    }
    sb_put(b, "]", 1);
}

/* The page's data as JSON (the player reads it as P). */
static void write_data(sbuf *b, const pager *P, const layout_view *base) {
    sb_fmt(b, "{\"v\":1,\"w\":");
    sb_num(b, base->width, 1);
    sb_fmt(b, ",\"n\":%zu,\"first\":%ld,\"count\":%ld,\"start\":%ld,\"view\":%d,\"lang\":%d,\"reveal\":%d,\"pal\":",
           P->ix->n_steps, P->o->first, P->o->last - P->o->first + 1, P->o->start - P->o->first,
           (int)base->which, base->lang == CAPTION_KO, base->reveal != 0);
    write_strings(b, &P->pal, 0);
    sb_str(b, ",\"title\":");
    sb_json(b, P->o->title ? P->o->title : "pinata");
    /* the tags the player names (an element's class) or tells apart (a click) */
    sb_fmt(b, ",\"tags\":{\"caption\":%d,\"source\":%d,\"cursor\":%d,\"select\":%d,\"detail\":%d,"
              "\"bar\":%d,\"create\":%d,\"memory\":%d,\"poll\":%d}",
           DRAW_TAG_CAPTION, DRAW_TAG_SOURCE, DRAW_TAG_CURSOR, DRAW_TAG_SELECT, DRAW_TAG_DETAIL, DRAW_TAG_BAR,
           DRAW_TAG_CREATE, DRAW_TAG_MEMORY, DRAW_TAG_POLL);
    sb_str(b, ",\"polls\":");
    write_polls(b, P);
    sb_str(b, ",\n\"quiz\":");
    write_quiz(b, &P->qz);
    sb_str(b, ",\n\"d\":");
    write_strings(b, &P->cmds, 0);
    sb_str(b, ",\n\"s\":[");
    for (int c = 0; c < PAGE_COMBOS; c++) {
        sb_str(b, c ? ",\n[" : "[");
        sb_put(b, P->steps[c].p ? P->steps[c].p : "", P->steps[c].n);
        sb_put(b, "]", 1);
    }
    sb_str(b, "],\n\"ov\":[");
    for (int c = 0; c < PAGE_COMBOS / 2; c++) {
        if (c) sb_str(b, ",\n");
        sb_put(b, P->over[c].p ? P->over[c].p : "{}", P->over[c].p ? P->over[c].n : 2);
    }
    sb_str(b, "]}");
}

/* Base64 of n bytes (the page's compressed data; the player decodes it with atob). */
static void sb_base64(sbuf *b, const unsigned char *p, size_t n) {
    static const char A[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char out[4];
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
        out[0] = A[v >> 18 & 63];
        out[1] = A[v >> 12 & 63];
        out[2] = i + 1 < n ? A[v >> 6 & 63] : '=';
        out[3] = i + 2 < n ? A[v & 63] : '=';
        sb_put(b, out, 4);
    }
}

/* The page: the template with the title and the data put in, the data deflated (zlib
 * format, which the browser's DecompressionStream("deflate") reads) and in base64: the
 * lists repeat themselves, so this is 4 to 7 times smaller. */
static int write_page(sbuf *b, const pager *P, const layout_view *base) {
    const char *tpl = page_html;
    const char *at_title = strstr(tpl, "<!--TITLE-->"), *at_data = strstr(tpl, "/*DATA*/");
    if (!at_title || !at_data || at_data < at_title) return -1;
    sbuf json = {0};
    write_data(&json, P, base);
    uLongf zn = compressBound((uLong)json.n);
    unsigned char *z = json.oom ? NULL : malloc(zn);
    int rc = z && compress2(z, &zn, (const Bytef *)json.p, (uLong)json.n, 9) == Z_OK ? 0 : -1;
    free(json.p);
    if (rc) { free(z); return -1; }
    sb_put(b, tpl, (size_t)(at_title - tpl));
    for (const char *s = P->o->title ? P->o->title : "pinata"; *s; s++) { /* as HTML text */
        if (*s == '<') sb_str(b, "&lt;");
        else if (*s == '&') sb_str(b, "&amp;");
        else if (*s == '/') sb_str(b, "&#47;");
        else if ((unsigned char)*s >= 0x20) sb_put(b, s, 1);
    }
    at_title += strlen("<!--TITLE-->");
    sb_put(b, at_title, (size_t)(at_data - at_title));
    sb_put(b, "\"", 1);
    sb_base64(b, z, zn);
    sb_put(b, "\"", 1);
    free(z);
    sb_str(b, at_data + strlen("/*DATA*/"));
    return b->oom ? -1 : 0;
}

static void pager_free(pager *P) {
    quiz_free(&P->qz);
    dict_free(&P->raw);
    free(P->raw_id.v);
    free(P->key.p);
    dict_free(&P->cmds);
    dict_free(&P->pal);
    for (int c = 0; c < PAGE_COMBOS; c++) free(P->steps[c].p);
    for (int c = 0; c < PAGE_COMBOS / 2; c++) free(P->over[c].p);
    free(P->scratch.p);
    free(P->prev.v);
    free(P->cur.v);
    free(P->F.first);
    free(P->F.next);
    draw_list_free(&P->dl);
}

static int build(const tload_trace *t, const tindex *ix, const taxis *ax, const layout_view *base,
                 const page_opts *o, const char *what, sbuf *out, char *err, size_t errlen) {
    if (o->first < 0 || o->last < o->first || (size_t)o->last >= ix->n_steps) {
        snprintf(err, errlen, "%s: no step of the run to put on a page: expected a run with steps in the range", what);
        return -1;
    }
    if (o->last - o->first + 1 > PAGE_MAX_STEPS) {
        snprintf(err, errlen, "%s: %ld steps are too many for one page (at most %d): "
                 "pick a part of the run with --from US --to US", what, o->last - o->first + 1, PAGE_MAX_STEPS);
        return -1;
    }
    pager P;
    memset(&P, 0, sizeof P);
    P.t = t; P.ix = ix; P.ax = ax; P.o = o;
    layout_view v = *base;
    v.status = NULL;
    v.help = 0;
    v.sel_event = v.sel_future = -1;
    v.height = 0;
    draw_list_init(&P.dl, v.width, 0, 0xFFFFFFFF);
    /* the quiz (viz/quiz.h): the scenario's own questions or ones made from the trace; the
     * player asks those inside the steps the page holds */
    int rc = quiz_build(t, ix, &P.qz, err, errlen);
    if (!rc) rc = lay_steps(&P, &v, what, err, errlen);
    if (!rc) rc = lay_overlays(&P, &v, what, err, errlen);
    if (!rc && write_page(out, &P, &v)) {
        snprintf(err, errlen, "%s: out of memory writing the page", what);
        rc = -1;
    }
    if (!rc && out->n > o->max_bytes) rc = too_big(&P, what, err, errlen);
    pager_free(&P);
    return rc;
}

int page_build(const tload_trace *t, const tindex *ix, const taxis *ax, const layout_view *base,
               const page_opts *o, char **out, size_t *len, char *err, size_t errlen) {
    sbuf b = {0};
    int rc = build(t, ix, ax, base, o, "page", &b, err, errlen);
    if (rc) { free(b.p); return -1; }
    *out = b.p;
    *len = b.n;
    return 0;
}

int page_write(const tload_trace *t, const tindex *ix, const taxis *ax, const layout_view *base,
               const page_opts *o, const char *path, char *err, size_t errlen) {
    sbuf b = {0};
    if (build(t, ix, ax, base, o, path, &b, err, errlen)) { free(b.p); return -1; }
    outfile f;
    if (!outfile_open(&f, path)) { outfile_message(err, errlen, path); free(b.p); return -1; }
    int ok = fwrite(b.p, 1, b.n, f.f) == b.n;
    free(b.p);
    if (outfile_close(&f, ok) != 0 || !ok) { outfile_message(err, errlen, path); return -1; }
    return 0;
}
