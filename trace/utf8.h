/* utf8: walking UTF-8 text from files we did not write.
 *
 * Every string the viewer draws or writes may come from a hostile trace: a cut character,
 * a stray continuation byte, an overlong form. These walkers never read past the NUL that
 * ends a string (a continuation byte is never 0) and read an invalid sequence as U+FFFD,
 * one byte at a time, so no input makes them skip the end or stop early. */
#ifndef PINATA_UTF8_H
#define PINATA_UTF8_H
#include <stddef.h>
#include <stdint.h>

enum { UTF8_BAD = 0xFFFD }; /* U+FFFD REPLACEMENT CHARACTER, "\xEF\xBF\xBD" */

/* Decodes the character at s (s[0] != 0): returns the bytes it takes (1..4) and its code
 * point in *cp; an invalid or cut sequence takes 1 byte and gives UTF8_BAD. */
size_t utf8_decode(const char *s, uint32_t *cp);

/* Writes cp (< 0x110000, not a surrogate) as UTF-8 into out (4 bytes); returns its length. */
size_t utf8_encode(uint32_t cp, char out[4]);

/* True when s[0..n) is well-formed UTF-8 with no NUL byte. */
int utf8_valid(const char *s, size_t n);

/* Copies s[0..n) to out, every invalid sequence (and NUL) replaced by U+FFFD; out holds at
 * least 3 * n + 1 bytes. Returns the length written (out is NUL-terminated). */
size_t utf8_repair(const char *s, size_t n, char *out);

/* The largest m <= n such that cutting s at m does not split a character; s[n] must be
 * readable (the NUL ending s counts). */
size_t utf8_cut(const char *s, size_t n);

#endif
