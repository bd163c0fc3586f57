/* quiz: questions from the trace, the scenario's own questions, quiz mode. See quiz.h.
 *
 * The generator walks the steps once, in time order, and notes every place a question
 * could be asked (a candidate): each poll (Pending or Ready?), each root poll on a thread
 * that runs several tasks (which one next?), each park followed by a poll (what woke
 * it?), each poll of a task that runs on several threads (which worker?). It then cuts
 * the run into QUIZ_GEN_COUNT equal stretches of steps and asks the best candidate of
 * each, preferring a kind not asked yet, so the questions are spread out and varied. */
#include "viz/quiz.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace/printable.h"
#include "viz/caption.h"
#include "viz/layout.h"
#include "trace/utf8.h"

/* ---- candidates ------------------------------------------------------------------- */

typedef struct cand {
    long step, reveal;
    int32_t ev;     /* the poll (RESULT, NEXT_TASK, WORKER) or the park (WAKER) */
    int32_t aux;    /* WAKER: the wake event; WORKER: the lane the task ran on before */
    int32_t subject;/* what it is about (the future, task or thread) and ... */
    int32_t reply;  /* ... what the answer will be: the same question is not asked twice */
    int16_t interest;
    uint8_t kind;
    uint8_t used;   /* tried already (asked, or could not be made into a question) */
} cand;

typedef struct cands { cand *c; size_t n, cap; } cands;

static int cands_push(cands *cs, cand c) {
    if (cs->n == cs->cap) {
        size_t cap = cs->cap ? cs->cap * 2 : 64;
        cand *p = realloc(cs->c, cap * sizeof *p);
        if (!p) return -1;
        cs->c = p;
        cs->cap = cap;
    }
    cs->c[cs->n++] = c;
    return 0;
}

/* Per lane and per task, what the walk has seen so far. */
typedef struct walk {
    const tload_trace *t;
    const tindex *ix;
    int32_t *park;       /* per lane: the park event it is in, -1 */
    int32_t *lane_task;  /* per lane: the first task polled there, -1; -2 when several */
    int32_t *task_lane;  /* per task index: the lane of its last root poll, -1 */
    uint8_t *task_multi; /* per task index: its root polls ran on more than one lane */
    uint8_t *pool;       /* per lane: a root poll of such a task ran there (a pool's worker) */
} walk;

static long task_index(const tindex *ix, int32_t id) {
    const tindex_task *k = tindex_task_get(ix, id);
    return k ? (long)(k - ix->tasks) : -1;
}

static int is_root_poll(const tload_event *e) {
    return e->kind == TLOAD_POLL && !(e->flags & TLOAD_F_SYNC) && e->parent < 0 && e->task >= 0;
}

/* What a wake's "by" (the simulator's phrase) was: 0 network, 1 timer, 2 another task,
 * -1 something else (yield_now: the task itself). */
static int waker_class(const char *by) {
    if (!strncmp(by, "fd ", 3) || !strncmp(by, "listener", 8)) return 0;
    if (!strncmp(by, "timer", 5)) return 1;
    if (!strncmp(by, "task ", 5) || !strncmp(by, "mutex ", 6)) return 2;
    return -1;
}

/* The first pass: which tasks run on several lanes (a pool), which lanes run several tasks. */
static void walk_lanes(walk *W) {
    const tload_trace *t = W->t;
    for (size_t i = 0; i < t->n; i++) {
        const tload_event *e = &t->ev[i];
        long k = is_root_poll(e) ? task_index(W->ix, e->task) : -1;
        if (k < 0) continue;
        uint32_t l = W->ix->lane[i];
        if (W->task_lane[k] >= 0 && W->task_lane[k] != (int32_t)l) W->task_multi[k] = 1;
        W->task_lane[k] = (int32_t)l;
        if (W->lane_task[l] == -1) W->lane_task[l] = e->task;
        else if (W->lane_task[l] != e->task) W->lane_task[l] = -2;
    }
    for (size_t i = 0; i < t->n; i++) {
        long k = is_root_poll(&t->ev[i]) ? task_index(W->ix, t->ev[i].task) : -1;
        if (k >= 0 && W->task_multi[k]) W->pool[W->ix->lane[i]] = 1;
    }
    for (size_t k = 0; k < W->ix->n_tasks; k++) W->task_lane[k] = -1;
}

static int root_poll_cands(walk *W, cands *cs, uint32_t i) {
    const tload_trace *t = W->t;
    const tindex *ix = W->ix;
    const tload_event *e = &t->ev[i];
    uint32_t l = ix->lane[i];
    long s = ix->rank_start[i], k = task_index(ix, e->task);
    int32_t w = tindex_waker_of(t, ix, (int32_t)i);
    if (W->park[l] >= 0 && w >= 0 && ix->rank_start[w] > ix->rank_start[W->park[l]] &&
        waker_class(tload_str(t, tload_wake_by(&t->ev[w]))) >= 0)
        if (cands_push(cs, (cand){ix->rank_start[W->park[l]], ix->rank_start[w], W->park[l], w, e->tid,
                                    waker_class(tload_str(t, tload_wake_by(&t->ev[w]))), 2, QUIZ_WAKER, 0}))
            return -1;
    W->park[l] = -1;
    if (W->lane_task[l] == -2 && s > 0 && cands_push(cs, (cand){s - 1, s, (int32_t)i, -1, e->tid, e->task, 1, QUIZ_NEXT_TASK, 0}))
        return -1;
    if (k >= 0 && W->task_multi[k] && W->task_lane[k] >= 0) {
        /* asked at the wake, or just before the poll when the wake was long before it */
        long ask = w >= 0 && ix->rank_start[w] < s && s - ix->rank_start[w] <= 40 ? ix->rank_start[w] : s - 1;
        int moved = W->task_lane[k] != (int32_t)l;
        if (ask >= 0 && cands_push(cs, (cand){ask, s, (int32_t)i, W->task_lane[k], e->task, e->tid, (int16_t)(moved ? 3 : 1), QUIZ_WORKER, 0}))
            return -1;
    }
    if (k >= 0) W->task_lane[k] = (int32_t)l;
    return 0;
}

/* The second pass, in step order: every candidate. */
static int walk_steps(walk *W, cands *cs) {
    const tload_trace *t = W->t;
    const tindex *ix = W->ix;
    for (size_t s = 0; s < ix->n_steps; s++) {
        uint32_t code = ix->steps[s], i = tindex_step_event(code);
        const tload_event *e = &t->ev[i];
        if (tindex_step_is_end(code)) continue;
        if (e->kind == TLOAD_PARK) W->park[ix->lane[i]] = (int32_t)i;
        if (e->kind != TLOAD_POLL || (e->flags & (TLOAD_F_SYNC | TLOAD_F_AFTER_READY)) || e->result == TLOAD_RES_NONE)
            continue;
        int16_t interest = (int16_t)((e->flags & TLOAD_F_LEAF ? 2 : 0) + (e->result == TLOAD_RES_READY && tload_poll_number(e) > 1));
        if (cands_push(cs, (cand){(long)s, tindex_rank_end(ix, i), (int32_t)i, -1, e->future, e->result, interest, QUIZ_RESULT, 0})) return -1;
        if (is_root_poll(e) && root_poll_cands(W, cs, i)) return -1;
    }
    return 0;
}

static int cand_cmp(const void *a, const void *b) {
    const cand *x = a, *y = b;
    if (x->step != y->step) return x->step < y->step ? -1 : 1;
    return x->kind - y->kind;
}

/* ---- making a question ------------------------------------------------------------ */

static void set_text(char *dst, size_t len, const char *src) {
    size_t n = strlen(src);
    if (n >= len) n = utf8_cut(src, len - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* The caption of step (the explanation's words) in both languages. */
static void explain_step(const tload_trace *t, const tindex *ix, long step, quiz_question *q) {
    for (int g = 0; g < 2; g++)
        caption_step(t, ix, ix->steps[step], (caption_lang)g, q->explain[g], sizeof q->explain[g]);
}

static void append(char *dst, size_t len, const char *more) {
    size_t n = strlen(dst);
    if (n + 1 < len) set_text(dst + n, len - n, more);
}

static int make_result(const tload_trace *t, const tindex *ix, const cand *c, quiz_question *q) {
    const tload_event *e = &t->ev[c->ev];
    char name[96];
    caption_future(t, ix, e->future, name, sizeof name);
    q->nchoices = 2;
    q->answer = e->result == TLOAD_RES_READY;
    for (int g = 0; g < 2; g++) {
        MSG_FMT(q->ask[g], sizeof q->ask[g], (msg_lang)g, MSG_QZ_ASK_RESULT, name);
        set_text(q->choice[g][0], QUIZ_CHOICE_LEN, "Pending");
        set_text(q->choice[g][1], QUIZ_CHOICE_LEN, "Ready");
    }
    explain_step(t, ix, c->reveal, q);
    return 0;
}

static int make_waker(const tload_trace *t, const tindex *ix, const cand *c, quiz_question *q) {
    char th[96];
    const char *thread = tload_thread_name(t, t->ev[c->ev].tid, th, sizeof th);
    static const msg_id kinds[3] = {MSG_QZ_NET, MSG_QZ_TIMER, MSG_QZ_OTHER_TASK};
    q->nchoices = 3;
    q->answer = waker_class(tload_str(t, tload_wake_by(&t->ev[c->aux])));
    for (int g = 0; g < 2; g++) {
        MSG_FMT(q->ask[g], sizeof q->ask[g], (msg_lang)g, MSG_QZ_ASK_WAKER, thread);
        for (int k = 0; k < 3; k++) set_text(q->choice[g][k], QUIZ_CHOICE_LEN, msg_template(kinds[k], (msg_lang)g));
    }
    explain_step(t, ix, c->reveal, q);
    return q->answer >= 0 ? 0 : -1;
}

/* "task 2: A (handle)" */
static void task_choice(const tload_trace *t, const tindex *ix, const tindex_task *k, quiz_question *q, int slot) {
    char id[24], name[96];
    snprintf(id, sizeof id, "%d", k->id);
    if (k->root_future >= 0) caption_future(t, ix, k->root_future, name, sizeof name);
    else set_text(name, sizeof name, tload_str(t, k->name));
    for (int g = 0; g < 2; g++) MSG_FMT(q->choice[g][slot], QUIZ_CHOICE_LEN, (msg_lang)g, MSG_QZ_TASK, id, name);
}

/* The tasks the thread could poll then: alive, and polled on that thread or moving
 * between threads. The answer and at most QUIZ_MAX_CHOICES - 1 others, in task order. */
static int make_next(const tload_trace *t, const tindex *ix, const walk *W, const cand *c, quiz_question *q) {
    const tload_event *e = &t->ev[c->ev];
    uint32_t l = ix->lane[c->ev];
    int others = 0;
    q->nchoices = 0;
    q->answer = -1;
    for (size_t k = 0; k < ix->n_tasks && q->nchoices < QUIZ_MAX_CHOICES; k++) {
        const tindex_task *tk = &ix->tasks[k];
        int mine = tk->id == e->task;
        int here = W->task_lane[k] == (int32_t)l || W->task_multi[k];
        if (!mine && (!here || tk->t0 > e->ts || tk->t1 < e->ts || others == QUIZ_MAX_CHOICES - 1)) continue;
        if (mine) q->answer = q->nchoices;
        else others++;
        task_choice(t, ix, tk, q, q->nchoices++);
    }
    if (q->answer < 0 || q->nchoices < 2) return -1;
    char th[96], tr[256];
    const char *thread = tload_thread_name(t, e->tid, th, sizeof th);
    explain_step(t, ix, c->reveal, q);
    int32_t w = tindex_waker_of(t, ix, c->ev);
    for (int g = 0; g < 2; g++) {
        MSG_FMT(q->ask[g], sizeof q->ask[g], (msg_lang)g, MSG_QZ_ASK_NEXT, thread);
        if (w < 0) continue;
        char why[320];
        msg_translate(tload_str(t, tload_wake_by(&t->ev[w])), (msg_lang)g, tr, sizeof tr);
        MSG_FMT(why, sizeof why, (msg_lang)g, MSG_QZ_WOKEN_BY, tr);
        append(q->explain[g], sizeof q->explain[g], " ");
        append(q->explain[g], sizeof q->explain[g], why);
    }
    return 0;
}

/* The pool's workers (the task's own among them, at most QUIZ_MAX_CHOICES in lane order). */
static int make_worker(const tload_trace *t, const tindex *ix, const walk *W, const cand *c, quiz_question *q) {
    const tload_event *e = &t->ev[c->ev];
    char th[96], id[24], before[96];
    int others = 0;
    q->nchoices = 0;
    q->answer = -1;
    for (size_t l = 0; l < ix->n_lanes && q->nchoices < QUIZ_MAX_CHOICES; l++) {
        int mine = ix->lanes[l].tid == e->tid;
        if (!W->pool[l] || (!mine && others == QUIZ_MAX_CHOICES - 1)) continue;
        if (mine) q->answer = q->nchoices;
        else others++;
        const char *name = tload_thread_name(t, ix->lanes[l].tid, th, sizeof th);
        for (int g = 0; g < 2; g++) set_text(q->choice[g][q->nchoices], QUIZ_CHOICE_LEN, name);
        q->nchoices++;
    }
    if (q->answer < 0 || q->nchoices < 2) return -1;
    snprintf(id, sizeof id, "%d", e->task);
    set_text(before, sizeof before, tload_thread_name(t, ix->lanes[c->aux].tid, th, sizeof th));
    const char *now = tload_thread_name(t, e->tid, th, sizeof th);
    for (int g = 0; g < 2; g++) {
        MSG_FMT(q->ask[g], sizeof q->ask[g], (msg_lang)g, MSG_QZ_ASK_WORKER, id);
        MSG_FMT(q->explain[g], sizeof q->explain[g], (msg_lang)g, MSG_QZ_WORKER_WHY, id, before, now);
    }
    return 0;
}

static int make_question(const tload_trace *t, const tindex *ix, const walk *W, const cand *c, quiz_question *q) {
    memset(q, 0, sizeof *q);
    q->step = c->step;
    q->reveal_step = c->reveal;
    q->kind = (quiz_kind)c->kind;
    q->event = c->ev;
    switch (c->kind) {
    case QUIZ_RESULT: return make_result(t, ix, c, q);
    case QUIZ_WAKER: return make_waker(t, ix, c, q);
    case QUIZ_NEXT_TASK: return make_next(t, ix, W, c, q);
    case QUIZ_WORKER: return make_worker(t, ix, W, c, q);
    default: return -1;
    }
}

/* ---- choosing ----------------------------------------------------------------------- */

/* How much a candidate is worth asking, given what was asked: a kind not asked yet first,
 * then an answer not given yet (not every poll Pending), then its own interest. */
/* What was asked so far: per kind, the kind asked last ([5]), each answer of a poll, and
 * the kind and subject of each question. */
typedef struct asked {
    int used[6], answers[2];
    int n;
    struct { uint8_t kind; int32_t subject, reply; } q[QUIZ_GEN_COUNT];
} asked;

static int worth(const tload_trace *t, const cand *c, const asked *A) {
    const int *used = A->used, *answers = A->answers;
    int v = c->interest + 6 * (used[c->kind] == 0) - 2 * used[c->kind] - 3 * (used[5] == c->kind);
    for (int i = 0; i < A->n; i++)
        v -= 4 * (A->q[i].kind == c->kind && A->q[i].subject == c->subject && A->q[i].reply == c->reply);
    if (c->kind == QUIZ_RESULT) {
        int ready = t->ev[c->ev].result == TLOAD_RES_READY;
        v += 2 * (answers[ready] < answers[!ready]);
    }
    return v;
}

/* The best unused candidate of cs[lo..hi) asked after step `after`, or -1. */
static long best_in(const tload_trace *t, const cands *cs, size_t lo, size_t hi, long after, const asked *A) {
    long best = -1;
    int bv = 0;
    for (size_t i = lo; i < hi; i++) {
        const cand *c = &cs->c[i];
        if (c->used || c->step <= after) continue;
        int v = worth(t, c, A);
        if (best < 0 || v > bv) { best = (long)i; bv = v; }
    }
    return best;
}

static int choose(const tload_trace *t, const tindex *ix, const walk *W, cands *cs, quiz *qz) {
    qz->q = calloc(QUIZ_GEN_COUNT, sizeof *qz->q);
    if (!qz->q) return -1;
    asked A = {{0, 0, 0, 0, 0, -1}, {0, 0}, 0, {{0, 0, 0}}};
    long after = -1;
    size_t lo = 0;
    for (int seg = 0; seg < QUIZ_GEN_COUNT; seg++) {
        long end = (long)((double)ix->n_steps * (seg + 1) / QUIZ_GEN_COUNT);
        size_t hi = lo;
        while (hi < cs->n && cs->c[hi].step < end) hi++;
        for (int tries = 0; tries < 16; tries++) {
            long b = best_in(t, cs, lo, hi, after, &A);
            if (b < 0) break;
            cand *c = &cs->c[b];
            c->used = 1;
            if (make_question(t, ix, W, c, &qz->q[qz->n])) continue;
            A.used[c->kind]++;
            A.used[5] = c->kind;
            if (c->kind == QUIZ_RESULT) A.answers[qz->q[qz->n].answer]++;
            A.q[A.n].kind = c->kind;
            A.q[A.n].subject = c->subject;
            A.q[A.n++].reply = c->reply;
            after = c->reveal;
            qz->n++;
            break;
        }
        lo = hi;
    }
    return 0;
}

static int generate(const tload_trace *t, const tindex *ix, quiz *qz) {
    walk W = {t, ix, NULL, NULL, NULL, NULL, NULL};
    size_t nl = ix->n_lanes ? ix->n_lanes : 1, nt = ix->n_tasks ? ix->n_tasks : 1;
    W.park = malloc(nl * sizeof *W.park);
    W.lane_task = malloc(nl * sizeof *W.lane_task);
    W.task_lane = malloc(nt * sizeof *W.task_lane);
    W.task_multi = calloc(nt, 1);
    W.pool = calloc(nl, 1);
    cands cs = {NULL, 0, 0};
    int rc = -1;
    if (W.park && W.lane_task && W.task_lane && W.task_multi && W.pool) {
        for (size_t l = 0; l < nl; l++) W.park[l] = W.lane_task[l] = -1;
        for (size_t k = 0; k < nt; k++) W.task_lane[k] = -1;
        walk_lanes(&W);
        rc = walk_steps(&W, &cs);
        if (!rc) {
            if (cs.n) qsort(cs.c, cs.n, sizeof *cs.c, cand_cmp);
            rc = choose(t, ix, &W, &cs, qz);
        }
    }
    free(cs.c);
    free(W.park);
    free(W.lane_task);
    free(W.task_lane);
    free(W.task_multi);
    free(W.pool);
    return rc;
}

/* ---- the scenario's questions ------------------------------------------------------ */

typedef struct qerr { const tload_trace *t; char *err; size_t errlen; } qerr;

/* "FILE:LINE: " of the trace's header, or "FILE: " of a scenario simulated on the spot. */
static void place(const tload_trace *t, char *buf, size_t len) {
    if (t->meta_line > 0) snprintf(buf, len, "%s:%d: ", t->path, (int)t->meta_line);
    else snprintf(buf, len, "%s: ", t->path);
}

static int bad(qerr *E, int i, const char *field, const char *want) {
    char at[300];
    place(E->t, at, sizeof at);
    snprintf(E->err, E->errlen, "%squiz[%d]%s%s: expected %s", at, i, *field ? "." : "", field, want);
    return -1;
}

/* src as valid UTF-8 into dst (a hand-edited trace may hold anything); -1 when it does not fit. */
static int valid_text(const char *src, char *dst, size_t len) {
    size_t n = strlen(src);
    char *fixed = malloc(3 * n + 1);
    if (!fixed) return -1;
    size_t m = utf8_repair(src, n, fixed);
    if (m < len) memcpy(dst, fixed, m + 1);
    free(fixed);
    return m < len ? 0 : -1;
}

static int too_long(qerr *E, int i, const char *field, size_t len) {
    char want[64];
    snprintf(want, sizeof want, "a string of 1 to %zu bytes", len - 1);
    return bad(E, i, field, want);
}

/* A string field into dst. Missing: def, or an error when def is NULL. */
static int get_text(qerr *E, const cJSON *o, int i, const char *key, const char *def, char *dst, size_t len) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!v && def) { set_text(dst, len, def); return 0; }
    if (!cJSON_IsString(v) || !v->valuestring[0] || valid_text(v->valuestring, dst, len)) return too_long(E, i, key, len);
    return 0;
}

static int get_choices(qerr *E, const cJSON *o, int i, const char *key, int lang, quiz_question *q) {
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, key);
    char want[64];
    if (!a && lang == MSG_KO) { memcpy(q->choice[MSG_KO], q->choice[MSG_EN], sizeof q->choice[MSG_EN]); return 0; }
    int n = cJSON_IsArray(a) ? cJSON_GetArraySize(a) : 0;
    if (lang == MSG_KO && n != q->nchoices) {
        snprintf(want, sizeof want, "an array of %d strings, as many as \"choices\"", q->nchoices);
        return bad(E, i, key, want);
    }
    snprintf(want, sizeof want, "an array of 2 to %d strings", QUIZ_MAX_CHOICES);
    if (n < 2 || n > QUIZ_MAX_CHOICES) return bad(E, i, key, want);
    q->nchoices = n;
    for (int k = 0; k < n; k++) {
        char field[32];
        snprintf(field, sizeof field, "%s[%d]", key, k);
        const cJSON *v = cJSON_GetArrayItem(a, k);
        if (!cJSON_IsString(v) || !v->valuestring[0] || valid_text(v->valuestring, q->choice[lang][k], QUIZ_CHOICE_LEN))
            return too_long(E, i, field, QUIZ_CHOICE_LEN);
    }
    return 0;
}

/* A 1-based step of the run as 0-based, in lo..n_steps; -1 when it is not. */
static long run_step(const cJSON *v, long lo, const tindex *ix) {
    double d = cJSON_IsNumber(v) ? v->valuedouble : -1;
    if (d < (double)lo || d > (double)ix->n_steps || d != (double)(long)d) return -1;
    return (long)d - 1;
}

static int get_step(qerr *E, const cJSON *o, int i, const tindex *ix, long after, quiz_question *q) {
    char want[128];
    q->step = run_step(cJSON_GetObjectItemCaseSensitive(o, "step"), 1, ix);
    if (q->step < 0) {
        snprintf(want, sizeof want, "a step from 1 to %zu (this run's steps, as pinata text numbers them)", ix->n_steps);
        return bad(E, i, "step", want);
    }
    if (q->step <= after) {
        snprintf(want, sizeof want, "a step after %ld (the questions in step order, each after the one before is answered)",
                 after + 1);
        return bad(E, i, "step", want);
    }
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(o, "reveal_step");
    q->reveal_step = r ? run_step(r, q->step + 1, ix) : q->step;
    if (q->reveal_step < 0) {
        snprintf(want, sizeof want, "a step from %ld (its \"step\") to %zu", q->step + 1, ix->n_steps);
        return bad(E, i, "reveal_step", want);
    }
    return 0;
}

static int get_answer(qerr *E, const cJSON *o, int i, quiz_question *q) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "answer");
    char ans[QUIZ_CHOICE_LEN];
    int ok = cJSON_IsString(v) && !valid_text(v->valuestring, ans, sizeof ans);
    for (int k = 0; ok && k < q->nchoices; k++)
        if (!strcmp(ans, q->choice[MSG_EN][k])) { q->answer = k; return 0; }
    return bad(E, i, "answer", "one of its \"choices\", written the same");
}

static int check_keys(qerr *E, const cJSON *o, int i) {
    static const char *const keys[] = {"step", "reveal_step", "ask", "ask_ko", "choices", "choices_ko", "answer",
                                       "explain", "explain_ko", NULL};
    for (const cJSON *c = o->child; c; c = c->next) {
        int ok = 0;
        for (int k = 0; keys[k] && !ok; k++) ok = !strcmp(c->string, keys[k]);
        if (!ok) return bad(E, i, c->string, "no such field: one of step, reveal_step, ask, ask_ko, choices, choices_ko, answer, explain, explain_ko");
    }
    return 0;
}

static int one_question(qerr *E, const cJSON *o, int i, const tindex *ix, long after, quiz_question *q) {
    memset(q, 0, sizeof *q);
    q->kind = QUIZ_SCENARIO;
    q->event = -1;
    if (!cJSON_IsObject(o)) return bad(E, i, "", "an object {\"step\", \"ask\", \"choices\", \"answer\", ...}");
    if (check_keys(E, o, i) || get_step(E, o, i, ix, after, q)) return -1;
    if (get_text(E, o, i, "ask", NULL, q->ask[MSG_EN], QUIZ_ASK_LEN) ||
        get_text(E, o, i, "ask_ko", q->ask[MSG_EN], q->ask[MSG_KO], QUIZ_ASK_LEN))
        return -1;
    if (get_choices(E, o, i, "choices", MSG_EN, q) || get_choices(E, o, i, "choices_ko", MSG_KO, q) ||
        get_answer(E, o, i, q))
        return -1;
    if (get_text(E, o, i, "explain", "", q->explain[MSG_EN], QUIZ_EXPLAIN_LEN) ||
        get_text(E, o, i, "explain_ko", q->explain[MSG_EN], q->explain[MSG_KO], QUIZ_EXPLAIN_LEN))
        return -1;
    return 0;
}

static int from_trace(const tload_trace *t, const tindex *ix, quiz *qz, char *err, size_t errlen) {
    qerr E = {t, err, errlen};
    cJSON *a = cJSON_Parse(t->quiz);
    int n = cJSON_IsArray(a) ? cJSON_GetArraySize(a) : -1;
    int rc = 0;
    if (n < 1 || n > QUIZ_MAX_QUESTIONS) {
        char at[300];
        place(t, at, sizeof at);
        snprintf(err, errlen, "%s\"quiz\": expected an array of 1 to %d questions (valid JSON)", at, QUIZ_MAX_QUESTIONS);
        rc = -1;
    } else if (!(qz->q = calloc((size_t)n, sizeof *qz->q))) {
        snprintf(err, errlen, "%s: out of memory for the quiz", t->path);
        rc = -1;
    }
    long after = -1;
    for (int i = 0; !rc && i < n; i++) {
        rc = one_question(&E, cJSON_GetArrayItem(a, i), i, ix, after, &qz->q[i]);
        after = qz->q[i].reveal_step;
        qz->n = (size_t)i + 1;
    }
    cJSON_Delete(a);
    qz->from_scenario = 1;
    return rc;
}

/* ---- the quiz ----------------------------------------------------------------------- */

int quiz_build(const tload_trace *t, const tindex *ix, quiz *qz, char *err, size_t errlen) {
    memset(qz, 0, sizeof *qz);
    if (errlen) err[0] = '\0';
    int rc = t->quiz ? from_trace(t, ix, qz, err, errlen) : generate(t, ix, qz);
    if (rc && !err[0]) snprintf(err, errlen, "%s: out of memory for the quiz", t->path);
    if (rc) quiz_free(qz);
    return rc;
}

int quiz_check(const tload_trace *t, const tindex *ix, char *err, size_t errlen) {
    if (!t->quiz) return 0;
    quiz qz;
    int rc = quiz_build(t, ix, &qz, err, errlen);
    quiz_free(&qz);
    return rc;
}

const char *quiz_left_out_line(const tload_trace *t, const char *input, char *buf, size_t len) {
    if (!t->quiz_left_out) return NULL;
    snprintf(buf, len, "%s: the scenario's own quiz is left out: its steps are its own run's, this run has %s; "
             "the quiz asks questions made from this run\n", input, tload_str(t, t->quiz_left_out));
    return buf;
}

void quiz_free(quiz *qz) {
    free(qz->q);
    memset(qz, 0, sizeof *qz);
}

const char *quiz_kind_name(quiz_kind k) {
    static const char *const names[] = {"result", "next_task", "waker", "worker", "scenario"};
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "";
}

/* ---- in words ----------------------------------------------------------------------- */

static void put_line(FILE *out, const char *indent, const char *text) {
    char safe[4 * QUIZ_EXPLAIN_LEN];
    printable(safe, sizeof safe, text, 0); /* a scenario's text may hold an ESC */
    fprintf(out, "%s%s\n", indent, safe);
}

int quiz_write(FILE *out, const quiz *qz, msg_lang g) {
    char line[QUIZ_EXPLAIN_LEN + 64], a[24], b[24];
    snprintf(a, sizeof a, "%zu", qz->n);
    put_line(out, "", MSG_FMT(line, sizeof line, g, qz->from_scenario ? MSG_QZ_TEXT_OWN : MSG_QZ_TEXT_GEN, a));
    for (size_t i = 0; i < qz->n; i++) {
        const quiz_question *q = &qz->q[i];
        char head[sizeof line + QUIZ_ASK_LEN + 64];
        snprintf(a, sizeof a, "%ld", q->step + 1);
        MSG_FMT(line, sizeof line, g, MSG_QZ_TEXT_STEP, a);
        snprintf(head, sizeof head, "%2zu. %s: %s", i + 1, line, q->ask[g]);
        put_line(out, "", head);
        for (int k = 0; k < q->nchoices; k++) {
            snprintf(line, sizeof line, "%d) %s%s%s", k + 1, q->choice[g][k], k == q->answer ? "  <- " : "",
                     k == q->answer ? msg_template(MSG_QZ_TEXT_RIGHT, g) : "");
            put_line(out, "      ", line);
        }
        if (!q->explain[g][0]) continue;
        snprintf(b, sizeof b, "%ld", q->reveal_step + 1);
        MSG_FMT(line, sizeof line, g, MSG_QZ_TEXT_STEP, b);
        snprintf(head, sizeof head, "%s:", line);
        put_line(out, "    ", head);
        put_line(out, "      ", q->explain[g]);
    }
    return ferror(out) ? -1 : 0;
}

/* ---- quiz mode ---------------------------------------------------------------------- */

void quiz_play_start(quiz_play *p, const quiz *qz) {
    memset(p, 0, sizeof *p);
    p->qz = qz;
    p->chosen = -1;
    p->phase = qz && qz->n ? QUIZ_WAIT : QUIZ_DONE;
}

void quiz_play_stop(quiz_play *p) {
    p->phase = QUIZ_OFF;
}

static void next_question(quiz_play *p) {
    p->cur++;
    p->chosen = -1;
    p->phase = p->cur < p->qz->n ? QUIZ_WAIT : QUIZ_DONE;
}

long quiz_play_move(quiz_play *p, long from, long to) {
    if (p->phase == QUIZ_ASKING) return from;
    if (p->phase == QUIZ_REVEALED) next_question(p);
    if (p->phase != QUIZ_WAIT || to <= from) return to;
    /* a question the cursor is already past (it started the quiz later) is not asked */
    while (p->cur < p->qz->n && p->qz->q[p->cur].step < from) p->cur++;
    if (p->cur == p->qz->n) { p->phase = QUIZ_DONE; return to; }
    long s = p->qz->q[p->cur].step;
    if (s > to) return to;
    p->phase = QUIZ_ASKING;
    p->chosen = -1;
    return s;
}

int quiz_play_answer(quiz_play *p, int choice) {
    const quiz_question *q = quiz_play_current(p);
    if (p->phase != QUIZ_ASKING || !q || choice < 0 || choice >= q->nchoices) return -1;
    p->chosen = choice;
    p->asked++;
    p->right += choice == q->answer;
    p->phase = QUIZ_REVEALED;
    return choice == q->answer;
}

int quiz_play_skip(quiz_play *p) {
    if (p->phase != QUIZ_ASKING) return -1;
    p->chosen = -1;
    p->asked++;
    p->phase = QUIZ_REVEALED;
    return 0;
}

const quiz_question *quiz_play_current(const quiz_play *p) {
    if ((p->phase != QUIZ_ASKING && p->phase != QUIZ_REVEALED) || !p->qz || p->cur >= p->qz->n) return NULL;
    return &p->qz->q[p->cur];
}

/* ---- the quiz box ------------------------------------------------------------------- */

typedef struct qbox {
    draw_list *d;
    float x, y, w, size, s, pad;
    int pass; /* 0: measure only, 1: draw */
} qbox;

static draw_cmd *tagged(draw_cmd *c, int32_t ref) {
    if (c) { c->tag = DRAW_TAG_QUIZ; c->ref = ref; }
    return c;
}

/* A wrapped paragraph; advances y. */
static void para(qbox *B, const char *text, draw_rgba col, int bold) {
    char lines[6][256];
    /* the backends round a font to whole pixels: up to 5 % wider than measured */
    int n = layout_wrap(text, B->size, (B->w - 2 * B->pad) * 0.94f, lines, 6);
    for (int i = 0; i < n; i++) {
        B->y += B->size * 1.35f;
        if (B->pass) tagged(draw_text(B->d, B->x + B->pad, B->y, lines[i], B->size, col, DRAW_LEFT, bold), -1);
    }
    B->y += B->size * 0.45f;
}

/* One choice in its own box (a click target); green when it is the right answer and the
 * answer is shown, red when it was chosen and wrong. */
static void choice_box(qbox *B, const quiz_play *p, const quiz_question *q, int k, msg_lang g) {
    char line[QUIZ_CHOICE_LEN + 16];
    snprintf(line, sizeof line, "%d  %s", k + 1, q->choice[g][k]);
    float h = B->size * 1.7f, y = B->y + 3 * B->s;
    int shown = p->phase == QUIZ_REVEALED;
    draw_rgba fill = draw_rgb(0xFFFFFF), edge = draw_rgb(0x888888);
    if (shown && k == q->answer) { fill = draw_rgb(0xDFF5DF); edge = draw_rgb(0x2E7D32); }
    else if (shown && k == p->chosen) { fill = draw_rgb(0xFBE0E0); edge = draw_rgb(0xC62828); }
    if (B->pass) {
        tagged(draw_rect(B->d, B->x + B->pad, y, B->w - 2 * B->pad, h, fill, edge, 1.2f * B->s), k);
        tagged(draw_text(B->d, B->x + B->pad + 8 * B->s, y + h * 0.7f, line, B->size, draw_rgb(0x202020), DRAW_LEFT,
                         shown && k == q->answer), k);
    }
    B->y = y + h;
}

static void verdict(qbox *B, const quiz_play *p, const quiz_question *q, msg_lang g) {
    char line[256];
    const char *ans = q->choice[g][q->answer];
    if (p->chosen == q->answer) MSG_FMT(line, sizeof line, g, MSG_QZ_RIGHT, NULL);
    else MSG_FMT(line, sizeof line, g, p->chosen < 0 ? MSG_QZ_SKIPPED : MSG_QZ_WRONG, ans);
    para(B, line, p->chosen == q->answer ? draw_rgb(0x2E7D32) : draw_rgb(0xC62828), 1);
    if (q->explain[g][0]) para(B, q->explain[g], draw_rgb(0x202020), 0);
}

static void box_body(qbox *B, const quiz_play *p, msg_lang g) {
    char line[256], a[16], b[16], c[16], d[16];
    size_t n = p->qz ? p->qz->n : 0;
    snprintf(a, sizeof a, "%zu", p->cur + 1 > n ? n : p->cur + 1);
    snprintf(b, sizeof b, "%zu", n);
    snprintf(c, sizeof c, "%d", p->right);
    snprintf(d, sizeof d, "%d", p->asked);
    MSG_FMT(line, sizeof line, g, MSG_QZ_TITLE, a, b, c, d);
    para(B, line, draw_rgb(0x6A1B9A), 1);
    const quiz_question *q = quiz_play_current(p);
    if (!q) {
        snprintf(a, sizeof a, "%d", p->right);
        snprintf(b, sizeof b, "%d", p->asked);
        if (n) MSG_FMT(line, sizeof line, g, p->phase == QUIZ_DONE ? MSG_QZ_DONE : MSG_QZ_HINT_NEXT, a, b);
        else MSG_FMT(line, sizeof line, g, MSG_QZ_NONE, NULL);
        para(B, line, draw_rgb(0x202020), 0);
        return;
    }
    para(B, q->ask[g], draw_rgb(0x202020), 1);
    for (int k = 0; k < q->nchoices; k++) choice_box(B, p, q, k, g);
    B->y += 6 * B->s;
    if (p->phase == QUIZ_REVEALED) {
        verdict(B, p, q, g);
        MSG_FMT(line, sizeof line, g, MSG_QZ_HINT_NEXT, NULL);
    } else {
        snprintf(a, sizeof a, "%d", q->nchoices);
        MSG_FMT(line, sizeof line, g, MSG_QZ_HINT_ASK, a);
    }
    para(B, line, draw_rgb(0x666666), 0);
}

void quiz_draw(const quiz_play *p, draw_list *d, msg_lang lang, float width, float y0, float y1, float scale) {
    if (p->phase == QUIZ_OFF) return;
    float s = scale > 0 ? scale : 1;
    float w = width * 0.42f < 360 * s ? (width - 16 < 360 * s ? width - 16 : 360 * s) : width * 0.42f;
    if (w > 640 * s) w = 640 * s;
    qbox B = {d, width - w - 12 * s, 0, w, 15 * s, s, 12 * s, 0};
    box_body(&B, p, lang); /* measure: the box is drawn behind its text */
    float h = B.y + 10 * s, bottom = d->height > 0 && d->height < y1 ? d->height : y1;
    float top = bottom - 12 * s - h;
    if (top < y0 + 12 * s) top = y0 + 12 * s;
    tagged(draw_rect(d, B.x, top, w, h, draw_rgb(0xF7F2FC), draw_rgb(0x6A1B9A), 2 * s), -1);
    B.y = top;
    B.pass = 1;
    box_body(&B, p, lang);
}
