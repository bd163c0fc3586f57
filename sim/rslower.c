#include "sim/rslower.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BINDS 256
#define MAX_GROUPS 256
#define MAX_GROUP_SPAWNS 16
#define MAX_MPARAMS 64
#define MAX_PASSES 6

/* What an expression is, as far as the simulation sees it. */
typedef enum vk {
    V_NONE,       /* a value the simulation does not see (a String, a Vec of results, ()) */
    V_OPER,       /* a scenario operand: a literal, or "$name" / "$name.field" */
    V_SOCKET,     /* the socket this call holds (connect / accept), or a TcpStream parameter */
    V_LISTENER,   /* TcpListener::bind(..) */
    V_INCOMING,   /* listener.incoming() */
    V_REQUEST,    /* format!("GET {} HTTP/1.1\r\nHost: {}\r\n\r\n", path, host): j is path */
    V_BYTES,      /* a buffer or byte string of n bytes */
    V_HANDLE,     /* a JoinHandle: grp */
    V_HANDLES,    /* a Vec of JoinHandles: grp */
    V_VEC,        /* an empty Vec (it may become V_HANDLES) */
    V_MUTEX,      /* an async Mutex: name (NULL until a let names it) */
    V_GUARD,      /* a MutexGuard of name */
    V_FUTURE,     /* a future not yet awaited: fut */
    V_DURATION,   /* Duration: j is its ms */
    V_KEY,        /* a thread_local! / task_local! key: name, task */
    V_HANDLE_ALL  /* the loop variable of `for h in handles`: every handle of grp */
} vk;

typedef struct val {
    vk k;
    cJSON *j;          /* V_OPER, V_REQUEST, V_DURATION (owned by the lowering's junk) */
    int vars;          /* V_OPER: an array or tuple holding variables (usable only taken apart) */
    double n;          /* V_BYTES */
    const char *name;  /* V_MUTEX, V_GUARD, V_KEY */
    int task;          /* V_KEY: a task_local */
    int fut;           /* V_FUTURE */
    int grp;           /* V_HANDLE, V_HANDLES, V_HANDLE_ALL */
    int thread;        /* V_HANDLE: of std::thread::spawn (join() blocks) */
    int fresh;         /* made by this expression, not read from a variable: dropped at the statement's end */
    int tok;           /* where it was made */
} val;

typedef enum fk { F_LEAF, F_FN, F_BIND } fk;

typedef struct fut {
    fk k;
    const char *leaf;  /* F_LEAF: connect, sleep, ... */
    cJSON *fields;     /* F_LEAF: the step's fields (junk) */
    const char *fn;    /* F_FN: the callee */
    cJSON *args;       /* F_FN: its arguments (junk) */
    int fuse;
    int used;          /* awaited, spawned or polled */
    cJSON *await_step; /* the step of its .await, for a poll after it */
} fut;

typedef struct hgroup {
    cJSON *spawns[MAX_GROUP_SPAWNS]; /* the spawn steps whose handles are in this group */
    int nspawns;
    int joined, detached, moved;
} hgroup;

typedef struct bind { const char *name; val v; int scope; } bind;
typedef struct mparam { const char *fn; int i; const char *mutex; } mparam;

typedef struct lc {
    const rsparse *p;
    const rs_tok *t;
    cJSON *doc, *junk;
    const char *prefix;
    char *err;
    size_t errlen;
    int failed;
    /* the function being lowered */
    const rs_node *fn;
    int async_ctx;     /* .await is allowed here */
    int main_mode;     /* a synchronous main around task::block_on: no step may be emitted */
    cJSON *out;        /* the step list being written */
    bind binds[MAX_BINDS];
    int nbinds, scope;
    fut *futs;
    int nfuts, capfuts;
    hgroup groups[MAX_GROUPS];
    int ngroups;
    int hidden;        /* hidden loop variables made so far */
    cJSON *entry_fut;  /* main: the block_on's future (F_FN) */
    const char *entry_fn;
    cJSON *entry_args;
    int entry_tok;
    /* the whole program */
    mparam mps[MAX_MPARAMS];
    int nmps, mps_added;
} lc;

static const rs_node *ND(const lc *C, int i) { return &C->p->nodes[i]; }

static int lfail(lc *C, int tok, const char *fmt, ...) {
    if (C->failed++) return -1;
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const rs_tok *t = &C->t[tok];
    snprintf(C->err, C->errlen, "%s:%d:%d: %s", C->prefix, t->line, t->col, msg);
    return -1;
}

static val none(int tok) { return (val){.k = V_NONE, .tok = tok, .fut = -1, .grp = -1}; }
static val bad(void) { return (val){.k = V_NONE, .tok = 0, .fut = -1, .grp = -1, .n = -1}; }
#define FAILED(C) ((C)->failed)

static cJSON *junk(lc *C, cJSON *j) {
    if (j) cJSON_AddItemToArray(C->junk, j);
    return j;
}

static val oper(lc *C, cJSON *j, int tok) {
    val v = none(tok);
    v.k = V_OPER;
    v.j = junk(C, j);
    v.fresh = 1;
    return v;
}

/* The name a path ends with: "net::TcpStream::connect" -> "connect". */
static const char *last_seg(const char *path) {
    const char *s = strrchr(path, ':');
    return s ? s + 1 : path;
}

/* path is NAME or ends with "::NAME". */
static int ends(const char *path, const char *name) {
    size_t n = strlen(path), k = strlen(name);
    return n >= k && !strcmp(path + n - k, name) && (n == k || (n > k + 1 && path[n - k - 1] == ':'));
}

static int has_seg(const char *path, const char *seg) {
    const char *s = path;
    size_t k = strlen(seg);
    while ((s = strstr(s, seg))) {
        if ((s == path || s[-1] == ':') && (s[k] == 0 || s[k] == ':')) return 1;
        s += k;
    }
    return 0;
}

/* ---------- steps ---------- */

/* A step at the place of tokens tok..etok: "line", "col", and "end_col" when it ends there. */
static cJSON *emit(lc *C, cJSON *st, int tok, int etok) {
    if (!st) { lfail(C, tok, "out of memory"); return NULL; }
    if (C->main_mode) {
        cJSON_Delete(st);
        lfail(C, tok, "fn main() may only call task::block_on(...) with the program's async entry: move this into an async fn");
        return NULL;
    }
    const rs_tok *a = &C->t[tok], *b = &C->t[etok];
    cJSON_AddNumberToObject(st, "line", a->line);
    cJSON_AddNumberToObject(st, "col", a->col);
    if (b->eline == a->line && b->ecol > a->col) cJSON_AddNumberToObject(st, "end_col", b->ecol);
    cJSON_AddItemToArray(C->out, st);
    return st;
}

static cJSON *step1(const char *verb, cJSON *what) {
    cJSON *st = cJSON_CreateObject();
    if (st) cJSON_AddItemToObject(st, verb, what);
    return st;
}

/* The JSON operand of a value passed to a function or written into a step. */
static cJSON *operand(lc *C, val v, const char *what) {
    switch (v.k) {
    case V_OPER:
        if (v.vars) { lfail(C, v.tok, "a tuple or list built from variables cannot be passed on: %s takes literals here (or take it apart first)", what); return NULL; }
        return cJSON_Duplicate(v.j, 1);
    case V_SOCKET: return cJSON_CreateString("$socket");
    case V_MUTEX: return cJSON_CreateString(v.name ? v.name : "mutex");
    case V_NONE: case V_VEC: case V_REQUEST: case V_BYTES: return cJSON_CreateNull();
    case V_DURATION: return cJSON_Duplicate(v.j, 1);
    default:
        lfail(C, v.tok, "this value (a future, a JoinHandle, a guard or a key) cannot be passed as %s in pinata", what);
        return NULL;
    }
}

/* ---------- bindings and scopes ---------- */

static int bind_name(lc *C, const char *name, val v, int tok) {
    if (C->nbinds >= MAX_BINDS) return lfail(C, tok, "too many variables in one function: expected at most %d", MAX_BINDS);
    v.fresh = 0;
    if (v.k == V_MUTEX && !v.name) v.name = name;
    C->binds[C->nbinds++] = (bind){name, v, C->scope};
    return 0;
}

static bind *lookup(lc *C, const char *name) {
    for (int i = C->nbinds - 1; i >= 0; i--)
        if (!strcmp(C->binds[i].name, name)) return &C->binds[i];
    return NULL;
}

static void detach_group(lc *C, int g) {
    hgroup *h = &C->groups[g];
    if (h->joined || h->detached || h->moved) return;
    for (int i = 0; i < h->nspawns; i++)
        if (!cJSON_GetObjectItemCaseSensitive(h->spawns[i], "detach")) cJSON_AddTrueToObject(h->spawns[i], "detach");
    h->detached = 1;
}

/* A value dropped at tok: a guard unlocks its mutex, a JoinHandle detaches its task, a future
 * never awaited is refused (it would never run). */
static void drop_val(lc *C, val v, int tok, int etok) {
    if (v.k == V_GUARD && v.name) {
        emit(C, step1("unlock", cJSON_CreateString(v.name)), tok, etok);
    } else if ((v.k == V_HANDLE || v.k == V_HANDLES) && v.grp >= 0) {
        detach_group(C, v.grp);
    } else if (v.k == V_FUTURE && v.fresh && !C->futs[v.fut].used) {
        lfail(C, v.tok, "this future is never awaited, so it never runs: add '.await' (or spawn it)");
    }
}

static void pop_scope(lc *C, int tok) {
    while (C->nbinds > 0 && C->binds[C->nbinds - 1].scope == C->scope) {
        bind *b = &C->binds[--C->nbinds];
        if (b->v.k != V_FUTURE) drop_val(C, b->v, tok, tok);
    }
    C->scope--;
}

/* ---------- futures and handles ---------- */

static int new_fut(lc *C, fk k) {
    if (C->nfuts == C->capfuts) {
        int cap = C->capfuts ? C->capfuts * 2 : 16;
        fut *a = realloc(C->futs, (size_t)cap * sizeof *a);
        if (!a) return lfail(C, 0, "out of memory");
        C->futs = a;
        C->capfuts = cap;
    }
    C->futs[C->nfuts] = (fut){.k = k};
    return C->nfuts++;
}

static val fut_val(int f, int tok) {
    val v = none(tok);
    if (f < 0) return bad();
    v.k = V_FUTURE;
    v.fut = f;
    v.fresh = 1;
    return v;
}

static val leaf(lc *C, const char *name, cJSON *fields, int tok) {
    int f = new_fut(C, F_LEAF);
    if (f < 0) { cJSON_Delete(fields); return bad(); }
    C->futs[f].leaf = name;
    C->futs[f].fields = junk(C, fields ? fields : cJSON_CreateObject());
    return fut_val(f, tok);
}

static int new_group(lc *C, cJSON *spawn, int tok) {
    if (C->ngroups >= MAX_GROUPS) return lfail(C, tok, "too many JoinHandles in one function: expected at most %d", MAX_GROUPS);
    hgroup *h = &C->groups[C->ngroups];
    *h = (hgroup){0};
    if (spawn) h->spawns[h->nspawns++] = spawn;
    return C->ngroups++;
}

/* pinata's JoinHandle.await takes the handles in the order they were spawned. */
static int check_join(lc *C, int g, int all, int tok) {
    for (int i = 0; i < C->ngroups; i++) {
        hgroup *h = &C->groups[i];
        if (i == g || h->joined || h->detached || h->moved) continue;
        if (all) return lfail(C, tok, "this loop awaits every JoinHandle in the Vec, but another JoinHandle spawned here is not awaited yet: pinata joins a function's handles in the order they were spawned (await that one first, or drop it)");
        if (i < g) return lfail(C, tok, "a JoinHandle is awaited before one spawned earlier: pinata joins a function's handles in the order they were spawned (await them in that order)");
    }
    return 0;
}

/* ---------- values of expressions ---------- */

static val expr(lc *C, int n);
static int block_stmts(lc *C, int b, val *tail);
static void statement_end(lc *C, val v, int tok, int etok);

static int str_ok(lc *C, const rs_node *e) {
    if (e->nlen && e->name[0] == '$')
        return lfail(C, e->tok, "a string starting with '$' is not supported by pinata (its scenario variables begin with '$')");
    if (strlen(e->name) != e->nlen) return lfail(C, e->tok, "a string holding a NUL (\\0) is not supported by pinata");
    return 0;
}

/* (a, b, ...) or [a, b, ...] of values: a JSON array or an object {"0": a, "1": b}. */
static val aggregate(lc *C, const rs_node *e, int tuple) {
    cJSON *j = tuple ? cJSON_CreateObject() : cJSON_CreateArray();
    val r = oper(C, j, e->tok);
    if (!j) return lfail(C, e->tok, "out of memory"), bad();
    int i = 0;
    for (int k = e->kids; k >= 0 && !FAILED(C); k = ND(C, k)->next, i++) {
        val v = expr(C, k);
        if (FAILED(C)) return bad();
        if (v.k != V_OPER && v.k != V_NONE) {
            lfail(C, ND(C, k)->tok, "a %s of sockets, futures or handles is not supported by pinata", tuple ? "tuple" : "list");
            return bad();
        }
        cJSON *x = v.k == V_OPER ? cJSON_Duplicate(v.j, 1) : cJSON_CreateNull();
        if (v.k == V_OPER && (v.vars || (cJSON_IsString(v.j) && v.j->valuestring[0] == '$'))) r.vars = 1;
        char key[16];
        snprintf(key, sizeof key, "%d", i);
        if (tuple) cJSON_AddItemToObject(j, key, x);
        else cJSON_AddItemToArray(j, x);
    }
    return r;
}

static double dur_ms(const char *fn, double x) {
    return ends(fn, "from_secs") || ends(fn, "from_secs_f64") || ends(fn, "from_secs_f32") ? x * 1000
         : ends(fn, "from_micros") ? x / 1000 : ends(fn, "from_nanos") ? x / 1e6 : x;
}

/* Duration::from_millis(N) and its kin. */
static val duration(lc *C, const char *fn, const rs_node *call) {
    if (call->nkids != 1) return lfail(C, call->tok, "%s takes 1 argument", fn), bad();
    val x = expr(C, call->kids);
    if (FAILED(C)) return bad();
    if (x.k != V_OPER || (!cJSON_IsNumber(x.j) && !(ends(fn, "from_millis") && cJSON_IsString(x.j) && x.j->valuestring[0] == '$')))
        return lfail(C, ND(C, call->kids)->tok, "expected a number of %s (a literal, or a parameter for from_millis)", last_seg(fn) + 5), bad();
    val v = none(call->tok);
    v.k = V_DURATION;
    v.j = cJSON_IsNumber(x.j) ? junk(C, cJSON_CreateNumber(dur_ms(fn, x.j->valuedouble))) : x.j;
    return v;
}

static cJSON *ms_of(lc *C, val d, int tok) {
    if (d.k != V_DURATION) { lfail(C, tok, "expected a Duration (Duration::from_millis(N))"); return NULL; }
    return cJSON_Duplicate(d.j, 1);
}

/* The arguments of a call to one of the program's functions, as operands. */
static cJSON *call_args(lc *C, const rs_node *call, const rs_node *callee) {
    cJSON *args = junk(C, cJSON_CreateArray());
    if (call->nkids != callee->nkids) {
        lfail(C, call->tok, "this function takes %d argument%s but %d %s supplied", callee->nkids, callee->nkids == 1 ? "" : "s",
              call->nkids, call->nkids == 1 ? "was" : "were");
        return NULL;
    }
    int i = 0;
    for (int k = call->kids; k >= 0 && !FAILED(C); k = ND(C, k)->next, i++) {
        val v = expr(C, k);
        if (FAILED(C)) return NULL;
        if (v.k == V_MUTEX) { /* a Mutex parameter stands for the mutex its callers pass */
            int found = 0;
            for (int m = 0; m < C->nmps; m++) {
                if (strcmp(C->mps[m].fn, callee->name) || C->mps[m].i != i) continue;
                found = 1;
                if (strcmp(C->mps[m].mutex, v.name ? v.name : ""))
                    return lfail(C, ND(C, k)->tok, "every call of %s must pass the same Mutex here (pinata names a mutex by the variable that made it)", callee->name), NULL;
            }
            if (!found && C->nmps < MAX_MPARAMS) {
                C->mps[C->nmps++] = (mparam){callee->name, i, v.name ? v.name : ""};
                C->mps_added = 1;
            }
        }
        if (v.k == V_HANDLE || v.k == V_FUTURE)
            return lfail(C, ND(C, k)->tok, "passing a %s to a function is not supported by pinata", v.k == V_HANDLE ? "JoinHandle" : "future"), NULL;
        cJSON *o = operand(C, v, "an argument");
        if (!o) return NULL;
        cJSON_AddItemToArray(args, o);
    }
    return args;
}

static const rs_node *find_fn(lc *C, const char *name) {
    for (int k = C->p->items; k >= 0; k = ND(C, k)->next)
        if (ND(C, k)->kind == RN_FN && !strcmp(ND(C, k)->name, name)) return ND(C, k);
    return NULL;
}

static const rs_node *user_fn(lc *C, const char *path) {
    const char *name = path;
    if (!strncmp(name, "self::", 6)) name += 6;
    else if (!strncmp(name, "crate::", 7)) name += 7;
    if (strstr(name, "::")) return NULL;
    const rs_node *f = find_fn(C, name);
    return f && strcmp(f->name, "compute") ? f : NULL;
}

static int is_async_fn(const rs_node *f) { return (f->flags & (RS_ASYNC | RS_RET_FUTURE)) != 0; }

/* A call of an async fn: its future (F_FN), not yet polled. */
static val fn_future(lc *C, const rs_node *call, const rs_node *callee) {
    cJSON *args = call_args(C, call, callee);
    if (!args) return bad();
    int f = new_fut(C, F_FN);
    if (f < 0) return bad();
    C->futs[f].fn = callee->name;
    C->futs[f].args = args;
    return fut_val(f, call->tok);
}

/* The expression inside `async move { f(..).await }` handed to a spawn: the call f(..). */
static int async_block_call(lc *C, const rs_node *blk) {
    const rs_node *b = ND(C, blk->a);
    int e = b->a;
    if (b->nkids == 1 && e < 0 && ND(C, b->kids)->kind == RN_EXPR) e = ND(C, b->kids)->a;
    else if (b->nkids > 0) e = -1;
    while (e >= 0 && (ND(C, e)->kind == RN_TRY || (ND(C, e)->kind == RN_CALL && ND(C, e)->nkids == 1 && ND(C, ND(C, e)->a)->kind == RN_PATH &&
                                                   !user_fn(C, ND(C, ND(C, e)->a)->name))))
        e = ND(C, e)->kind == RN_TRY ? ND(C, e)->a : ND(C, e)->kids; /* log_error(f(..).await): the call inside */
    if (e < 0 || ND(C, e)->kind != RN_AWAIT || ND(C, ND(C, e)->a)->kind != RN_CALL)
        return lfail(C, blk->tok, "an async block handed to a spawn must be one call: async move { f(args).await } (pinata runs f as the task)");
    return ND(C, e)->a;
}

/* task::spawn_local(f(..)), task::spawn(f(..)), thread::spawn(move || f(..)). */
static val spawn(lc *C, const char *verb, const rs_node *call, int thread) {
    if (call->nkids != 1) return lfail(C, call->tok, "%s takes 1 argument", verb), bad();
    int arg = call->kids;
    while (ND(C, arg)->kind == RN_REF) arg = ND(C, arg)->a;
    const rs_node *callee = NULL, *inner = NULL;
    cJSON *args = NULL;
    if (thread) {
        if (ND(C, arg)->kind != RN_CLOSURE) return lfail(C, ND(C, arg)->tok, "thread::spawn takes a closure: thread::spawn(move || f(args))"), bad();
        int e = ND(C, arg)->a;
        if (ND(C, e)->kind == RN_BLOCK) {
            const rs_node *b = ND(C, e);
            e = b->a >= 0 && b->nkids == 0 ? b->a : b->nkids == 1 && b->a < 0 && ND(C, b->kids)->kind == RN_EXPR ? ND(C, b->kids)->a : -1;
        }
        while (e >= 0 && ND(C, e)->kind == RN_CALL && ND(C, e)->nkids == 1 && ND(C, ND(C, e)->a)->kind == RN_PATH &&
               !user_fn(C, ND(C, ND(C, e)->a)->name))
            e = ND(C, e)->kids; /* log_error(f(..)) */
        while (e >= 0 && ND(C, e)->kind == RN_TRY) e = ND(C, e)->a;
        if (e < 0 || ND(C, e)->kind != RN_CALL) return lfail(C, ND(C, arg)->tok, "the closure of thread::spawn must be one call of a fn of the program: move || f(args)"), bad();
        inner = ND(C, e);
    } else if (ND(C, arg)->kind == RN_ASYNC) {
        int e = async_block_call(C, ND(C, arg));
        if (e < 0) return bad();
        inner = ND(C, e);
    } else if (ND(C, arg)->kind == RN_CALL) {
        inner = ND(C, arg);
    } else {
        val v = expr(C, arg);
        if (FAILED(C)) return bad();
        if (v.k != V_FUTURE || C->futs[v.fut].k != F_FN)
            return lfail(C, ND(C, arg)->tok, "%s takes the future of one of the program's async fns: %s(f(args))", verb, verb), bad();
        C->futs[v.fut].used = 1;
        callee = find_fn(C, C->futs[v.fut].fn);
        args = C->futs[v.fut].args;
    }
    if (inner) {
        if (ND(C, inner->a)->kind != RN_PATH || !(callee = user_fn(C, ND(C, inner->a)->name)))
            return lfail(C, inner->tok, "%s needs a call of one of the program's fns here", verb), bad();
        if (!thread && !is_async_fn(callee)) return lfail(C, inner->tok, "%s takes a future, but %s is not an async fn", verb, callee->name), bad();
        if (thread && is_async_fn(callee)) return lfail(C, inner->tok, "thread::spawn runs synchronous code, but %s is an async fn (its future would never be polled)", callee->name), bad();
        args = call_args(C, inner, callee);
        if (!args) return bad();
    }
    cJSON *st = step1(thread ? "spawn_thread" : verb, cJSON_CreateString(callee->name));
    if (st) cJSON_AddItemToObject(st, "args", cJSON_Duplicate(args, 1));
    st = emit(C, st, call->tok, call->etok);
    if (!st) return bad();
    val v = none(call->tok);
    v.k = V_HANDLE;
    v.grp = new_group(C, st, call->tok);
    v.thread = thread;
    v.fresh = 1;
    return FAILED(C) ? bad() : v;
}

/* A leaf I/O call: a future in async code; in synchronous code a blocking call, made now. */
static val io(lc *C, const char *name, cJSON *fields, const rs_node *call) {
    val f = leaf(C, name, fields, call->tok);
    if (FAILED(C) || C->async_ctx) return f;
    C->futs[f.fut].used = 1;
    cJSON *st = cJSON_Duplicate(C->futs[f.fut].fields, 1);
    if (st) cJSON_AddItemToObject(st, "blocking", cJSON_CreateString(name));
    emit(C, st, call->tok, call->etok);
    val r = none(call->tok);
    if (!strcmp(name, "connect") || !strcmp(name, "accept")) r.k = V_SOCKET;
    return FAILED(C) ? bad() : r;
}

/* connect((host, port)) / connect("host:port") / connect(addr) with addr a literal tuple. */
static cJSON *address(lc *C, int arg) {
    while (ND(C, arg)->kind == RN_REF) arg = ND(C, arg)->a;
    const rs_node *a = ND(C, arg);
    cJSON *f = cJSON_CreateObject();
    if (!f) return lfail(C, a->tok, "out of memory"), NULL;
    junk(C, f);
    if (a->kind == RN_TUPLE && a->nkids == 2) {
        val h = expr(C, a->kids), p = expr(C, ND(C, a->kids)->next);
        if (FAILED(C)) return NULL;
        cJSON *ho = operand(C, h, "the host"), *po = operand(C, p, "the port");
        if (!ho || !po) { cJSON_Delete(ho); cJSON_Delete(po); return NULL; }
        cJSON_AddItemToObject(f, "host", ho);
        cJSON_AddItemToObject(f, "port", po);
        return f;
    }
    val v = expr(C, arg);
    if (FAILED(C)) return NULL;
    if (v.k == V_OPER && cJSON_IsObject(v.j) && cJSON_GetObjectItem(v.j, "0") && cJSON_GetObjectItem(v.j, "1")) {
        cJSON_AddItemToObject(f, "host", cJSON_Duplicate(cJSON_GetObjectItem(v.j, "0"), 1));
        cJSON_AddItemToObject(f, "port", cJSON_Duplicate(cJSON_GetObjectItem(v.j, "1"), 1));
        return f;
    }
    if (v.k == V_OPER && cJSON_IsString(v.j) && v.j->valuestring[0] != '$' && strrchr(v.j->valuestring, ':')) {
        const char *s = v.j->valuestring, *colon = strrchr(s, ':');
        char host[128];
        snprintf(host, sizeof host, "%.*s", (int)(colon - s < 127 ? colon - s : 127), s);
        cJSON_AddStringToObject(f, "host", host);
        cJSON_AddNumberToObject(f, "port", atof(colon + 1));
        return f;
    }
    lfail(C, a->tok, "expected the address as (host, port) or \"host:port\"");
    return NULL;
}

static val builtin_io(lc *C, const char *path, const rs_node *call) {
    if (ends(path, "TcpStream::connect")) {
        if (call->nkids != 1) return lfail(C, call->tok, "connect takes 1 argument: ((host, port))"), bad();
        cJSON *f = address(C, call->kids);
        return f ? io(C, "connect", cJSON_Duplicate(f, 1), call) : bad();
    }
    if (ends(path, "TcpListener::bind")) {
        for (int k = call->kids; k >= 0; k = ND(C, k)->next) expr(C, k);
        if (!C->async_ctx) { val v = none(call->tok); v.k = V_LISTENER; return v; }
        int f = new_fut(C, F_BIND);
        return fut_val(f, call->tok);
    }
    if (ends(path, "sleep")) {
        if (call->nkids != 1) return lfail(C, call->tok, "sleep takes 1 argument: a Duration"), bad();
        cJSON *ms = ms_of(C, expr(C, call->kids), ND(C, call->kids)->tok);
        if (!ms) return bad();
        cJSON *f = cJSON_CreateObject();
        cJSON_AddItemToObject(f, "ms", ms);
        if (has_seg(path, "thread")) { /* std::thread::sleep blocks the thread, in async code too */
            int saved = C->async_ctx;
            C->async_ctx = 0;
            val r = io(C, "sleep", f, call);
            C->async_ctx = saved;
            return r;
        }
        return io(C, "sleep", f, call);
    }
    if (ends(path, "yield_now")) return io(C, "yield_now", NULL, call);
    if (ends(path, "forgetful")) return io(C, "drop_waker", NULL, call);
    return none(-1); /* not one of these */
}

static val builtin(lc *C, const char *path, const rs_node *call) {
    const char *name = last_seg(path);
    val r = builtin_io(C, path, call);
    if (FAILED(C) || r.tok >= 0) return r;
    if (!strcmp(name, "from_millis") || !strcmp(name, "from_secs") || !strcmp(name, "from_micros") ||
        !strcmp(name, "from_nanos") || !strcmp(name, "from_secs_f64") || !strcmp(name, "from_secs_f32"))
        return duration(C, path, call);
    if (!strcmp(path, "compute") || !strcmp(path, "pinata::compute")) {
        if (call->nkids != 1) return lfail(C, call->tok, "compute takes 1 argument: a Duration"), bad();
        cJSON *ms = ms_of(C, expr(C, call->kids), ND(C, call->kids)->tok);
        if (ms) emit(C, step1("compute_ms", ms), call->tok, call->etok);
        return none(call->tok);
    }
    if (!strcmp(name, "spawn_local")) return spawn(C, "spawn_local", call, 0);
    if (!strcmp(name, "spawn")) return spawn(C, "spawn", call, has_seg(path, "thread"));
    if (!strcmp(name, "block_on")) {
        if (!C->main_mode) return lfail(C, call->tok, "task::block_on inside the program is not supported by pinata: it runs one block_on, the one in fn main()"), bad();
        if (C->entry_fn) return lfail(C, call->tok, "a second task::block_on in main: pinata runs one (put the work in one async fn)"), bad();
        if (call->nkids != 1 || ND(C, call->kids)->kind != RN_CALL || ND(C, ND(C, call->kids)->a)->kind != RN_PATH)
            return lfail(C, call->tok, "expected task::block_on(f(args)) with f an async fn of the program"), bad();
        const rs_node *inner = ND(C, call->kids), *callee = user_fn(C, ND(C, inner->a)->name);
        if (!callee || !is_async_fn(callee)) return lfail(C, inner->tok, "expected task::block_on(f(args)) with f an async fn of the program"), bad();
        C->entry_args = call_args(C, inner, callee);
        C->entry_fn = callee->name;
        C->entry_tok = call->tok;
        return none(call->tok);
    }
    if (!strcmp(name, "drop")) {
        if (call->nkids != 1) return lfail(C, call->tok, "drop takes 1 argument"), bad();
        int k = call->kids;
        val v = expr(C, k);
        if (FAILED(C)) return bad();
        if (ND(C, k)->kind == RN_PATH) {
            bind *b = lookup(C, ND(C, k)->name);
            if (b && (b->v.k == V_GUARD || b->v.k == V_HANDLE || b->v.k == V_HANDLES)) {
                drop_val(C, b->v, call->tok, call->etok);
                b->v = none(call->tok); /* moved into drop */
            }
        } else if (v.fresh) drop_val(C, v, call->tok, call->etok);
        return none(call->tok);
    }
    if (!strcmp(path, "Mutex::new") || ends(path, "sync::Mutex::new")) {
        for (int k = call->kids; k >= 0; k = ND(C, k)->next) expr(C, k);
        val v = none(call->tok);
        v.k = V_MUTEX;
        return v;
    }
    static const char *const wrappers[] = {"Arc::new", "Rc::new", "Box::new", "Box::pin", "RefCell::new", "Cell::new",
                                           "Some", "Ok", "Err", "Arc::clone", "Rc::clone", "String::from", "Pin::new", NULL};
    for (int i = 0; wrappers[i]; i++)
        if (ends(path, wrappers[i])) {
            if (call->nkids != 1) return lfail(C, call->tok, "%s takes 1 argument", wrappers[i]), bad();
            return expr(C, call->kids);
        }
    static const char *const nothing[] = {"String::new", "Context::from_waker", "noop_waker", "noop_waker_ref", "Instant::now", NULL};
    for (int i = 0; nothing[i]; i++)
        if (ends(path, nothing[i])) {
            for (int k = call->kids; k >= 0; k = ND(C, k)->next) expr(C, k);
            return none(call->tok);
        }
    if (ends(path, "Vec::new") || ends(path, "Vec::with_capacity")) {
        val v = none(call->tok);
        v.k = V_VEC;
        return v;
    }
    return none(-1);
}

static val call(lc *C, const rs_node *n) {
    const rs_node *f = ND(C, n->a);
    if (f->kind != RN_PATH) return lfail(C, n->tok, "calling this expression is not supported by pinata: call a fn by its name"), bad();
    const rs_node *callee = user_fn(C, f->name);
    if (callee) {
        if (is_async_fn(callee)) return fn_future(C, n, callee);
        cJSON *args = call_args(C, n, callee);
        if (!args) return bad();
        cJSON *st = step1("call", cJSON_CreateString(callee->name));
        if (st) cJSON_AddItemToObject(st, "args", cJSON_Duplicate(args, 1));
        emit(C, st, n->tok, n->etok);
        return FAILED(C) ? bad() : none(n->tok);
    }
    val r = builtin(C, f->name, n);
    if (FAILED(C) || r.tok >= 0) return r;
    return lfail(C, n->tok, "cannot find function '%s': pinata knows the program's own fns and its built-ins "
                            "(docs/rust-subset.md); write work a slide leaves out as compute(Duration::from_millis(N))", f->name), bad();
}

/* ---------- methods ---------- */

static const char *const passthrough[] = {"to_string", "to_owned", "clone", "as_bytes", "as_str", "into", "unwrap",
                                          "expect", "iter", "into_iter", "as_ref", "as_mut", "borrow", "borrow_mut",
                                          "deref", "unwrap_or_default", "ok", "boxed", "boxed_local", "as_slice", NULL};
static const char *const nothing_methods[] = {"len", "is_empty", "push_str", "extend", "is_ok", "is_err", "count", NULL};

static int in(const char *const *list, const char *s) {
    for (int i = 0; list[i]; i++)
        if (!strcmp(list[i], s)) return 1;
    return 0;
}

/* REQUEST.with(|r| *r.borrow_mut() = v) sets, REQUEST.with(|r| r.borrow().clone()) gets. */
static int find_assign(lc *C, int e) {
    if (e < 0) return -1;
    const rs_node *x = ND(C, e);
    if (x->kind == RN_ASSIGN) return e;
    if (x->kind == RN_METHOD && (!strcmp(x->name, "set") || !strcmp(x->name, "replace")) && x->nkids == 1) return e;
    if (x->kind == RN_BLOCK) {
        for (int k = x->kids; k >= 0; k = ND(C, k)->next) {
            int r = ND(C, k)->kind == RN_EXPR ? find_assign(C, ND(C, k)->a) : -1;
            if (r >= 0) return r;
        }
        return find_assign(C, x->a);
    }
    return -1;
}

static val local_key(lc *C, val key, const rs_node *m) {
    const char *verb_set = key.task ? "task_local_set" : "thread_local_set";
    const char *verb_get = key.task ? "task_local_get" : "thread_local_get";
    int value = -1, is_set = 0;
    if (!strcmp(m->name, "with")) {
        if (m->nkids != 1 || ND(C, m->kids)->kind != RN_CLOSURE) return lfail(C, m->tok, "expected KEY.with(|v| ...)"), bad();
        int a = find_assign(C, ND(C, m->kids)->a);
        if (a >= 0) {
            is_set = 1;
            value = ND(C, a)->kind == RN_ASSIGN ? ND(C, a)->b : ND(C, a)->kids;
        }
    } else if (!strcmp(m->name, "set") || !strcmp(m->name, "replace")) {
        if (m->nkids != 1) return lfail(C, m->tok, "%s takes 1 argument", m->name), bad();
        is_set = 1;
        value = m->kids;
    } else if (strcmp(m->name, "get") && strcmp(m->name, "take")) {
        return lfail(C, m->tok, "no method '%s' on a thread_local!/task_local! key in pinata: expected with, set, get", m->name), bad();
    }
    cJSON *st = step1(is_set ? verb_set : verb_get, cJSON_CreateString(key.name));
    if (is_set) {
        val v = expr(C, value);
        cJSON *o = FAILED(C) ? NULL : operand(C, v, "a thread-local's value");
        if (!o) { cJSON_Delete(st); return bad(); }
        cJSON_AddItemToObject(st, "value", o);
    }
    emit(C, st, m->tok, m->etok);
    return none(m->tok);
}

/* write_all(x): the bytes of x. */
static cJSON *write_fields(lc *C, const rs_node *m) {
    if (m->nkids != 1) return lfail(C, m->tok, "write_all takes 1 argument"), NULL;
    val b = expr(C, m->kids);
    if (FAILED(C)) return NULL;
    cJSON *f = cJSON_CreateObject();
    if (b.k == V_REQUEST) cJSON_AddItemToObject(f, "request_path", cJSON_Duplicate(b.j, 1));
    else if (b.k == V_BYTES) cJSON_AddNumberToObject(f, "bytes", b.n);
    else if (b.k == V_OPER && cJSON_IsString(b.j) && b.j->valuestring[0] != '$') cJSON_AddNumberToObject(f, "bytes", (double)strlen(b.j->valuestring));
    else {
        cJSON_Delete(f);
        return lfail(C, ND(C, m->kids)->tok, "write_all needs bytes pinata can count: a string or byte string literal, a buffer [0u8; N], "
                                              "or the request format!(\"GET {} HTTP/1.1\\r\\nHost: {}\\r\\n\\r\\n\", path, host)"), NULL;
    }
    return f;
}

static val socket_method(lc *C, const rs_node *m) {
    const char *name = m->name;
    if (!strcmp(name, "write_all")) {
        cJSON *f = write_fields(C, m);
        return f ? io(C, "write_all", f, m) : bad();
    }
    if (!strcmp(name, "read_to_string") || !strcmp(name, "read_to_end")) {
        for (int k = m->kids; k >= 0; k = ND(C, k)->next) expr(C, k);
        return io(C, "read_to_string", NULL, m);
    }
    if (!strcmp(name, "read")) {
        if (m->nkids != 1) return lfail(C, m->tok, "read takes 1 argument: a buffer"), bad();
        val b = expr(C, m->kids);
        if (FAILED(C)) return bad();
        if (b.k != V_BYTES || b.n < 1) return lfail(C, ND(C, m->kids)->tok, "read needs a buffer of a size pinata can know: [0u8; N] or vec![0u8; N]"), bad();
        cJSON *f = cJSON_CreateObject();
        cJSON_AddNumberToObject(f, "bytes", b.n);
        return io(C, "read", f, m);
    }
    if (!strcmp(name, "shutdown")) {
        for (int k = m->kids; k >= 0; k = ND(C, k)->next) expr(C, k);
        emit(C, step1("shutdown", cJSON_CreateString("write")), m->tok, m->etok);
        return none(m->tok);
    }
    if (in(passthrough, name)) { val v = none(m->tok); v.k = V_SOCKET; return v; }
    return lfail(C, m->tok, "no method '%s' on a TcpStream in pinata: expected write_all, read_to_string, read, shutdown", name), bad();
}

static val vec_push(lc *C, const rs_node *m, val vec) {
    if (m->nkids != 1) return lfail(C, m->tok, "push takes 1 argument"), bad();
    val x = expr(C, m->kids);
    if (FAILED(C)) return bad();
    if (x.k != V_HANDLE) return none(m->tok); /* results.push(..): nothing the simulation sees */
    const rs_node *r = ND(C, m->a);
    bind *b = r->kind == RN_PATH ? lookup(C, r->name) : NULL;
    if (!b) return lfail(C, m->tok, "push a JoinHandle into a Vec variable (let mut handles = vec![])"), bad();
    hgroup *h = &C->groups[x.grp];
    if (vec.k == V_VEC) {
        b->v.k = V_HANDLES;
        b->v.grp = new_group(C, NULL, m->tok);
        if (FAILED(C)) return bad();
        h = &C->groups[x.grp];
    }
    hgroup *g = &C->groups[b->v.grp];
    for (int i = 0; i < h->nspawns && g->nspawns < MAX_GROUP_SPAWNS; i++) g->spawns[g->nspawns++] = h->spawns[i];
    h->moved = 1;
    return none(m->tok);
}

static val await_val(lc *C, val v, int tok, int etok);

static val method(lc *C, const rs_node *m) {
    const rs_node *r = ND(C, m->a);
    val rv = expr(C, m->a);
    if (FAILED(C)) return bad();
    const char *name = m->name;
    switch (rv.k) {
    case V_KEY: return local_key(C, rv, m);
    case V_SOCKET: return socket_method(C, m);
    case V_LISTENER:
        if (!strcmp(name, "incoming")) { val v = none(m->tok); v.k = V_INCOMING; return v; }
        if (!strcmp(name, "accept")) return io(C, "accept", NULL, m);
        break;
    case V_INCOMING:
        if (!strcmp(name, "next")) return io(C, "accept", NULL, m);
        break;
    case V_MUTEX:
        if (!strcmp(name, "lock")) {
            cJSON *f = cJSON_CreateObject();
            cJSON_AddStringToObject(f, "mutex", rv.name ? rv.name : "mutex");
            return leaf(C, "lock", f, m->tok);
        }
        if (!strcmp(name, "clone")) return rv;
        break;
    case V_FUTURE:
        if (!strcmp(name, "fuse")) { C->futs[rv.fut].fuse = 1; return rv; }
        if (!strcmp(name, "poll")) { /* a manual poll: legal only after the await just before it (S8) */
            fut *f = &C->futs[rv.fut];
            int nsteps = cJSON_GetArraySize(C->out);
            if (!f->await_step || cJSON_GetArrayItem(C->out, nsteps - 1) != f->await_step)
                return lfail(C, m->tok, "a manual poll is supported right after this future's .await (pinata polls the finished future once more)"), bad();
            for (int k = m->kids; k >= 0; k = ND(C, k)->next) expr(C, k);
            emit(C, step1("poll_again", cJSON_CreateTrue()), m->tok, m->etok);
            return none(m->tok);
        }
        if (in(passthrough, name)) return rv;
        break;
    case V_HANDLE:
    case V_HANDLE_ALL:
        if (!strcmp(name, "join")) { /* std::thread::JoinHandle::join blocks */
            int saved = C->async_ctx;
            C->async_ctx = 0;
            val out = await_val(C, rv, m->tok, m->etok);
            C->async_ctx = saved;
            return out;
        }
        break;
    case V_GUARD: /* a method of the data the lock protects: nothing the simulation sees */
        for (int k = m->kids; k >= 0; k = ND(C, k)->next) statement_end(C, expr(C, k), m->tok, m->etok);
        return FAILED(C) ? bad() : none(m->tok);
    case V_VEC:
    case V_HANDLES:
        if (!strcmp(name, "push")) return vec_push(C, m, rv);
        if (in(passthrough, name) || !strcmp(name, "drain")) return rv;
        break;
    default:
        if (in(passthrough, name)) return rv;
        if (in(nothing_methods, name) || !strcmp(name, "push")) {
            for (int k = m->kids; k >= 0; k = ND(C, k)->next) expr(C, k);
            return none(m->tok);
        }
        break;
    }
    (void)r;
    if (in(passthrough, name)) return rv; /* .unwrap(), .clone(), ...: the same value */
    if (in(nothing_methods, name)) { /* .len(), ...: a value the simulation does not see */
        for (int k = m->kids; k >= 0; k = ND(C, k)->next) expr(C, k);
        return FAILED(C) ? bad() : none(m->tok);
    }
    return lfail(C, m->tok, "no method '%s' pinata knows on this value (docs/rust-subset.md lists the built-ins)", name), bad();
}

/* ---------- .await ---------- */

static val await_val(lc *C, val v, int tok, int etok) {
    const char *verb = C->async_ctx ? "await" : "blocking";
    if (v.k == V_FUTURE) {
        fut *f = &C->futs[v.fut];
        if (f->used) return lfail(C, tok, "this future was already awaited or spawned"), bad();
        f->used = 1;
        if (f->k == F_BIND) { val l = none(tok); l.k = V_LISTENER; return l; }
        cJSON *st = f->k == F_LEAF ? cJSON_Duplicate(f->fields, 1) : cJSON_CreateObject();
        if (st) cJSON_AddItemToObject(st, verb, cJSON_CreateString(f->k == F_LEAF ? f->leaf : f->fn));
        if (st && f->k == F_FN) cJSON_AddItemToObject(st, "args", cJSON_Duplicate(f->args, 1));
        if (st && f->fuse) cJSON_AddTrueToObject(st, "fuse");
        st = emit(C, st, tok, etok);
        C->futs[v.fut].await_step = st;
        val r = none(tok);
        if (f->k == F_LEAF && (!strcmp(f->leaf, "connect") || !strcmp(f->leaf, "accept"))) r.k = V_SOCKET;
        if (f->k == F_LEAF && !strcmp(f->leaf, "lock")) {
            r.k = V_GUARD;
            r.name = cJSON_GetObjectItem(f->fields, "mutex")->valuestring;
            r.fresh = 1;
        }
        return FAILED(C) ? bad() : r;
    }
    if (v.k == V_HANDLE || v.k == V_HANDLE_ALL) {
        hgroup *h = &C->groups[v.grp];
        if (h->joined || h->detached) return lfail(C, tok, "this JoinHandle was already awaited"), bad();
        if (check_join(C, v.grp, v.k == V_HANDLE_ALL, tok)) return bad();
        emit(C, step1(verb, cJSON_CreateString(v.k == V_HANDLE_ALL ? "join_all" : "join")), tok, etok);
        if (v.k == V_HANDLE) h->joined = 1;
        return none(tok);
    }
    return lfail(C, tok, "'.await' needs a future pinata knows: a call of an async fn, a JoinHandle, or a built-in "
                         "(connect, write_all, read_to_string, read, sleep, yield_now, accept, lock)"), bad();
}

static val await_expr(lc *C, const rs_node *n) {
    if (!C->async_ctx)
        return lfail(C, n->tok, "'.await' is only allowed inside async functions and blocks"), bad();
    val v = expr(C, n->a);
    if (FAILED(C)) return bad();
    return await_val(C, v, n->tok, n->etok);
}

/* ---------- macros ---------- */

static val macro(lc *C, const rs_node *m) {
    const char *name = m->name;
    if (!strcmp(name, "vec")) {
        if (m->flags & RS_REPEAT) {
            val n = expr(C, ND(C, m->kids)->next);
            if (FAILED(C)) return bad();
            if (n.k != V_OPER || !cJSON_IsNumber(n.j)) return lfail(C, ND(C, ND(C, m->kids)->next)->tok, "expected the buffer's length as a number"), bad();
            val v = none(m->tok);
            v.k = V_BYTES;
            v.n = n.j->valuedouble;
            return v;
        }
        if (m->nkids == 0) { val v = none(m->tok); v.k = V_VEC; return v; }
        return aggregate(C, m, 0);
    }
    if (!strcmp(name, "format")) {
        const rs_node *f = m->kids >= 0 ? ND(C, m->kids) : NULL;
        int args[8], na = 0;
        for (int k = f ? f->next : -1; k >= 0 && na < 8; k = ND(C, k)->next) args[na++] = k;
        if (f && f->kind == RN_STR && !strcmp(f->name, "GET {} HTTP/1.1\r\nHost: {}\r\n\r\n") && na == 2) {
            val p = expr(C, args[0]);
            expr(C, args[1]);
            if (FAILED(C)) return bad();
            if (p.k != V_OPER) return lfail(C, ND(C, args[0])->tok, "expected the request's path"), bad();
            val v = none(m->tok);
            v.k = V_REQUEST;
            v.j = p.j;
            return v;
        }
        for (int k = m->kids; k >= 0; k = ND(C, k)->next) expr(C, k);
        return none(m->tok);
    }
    if (!strcmp(name, "pin") || !strcmp(name, "std::pin::pin") || !strcmp(name, "futures::pin_mut")) {
        if (m->nkids != 1) return lfail(C, m->tok, "pin! takes 1 argument"), bad();
        return expr(C, m->kids);
    }
    static const char *const quiet[] = {"println", "print", "eprintln", "eprint", "assert", "assert_eq", "assert_ne",
                                        "debug_assert", "dbg", NULL};
    if (in(quiet, name)) {
        for (int k = m->kids; k >= 0; k = ND(C, k)->next) expr(C, k);
        return none(m->tok);
    }
    return lfail(C, m->tok, "the macro '%s!' is not supported by pinata (supported: vec!, format!, pin!, println!, "
                            "thread_local!, task_local!)", name), bad();
}

/* ---------- expressions ---------- */

static val path_val(lc *C, const rs_node *e) {
    bind *b = lookup(C, e->name);
    if (b) { val v = b->v; v.fresh = 0; v.tok = e->tok; return v; }
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(C->doc, "params");
    if (params && cJSON_GetObjectItemCaseSensitive(params, e->name)) {
        char buf[160];
        snprintf(buf, sizeof buf, "$%s", e->name);
        val v = oper(C, cJSON_CreateString(buf), e->tok);
        v.fresh = 0;
        return v;
    }
    for (int k = C->p->items; k >= 0; k = ND(C, k)->next) {
        const rs_node *it = ND(C, k);
        if (it->kind == RN_LOCALKEY && !strcmp(it->name, e->name)) {
            val v = none(e->tok);
            v.k = V_KEY;
            v.name = it->name;
            v.task = (it->flags & RS_TASK_LOCAL) != 0;
            return v;
        }
        if (it->kind == RN_IMPLFUT && !strcmp(it->name, e->name)) {
            if (it->flags & RS_WAKES)
                return lfail(C, e->tok, "a hand-written future that wakes its task is not supported by pinata (task::yield_now() is one)"), bad();
            return io(C, "drop_waker", NULL, e); /* Pending, and the waker dropped: a lost wake-up */
        }
        if (it->kind == RN_CONST && !strcmp(it->name, e->name)) {
            if (C->scope > 1000) break; /* a const defined by itself */
            C->scope += 1000;
            val v = expr(C, it->a);
            C->scope -= 1000;
            if (!FAILED(C) && v.k != V_OPER && v.k != V_DURATION)
                return lfail(C, it->tok, "a const is supported when it is a literal (a number, a string, a list)"), bad();
            return v;
        }
    }
    if (strstr(e->name, "::")) return none(e->tok); /* net::Shutdown::Write, ...: nothing the simulation sees */
    return lfail(C, e->tok, "cannot find value '%s' in this scope", e->name), bad();
}

static val literal(lc *C, const rs_node *e) {
    switch (e->kind) {
    case RN_INT: case RN_FLOAT: return oper(C, cJSON_CreateNumber(e->num), e->tok);
    case RN_BOOL: return oper(C, cJSON_CreateBool(e->num != 0), e->tok);
    case RN_STR:
        if (str_ok(C, e)) return bad();
        return oper(C, cJSON_CreateString(e->name), e->tok);
    case RN_BSTR: { val v = none(e->tok); v.k = V_BYTES; v.n = (double)e->nlen; return v; }
    default: return none(e->tok);
    }
}

static val expr_inner(lc *C, const rs_node *e) {
    switch (e->kind) {
    case RN_INT: case RN_FLOAT: case RN_BOOL: case RN_STR: case RN_BSTR: case RN_CHAR: case RN_UNIT: return literal(C, e);
    case RN_PATH: return path_val(C, e);
    case RN_CALL: return call(C, e);
    case RN_METHOD: return method(C, e);
    case RN_FIELD: {
        val r = expr(C, e->a);
        if (FAILED(C)) return bad();
        if (r.k == V_OPER && cJSON_IsObject(r.j) && cJSON_GetObjectItem(r.j, e->name)) {
            val v = oper(C, cJSON_Duplicate(cJSON_GetObjectItem(r.j, e->name), 1), e->tok);
            return v;
        }
        if (r.k == V_OPER && cJSON_IsString(r.j) && r.j->valuestring[0] == '$' && !strchr(r.j->valuestring, '.')) {
            char buf[200];
            snprintf(buf, sizeof buf, "%s.%s", r.j->valuestring, e->name);
            return oper(C, cJSON_CreateString(buf), e->tok);
        }
        if (r.k == V_NONE) return none(e->tok);
        return lfail(C, e->tok, "the field '%s' of this value is not supported by pinata", e->name), bad();
    }
    case RN_AWAIT: return await_expr(C, e);
    case RN_TRY: case RN_REF: return expr(C, e->a);
    case RN_UNARY: {
        val v = expr(C, e->a);
        if (FAILED(C)) return bad();
        if (!strcmp(e->name, "-") && v.k == V_OPER && cJSON_IsNumber(v.j)) return oper(C, cJSON_CreateNumber(-v.j->valuedouble), e->tok);
        return none(e->tok);
    }
    case RN_BINARY: case RN_ASSIGN: {
        val a = expr(C, e->a), b = e->b >= 0 ? expr(C, e->b) : none(e->tok);
        if (!FAILED(C) && a.fresh) statement_end(C, a, e->tok, e->etok);
        if (!FAILED(C) && b.fresh) statement_end(C, b, e->tok, e->etok);
        return FAILED(C) ? bad() : none(e->tok);
    }
    case RN_RANGE: return lfail(C, e->tok, "a range is supported as a for loop's count: for i in 0..n"), bad();
    case RN_TUPLE: return aggregate(C, e, 1);
    case RN_ARRAY: return aggregate(C, e, 0);
    case RN_REPEAT: {
        val n = expr(C, e->b);
        if (FAILED(C)) return bad();
        if (n.k != V_OPER || !cJSON_IsNumber(n.j)) return lfail(C, ND(C, e->b)->tok, "expected the buffer's length as a number"), bad();
        val v = none(e->tok);
        v.k = V_BYTES;
        v.n = n.j->valuedouble;
        return v;
    }
    case RN_MACRO: return macro(C, e);
    case RN_BLOCK: {
        val tail = none(e->tok);
        C->scope++;
        block_stmts(C, (int)(e - C->p->nodes), &tail);
        pop_scope(C, e->etok);
        return FAILED(C) ? bad() : tail;
    }
    case RN_ASYNC:
        return lfail(C, e->tok, "an async block is supported as a spawned task (task::spawn(async move { f(args).await })) "
                                "or as the value of a fn -> impl Future"), bad();
    case RN_CLOSURE:
        return lfail(C, e->tok, "a closure is supported in thread::spawn(move || f(args)) and KEY.with(|v| ...)"), bad();
    default: return lfail(C, e->tok, "expected an expression"), bad();
    }
}

static val expr(lc *C, int n) {
    if (FAILED(C) || n < 0) return bad();
    return expr_inner(C, ND(C, n));
}

/* ---------- statements ---------- */

/* The end of an expression statement: its temporaries are dropped. */
static void statement_end(lc *C, val v, int tok, int etok) {
    if (FAILED(C) || !v.fresh) return;
    drop_val(C, v, tok, etok);
}

static int bind_pattern(lc *C, int pat, val v, int fresh_tok) {
    const rs_node *p = ND(C, pat);
    switch (p->kind) {
    case RN_PIDENT: return bind_name(C, p->name, v, p->tok);
    case RN_PWILD: statement_end(C, v, fresh_tok, fresh_tok); return FAILED(C) ? -1 : 0;
    case RN_PENUM: /* Some(x), Ok(x): the value inside */
        if (p->nkids != 1) return lfail(C, p->tok, "expected one name inside %s(..)", p->name);
        return bind_pattern(C, p->kids, v, fresh_tok);
    case RN_PTUPLE: {
        int i = 0;
        for (int k = p->kids; k >= 0; k = ND(C, k)->next, i++) {
            val e = none(ND(C, k)->tok);
            char key[16];
            snprintf(key, sizeof key, "%d", i);
            if (v.k == V_OPER && cJSON_IsObject(v.j) && cJSON_GetObjectItem(v.j, key)) {
                e = oper(C, cJSON_Duplicate(cJSON_GetObjectItem(v.j, key), 1), ND(C, k)->tok);
            } else if (v.k == V_OPER && cJSON_IsString(v.j) && v.j->valuestring[0] == '$' && !strchr(v.j->valuestring, '.')) {
                char buf[200];
                snprintf(buf, sizeof buf, "%s.%s", v.j->valuestring, key);
                e = oper(C, cJSON_CreateString(buf), ND(C, k)->tok);
            } else if (v.k == V_SOCKET && i == 0) {
                e = v; /* let (socket, addr) = listener.accept().await? */
            } else if (v.k != V_NONE && v.k != V_SOCKET) {
                return lfail(C, p->tok, "taking this value apart with a tuple pattern is not supported by pinata");
            }
            if (bind_pattern(C, k, e, fresh_tok)) return -1;
        }
        return 0;
    }
    default: return lfail(C, p->tok, "expected a pattern");
    }
}

/* A hidden loop variable for a tuple pattern: "#1", "#2", ... (no Rust name can clash). */
static const char *hidden_name(lc *C) {
    char buf[16];
    snprintf(buf, sizeof buf, "#%d", ++C->hidden);
    cJSON *s = junk(C, cJSON_CreateString(buf));
    return s ? s->valuestring : "#";
}

/* Lowers a loop body into a new list; returns it (owned by the caller). */
static cJSON *body_list(lc *C, int blk, cJSON *first) {
    cJSON *saved = C->out, *list = cJSON_CreateArray();
    if (!list) { cJSON_Delete(first); lfail(C, ND(C, blk)->tok, "out of memory"); return NULL; }
    if (first) cJSON_AddItemToArray(list, first);
    C->out = list;
    val tail = none(ND(C, blk)->tok);
    C->scope++;
    block_stmts(C, blk, &tail);
    statement_end(C, tail, ND(C, blk)->etok, ND(C, blk)->etok);
    pop_scope(C, ND(C, blk)->etok);
    C->out = saved;
    return list;
}

/* for h in handles { h.await; }: one join_all (pinata's JoinHandles are joined in order). */
static int for_handles(lc *C, const rs_node *s, val vec) {
    val all = vec;
    all.k = V_HANDLE_ALL;
    const rs_node *pat = ND(C, s->a);
    if (pat->kind != RN_PIDENT) return lfail(C, pat->tok, "expected one name for the JoinHandle");
    C->scope++;
    bind_name(C, pat->name, all, pat->tok);
    cJSON *list = body_list(C, s->c, NULL);
    C->scope--;
    C->nbinds--;
    if (!list) return -1;
    int n = cJSON_GetArraySize(list);
    cJSON *j = n == 1 ? cJSON_GetArrayItem(list, 0) : NULL;
    const char *v = j ? (cJSON_GetObjectItem(j, "await") ? cJSON_GetObjectItem(j, "await")->valuestring
                         : cJSON_GetObjectItem(j, "blocking") ? cJSON_GetObjectItem(j, "blocking")->valuestring : "") : "";
    if (!FAILED(C) && strcmp(v, "join_all")) {
        cJSON_Delete(list);
        return lfail(C, s->tok, "a loop over JoinHandles may only await each handle (h.await or h.join()): pinata joins them all in one step");
    }
    if (j) cJSON_AddItemToArray(C->out, cJSON_DetachItemFromArray(list, 0));
    cJSON_Delete(list);
    if (!FAILED(C)) C->groups[vec.grp].joined = 1;
    return FAILED(C) ? -1 : 0;
}

/* An accept loop runs once per client of network.listener (then the program would wait forever). */
static cJSON *clients(lc *C, int tok) {
    const cJSON *net = cJSON_GetObjectItemCaseSensitive(C->doc, "network");
    const cJSON *l = cJSON_IsObject(net) ? cJSON_GetObjectItemCaseSensitive(net, "listener") : NULL;
    const cJSON *n = cJSON_IsObject(l) ? cJSON_GetObjectItemCaseSensitive(l, "clients") : NULL;
    if (!n) { lfail(C, tok, "an accept loop needs the clients that connect: expected network.listener.clients in the scenario"); return NULL; }
    return cJSON_Duplicate(n, 1);
}

static int loop_step(lc *C, const rs_node *s, cJSON *count, const char *as, cJSON *body, int etok) {
    cJSON *st = step1("for", count);
    if (!st) { cJSON_Delete(body); return lfail(C, s->tok, "out of memory"); }
    cJSON_AddStringToObject(st, "as", as);
    cJSON_AddItemToObject(st, "body", body);
    return emit(C, st, s->tok, etok) ? 0 : -1;
}

static int for_stmt(lc *C, const rs_node *s) {
    const rs_node *it = ND(C, s->b), *pat = ND(C, s->a);
    cJSON *count = NULL;
    int etok = it->etok;
    if (it->kind == RN_RANGE) {
        if (it->a >= 0) {
            val from = expr(C, it->a);
            if (!FAILED(C) && (from.k != V_OPER || !cJSON_IsNumber(from.j) || from.j->valuedouble != 0))
                return lfail(C, it->tok, "a range in pinata starts at 0: for i in 0..n");
        }
        if (it->b < 0) return lfail(C, it->tok, "expected the end of the range: for i in 0..n");
        val to = expr(C, it->b);
        if (FAILED(C)) return -1;
        if (to.k != V_OPER) return lfail(C, ND(C, it->b)->tok, "expected a count (a number or a parameter)");
        count = cJSON_Duplicate(to.j, 1);
    } else {
        val v = expr(C, s->b);
        if (FAILED(C)) return -1;
        if (v.k == V_HANDLES) return for_handles(C, s, v);
        if (v.k == V_INCOMING) {
            count = clients(C, it->tok);
            if (!count) return -1;
            cJSON *acc = step1(C->async_ctx ? "await" : "blocking", cJSON_CreateString("accept"));
            const rs_tok *a = &C->t[it->tok], *b = &C->t[it->etok];
            cJSON_AddNumberToObject(acc, "line", a->line);
            cJSON_AddNumberToObject(acc, "col", a->col);
            if (b->eline == a->line) cJSON_AddNumberToObject(acc, "end_col", b->ecol);
            C->scope++;
            bind_pattern(C, s->a, (val){.k = V_SOCKET, .fut = -1, .grp = -1, .tok = pat->tok}, pat->tok);
            cJSON *body = FAILED(C) ? NULL : body_list(C, s->c, acc);
            pop_scope(C, ND(C, s->c)->etok);
            return body ? loop_step(C, s, count, "#accept", body, etok) : (cJSON_Delete(count), -1);
        }
        if (v.k == V_VEC) return lfail(C, it->tok, "a loop over a Vec whose contents pinata does not know: loop over a list literal or a parameter");
        if (v.k != V_OPER || v.vars || (!cJSON_IsArray(v.j) && !(cJSON_IsString(v.j) && v.j->valuestring[0] == '$')))
            return lfail(C, it->tok, "a for loop in pinata runs over a list (vec![..], a parameter) or a range 0..n");
        count = cJSON_Duplicate(v.j, 1);
    }
    const char *as = pat->kind == RN_PIDENT ? pat->name : hidden_name(C);
    char buf[160];
    snprintf(buf, sizeof buf, "$%s", as);
    C->scope++;
    bind_pattern(C, s->a, oper(C, cJSON_CreateString(buf), pat->tok), pat->tok);
    cJSON *body = FAILED(C) ? NULL : body_list(C, s->c, NULL);
    pop_scope(C, ND(C, s->c)->etok);
    if (!body) { cJSON_Delete(count); return -1; }
    return loop_step(C, s, count, as, body, etok);
}

/* while let Some(socket) = incoming.next().await { .. }: an accept per client. */
static int while_let(lc *C, const rs_node *s) {
    const rs_node *x = ND(C, s->b);
    int inner = x->kind == RN_AWAIT ? x->a : s->b;
    const rs_node *m = ND(C, inner);
    if (m->kind != RN_METHOD || strcmp(m->name, "next"))
        return lfail(C, x->tok, "while let in pinata is an accept loop: while let Some(stream) = incoming.next().await { .. }");
    val in = expr(C, m->a);
    if (FAILED(C)) return -1;
    if (in.k != V_INCOMING) return lfail(C, m->tok, "while let in pinata is an accept loop over listener.incoming()");
    if (x->kind == RN_AWAIT && !C->async_ctx) return lfail(C, x->tok, "'.await' is only allowed inside async functions and blocks");
    cJSON *count = clients(C, x->tok);
    if (!count) return -1;
    cJSON *acc = step1(C->async_ctx ? "await" : "blocking", cJSON_CreateString("accept"));
    const rs_tok *a = &C->t[x->tok], *b = &C->t[x->etok];
    cJSON_AddNumberToObject(acc, "line", a->line);
    cJSON_AddNumberToObject(acc, "col", a->col);
    if (b->eline == a->line) cJSON_AddNumberToObject(acc, "end_col", b->ecol);
    C->scope++;
    bind_pattern(C, s->a, (val){.k = V_SOCKET, .fut = -1, .grp = -1, .tok = s->tok}, s->tok);
    cJSON *body = FAILED(C) ? (cJSON_Delete(acc), NULL) : body_list(C, s->c, acc);
    pop_scope(C, ND(C, s->c)->etok);
    if (!body) { cJSON_Delete(count); return -1; }
    return loop_step(C, s, count, "#accept", body, x->etok);
}

/* One "..." of a note directive (\" and \\ escaped) into out; the text after it, or NULL. */
static const char *quoted(const char *p, char *out, size_t cap) {
    size_t n = 0;
    if (*p++ != '"') return NULL;
    for (; *p && *p != '"'; p++) {
        if (*p == '\\' && (p[1] == '"' || p[1] == '\\')) p++;
        if (n + 1 < cap) out[n++] = *p;
    }
    out[n] = 0;
    if (*p != '"') return NULL;
    for (p++; *p == ' ' || *p == '\t'; p++) {}
    return p;
}

/* // pinata: note "English" "한국어" — the note and its Korean on one line. */
static int quoted_note(lc *C, const rs_node *d, const char *t) {
    char en[512], ko[512];
    const char *rest = quoted(t, en, sizeof en);
    ko[0] = 0;
    if (rest && *rest) rest = quoted(rest, ko, sizeof ko);
    if (!rest || *rest) return lfail(C, d->tok, "expected '// pinata: note \"text\"' or '// pinata: note \"text\" \"Korean text\"'");
    cJSON *st = step1("note", cJSON_CreateString(en));
    if (st && ko[0]) cJSON_AddStringToObject(st, "note_ko", ko);
    return emit(C, st, d->tok, d->tok) ? 0 : -1;
}

/* "// pinata: compute 3 ms", "// pinata: note TEXT", "// pinata: note_ko TEXT". */
static int directive(lc *C, const rs_node *d) {
    const char *t = d->name;
    if (!strncmp(t, "compute", 7) && (t[7] == ' ' || t[7] == '\t')) {
        char *end;
        double ms = strtod(t + 8, &end);
        while (*end == ' ') end++;
        if (end == t + 8 || !(ms >= 0) || (*end && strcmp(end, "ms")))
            return lfail(C, d->tok, "expected '// pinata: compute N ms' (N milliseconds of CPU)");
        return emit(C, step1("compute_ms", cJSON_CreateNumber(ms)), d->tok, d->tok) ? 0 : -1;
    }
    if (!strncmp(t, "note_ko ", 8)) {
        cJSON *last = cJSON_GetArrayItem(C->out, cJSON_GetArraySize(C->out) - 1);
        if (!last || !cJSON_GetObjectItem(last, "note") || cJSON_GetObjectItem(last, "note_ko"))
            return lfail(C, d->tok, "'// pinata: note_ko' gives the Korean of the note just before it: expected a '// pinata: note' first");
        cJSON_AddStringToObject(last, "note_ko", t + 8);
        return 0;
    }
    if (!strncmp(t, "note ", 5) && t[5] == '"') return quoted_note(C, d, t + 5);
    if (!strncmp(t, "note ", 5)) return emit(C, step1("note", cJSON_CreateString(t + 5)), d->tok, d->tok) ? 0 : -1;
    return lfail(C, d->tok, "unknown '// pinata:' comment: expected 'compute N ms', 'note TEXT' or 'note_ko TEXT'");
}

static int statement(lc *C, int sn) {
    const rs_node *s = ND(C, sn);
    switch (s->kind) {
    case RN_LET: {
        val v = s->b >= 0 ? expr(C, s->b) : none(s->tok);
        if (FAILED(C)) return -1;
        return bind_pattern(C, s->a, v, s->etok);
    }
    case RN_EXPR: {
        val v = expr(C, s->a);
        statement_end(C, v, s->etok, s->etok);
        return FAILED(C) ? -1 : 0;
    }
    case RN_FOR: return for_stmt(C, s);
    case RN_WHILE_LET: return while_let(C, s);
    case RN_DIRECTIVE: return directive(C, s);
    default: return lfail(C, s->tok, "expected a statement");
    }
}

/* The statements of block b, in the current scope; *tail gets the value of its last expression. */
static int block_stmts(lc *C, int b, val *tail) {
    const rs_node *blk = ND(C, b);
    for (int k = blk->kids; k >= 0 && !FAILED(C); k = ND(C, k)->next) statement(C, k);
    if (!FAILED(C) && blk->a >= 0) *tail = expr(C, blk->a);
    return FAILED(C) ? -1 : 0;
}

/* ---------- functions ---------- */

static void reset_fn(lc *C, const rs_node *f) {
    C->fn = f;
    C->nbinds = 0;
    C->scope = 0;
    C->nfuts = 0;
    C->ngroups = 0;
    C->hidden = 0;
    C->main_mode = 0;
}

static const char *mutex_of(lc *C, const rs_node *f, int i, const char *param) {
    for (int m = 0; m < C->nmps; m++)
        if (!strcmp(C->mps[m].fn, f->name) && C->mps[m].i == i) return C->mps[m].mutex;
    return param;
}

static cJSON *params(lc *C, const rs_node *f) {
    cJSON *ps = cJSON_CreateArray();
    int i = 0;
    for (int k = f->kids; k >= 0 && !FAILED(C); k = ND(C, k)->next, i++) {
        const rs_node *p = ND(C, k);
        const char *name = p->kind == RN_PIDENT ? p->name : NULL;
        char hidden[16];
        if (!name) {
            if (p->kind != RN_PWILD) { lfail(C, p->tok, "expected a parameter name (patterns in parameters are not supported by pinata)"); break; }
            snprintf(hidden, sizeof hidden, "_%d", i);
            name = junk(C, cJSON_CreateString(hidden))->valuestring;
        }
        val v = none(p->tok);
        if (p->flags & RS_TY_STREAM) {
            v.k = V_SOCKET;
            cJSON_AddItemToArray(ps, cJSON_CreateString("socket")); /* a scenario's socket parameter */
        } else {
            cJSON_AddItemToArray(ps, cJSON_CreateString(name));
            if (p->flags & RS_TY_MUTEX) {
                v.k = V_MUTEX;
                v.name = mutex_of(C, f, i, name);
            } else if (p->flags & RS_TY_LISTENER) {
                v.k = V_LISTENER;
            } else {
                char buf[160];
                snprintf(buf, sizeof buf, "$%s", name);
                v = oper(C, cJSON_CreateString(buf), p->tok);
            }
        }
        bind_name(C, name, v, p->tok);
    }
    return ps;
}

static cJSON *fn_json(lc *C, const rs_node *f) {
    cJSON *j = cJSON_CreateObject(), *body = cJSON_CreateArray();
    cJSON_AddItemToObject(j, "params", params(C, f));
    cJSON_AddNumberToObject(j, "line", C->t[f->tok].line);
    cJSON_AddNumberToObject(j, "col", C->t[f->tok].col);
    C->scope = 1;
    const rs_node *b = ND(C, f->a);
    int async_body = -1;
    if ((f->flags & RS_RET_FUTURE) && !(f->flags & RS_ASYNC)) { /* fn -> impl Future: work at call time, then async move { } */
        if (b->a < 0 || ND(C, b->a)->kind != RN_ASYNC) {
            lfail(C, b->etok, "a fn -> impl Future must end with the async block it returns: async move { ... }");
            return j;
        }
        async_body = ND(C, b->a)->a;
        cJSON *ct = cJSON_CreateArray();
        C->out = ct;
        C->async_ctx = 0;
        for (int k = b->kids; k >= 0 && !FAILED(C); k = ND(C, k)->next) statement(C, k);
        if (cJSON_GetArraySize(ct)) cJSON_AddItemToObject(j, "call_time", ct);
        else cJSON_Delete(ct);
    }
    C->out = body;
    C->async_ctx = (f->flags & (RS_ASYNC | RS_RET_FUTURE)) != 0;
    int blk = async_body >= 0 ? async_body : f->a;
    val tail = none(ND(C, blk)->tok);
    C->scope = 2;
    block_stmts(C, blk, &tail);
    statement_end(C, tail, ND(C, blk)->etok, ND(C, blk)->etok);
    pop_scope(C, ND(C, blk)->etok);
    C->scope = 1;
    pop_scope(C, ND(C, f->a)->etok);
    cJSON_AddItemToObject(j, "body", body);
    return j;
}

/* fn main() { task::block_on(f(args)) }: the entry is f; main itself is no task. */
static int main_block_on(lc *C, const rs_node *f) {
    C->main_mode = 1;
    C->out = junk(C, cJSON_CreateArray());
    C->async_ctx = 0;
    C->scope = 1;
    val tail = none(f->tok);
    block_stmts(C, f->a, &tail);
    statement_end(C, tail, f->etok, f->etok);
    C->main_mode = 0;
    if (FAILED(C)) return -1;
    if (f->nkids) return lfail(C, f->tok, "fn main() takes no parameters");
    return 0;
}

static int uses_block_on(lc *C, const rs_node *f) {
    for (int i = f->tok; i <= f->etok; i++)
        if (C->t[i].kind == RT_IDENT && !strcmp(C->t[i].text, "block_on")) return 1;
    return 0;
}

static int unique_names(lc *C) {
    for (int a = C->p->items; a >= 0; a = ND(C, a)->next)
        for (int b = ND(C, a)->next; b >= 0; b = ND(C, b)->next)
            if (!strcmp(ND(C, a)->name, ND(C, b)->name) && ND(C, a)->kind != RN_IMPLFUT && ND(C, b)->kind != RN_IMPLFUT)
                return lfail(C, ND(C, b)->tok, "the name '%s' is defined multiple times", ND(C, b)->name);
    return 0;
}

static int one_pass(lc *C, cJSON **fns_out, int *sync_main) {
    const rs_node *main_fn = find_fn(C, "main");
    cJSON *fns = cJSON_CreateObject();
    *fns_out = fns;
    C->entry_fn = NULL;
    C->entry_args = NULL;
    C->mps_added = 0;
    if (!main_fn) return lfail(C, 0, "expected fn main(): the program's entry (async fn main, or fn main with task::block_on)");
    int wrapper = !(main_fn->flags & RS_ASYNC) && uses_block_on(C, main_fn);
    *sync_main = !(main_fn->flags & RS_ASYNC) && !wrapper;
    for (int k = C->p->items; k >= 0 && !FAILED(C); k = ND(C, k)->next) {
        const rs_node *f = ND(C, k);
        if (f->kind != RN_FN || !strcmp(f->name, "compute")) continue;
        reset_fn(C, f);
        if (f == main_fn && wrapper) {
            if (main_block_on(C, f)) return -1;
            if (!C->entry_fn) return lfail(C, f->tok, "expected task::block_on(f(args)) in fn main()");
            continue;
        }
        if (f == main_fn && f->nkids) return lfail(C, f->tok, "fn main() takes no parameters");
        cJSON_AddItemToObject(fns, f->name, fn_json(C, f));
    }
    return FAILED(C) ? -1 : 0;
}

/* Takes fns into the document. */
static int set_entry(lc *C, cJSON *fns, int sync_main) {
    if (cJSON_GetObjectItemCaseSensitive(C->doc, "entry") || cJSON_GetObjectItemCaseSensitive(C->doc, "args")) {
        cJSON_Delete(fns);
        return lfail(C, 0, "the scenario gives \"entry\" or \"args\": with a Rust program they come from fn main (remove them)");
    }
    cJSON_AddItemToObject(C->doc, "functions", fns);
    cJSON_AddStringToObject(C->doc, "entry", C->entry_fn ? C->entry_fn : "main");
    if (C->entry_fn) cJSON_AddItemToObject(C->doc, "args", cJSON_Duplicate(C->entry_args, 1));
    if (!sync_main) return 0;
    cJSON *rt = cJSON_GetObjectItemCaseSensitive(C->doc, "runtime");
    if (!rt) rt = cJSON_AddObjectToObject(C->doc, "runtime");
    if (!cJSON_IsObject(rt)) return 0; /* the scenario check reports it */
    const cJSON *ex = cJSON_GetObjectItemCaseSensitive(rt, "executor");
    if (!ex) cJSON_AddStringToObject(rt, "executor", "sync");
    else if (!cJSON_IsString(ex) || strcmp(ex->valuestring, "sync"))
        return lfail(C, ND(C, C->p->items)->tok, "fn main() is synchronous and calls no task::block_on: runtime.executor must be \"sync\" (or write #[async_std::main] async fn main)");
    return 0;
}

int rslower_run(const rsparse *p, cJSON *doc, const char *prefix, char *err, size_t errlen) {
    lc C = {.p = p, .t = p->lx->toks, .doc = doc, .prefix = prefix, .err = err, .errlen = errlen};
    C.junk = cJSON_CreateArray();
    if (!C.junk) { snprintf(err, errlen, "%s: out of memory", prefix); return -1; }
    cJSON *fns = NULL;
    int sync_main = 0, rc = unique_names(&C);
    /* a Mutex parameter learns its mutex from its callers: passes until no call adds one */
    for (int pass = 0; rc == 0 && pass < MAX_PASSES; pass++) {
        cJSON_Delete(fns);
        fns = NULL;
        rc = one_pass(&C, &fns, &sync_main);
        if (!C.mps_added) break;
    }
    if (rc == 0) {
        rc = set_entry(&C, fns, sync_main);
        fns = NULL;
    }
    cJSON_Delete(fns);
    cJSON_Delete(C.junk);
    free(C.futs);
    return rc || C.failed ? -1 : 0;
}
