/* draw: the list of draw commands the layout writes and every backend replays
 * (the SDL window, the PNG writer and the SVG writer), as in microui: the layout never
 * touches SDL, so what the window shows is what is exported.
 *
 * Coordinates are pixels, y down. Colours are 0xRRGGBBAA. Each command may carry a tag
 * (what it depicts) and ref (the event index, or the future id for Simplified View bars)
 * so the window can hit-test clicks and tests can find what they check.
 *
 * Ownership: the list owns its arrays; draw_list_free() releases them. */
#ifndef PINATA_DRAW_H
#define PINATA_DRAW_H
#include <stddef.h>
#include <stdint.h>

typedef uint32_t draw_rgba;

typedef enum draw_op {
    DRAW_RECT,   /* x,y,w,h; fill, stroke (0 alpha = none), lw */
    DRAW_LINE,   /* x,y -> x2,y2; stroke, lw, dash */
    DRAW_ARROW,  /* a line with a head at x2,y2 */
    DRAW_TEXT,   /* text at x,y (baseline); size, fill, align, bold */
    DRAW_CLIP,   /* clip to x,y,w,h until DRAW_UNCLIP */
    DRAW_UNCLIP,
    DRAW_POLY,   /* closed polygon of npts points; fill, stroke, lw */
    DRAW_CIRCLE  /* centre x,y radius w; fill, stroke, lw */
} draw_op;

typedef enum draw_tag {
    DRAW_TAG_NONE = 0, DRAW_TAG_TITLE, DRAW_TAG_BAR /* Simplified View, ref = future id */,
    DRAW_TAG_EXEC, DRAW_TAG_POLL, DRAW_TAG_PARK, DRAW_TAG_SYSCALL, DRAW_TAG_WAKE,
    DRAW_TAG_WAKE_ARROW, DRAW_TAG_PENDING, DRAW_TAG_READY, DRAW_TAG_CURSOR, DRAW_TAG_CAPTION,
    DRAW_TAG_BREAK, DRAW_TAG_INSTANT, DRAW_TAG_LEGEND, DRAW_TAG_LANE, DRAW_TAG_CROWD,
    DRAW_TAG_SELECT, DRAW_TAG_HELP, DRAW_TAG_DETAIL,
    DRAW_TAG_SOURCE /* the Rust source panel (viz/srcpanel.h) */,
    /* slide marks (viz/marks.h); ref = the event they mark unless said otherwise */
    DRAW_TAG_ERR,      /* a task's root future ended in Err: the Ready poll (both views) */
    DRAW_TAG_LOCAL,    /* a thread_local / task_local flag: the local event */
    DRAW_TAG_MOVE,     /* a task resumed on another thread: the poll */
    DRAW_TAG_CREATE,   /* a future created before its await: ref = future id */
    DRAW_TAG_CALLTIME, /* call-time work before a future exists: the compute event */
    DRAW_TAG_AFTER_READY, /* a poll after Ready: the poll */
    DRAW_TAG_NO_PROGRESS, /* a poll no wake of its own task caused (args.woken_by): the poll */
    DRAW_TAG_PANIC,       /* a poll that panicked or that a panic unwound through: the poll */
    DRAW_TAG_MEMORY,   /* the memory track (ref -1; its peak label ref = the peak's index) */
    DRAW_TAG_COMPARE, /* the compare page's run labels and counts table (viz/compare.h) */
    DRAW_TAG_QUIZ,    /* the quiz box (viz/quiz.h); a choice's box has ref = its index */
    DRAW_TAG_UNFINISHED /* a Simplified View bar's torn end: the future never completed; ref = future id */
} draw_tag;

enum { DRAW_LEFT = 0, DRAW_CENTER = 1, DRAW_RIGHT = 2 };

typedef struct draw_cmd {
    uint8_t op;      /* draw_op */
    uint8_t tag;     /* draw_tag */
    uint8_t align;   /* text: DRAW_LEFT / CENTER / RIGHT */
    uint8_t flags;   /* text: 1 bold; line: 2 dashed */
    float x, y, w, h; /* rect/clip: box; line/arrow: w,h are x2,y2; circle: w is the radius */
    float lw;        /* stroke width */
    float size;      /* text: pixel size */
    draw_rgba fill, stroke;
    uint32_t data;   /* text: offset into text; poly: first point index into pts */
    uint32_t npts;   /* poly: number of points */
    int32_t ref;     /* event index / future id, -1 for none */
} draw_cmd;

enum { DRAW_BOLD = 1, DRAW_DASHED = 2 };

typedef struct draw_list {
    draw_cmd *cmd; size_t n, cap;
    char *text; size_t tlen, tcap;    /* NUL-separated strings */
    float *pts; size_t npts, pcap;    /* x,y pairs */
    float width, height;              /* canvas size */
    draw_rgba background;
} draw_list;

void draw_list_init(draw_list *d, float width, float height, draw_rgba background);
void draw_list_clear(draw_list *d);
void draw_list_free(draw_list *d);

/* Each returns the new command (NULL if out of memory), so callers can set tag and ref. */
draw_cmd *draw_rect(draw_list *d, float x, float y, float w, float h, draw_rgba fill, draw_rgba stroke, float lw);
draw_cmd *draw_line(draw_list *d, float x1, float y1, float x2, float y2, draw_rgba c, float lw, int dashed);
draw_cmd *draw_arrow(draw_list *d, float x1, float y1, float x2, float y2, draw_rgba c, float lw);
draw_cmd *draw_text(draw_list *d, float x, float y, const char *s, float size, draw_rgba c, int align, int bold);
draw_cmd *draw_clip(draw_list *d, float x, float y, float w, float h);
draw_cmd *draw_unclip(draw_list *d);
draw_cmd *draw_poly(draw_list *d, const float *xy, int npts, draw_rgba fill, draw_rgba stroke, float lw);
draw_cmd *draw_circle(draw_list *d, float cx, float cy, float r, draw_rgba fill, draw_rgba stroke, float lw);

const char *draw_cmd_text(const draw_list *d, const draw_cmd *c);
const float *draw_cmd_pts(const draw_list *d, const draw_cmd *c);

/* Moves the commands from index `from` to the end so they come at index `at` (drawn
 * before what was in between): a layout can add a background late. */
int draw_list_move_back(draw_list *d, size_t at, size_t from);

/* Appends src's commands to d, moved down by dy (a page made of laid-out parts: the
 * compare page stacks two runs). Returns 0, -1 when out of memory. */
int draw_list_append(draw_list *d, const draw_list *src, float dy);

/* Removes the commands whose drop[i] is nonzero (drop has d->n entries), keeping the
 * order of the rest. Returns how many went. */
size_t draw_list_drop(draw_list *d, const uint8_t *drop);

/* Estimated advance width of s at pixel size (DejaVu Sans metrics; Hangul is full
 * width). Layout uses it to decide which labels fit, the same for every backend. */
float draw_text_width(const char *s, float size);

/* The same for a bold text when bold is nonzero (Latin bold is about 14 % wider). */
float draw_text_width_b(const char *s, float size, int bold);

/* The last command with ref >= 0 whose box contains (x, y), or -1. */
long draw_hit(const draw_list *d, float x, float y);

/* Colour helpers. */
static inline draw_rgba draw_rgb(uint32_t rgb) { return (rgb << 8) | 0xFF; }
static inline draw_rgba draw_alpha(draw_rgba c, float a) {
    uint32_t al = (uint32_t)((float)(c & 0xFF) * a);
    return (c & 0xFFFFFF00u) | (al > 255 ? 255 : al);
}
draw_rgba draw_mix(draw_rgba a, draw_rgba b, float t); /* a*(1-t) + b*t, alpha of a */



/* The head triangle of an arrow command (x,y of three points), shared by the backends
 * so the arrows look the same everywhere. */
void draw_arrow_head(const draw_cmd *c, float out[6]);
#endif
