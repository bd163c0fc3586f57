/* svg: the SVG backend. See svg.h. */
#include "viz/svg.h"

#include <errno.h>
#include <string.h>

#include "trace/outfile.h"
#include "trace/utf8.h"

static void color_attr(FILE *f, const char *name, draw_rgba c) {
    if (!(c & 0xFF)) { fprintf(f, " %s=\"none\"", name); return; }
    fprintf(f, " %s=\"#%06x\"", name, c >> 8);
    if ((c & 0xFF) != 0xFF) fprintf(f, " %s-opacity=\"%.3f\"", name, (double)(c & 0xFF) / 255.0);
}

static void stroke_attrs(FILE *f, draw_rgba c, float lw) {
    color_attr(f, "stroke", lw > 0 ? c : 0);
    if ((c & 0xFF) && lw > 0) fprintf(f, " stroke-width=\"%.2f\"", (double)lw);
}

/* XML-escapes text, and keeps it valid XML whatever it holds: an invalid UTF-8 sequence
 * becomes U+FFFD, and the characters XML 1.0 forbids (control characters, U+FFFE, U+FFFF)
 * are dropped. */
static void escape(FILE *f, const char *s) {
    while (*s) {
        uint32_t c;
        size_t n = utf8_decode(s, &c);
        if (c == '<') fputs("&lt;", f);
        else if (c == '>') fputs("&gt;", f);
        else if (c == '&') fputs("&amp;", f);
        else if (c == '"') fputs("&quot;", f);
        else if ((c < 0x20 && c != '\t') || c == 0xFFFE || c == 0xFFFF) {}
        else if (c == UTF8_BAD) fputs("\xEF\xBF\xBD", f);
        else fwrite(s, 1, n, f);
        s += n;
    }
}

static void text_el(FILE *f, const draw_list *d, const draw_cmd *c) {
    static const char *anchor[] = {"start", "middle", "end"};
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.1f\" text-anchor=\"%s\"%s", (double)c->x,
            (double)c->y, (double)c->size, anchor[c->align % 3], (c->flags & DRAW_BOLD) ? " font-weight=\"bold\"" : "");
    color_attr(f, "fill", c->fill);
    fputc('>', f);
    escape(f, draw_cmd_text(d, c));
    fputs("</text>\n", f);
}

static void poly_el(FILE *f, const float *p, uint32_t n, draw_rgba fill, draw_rgba stroke, float lw) {
    fputs("<polygon points=\"", f);
    for (uint32_t i = 0; i < n; i++) fprintf(f, "%s%.1f,%.1f", i ? " " : "", (double)p[2 * i], (double)p[2 * i + 1]);
    fputc('"', f);
    color_attr(f, "fill", fill);
    stroke_attrs(f, stroke, lw);
    fputs("/>\n", f);
}

/* clip[0]: a clip group is open; clip[1]: the last clip id used. */
static void cmd_el(FILE *f, const draw_list *d, const draw_cmd *c, int clip[2]) {
    switch (c->op) {
    case DRAW_RECT:
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\"", (double)c->x, (double)c->y,
                (double)c->w, (double)c->h);
        color_attr(f, "fill", c->fill);
        stroke_attrs(f, c->stroke, c->w >= 3 ? c->lw : 0);
        fputs("/>\n", f);
        break;
    case DRAW_LINE:
    case DRAW_ARROW: {
        float head[6];
        float x2 = c->w, y2 = c->h;
        if (c->op == DRAW_ARROW) { draw_arrow_head(c, head); x2 = (head[2] + head[4]) / 2; y2 = (head[3] + head[5]) / 2; }
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"", (double)c->x, (double)c->y, (double)x2, (double)y2);
        stroke_attrs(f, c->stroke, c->lw);
        if (c->flags & DRAW_DASHED) fputs(" stroke-dasharray=\"5 4\"", f);
        fputs("/>\n", f);
        if (c->op == DRAW_ARROW) poly_el(f, head, 3, c->stroke, 0, 0);
        break;
    }
    case DRAW_TEXT: text_el(f, d, c); break;
    case DRAW_POLY: poly_el(f, draw_cmd_pts(d, c), c->npts, c->fill, c->stroke, c->lw); break;
    case DRAW_CIRCLE:
        fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\"", (double)c->x, (double)c->y, (double)c->w);
        color_attr(f, "fill", c->fill);
        stroke_attrs(f, c->stroke, c->lw);
        fputs("/>\n", f);
        break;
    case DRAW_CLIP: /* clips do not nest: a new one closes the open group */
        if (clip[0]) fputs("</g>\n", f);
        clip[0] = 1;
        clip[1]++;
        fprintf(f, "<clipPath id=\"c%d\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/></clipPath>\n"
                   "<g clip-path=\"url(#c%d)\">\n", clip[1], (double)c->x, (double)c->y, (double)c->w, (double)c->h,
                clip[1]);
        break;
    case DRAW_UNCLIP:
        if (clip[0]) fputs("</g>\n", f);
        clip[0] = 0;
        break;
    }
}

int svg_write_stream(const draw_list *d, FILE *f) {
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
               "font-family=\"DejaVu Sans, NanumBarunGothic, Noto Sans CJK KR, sans-serif\">\n",
            (double)d->width, (double)d->height, (double)d->width, (double)d->height);
    fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"#%06x\"/>\n", d->background >> 8);
    int clip[2] = {0, 0};
    for (size_t i = 0; i < d->n; i++) cmd_el(f, d, &d->cmd[i], clip);
    if (clip[0]) fputs("</g>\n", f);
    fputs("</svg>\n", f);
    return ferror(f) ? -1 : 0;
}

int svg_write(const draw_list *d, const char *path, char *err, size_t errlen) {
    outfile o;
    if (!outfile_open(&o, path)) { snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno)); return -1; }
    int rc = svg_write_stream(d, o.f);
    if (outfile_close(&o, rc == 0) != 0) rc = -1;
    if (rc) snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
    return rc;
}
