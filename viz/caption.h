/* caption: one step of the run told in plain words, in English or Korean, for the
 * classroom ("B (connect) returns Pending: not ready yet; its waker is kept").
 * Pure text: no drawing, no allocation. */
#ifndef PINATA_CAPTION_H
#define PINATA_CAPTION_H
#include <stddef.h>
#include "viz/tindex.h"
#include "trace/tload.h"

typedef enum caption_lang { CAPTION_EN = 0, CAPTION_KO = 1 } caption_lang;

/* Writes the narration of step code (see tindex.h) into buf; returns buf. */
const char *caption_step(const tload_trace *t, const tindex *ix, uint32_t code, caption_lang lang,
                         char *buf, size_t len);

/* "A (cheapo_request)" for future id f, or the bare name when there is no letter. */
const char *caption_future(const tload_trace *t, const tindex *ix, int32_t f, char *buf, size_t len);

#endif
