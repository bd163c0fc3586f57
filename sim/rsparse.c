#include "sim/rsparse.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char rsparse_supported[] =
    "fn, async fn, fn -> impl Future, let, for, while let, async blocks, closures, .await, ?, "
    "thread_local!, task_local!, const, use, struct NAME; with impl Future for NAME";

/* The parser's state: the cursor into the tokens and the first error. */
typedef struct ps {
    rsparse *p;
    const rs_tok *t;
    int i, n;
    int depth;
    int failed;
    const char *prefix;
    char *err;
    size_t errlen;
} ps;

static int perr_at(ps *P, int tok, const char *fmt, ...) {
    if (P->failed++) return -1;
    char msg[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const rs_tok *t = &P->t[tok < P->n ? tok : P->n - 1];
    snprintf(P->err, P->errlen, "%s:%d:%d: %s", P->prefix, t->line, t->col, msg);
    return -1;
}

static const rs_tok *cur(const ps *P) { return &P->t[P->i]; }
static const rs_tok *peek(const ps *P, int k) { return &P->t[P->i + k < P->n ? P->i + k : P->n - 1]; }
static int is_p(const rs_tok *t, const char *s) { return t->kind == RT_PUNCT && !strcmp(t->text, s); }
static int is_kw(const rs_tok *t, const char *s) { return t->kind == RT_IDENT && !strcmp(t->text, s); }
static int at_p(const ps *P, const char *s) { return is_p(cur(P), s); }
static int at_kw(const ps *P, const char *s) { return is_kw(cur(P), s); }
static void adv(ps *P) { if (P->i < P->n - 1) P->i++; }

static int accept_p(ps *P, const char *s) {
    if (!at_p(P, s)) return 0;
    adv(P);
    return 1;
}

static int expect_p(ps *P, const char *s, const char *what) {
    if (accept_p(P, s)) return 0;
    char b[64];
    return perr_at(P, P->i, "expected '%s'%s%s, got %s", s, what ? " " : "", what ? what : "", rslex_show(cur(P), b, sizeof b));
}

static int node(ps *P, rs_kind k, int tok) {
    rsparse *p = P->p;
    if (p->nnodes == p->cap) {
        int cap = p->cap ? p->cap * 2 : 256;
        rs_node *a = p->cap < (1 << 26) ? realloc(p->nodes, (size_t)cap * sizeof *a) : NULL;
        if (!a) return perr_at(P, tok, "out of memory");
        p->nodes = a;
        p->cap = cap;
    }
    p->nodes[p->nnodes] = (rs_node){.kind = k, .tok = tok, .etok = tok, .a = -1, .b = -1, .c = -1, .kids = -1, .next = -1};
    return p->nnodes++;
}

static rs_node *N(ps *P, int i) { return &P->p->nodes[i]; }

/* Appends kid to the list of node parent (kept in order with a walk: lists are short). */
static void add_kid(ps *P, int parent, int kid) {
    if (kid < 0) return;
    rs_node *n = N(P, parent);
    n->nkids++;
    if (n->kids < 0) { n->kids = kid; return; }
    int k = n->kids;
    while (N(P, k)->next >= 0) k = N(P, k)->next;
    N(P, k)->next = kid;
}

static void finish(ps *P, int n) { if (n >= 0) N(P, n)->etok = P->i > 0 ? P->i - 1 : 0; }

static int enter(ps *P) {
    if (++P->depth > RS_MAX_DEPTH) return perr_at(P, P->i, "nested too deeply: expected at most %d levels", RS_MAX_DEPTH);
    return 0;
}

static char *keep(ps *P, char *s) {
    char **a = realloc(P->p->strs, (size_t)(P->p->nstrs + 1) * sizeof *a);
    if (!a) { free(s); return NULL; }
    P->p->strs = a;
    a[P->p->nstrs++] = s;
    return s;
}

/* Skips a bracketed group from its opening token to past the matching close. */
static int skip_group(ps *P) {
    int depth = 0, from = P->i;
    do {
        const rs_tok *t = cur(P);
        if (t->kind == RT_EOF) return perr_at(P, from, "unclosed '%s': expected its closing bracket", P->t[from].text);
        if (is_p(t, "(") || is_p(t, "[") || is_p(t, "{")) depth++;
        if (is_p(t, ")") || is_p(t, "]") || is_p(t, "}")) depth--;
        adv(P);
    } while (depth > 0);
    return 0;
}

/* A type, read and skipped; *flags learns what the lowering needs of it. Stops at a ',', ')',
 * '=', '{', ';', '|' or '>' outside the type's own brackets. */
static int skip_type(ps *P, int *flags) {
    int angle = 0, start = P->i;
    for (;;) {
        const rs_tok *t = cur(P);
        if (t->kind == RT_EOF) return perr_at(P, start, "expected a type, got the end of the program");
        if (angle == 0 && (is_p(t, ",") || is_p(t, ")") || is_p(t, "=") || is_p(t, "{") || is_p(t, ";") ||
                           is_p(t, "|") || is_p(t, ">") || is_p(t, "]") || is_kw(t, "where")))
            break;
        if (is_p(t, "<")) angle++;
        else if (is_p(t, ">")) angle--;
        if (is_p(t, "(") || is_p(t, "[")) { if (skip_group(P)) return -1; continue; }
        if (is_p(t, "{")) break;
        if (flags && t->kind == RT_IDENT) {
            if (!strcmp(t->text, "TcpStream")) *flags |= RS_TY_STREAM;
            if (!strcmp(t->text, "TcpListener")) *flags |= RS_TY_LISTENER;
            if (!strcmp(t->text, "Mutex")) *flags |= RS_TY_MUTEX;
            if (!strcmp(t->text, "Future")) *flags |= RS_RET_FUTURE;
        }
        adv(P);
    }
    if (P->i == start) {
        char b[64];
        return perr_at(P, P->i, "expected a type, got %s", rslex_show(cur(P), b, sizeof b));
    }
    return 0;
}

/* ---------- expressions ---------- */

static int expr(ps *P);
static int expr_ns(ps *P); /* no struct-like block after a path: `for x in list {` */
static int block(ps *P);
static int pattern(ps *P);

static int unsupported(ps *P, const char *what) {
    return perr_at(P, P->i, "'%s' is not supported by pinata (supported: %s)", what, rsparse_supported);
}

/* a::b::<T>::c — generic arguments are skipped. */
static int path(ps *P) {
    int n = node(P, RN_PATH, P->i);
    char buf[256];
    size_t len = 0;
    buf[0] = 0;
    if (n < 0) return -1;
    for (;;) {
        const rs_tok *t = cur(P);
        if (t->kind != RT_IDENT) {
            char b[64];
            return perr_at(P, P->i, "expected a name, got %s", rslex_show(t, b, sizeof b));
        }
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", len ? "::" : "", t->text);
        if (len >= sizeof buf) return perr_at(P, P->i, "a path longer than %d bytes", (int)sizeof buf - 1);
        adv(P);
        if (!at_p(P, "::")) break;
        adv(P);
        if (at_p(P, "<")) { /* turbofish: Vec::<String>::new */
            adv(P);
            if (skip_type(P, NULL) || expect_p(P, ">", "to close the generic arguments")) return -1;
            if (!accept_p(P, "::")) break;
        }
    }
    char *s = malloc(len + 1);
    if (!s || !keep(P, s)) return perr_at(P, N(P, n)->tok, "out of memory");
    memcpy(s, buf, len + 1);
    N(P, n)->name = s;
    N(P, n)->nlen = len;
    finish(P, n);
    return n;
}

/* Comma-separated expressions up to close; into the kids of n. */
static int exprs_until(ps *P, int n, const char *close) {
    while (!at_p(P, close)) {
        int e = expr(P);
        if (e < 0) return -1;
        add_kid(P, n, e);
        if (!accept_p(P, ",")) break;
    }
    char what[32];
    snprintf(what, sizeof what, "or ','");
    return expect_p(P, close, what);
}

/* name!(...) / name![...] / name!{...} */
static int macro(ps *P, int pathn) {
    int n = node(P, RN_MACRO, N(P, pathn)->tok);
    if (n < 0) return -1;
    N(P, n)->name = N(P, pathn)->name;
    N(P, n)->nlen = N(P, pathn)->nlen;
    adv(P); /* '!' */
    const char *close = at_p(P, "(") ? ")" : at_p(P, "[") ? "]" : at_p(P, "{") ? "}" : NULL;
    if (!close) {
        char b[64];
        return perr_at(P, P->i, "expected '(' or '[' after '%s!', got %s", N(P, n)->name, rslex_show(cur(P), b, sizeof b));
    }
    adv(P);
    if (!at_p(P, close)) {
        int e = expr(P);
        if (e < 0) return -1;
        add_kid(P, n, e);
        if (accept_p(P, ";")) { /* vec![x; n] */
            int c = expr(P);
            if (c < 0) return -1;
            add_kid(P, n, c);
            N(P, n)->flags |= RS_REPEAT;
        } else if (accept_p(P, ",")) {
            if (exprs_until(P, n, close)) return -1;
            finish(P, n);
            return n;
        }
    }
    if (expect_p(P, close, NULL)) return -1;
    finish(P, n);
    return n;
}

/* (move) |a, b| body  or  (move) || body */
static int closure(ps *P) {
    int n = node(P, RN_CLOSURE, P->i);
    if (n < 0) return -1;
    if (at_kw(P, "move")) { N(P, n)->flags |= RS_MOVE; adv(P); }
    if (!accept_p(P, "||")) {
        if (expect_p(P, "|", "to start the closure's parameters")) return -1;
        while (!at_p(P, "|")) {
            int pt = pattern(P);
            if (pt < 0) return -1;
            if (accept_p(P, ":") && skip_type(P, NULL)) return -1;
            add_kid(P, n, pt);
            if (!accept_p(P, ",")) break;
        }
        if (expect_p(P, "|", "to end the closure's parameters")) return -1;
    }
    if (accept_p(P, "->") && skip_type(P, NULL)) return -1;
    { int kid_ = expr(P); N(P, n)->a = kid_; }
    if (N(P, n)->a < 0) return -1;
    finish(P, n);
    return n;
}

/* ( ), (e), (a, b, ...) */
static int paren(ps *P) {
    int start = P->i;
    adv(P);
    if (accept_p(P, ")")) {
        int n = node(P, RN_UNIT, start);
        finish(P, n);
        return n;
    }
    int e = expr(P);
    if (e < 0) return -1;
    if (accept_p(P, ")")) return e;
    int n = node(P, RN_TUPLE, start);
    if (n < 0 || expect_p(P, ",", "or ')'")) return -1;
    add_kid(P, n, e);
    if (exprs_until(P, n, ")")) return -1;
    finish(P, n);
    return n;
}

static int array(ps *P) {
    int n = node(P, RN_ARRAY, P->i);
    if (n < 0) return -1;
    adv(P);
    if (!at_p(P, "]")) {
        int e = expr(P);
        if (e < 0) return -1;
        add_kid(P, n, e);
        if (accept_p(P, ";")) {
            N(P, n)->kind = RN_REPEAT;
            N(P, n)->a = e;
            { int kid_ = expr(P); N(P, n)->b = kid_; }
            if (N(P, n)->b < 0 || expect_p(P, "]", NULL)) return -1;
            finish(P, n);
            return n;
        }
        if (accept_p(P, ",")) {
            if (exprs_until(P, n, "]")) return -1;
        } else if (expect_p(P, "]", "or ','")) return -1;
    } else adv(P);
    finish(P, n);
    return n;
}

static int literal(ps *P) {
    const rs_tok *t = cur(P);
    rs_kind k = t->kind == RT_INT ? RN_INT : t->kind == RT_FLOAT ? RN_FLOAT : t->kind == RT_STR ? RN_STR
              : t->kind == RT_BSTR ? RN_BSTR : RN_CHAR;
    int n = node(P, k, P->i);
    if (n < 0) return -1;
    N(P, n)->num = t->num;
    N(P, n)->name = t->text;
    N(P, n)->nlen = t->len;
    adv(P);
    return n;
}

static const char *const unsupported_exprs[] = {"if", "match", "loop", "while", "return", "break", "continue",
                                                "unsafe", "struct", "impl", "let", "yield", NULL};

static int primary(ps *P, int no_struct) {
    const rs_tok *t = cur(P);
    (void)no_struct;
    if (t->kind == RT_INT || t->kind == RT_FLOAT || t->kind == RT_STR || t->kind == RT_BSTR || t->kind == RT_CHAR)
        return literal(P);
    if (is_kw(t, "true") || is_kw(t, "false")) {
        int n = node(P, RN_BOOL, P->i);
        if (n >= 0) N(P, n)->num = is_kw(t, "true");
        adv(P);
        return n;
    }
    if (is_p(t, "(")) return paren(P);
    if (is_p(t, "[")) return array(P);
    if (is_p(t, "{")) return block(P);
    if (is_kw(t, "async")) {
        int n = node(P, RN_ASYNC, P->i);
        adv(P);
        if (at_kw(P, "move")) { N(P, n)->flags |= RS_MOVE; adv(P); }
        if (!at_p(P, "{")) return expect_p(P, "{", "after 'async'");
        { int kid_ = block(P); N(P, n)->a = kid_; }
        finish(P, n);
        return N(P, n)->a < 0 ? -1 : n;
    }
    if (is_p(t, "|") || is_p(t, "||") || (is_kw(t, "move") && (is_p(peek(P, 1), "|") || is_p(peek(P, 1), "||"))))
        return closure(P);
    if (is_kw(t, "await"))
        return perr_at(P, P->i, "expected an expression before 'await': Rust's await goes after the future (future.await)");
    for (int k = 0; unsupported_exprs[k]; k++)
        if (is_kw(t, unsupported_exprs[k])) return unsupported(P, t->text);
    if (t->kind == RT_IDENT) {
        int n = path(P);
        if (n >= 0 && at_p(P, "!") && !is_p(peek(P, 1), "=")) return macro(P, n);
        return n;
    }
    if (t->kind == RT_DIRECTIVE)
        return perr_at(P, P->i, "a '// pinata:' comment inside an expression: expected it on a line of its own, between statements");
    char b[64];
    return perr_at(P, P->i, "expected an expression, got %s", rslex_show(t, b, sizeof b));
}

static int postfix(ps *P, int no_struct) {
    int e = primary(P, no_struct);
    while (e >= 0) {
        int start = N(P, e)->tok, k = -1;
        if (at_p(P, "?")) {
            k = node(P, RN_TRY, start);
            adv(P);
        } else if (at_p(P, "(")) {
            k = node(P, RN_CALL, start);
            adv(P);
            if (k < 0 || exprs_until(P, k, ")")) return -1;
        } else if (at_p(P, ".")) {
            adv(P);
            const rs_tok *t = cur(P);
            if (is_kw(t, "await")) {
                k = node(P, RN_AWAIT, start);
                adv(P);
            } else if (t->kind == RT_INT || t->kind == RT_IDENT) {
                int method = t->kind == RT_IDENT && (is_p(peek(P, 1), "(") || is_p(peek(P, 1), "::"));
                k = node(P, method ? RN_METHOD : RN_FIELD, start);
                if (k < 0) return -1;
                N(P, k)->name = t->text;
                N(P, k)->nlen = t->len;
                adv(P);
                if (method && accept_p(P, "::")) { /* .collect::<Vec<_>>() */
                    if (expect_p(P, "<", NULL) || skip_type(P, NULL) || expect_p(P, ">", NULL)) return -1;
                }
                if (method && (expect_p(P, "(", NULL) || exprs_until(P, k, ")"))) return -1;
            } else {
                char b[64];
                return perr_at(P, P->i, "expected a method, a field or 'await' after '.', got %s", rslex_show(t, b, sizeof b));
            }
        } else if (at_p(P, "[")) {
            return unsupported(P, "indexing with []");
        } else break;
        if (k < 0) return -1;
        N(P, k)->a = e;
        finish(P, k);
        e = k;
    }
    return e;
}

static int unary(ps *P, int no_struct) {
    if (enter(P)) return -1;
    int r;
    const rs_tok *t = cur(P);
    if (is_p(t, "&") || is_p(t, "&&") || is_p(t, "*") || is_p(t, "-") || is_p(t, "!")) {
        int n = node(P, is_p(t, "-") || is_p(t, "!") ? RN_UNARY : RN_REF, P->i);
        if (n < 0) return -1;
        N(P, n)->name = t->text;
        adv(P);
        if (N(P, n)->kind == RN_REF && at_kw(P, "mut")) adv(P);
        { int kid_ = unary(P, no_struct); N(P, n)->a = kid_; }
        finish(P, n);
        r = N(P, n)->a < 0 ? -1 : n;
    } else r = postfix(P, no_struct);
    P->depth--;
    return r;
}

static int is_binop(const rs_tok *t) {
    static const char *const ops[] = {"+", "-", "*", "/", "%", "==", "!=", "<", ">", "<=", ">=", "&&", "||", NULL};
    for (int k = 0; ops[k]; k++)
        if (is_p(t, ops[k])) return 1;
    return 0;
}

/* Binary operators, left to right without precedence: the lowering refuses them all, but a
 * program that uses one gets that message, not a parse error. */
static int binary(ps *P, int no_struct) {
    int e = unary(P, no_struct);
    while (e >= 0 && is_binop(cur(P))) {
        int n = node(P, RN_BINARY, N(P, e)->tok);
        if (n < 0) return -1;
        N(P, n)->name = cur(P)->text;
        adv(P);
        N(P, n)->a = e;
        { int kid_ = unary(P, no_struct); N(P, n)->b = kid_; }
        if (N(P, n)->b < 0) return -1;
        finish(P, n);
        e = n;
    }
    return e;
}

static int range(ps *P, int no_struct) {
    int start = P->i, e = -1;
    if (!at_p(P, "..")) e = binary(P, no_struct);
    if (P->failed || !(at_p(P, "..") || at_p(P, "..="))) return e;
    int n = node(P, RN_RANGE, start);
    if (n < 0) return -1;
    if (at_p(P, "..=")) return unsupported(P, "..=");
    adv(P);
    N(P, n)->a = e;
    if (!at_p(P, ")") && !at_p(P, "{") && !at_p(P, ";") && !at_p(P, ",") && !at_p(P, "]")) {
        { int kid_ = binary(P, no_struct); N(P, n)->b = kid_; }
        if (N(P, n)->b < 0) return -1;
    }
    finish(P, n);
    return n;
}

static int assign(ps *P, int no_struct) {
    if (enter(P)) return -1;
    int e = range(P, no_struct);
    const rs_tok *t = cur(P);
    if (e >= 0 && (is_p(t, "=") || is_p(t, "+=") || is_p(t, "-=") || is_p(t, "*=") || is_p(t, "/=") || is_p(t, "%="))) {
        int n = node(P, RN_ASSIGN, N(P, e)->tok);
        if (n < 0) return -1;
        N(P, n)->name = t->text;
        adv(P);
        N(P, n)->a = e;
        { int kid_ = assign(P, no_struct); N(P, n)->b = kid_; }
        finish(P, n);
        e = N(P, n)->b < 0 ? -1 : n;
    }
    P->depth--;
    return e;
}

static int expr(ps *P) { return P->failed ? -1 : assign(P, 0); }
static int expr_ns(ps *P) { return P->failed ? -1 : assign(P, 1); }

/* ---------- patterns ---------- */

static int pattern(ps *P) {
    if (enter(P)) return -1;
    int n = -1;
    const rs_tok *t = cur(P);
    if (is_p(t, "(")) {
        n = node(P, RN_PTUPLE, P->i);
        adv(P);
        while (n >= 0 && !at_p(P, ")")) {
            int k = pattern(P);
            if (k < 0) return -1;
            add_kid(P, n, k);
            if (!accept_p(P, ",")) break;
        }
        if (n < 0 || expect_p(P, ")", "or ',' in the pattern")) return -1;
    } else if (is_kw(t, "_")) {
        n = node(P, RN_PWILD, P->i);
        adv(P);
    } else if (is_p(t, "&")) { /* &x: a reference pattern, nothing the simulation sees */
        adv(P);
        n = pattern(P);
        P->depth--;
        return n;
    } else if (t->kind == RT_IDENT) {
        int flags = 0;
        if (is_kw(t, "ref")) adv(P);
        if (at_kw(P, "mut")) { flags = RS_MUT; adv(P); }
        if (cur(P)->kind != RT_IDENT) {
            char b[64];
            return perr_at(P, P->i, "expected a name in the pattern, got %s", rslex_show(cur(P), b, sizeof b));
        }
        n = node(P, RN_PIDENT, P->i);
        if (n < 0) return -1;
        N(P, n)->name = cur(P)->text;
        N(P, n)->flags = flags;
        adv(P);
        if (at_p(P, "(")) { /* Some(x), Ok(x) */
            N(P, n)->kind = RN_PENUM;
            adv(P);
            while (!at_p(P, ")")) {
                int k = pattern(P);
                if (k < 0) return -1;
                add_kid(P, n, k);
                if (!accept_p(P, ",")) break;
            }
            if (expect_p(P, ")", NULL)) return -1;
        } else if (at_p(P, "::") || at_p(P, "{")) {
            return unsupported(P, "a path or struct pattern");
        }
    } else {
        char b[64];
        return perr_at(P, P->i, "expected a pattern (a name, '_' or a tuple), got %s", rslex_show(t, b, sizeof b));
    }
    finish(P, n);
    P->depth--;
    return n;
}

/* ---------- statements and blocks ---------- */

static int item(ps *P, int in_block);

static int let_stmt(ps *P) {
    int n = node(P, RN_LET, P->i);
    adv(P);
    if (n < 0) return -1;
    { int kid_ = pattern(P); N(P, n)->a = kid_; }
    if (N(P, n)->a < 0) return -1;
    if (accept_p(P, ":") && skip_type(P, NULL)) return -1;
    if (accept_p(P, "=")) {
        { int kid_ = expr(P); N(P, n)->b = kid_; }
        if (N(P, n)->b < 0) return -1;
        if (at_kw(P, "else")) return unsupported(P, "let ... else");
    }
    if (expect_p(P, ";", "after the let statement")) return -1;
    finish(P, n);
    return n;
}

static int for_stmt(ps *P) {
    int n = node(P, RN_FOR, P->i);
    adv(P);
    if (n < 0) return -1;
    { int kid_ = pattern(P); N(P, n)->a = kid_; }
    if (N(P, n)->a < 0) return -1;
    if (!at_kw(P, "in")) {
        char b[64];
        return perr_at(P, P->i, "expected 'in' after the for loop's pattern, got %s", rslex_show(cur(P), b, sizeof b));
    }
    adv(P);
    { int kid_ = expr_ns(P); N(P, n)->b = kid_; }
    if (N(P, n)->b < 0) return -1;
    if (!at_p(P, "{")) return expect_p(P, "{", "to start the loop's body");
    { int kid_ = block(P); N(P, n)->c = kid_; }
    finish(P, n);
    return N(P, n)->c < 0 ? -1 : n;
}

static int while_stmt(ps *P) {
    int n = node(P, RN_WHILE_LET, P->i);
    adv(P);
    if (n < 0) return -1;
    if (!at_kw(P, "let")) return perr_at(P, P->i, "'while' without 'let' is not supported by pinata (supported: while let Some(x) = incoming.next().await { ... })");
    adv(P);
    { int kid_ = pattern(P); N(P, n)->a = kid_; }
    if (N(P, n)->a < 0 || expect_p(P, "=", "after the while let's pattern")) return -1;
    { int kid_ = expr_ns(P); N(P, n)->b = kid_; }
    if (N(P, n)->b < 0) return -1;
    if (!at_p(P, "{")) return expect_p(P, "{", "to start the loop's body");
    { int kid_ = block(P); N(P, n)->c = kid_; }
    finish(P, n);
    return N(P, n)->c < 0 ? -1 : n;
}

/* A block-like expression ends a statement without ';'. */
static int block_like(const rs_node *e) {
    return e->kind == RN_BLOCK || e->kind == RN_ASYNC;
}

/* One statement into block b; sets *tail when it is the block's value (no ';' before '}'). */
static int statement(ps *P, int b) {
    const rs_tok *t = cur(P);
    int s = -1;
    if (is_p(t, ";")) { adv(P); return 0; }
    if (t->kind == RT_DIRECTIVE) {
        s = node(P, RN_DIRECTIVE, P->i);
        if (s >= 0) N(P, s)->name = t->text;
        adv(P);
    } else if (is_kw(t, "let")) s = let_stmt(P);
    else if (is_kw(t, "for")) s = for_stmt(P);
    else if (is_kw(t, "while")) s = while_stmt(P);
    else if (is_kw(t, "fn") || is_kw(t, "use") || (is_kw(t, "async") && is_kw(peek(P, 1), "fn")) || is_p(t, "#") ||
             is_kw(t, "impl") || is_kw(t, "struct") || is_kw(t, "enum") || is_kw(t, "trait") || is_kw(t, "mod") ||
             is_kw(t, "const") || is_kw(t, "static")) {
        return item(P, 1);
    } else {
        int e = expr(P);
        if (e < 0) return -1;
        if (at_p(P, "}")) { N(P, b)->a = e; return 0; } /* the tail: the block's value */
        s = node(P, RN_EXPR, N(P, e)->tok);
        if (s < 0) return -1;
        N(P, s)->a = e;
        if (accept_p(P, ";")) N(P, s)->flags |= RS_SEMI;
        else if (!block_like(N(P, e))) return expect_p(P, ";", "after the expression");
    }
    if (s < 0) return -1;
    finish(P, s);
    add_kid(P, b, s);
    return 0;
}

static int block(ps *P) {
    if (enter(P)) return -1;
    int b = node(P, RN_BLOCK, P->i);
    if (b < 0 || expect_p(P, "{", NULL)) return -1;
    while (!at_p(P, "}")) {
        if (cur(P)->kind == RT_EOF) return perr_at(P, N(P, b)->tok, "unclosed '{': expected '}'");
        if (N(P, b)->a >= 0) { /* an expression without ';' that is not the last */
            return expect_p(P, ";", "after the expression");
        }
        if (statement(P, b)) return -1;
    }
    adv(P);
    finish(P, b);
    P->depth--;
    return b;
}

/* ---------- items ---------- */

static int attributes(ps *P, int *main_attr) {
    while (at_p(P, "#")) {
        adv(P);
        accept_p(P, "!");
        if (!at_p(P, "[")) return expect_p(P, "[", "after '#'");
        const rs_tok *t = peek(P, 1);
        if (t->kind == RT_IDENT && (!strcmp(t->text, "async_std") || !strcmp(t->text, "tokio")) && is_kw(peek(P, 3), "main"))
            *main_attr = 1;
        if (skip_group(P)) return -1;
    }
    return 0;
}

static int param(ps *P, int fn) {
    if (at_kw(P, "self") || (at_p(P, "&") && (is_kw(peek(P, 1), "self") || is_kw(peek(P, 2), "self"))) ||
        (at_kw(P, "mut") && is_kw(peek(P, 1), "self")))
        return unsupported(P, "a method (self)");
    int pt = pattern(P);
    if (pt < 0 || expect_p(P, ":", "and the parameter's type")) return -1;
    int flags = 0;
    if (skip_type(P, &flags)) return -1;
    N(P, pt)->flags |= flags & (RS_TY_STREAM | RS_TY_MUTEX | RS_TY_LISTENER);
    add_kid(P, fn, pt);
    return 0;
}

static void push_item(ps *P, int n);

static int fn_item(ps *P, int main_attr) {
    int n = node(P, RN_FN, P->i);
    if (n < 0) return -1;
    if (at_kw(P, "async")) { N(P, n)->flags |= RS_ASYNC; adv(P); }
    adv(P); /* fn */
    if (cur(P)->kind != RT_IDENT) {
        char b[64];
        return perr_at(P, P->i, "expected the function's name after 'fn', got %s", rslex_show(cur(P), b, sizeof b));
    }
    N(P, n)->name = cur(P)->text;
    if (main_attr) N(P, n)->flags |= RS_MAIN_ATTR;
    adv(P);
    if (at_p(P, "<")) return unsupported(P, "a generic function");
    if (expect_p(P, "(", "to start the parameters")) return -1;
    while (!at_p(P, ")")) {
        if (param(P, n)) return -1;
        if (!accept_p(P, ",")) break;
    }
    if (expect_p(P, ")", "or ',' after a parameter")) return -1;
    if (accept_p(P, "->")) {
        int flags = 0;
        if (skip_type(P, &flags)) return -1;
        N(P, n)->flags |= flags & RS_RET_FUTURE;
    }
    if (at_kw(P, "where"))
        while (!at_p(P, "{") && cur(P)->kind != RT_EOF) adv(P);
    if (!at_p(P, "{")) return expect_p(P, "{", "to start the function's body");
    if (!strcmp(N(P, n)->name, "compute")) { /* pinata's own: its body is not read (docs/rust-subset.md) */
        if (skip_group(P)) return -1;
    } else {
        { int kid_ = block(P); N(P, n)->a = kid_; }
        if (N(P, n)->a < 0) return -1;
    }
    finish(P, n);
    return n;
}

/* thread_local! { static NAME: T = init; ... } and task_local! the same. */
static int local_keys(ps *P, int task) {
    adv(P); /* the macro name */
    if (expect_p(P, "!", NULL)) return -1;
    const char *close = at_p(P, "{") ? "}" : at_p(P, "(") ? ")" : NULL;
    if (!close) return expect_p(P, "{", "after the macro's '!'");
    adv(P);
    while (!at_p(P, close)) {
        int dummy = 0;
        if (attributes(P, &dummy)) return -1;
        if (at_kw(P, "pub")) { adv(P); if (at_p(P, "(") && skip_group(P)) return -1; }
        if (!at_kw(P, "static")) {
            char b[64];
            return perr_at(P, P->i, "expected 'static NAME: Type = value;' in the macro, got %s", rslex_show(cur(P), b, sizeof b));
        }
        adv(P);
        int n = node(P, RN_LOCALKEY, P->i);
        if (n < 0) return -1;
        if (cur(P)->kind != RT_IDENT) return perr_at(P, P->i, "expected the key's name after 'static'");
        N(P, n)->name = cur(P)->text;
        N(P, n)->flags = task ? RS_TASK_LOCAL : 0;
        adv(P);
        if (expect_p(P, ":", "and the key's type") || skip_type(P, NULL) || expect_p(P, "=", "and its initial value")) return -1;
        { int kid_ = expr(P); N(P, n)->a = kid_; }
        if (N(P, n)->a < 0) return -1;
        finish(P, n);
        push_item(P, n);
        if (!accept_p(P, ";")) break;
    }
    if (expect_p(P, close, NULL)) return -1;
    accept_p(P, ";");
    return 0;
}

static int const_item(ps *P) {
    adv(P);
    if (at_kw(P, "mut")) return unsupported(P, "static mut");
    int n = node(P, RN_CONST, P->i);
    if (n < 0) return -1;
    if (cur(P)->kind != RT_IDENT) return perr_at(P, P->i, "expected the constant's name");
    N(P, n)->name = cur(P)->text;
    adv(P);
    if (expect_p(P, ":", "and the constant's type") || skip_type(P, NULL) || expect_p(P, "=", "and its value")) return -1;
    { int kid_ = expr(P); N(P, n)->a = kid_; }
    if (N(P, n)->a < 0 || expect_p(P, ";", "after the constant")) return -1;
    finish(P, n);
    return n;
}

static void push_item(ps *P, int n) {
    N(P, n)->next = P->p->items;
    P->p->items = n; /* reversed at the end */
    P->p->nitems++;
}

/* impl Future for NAME { .. }: a hand-written leaf future. Its body is skipped; pinata only
 * notes whether it wakes (docs/rust-subset.md: one that never does is a lost wake-up). */
static int impl_future(ps *P) {
    int n = node(P, RN_IMPLFUT, P->i);
    if (n < 0) return -1;
    N(P, n)->name = peek(P, 3)->text;
    for (int k = 0; k < 4; k++) adv(P);
    int from = P->i;
    if (skip_group(P)) return -1;
    for (int i = from; i < P->i; i++)
        if (is_kw(&P->t[i], "wake") || is_kw(&P->t[i], "wake_by_ref")) N(P, n)->flags |= RS_WAKES;
    finish(P, n);
    push_item(P, n);
    return 0;
}

static int item(ps *P, int in_block) {
    int main_attr = 0;
    if (attributes(P, &main_attr)) return -1;
    if (at_kw(P, "pub")) { adv(P); if (at_p(P, "(") && skip_group(P)) return -1; }
    const rs_tok *t = cur(P);
    if (is_kw(t, "use")) {
        while (!at_p(P, ";") && cur(P)->kind != RT_EOF) adv(P);
        return expect_p(P, ";", "after the use declaration");
    }
    if (is_kw(t, "impl") && !in_block && is_kw(peek(P, 1), "Future") && is_kw(peek(P, 2), "for") &&
        peek(P, 3)->kind == RT_IDENT && is_p(peek(P, 4), "{"))
        return impl_future(P);
    if (is_kw(t, "impl")) {
        for (int k = 1; k < 64 && peek(P, k)->kind != RT_EOF && !is_p(peek(P, k), "{"); k++)
            if (is_kw(peek(P, k), "for")) return unsupported(P, "impl Trait for");
        return unsupported(P, "impl");
    }
    if (is_kw(t, "struct") && !in_block && peek(P, 1)->kind == RT_IDENT && is_p(peek(P, 2), ";")) {
        int n = node(P, RN_STRUCT, P->i + 1);
        if (n < 0) return -1;
        N(P, n)->name = peek(P, 1)->text;
        adv(P); adv(P); adv(P);
        push_item(P, n);
        return 0;
    }
    if (in_block && (is_kw(t, "fn") || is_kw(t, "async")))
        return unsupported(P, "a function inside a function");
    if (is_kw(t, "fn") || (is_kw(t, "async") && is_kw(peek(P, 1), "fn"))) {
        int n = fn_item(P, main_attr);
        if (n < 0) return -1;
        push_item(P, n);
        return 0;
    }
    if ((is_kw(t, "const") || is_kw(t, "static")) && !in_block) {
        int n = const_item(P);
        if (n < 0) return -1;
        push_item(P, n);
        return 0;
    }
    while (t->kind == RT_IDENT && is_p(peek(P, 1), "::") && !in_block) { /* async_std::task_local! */
        int k = 2;
        while (peek(P, k)->kind == RT_IDENT && is_p(peek(P, k + 1), "::")) k += 2;
        if (!is_kw(peek(P, k), "thread_local") && !is_kw(peek(P, k), "task_local")) break;
        for (int j = 0; j < k; j++) adv(P);
        t = cur(P);
    }
    if ((is_kw(t, "thread_local") || is_kw(t, "task_local")) && is_p(peek(P, 1), "!") && !in_block)
        return local_keys(P, is_kw(t, "task_local"));
    if (is_kw(t, "unsafe") || is_kw(t, "extern")) return unsupported(P, t->text);
    if (t->kind == RT_IDENT && (!strcmp(t->text, "struct") || !strcmp(t->text, "enum") || !strcmp(t->text, "trait") ||
                                !strcmp(t->text, "mod") || !strcmp(t->text, "type") || !strcmp(t->text, "macro_rules") ||
                                !strcmp(t->text, "const") || !strcmp(t->text, "static") || !strcmp(t->text, "union")))
        return unsupported(P, t->text);
    char b[64];
    return perr_at(P, P->i, "expected an item (fn, async fn, use, const, thread_local!, task_local!), got %s",
                   rslex_show(t, b, sizeof b));
}

int rsparse_run(rsparse *p, const rslex *lx, const char *prefix, char *err, size_t errlen) {
    *p = (rsparse){.lx = lx, .items = -1};
    ps P = {.p = p, .t = lx->toks, .n = lx->ntoks, .prefix = prefix, .err = err, .errlen = errlen};
    while (cur(&P)->kind != RT_EOF && !P.failed) {
        if (cur(&P)->kind == RT_DIRECTIVE) { adv(&P); continue; } /* a directive between items: a remark */
        item(&P, 0);
    }
    if (P.failed) return -1;
    int prev = -1, k = p->items; /* the items in source order */
    while (k >= 0) {
        int next = p->nodes[k].next;
        p->nodes[k].next = prev;
        prev = k;
        k = next;
    }
    p->items = prev;
    return 0;
}

void rsparse_free(rsparse *p) {
    for (int i = 0; i < p->nstrs; i++) free(p->strs[i]);
    free(p->strs);
    free(p->nodes);
    *p = (rsparse){.items = -1};
}
