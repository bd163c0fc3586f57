/* rsparse: parses the Rust subset of docs/rust-subset.md into a small syntax tree.
 *
 * The tree keeps every node's first and last token, so the lowering (sim/rslower.h) gives
 * each step the line and columns of exactly the expression it stands for. Types are read
 * and skipped (pinata does no type checking); what the lowering needs of them is kept as
 * flags (a parameter of type TcpStream or Mutex, a return type `impl Future`).
 * A construct outside the subset is refused where it starts, in Rust's words:
 *   lecture.rs:7:1: 'impl Trait for' is not supported by pinata (supported: ...)
 * Nesting is bounded (RS_MAX_DEPTH), so no input recurses deeper than that.
 *
 * Ownership: the tree belongs to the rsparse and points into the rslex's token texts;
 * free the rsparse before the rslex. */
#ifndef PINATA_RSPARSE_H
#define PINATA_RSPARSE_H
#include "sim/rslex.h"

#define RS_MAX_DEPTH 200

typedef enum rs_kind {
    /* expressions */
    RN_INT, RN_FLOAT, RN_STR, RN_BSTR, RN_BOOL, RN_CHAR, RN_UNIT,
    RN_PATH,    /* name: "net::TcpStream::connect" (generic arguments dropped) */
    RN_CALL,    /* a: the callee; kids: the arguments */
    RN_METHOD,  /* a: the receiver; name: the method; kids: the arguments */
    RN_FIELD,   /* a: the receiver; name: the field or tuple index */
    RN_AWAIT,   /* a: the future */
    RN_TRY,     /* a ? */
    RN_REF,     /* &a, &mut a, *a, &*a: nothing the simulation sees */
    RN_UNARY,   /* -a, !a: name the operator */
    RN_BINARY,  /* a OP b: name the operator */
    RN_ASSIGN,  /* a = b, a += b: name the operator */
    RN_RANGE,   /* a..b (a or b -1 when absent) */
    RN_TUPLE,   /* kids */
    RN_ARRAY,   /* [kids] */
    RN_REPEAT,  /* [a; b] */
    RN_MACRO,   /* name!(kids): vec!, format!, println!, pin!, ...; flags RS_REPEAT for vec![a; b] */
    RN_BLOCK,   /* kids: statements; a: the tail expression or -1 */
    RN_ASYNC,   /* async (move) block: a is the block */
    RN_CLOSURE, /* (move) |kids| a */
    /* statements */
    RN_LET,     /* let a = b; (b -1 when absent) */
    RN_EXPR,    /* a; (flags RS_SEMI when it ended with ';') */
    RN_FOR,     /* for a in b c */
    RN_WHILE_LET, /* while let a = b c */
    RN_DIRECTIVE, /* name: the text after "// pinata:" */
    /* patterns */
    RN_PIDENT,  /* name (flags RS_MUT) */
    RN_PWILD,   /* _ */
    RN_PTUPLE,  /* (kids) */
    RN_PENUM,   /* name(kids): Some(x), Ok(x) */
    /* items */
    RN_FN,      /* name; kids: parameters (patterns, flags RS_TY_*); a: the body; flags RS_ASYNC, RS_RET_FUTURE, RS_MAIN_ATTR */
    RN_LOCALKEY,/* a thread_local! or task_local! static: name (flags RS_TASK_LOCAL) */
    RN_CONST,   /* const / static NAME: T = a; */
    RN_STRUCT,  /* struct NAME; (a unit struct) */
    RN_IMPLFUT  /* impl Future for NAME { .. }: its body is not read; flags RS_WAKES if it wakes */
} rs_kind;

enum {
    RS_MUT = 1, RS_SEMI = 2, RS_ASYNC = 4, RS_MOVE = 8, RS_RET_FUTURE = 16, RS_MAIN_ATTR = 32,
    RS_TASK_LOCAL = 64, RS_TY_STREAM = 128, RS_TY_MUTEX = 256, RS_REPEAT = 512, RS_TY_LISTENER = 1024, RS_WAKES = 2048
};

typedef struct rs_node {
    rs_kind kind;
    int tok, etok;     /* first and last token */
    const char *name;  /* see the kinds; NULL when none */
    size_t nlen;       /* bytes of name (a string literal may hold a NUL) */
    double num;        /* RN_INT, RN_FLOAT, RN_BOOL */
    int flags;
    int a, b, c;       /* children, -1 when none */
    int kids, nkids;   /* first of a list (linked by next), and its length */
    int next;
} rs_node;

typedef struct rsparse {
    const rslex *lx;
    rs_node *nodes;
    int nnodes, cap;
    int items, nitems; /* the program's items (fn, thread_local, const), linked by next */
    char **strs;       /* joined paths, owned */
    int nstrs;
} rsparse;

/* Parses the tokens of lx. On error returns -1 with one line "PREFIX:LINE:COL: ..." in err. */
int rsparse_run(rsparse *p, const rslex *lx, const char *prefix, char *err, size_t errlen);
void rsparse_free(rsparse *p);
static inline const rs_node *rs_at(const rsparse *p, int i) { return i >= 0 ? &p->nodes[i] : 0; }

/* What the subset has, for "is not supported by pinata (supported: ...)" messages. */
extern const char rsparse_supported[];

#endif
