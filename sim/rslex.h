/* rslex: the tokens of the Rust subset pinata reads (docs/rust-subset.md).
 *
 * rslex_run() cuts a program's text into tokens, each with its line and column (1-based, the
 * column counted in bytes) and the line and column just past it, so a step can light exactly
 * the expression it stands for. Comments are dropped, but a line comment "// pinata: ..." is
 * kept as an RT_DIRECTIVE token (the work a slide elides: "// pinata: compute 3 ms").
 * Bad input (an unterminated string, a character Rust has no token for) gives one line
 * "PLACE:LINE:COL: what was expected" in err, where PLACE is the caller's prefix.
 *
 * Ownership: the tokens and their texts belong to the rslex; rslex_free() frees them. */
#ifndef PINATA_RSLEX_H
#define PINATA_RSLEX_H
#include <stddef.h>

typedef enum rs_tok_kind {
    RT_EOF, RT_IDENT, RT_INT, RT_FLOAT, RT_STR, RT_BSTR, RT_CHAR, RT_LIFETIME, RT_PUNCT, RT_DIRECTIVE
} rs_tok_kind;

typedef struct rs_tok {
    rs_tok_kind kind;
    char *text;      /* identifier, punctuation ("::", "{"), the decoded string, the directive */
    size_t len;      /* bytes of text (a string may hold a NUL) */
    double num;      /* RT_INT / RT_FLOAT: the value, suffix dropped (80u16 -> 80) */
    int line, col;   /* where it starts */
    int eline, ecol; /* just past its end */
} rs_tok;

typedef struct rslex {
    rs_tok *toks;    /* ntoks of them, RT_EOF last */
    int ntoks;
} rslex;

/* Tokenizes text (len bytes). On error returns -1 with one line in err: "WHERE:LINE:COL: ..."
 * where WHERE is prefix. The tokens are freed with rslex_free() in every case. */
int rslex_run(rslex *lx, const char *text, size_t len, const char *prefix, char *err, size_t errlen);
void rslex_free(rslex *lx);
/* A token as the messages show it: 'await', 'a string', 'the end of the file'. */
const char *rslex_show(const rs_tok *t, char *buf, size_t cap);

#endif
