#include "trace/printable.h"

#include <stdio.h>
#include <string.h>

/* The length of the valid UTF-8 character at s (1..4), or 0 when s[0] does not start one
 * (a stray continuation byte, an overlong form, a surrogate, past U+10FFFF, cut short). */
static int utf8_len(const unsigned char *s) {
    unsigned char c = s[0];
    int n;
    unsigned char lo = 0x80, hi = 0xBF; /* the range of the second byte */
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) lo = 0xA0; /* overlong */
        if (c == 0xED) hi = 0x9F; /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else return 0;
    if (s[1] < lo || s[1] > hi) return 0;
    for (int i = 2; i < n; i++)
        if (s[i] < 0x80 || s[i] > 0xBF) return 0;
    return n;
}

/* C0 and DEL, and C1 (U+0080..U+009F: 0xC2 0x80..0x9F). */
static int is_control(const unsigned char *s, int n) {
    return (n == 1 && (s[0] < 0x20 || s[0] == 0x7F)) || (n == 2 && s[0] == 0xC2 && s[1] < 0xA0);
}

size_t printable(char *dst, size_t cap, const char *src, int flags) {
    size_t o = 0;
    if (!cap) return 0;
    for (const unsigned char *s = (const unsigned char *)src; *s;) {
        int n = utf8_len(s);
        int esc = n == 0 || (is_control(s, n) && !(*s == '\n' && (flags & PRINTABLE_KEEP_NEWLINES)));
        int bytes = n ? n : 1;
        size_t need = esc ? 4 * (size_t)bytes : (size_t)bytes;
        if (o + need >= cap) break;
        if (esc)
            for (int i = 0; i < bytes; i++) o += (size_t)snprintf(dst + o, cap - o, "\\x%02x", s[i]);
        else {
            memcpy(dst + o, s, (size_t)bytes);
            o += (size_t)bytes;
        }
        s += bytes;
    }
    dst[o] = '\0';
    return o;
}
