#include "sim/rslex.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The cursor over the text: line and column follow every byte consumed. */
typedef struct cur {
    const char *s;
    size_t len, i;
    int line, col;
    rslex *lx;
    size_t cap;      /* tokens allocated */
    const char *prefix;
    char *err;
    size_t errlen;
} cur;

static int at(const cur *c, size_t k) { return c->i + k < c->len ? (unsigned char)c->s[c->i + k] : -1; }

static void step(cur *c) {
    if (c->i >= c->len) return;
    if (c->s[c->i] == '\n') { c->line++; c->col = 1; }
    else c->col++;
    c->i++;
}

static int lex_fail(cur *c, int line, int col, const char *msg) {
    snprintf(c->err, c->errlen, "%s:%d:%d: %s", c->prefix, line, col, msg);
    return -1;
}

static int push(cur *c, rs_tok_kind k, char *text, size_t n, double num, int line, int col) {
    if ((size_t)c->lx->ntoks == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        rs_tok *a = c->cap < ((size_t)1 << 26) ? realloc(c->lx->toks, cap * sizeof *a) : NULL;
        if (!a) { free(text); return lex_fail(c, line, col, "out of memory (too many tokens)"); }
        c->lx->toks = a;
        c->cap = cap;
    }
    c->lx->toks[c->lx->ntoks++] = (rs_tok){k, text, n, num, line, col, c->line, c->col};
    return 0;
}

static char *dup_n(const char *s, size_t n) {
    char *p = malloc(n + 1);
    if (p) { memcpy(p, s, n); p[n] = 0; }
    return p;
}

static int is_id0(int ch) { return ch == '_' || isalpha(ch) || ch >= 0x80; }
static int is_id(int ch) { return ch == '_' || isalnum(ch) || ch >= 0x80; }

/* "// pinata: ..." is a directive; every other comment is skipped. */
static int comment(cur *c) {
    int line = c->line, col = c->col;
    if (at(c, 1) == '/') {
        size_t from = c->i;
        while (at(c, 0) >= 0 && at(c, 0) != '\n') step(c);
        const char *t = c->s + from + 2;
        size_t n = c->i - from - 2;
        while (n && (*t == ' ' || *t == '\t')) t++, n--;
        if (n >= 7 && !strncmp(t, "pinata:", 7)) {
            t += 7, n -= 7;
            while (n && (*t == ' ' || *t == '\t')) t++, n--;
            while (n && (t[n - 1] == ' ' || t[n - 1] == '\t' || t[n - 1] == '\r')) n--;
            char *d = dup_n(t, n);
            if (!d) return lex_fail(c, line, col, "out of memory");
            return push(c, RT_DIRECTIVE, d, n, 0, line, col);
        }
        return 0;
    }
    int depth = 0; /* block comments nest in Rust */
    do {
        if (at(c, 0) < 0) return lex_fail(c, line, col, "unterminated block comment: expected '*/'");
        if (at(c, 0) == '/' && at(c, 1) == '*') { depth++; step(c); step(c); }
        else if (at(c, 0) == '*' && at(c, 1) == '/') { depth--; step(c); step(c); }
        else step(c);
    } while (depth > 0);
    return 0;
}

static int hexval(int ch) {
    return ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
}

/* One escape after the backslash, appended to out; -1 if Rust has no such escape. */
static int escape(cur *c, char *out, size_t *n) {
    int ch = at(c, 0);
    step(c);
    switch (ch) {
    case 'n': out[(*n)++] = '\n'; return 0;
    case 't': out[(*n)++] = '\t'; return 0;
    case 'r': out[(*n)++] = '\r'; return 0;
    case '0': out[(*n)++] = 0; return 0;
    case '\\': case '\'': case '"': out[(*n)++] = (char)ch; return 0;
    case '\n': /* a line continuation: the next line's leading blanks are skipped */
        while (at(c, 0) == ' ' || at(c, 0) == '\t' || at(c, 0) == '\n' || at(c, 0) == '\r') step(c);
        return 0;
    case 'x': {
        int h = hexval(at(c, 0)), l = hexval(at(c, 1));
        if (h < 0 || l < 0) return -1;
        step(c); step(c);
        out[(*n)++] = (char)(h * 16 + l);
        return 0;
    }
    case 'u': { /* \u{XXXX}: kept as UTF-8 */
        if (at(c, 0) != '{') return -1;
        step(c);
        unsigned v = 0;
        int k = 0;
        while (hexval(at(c, 0)) >= 0 && k < 6) { v = v * 16 + (unsigned)hexval(at(c, 0)); step(c); k++; }
        if (at(c, 0) != '}' || k == 0 || v > 0x10FFFF) return -1;
        step(c);
        if (v < 0x80) out[(*n)++] = (char)v;
        else if (v < 0x800) { out[(*n)++] = (char)(0xC0 | v >> 6); out[(*n)++] = (char)(0x80 | (v & 63)); }
        else if (v < 0x10000) { out[(*n)++] = (char)(0xE0 | v >> 12); out[(*n)++] = (char)(0x80 | (v >> 6 & 63)); out[(*n)++] = (char)(0x80 | (v & 63)); }
        else { out[(*n)++] = (char)(0xF0 | v >> 18); out[(*n)++] = (char)(0x80 | (v >> 12 & 63)); out[(*n)++] = (char)(0x80 | (v >> 6 & 63)); out[(*n)++] = (char)(0x80 | (v & 63)); }
        return 0;
    }
    default: return -1;
    }
}

/* "...", b"...", r"...", r#"..."#, br"...". The decoded text is never longer than the source. */
static int string(cur *c, rs_tok_kind k, int raw) {
    int line = c->line, col = c->col, hashes = 0;
    while (at(c, 0) == 'b' || at(c, 0) == 'r') step(c);
    while (raw && at(c, 0) == '#') { hashes++; step(c); }
    if (at(c, 0) != '"') return lex_fail(c, line, col, "expected '\"' to start a raw string");
    step(c);
    char *out = malloc(c->len - c->i + 1);
    size_t n = 0;
    if (!out) return lex_fail(c, line, col, "out of memory");
    for (;;) {
        int ch = at(c, 0);
        if (ch < 0) { free(out); return lex_fail(c, line, col, "unterminated string: expected a closing '\"'"); }
        if (ch == '"') {
            int h = 0;
            while (h < hashes && at(c, 1 + (size_t)h) == '#') h++;
            if (h == hashes) { step(c); for (int j = 0; j < hashes; j++) step(c); break; }
        }
        if (ch == '\\' && !raw) {
            int el = c->line, ec = c->col;
            step(c);
            if (escape(c, out, &n)) { free(out); return lex_fail(c, el, ec, "unknown escape in a string: expected \\n, \\t, \\r, \\0, \\\\, \\\", \\', \\x.. or \\u{..}"); }
            continue;
        }
        out[n++] = (char)ch;
        step(c);
    }
    out[n] = 0;
    return push(c, k, out, n, 0, line, col);
}

/* 'a' (a char) or 'a (a lifetime). */
static int quote(cur *c) {
    int line = c->line, col = c->col;
    step(c);
    if (is_id0(at(c, 0)) && at(c, 1) != '\'') { /* a lifetime: 'static, 'a */
        size_t from = c->i;
        while (is_id(at(c, 0))) step(c);
        char *t = dup_n(c->s + from, c->i - from);
        return t ? push(c, RT_LIFETIME, t, c->i - from, 0, line, col) : lex_fail(c, line, col, "out of memory");
    }
    char buf[8];
    size_t n = 0;
    if (at(c, 0) == '\\') {
        step(c);
        if (escape(c, buf, &n)) return lex_fail(c, line, col, "unknown escape in a character literal");
    } else if (at(c, 0) >= 0 && at(c, 0) != '\'') {
        do { buf[n++] = (char)at(c, 0); step(c); } while (n < 4 && (at(c, 0) & 0xC0) == 0x80);
    }
    if (at(c, 0) != '\'' || n == 0) return lex_fail(c, line, col, "unterminated character literal: expected a closing '''");
    step(c);
    char *t = dup_n(buf, n);
    return t ? push(c, RT_CHAR, t, n, 0, line, col) : lex_fail(c, line, col, "out of memory");
}

/* 80, 10_000, 0.01, 3u16, 1e3, 0x1F. "0..3" is 0, "..", 3; "t.0" stays a field. */
static int number(cur *c) {
    int line = c->line, col = c->col, is_float = 0;
    size_t from = c->i;
    char buf[64];
    size_t n = 0;
    double v = 0;
    if (at(c, 0) == '0' && (at(c, 1) == 'x' || at(c, 1) == 'o' || at(c, 1) == 'b')) {
        int base = at(c, 1) == 'x' ? 16 : at(c, 1) == 'o' ? 8 : 2;
        step(c); step(c);
        while (hexval(at(c, 0)) >= 0 || at(c, 0) == '_') {
            if (at(c, 0) != '_') {
                if (hexval(at(c, 0)) >= base) return lex_fail(c, line, col, "a digit out of the number's base");
                v = v * base + hexval(at(c, 0));
            }
            step(c);
        }
    } else {
        while (isdigit(at(c, 0)) || at(c, 0) == '_' || (at(c, 0) == '.' && !is_float && isdigit(at(c, 1))) ||
               ((at(c, 0) == 'e' || at(c, 0) == 'E') && (isdigit(at(c, 1)) || ((at(c, 1) == '-' || at(c, 1) == '+') && isdigit(at(c, 2)))))) {
            if (at(c, 0) == '.' || at(c, 0) == 'e' || at(c, 0) == 'E') is_float = 1;
            if ((at(c, 0) == 'e' || at(c, 0) == 'E') && n < sizeof buf - 2) { buf[n++] = (char)at(c, 0); step(c); }
            if (at(c, 0) != '_' && n < sizeof buf - 1) buf[n++] = (char)at(c, 0);
            step(c);
        }
        buf[n] = 0;
        v = strtod(buf, NULL);
    }
    while (is_id(at(c, 0))) step(c); /* a type suffix: u16, f64, usize */
    char *t = dup_n(c->s + from, c->i - from);
    return t ? push(c, is_float ? RT_FLOAT : RT_INT, t, c->i - from, v, line, col) : lex_fail(c, line, col, "out of memory");
}

/* Punctuation, longest first. ">>" stays two '>' (it closes two generics more often here). */
static const char *const puncts[] = {"..=", "...", "::", "->", "=>", "..", "&&", "||", "==", "!=", "<=", ">=", "+=", "-=",
                                     "*=", "/=", "%=", "{", "}", "(", ")", "[", "]", ";", ":", ",", ".", "=", "<", ">",
                                     "&", "|", "!", "?", "+", "-", "*", "/", "%", "#", "@", "^", "$", "~", NULL};

static int punct(cur *c) {
    int line = c->line, col = c->col;
    for (int k = 0; puncts[k]; k++) {
        size_t n = strlen(puncts[k]);
        if (c->i + n <= c->len && !memcmp(c->s + c->i, puncts[k], n)) {
            for (size_t j = 0; j < n; j++) step(c);
            char *t = dup_n(puncts[k], n);
            return t ? push(c, RT_PUNCT, t, n, 0, line, col) : lex_fail(c, line, col, "out of memory");
        }
    }
    char msg[80];
    int ch = at(c, 0);
    if (ch >= 0x20 && ch < 0x7f) snprintf(msg, sizeof msg, "unexpected character '%c': expected Rust source", ch);
    else snprintf(msg, sizeof msg, "unexpected byte 0x%02x: expected Rust source", ch);
    return lex_fail(c, line, col, msg);
}

static int ident(cur *c) {
    int line = c->line, col = c->col;
    size_t from = c->i;
    if (at(c, 0) == 'r' && at(c, 1) == '#' && is_id0(at(c, 2))) { step(c); step(c); from = c->i; } /* r#ident */
    while (is_id(at(c, 0))) step(c);
    char *t = dup_n(c->s + from, c->i - from);
    return t ? push(c, RT_IDENT, t, c->i - from, 0, line, col) : lex_fail(c, line, col, "out of memory");
}

static int one(cur *c) {
    int ch = at(c, 0);
    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') { step(c); return 0; }
    if (ch == '/' && (at(c, 1) == '/' || at(c, 1) == '*')) return comment(c);
    if (ch == '"') return string(c, RT_STR, 0);
    if (ch == 'b' && at(c, 1) == '"') return string(c, RT_BSTR, 0);
    if (ch == 'r' && (at(c, 1) == '"' || (at(c, 1) == '#' && (at(c, 2) == '"' || at(c, 2) == '#')))) return string(c, RT_STR, 1);
    if (ch == 'b' && at(c, 1) == 'r' && (at(c, 2) == '"' || at(c, 2) == '#')) return string(c, RT_BSTR, 1);
    if (ch == 'b' && at(c, 1) == '\'') { step(c); return quote(c); }
    if (ch == '\'') return quote(c);
    if (isdigit(ch)) return number(c);
    if (is_id0(ch)) return ident(c);
    return punct(c);
}

int rslex_run(rslex *lx, const char *text, size_t len, const char *prefix, char *err, size_t errlen) {
    *lx = (rslex){0};
    cur c = {text, len, 0, 1, 1, lx, 0, prefix, err, errlen};
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) c.i = 3; /* a UTF-8 byte order mark */
    while (c.i < c.len)
        if (one(&c)) return -1;
    char *t = dup_n("", 0);
    return t ? push(&c, RT_EOF, t, 0, 0, c.line, c.col) : lex_fail(&c, c.line, c.col, "out of memory");
}

void rslex_free(rslex *lx) {
    for (int i = 0; i < lx->ntoks; i++) free(lx->toks[i].text);
    free(lx->toks);
    *lx = (rslex){0};
}

const char *rslex_show(const rs_tok *t, char *buf, size_t cap) {
    switch (t->kind) {
    case RT_EOF: return "the end of the program";
    case RT_STR: case RT_BSTR: return "a string";
    case RT_INT: case RT_FLOAT: return "a number";
    case RT_CHAR: return "a character";
    case RT_DIRECTIVE: return "a '// pinata:' comment";
    default: snprintf(buf, cap, "'%.40s'", t->text); return buf;
    }
}
