/* printable: text that came from an input (a scenario's names and strings, a trace's
 * strings, a file name) made safe to print on a terminal. An ESC in a scenario name must
 * not recolour, move the cursor or retitle the user's terminal.
 *
 * Control characters (C0, DEL, and C1 U+0080..U+009F, which some terminals obey too) and
 * bytes that are not UTF-8 are written as \xNN, one per byte; everything else, Korean
 * included, is copied as it is. Used by every error line of the CLI (cli/errline) and by
 * `pinata text` (viz/textline). */
#ifndef PINATA_PRINTABLE_H
#define PINATA_PRINTABLE_H
#include <stddef.h>

enum { PRINTABLE_KEEP_NEWLINES = 1 }; /* for text of several lines (a trace's warnings) */

/* Copies src into dst (cap bytes, always NUL-terminated), escaped as above; a character or
 * an escape that does not fit whole is left out with everything after it. Returns the
 * length written. */
size_t printable(char *dst, size_t cap, const char *src, int flags);

#endif
