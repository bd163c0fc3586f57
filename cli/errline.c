#include "cli/errline.h"

#include <stdarg.h>
#include <stdio.h>

#include "trace/printable.h"

void errline(const char *cmd, const char *fmt, ...) {
    char raw[4096], safe[4 * sizeof raw];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    printable(safe, sizeof safe, raw, 0);
    if (cmd) fprintf(stderr, "pinata %s: %s\n", cmd, safe);
    else fprintf(stderr, "pinata: %s\n", safe);
}

const char *errline_safe(char *buf, unsigned long cap, const char *s) {
    printable(buf, cap, s, 0);
    return buf;
}

void errline_text(const char *text) {
    char safe[8192];
    printable(safe, sizeof safe, text, PRINTABLE_KEEP_NEWLINES);
    fputs(safe, stderr);
}
