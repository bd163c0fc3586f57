/* errline: the CLI's one way to print an error or a warning. Text in them may come from an
 * input (a file name, a scenario's names, a trace's strings), so it is made printable
 * (sim/printable: control characters become \xNN) before it reaches the terminal. */
#ifndef PINATA_ERRLINE_H
#define PINATA_ERRLINE_H

/* "pinata CMD: MESSAGE\n" on stderr, one line ("pinata: MESSAGE" when cmd is NULL). */
void errline(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Text of whole lines (a trace's warnings) on stderr, control characters but newlines
 * escaped. */
void errline_text(const char *text);

/* s made printable into buf (for the lines on stdout that name a file); returns buf. */
const char *errline_safe(char *buf, unsigned long cap, const char *s);

#endif
