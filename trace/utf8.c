/* utf8: see utf8.h. */
#include "trace/utf8.h"

size_t utf8_decode(const char *str, uint32_t *cp) {
    const unsigned char *s = (const unsigned char *)str;
    unsigned c = s[0], need;
    uint32_t v, min;
    if (c < 0x80) { *cp = c; return 1; }
    if (c >= 0xC2 && c < 0xE0) { need = 1; v = c & 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c < 0xF0) { need = 2; v = c & 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c < 0xF5) { need = 3; v = c & 0x07; min = 0x10000; }
    else { *cp = UTF8_BAD; return 1; }
    for (unsigned k = 1; k <= need; k++) { /* stops at the first non-continuation: a NUL too */
        if ((s[k] & 0xC0) != 0x80) { *cp = UTF8_BAD; return 1; }
        v = v << 6 | (s[k] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v < 0xE000)) { *cp = UTF8_BAD; return 1; }
    *cp = v;
    return need + 1;
}

size_t utf8_encode(uint32_t cp, char out[4]) {
    if (cp < 0x80) { out[0] = (char)cp; return 1; }
    if (cp < 0x800) { out[0] = (char)(0xC0 | cp >> 6); out[1] = (char)(0x80 | (cp & 63)); return 2; }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12); out[1] = (char)(0x80 | ((cp >> 6) & 63));
        out[2] = (char)(0x80 | (cp & 63));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18); out[1] = (char)(0x80 | ((cp >> 12) & 63));
    out[2] = (char)(0x80 | ((cp >> 6) & 63)); out[3] = (char)(0x80 | (cp & 63));
    return 4;
}

/* The length of the valid character at s[i] within n bytes, 0 when invalid or cut. */
static size_t valid_at(const char *s, size_t i, size_t n) {
    unsigned char c = (unsigned char)s[i];
    if (c == 0) return 0;
    if (c < 0x80) return 1;
    char tmp[5] = {0};
    for (size_t k = 0; k < 4 && i + k < n; k++) tmp[k] = s[i + k]; /* decode never reads past n */
    uint32_t cp;
    size_t len = utf8_decode(tmp, &cp);
    return cp == UTF8_BAD && len == 1 ? 0 : len; /* a real U+FFFD takes 3 bytes */
}

int utf8_valid(const char *s, size_t n) {
    for (size_t i = 0; i < n;) {
        if ((unsigned char)s[i] < 0x80 && s[i]) { i++; continue; }
        size_t len = valid_at(s, i, n);
        if (!len) return 0;
        i += len;
    }
    return 1;
}

size_t utf8_repair(const char *s, size_t n, char *out) {
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        size_t len = valid_at(s, i, n);
        if (len) { for (size_t k = 0; k < len; k++) out[o++] = s[i + k]; i += len; }
        else { o += utf8_encode(UTF8_BAD, out + o); i++; }
    }
    out[o] = '\0';
    return o;
}

size_t utf8_cut(const char *s, size_t n) {
    size_t m = n;
    /* back over continuation bytes to the lead byte of the character that would be split */
    while (m > 0 && n - m < 3 && ((unsigned char)s[m] & 0xC0) == 0x80) m--;
    return ((unsigned char)s[m] & 0xC0) == 0x80 ? n : m;
}
