/* The trace writer: valid JSON, exact number formats, flows, and no partial files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "sim/trace.h"
#include "util_trace.h"

static char *write_sample(void) {
    char *buf;
    size_t len;
    FILE *f = open_memstream(&buf, &len);
    trace_t *t = trace_open_stream(f);
    trace_begin(t, "X", "poll", "read_to_string", 1, 1500, 2001);
    trace_arg_int(t, "task", -7);
    trace_arg_str(t, "by", "say \"hi\"\\\n");
    trace_arg_null(t, "parent");
    trace_flow(t, trace_next_flow(t), 0);
    trace_end(t);
    trace_begin(t, "i", "net", "chunk", TRACE_TID_OS, 0, 0);
    trace_end(t);
    trace_close(t, 1);
    fclose(f);
    return buf;
}

static void a_trace_should_be_a_json_array_with_microsecond_times(void **s) {
    (void)s;
    char *buf = write_sample();
    /* 1500 ns = 3072/2048 µs; the end, 3501 ns, is 7170/2048 µs (docs/trace-format.md, Times) */
    assert_non_null(strstr(buf, "\"ts\":1.5,\"dur\":2.0009765625"));
    cJSON *j = cJSON_Parse(buf);
    assert_non_null(j);
    assert_int_equal(cJSON_GetArraySize(j), 2);
    cJSON *e = cJSON_GetArrayItem(j, 0);
    assert_string_equal(ut_arg_str(e, "by"), "say \"hi\"\\\n");
    assert_true(ut_arg_is_null(e, "parent"));
    assert_int_equal((int)ut_arg_num(e, "task"), -7);
    assert_int_equal((int)ut_num(e, "bind_id"), 1);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(e, "flow_in")));
    assert_string_equal(ut_str(cJSON_GetArrayItem(j, 1), "s"), "t");
    cJSON_Delete(j);
    free(buf);
}

/* Writes a slice [ts, ts + dur] then an instant at its end, and reads the three times back as
 * a JSON reader does (strtod: the nearest double). */
static void times_of(int64_t ts, int64_t dur, double *t0, double *d, double *t1) {
    char *buf;
    size_t len;
    FILE *f = open_memstream(&buf, &len);
    trace_t *t = trace_open_stream(f);
    trace_begin(t, "X", "poll", "p", 1, ts, dur);
    trace_end(t);
    trace_begin(t, "i", "net", "at_end", 1, ts + dur, 0);
    trace_end(t);
    trace_close(t, 1);
    fclose(f);
    const char *p = strstr(buf, "\"ts\":"), *q = strstr(buf, "\"dur\":"), *r = strstr(p + 1, "\"ts\":");
    assert_true(p && q && r);
    *t0 = strtod(p + 5, NULL);
    *d = strtod(q + 6, NULL);
    *t1 = strtod(r + 5, NULL);
    free(buf);
}

/* The times every viewer reads: exact binary fractions, so a float ts + dur is the next
 * slice's ts (speedscope mis-nested a thread when 35018.4 + 4985.8 passed 40004.2), also
 * after rebasing on another ts; and ×1000 rounded gives the nanoseconds back (Perfetto). */
static void times_should_be_exact_in_binary_and_round_to_the_nanosecond(void **s) {
    (void)s;
    uint64_t x = 88172645463325252ull; /* xorshift: the same cases every run */
    int64_t fixed[][2] = {{0, 0}, {1, 1}, {62, 63}, {124, 1}, {125, 125}, {999, 1001},
                          {35018400, 4985800}, {4000000000000000 - 7, 7}};
    for (int i = 0; i < 2000; i++) {
        int64_t ts, dur;
        if (i < (int)(sizeof fixed / sizeof *fixed)) { ts = fixed[i][0]; dur = fixed[i][1]; }
        else {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            int64_t scale = (int64_t)1 << (x % 40); /* from ns to days of virtual time */
            ts = (int64_t)((x >> 24) % (uint64_t)(scale * 100));
            dur = (int64_t)((x >> 8) % (uint64_t)(scale + 1));
        }
        double t0, d, t1;
        times_of(ts, dur, &t0, &d, &t1);
        assert_true(t0 * 2048 == floor(t0 * 2048));
        assert_true(llround(t0 * 1000) == ts);
        assert_true(llround(d * 1000) == dur);
        assert_true(llround(t1 * 1000) == ts + dur);
        if (t0 + d != t1) fail_msg("ts %lld + dur %lld: %.17g + %.17g != %.17g", (long long)ts, (long long)dur, t0, d, t1);
        double base = floor(t0 / 3); /* speedscope subtracts the thread's first ts */
        assert_true((t0 - base) + d == t1 - base);
    }
}

static void metadata_should_carry_the_metadata_category(void **s) {
    (void)s;
    char *buf;
    size_t len;
    FILE *f = open_memstream(&buf, &len);
    trace_t *t = trace_open_stream(f);
    trace_begin(t, "M", NULL, "thread_name", 1, 0, 0);
    trace_arg_str(t, "name", "main");
    trace_end(t);
    trace_close(t, 1);
    fclose(f);
    cJSON *j = cJSON_Parse(buf);
    assert_non_null(j);
    assert_string_equal(ut_str(cJSON_GetArrayItem(j, 0), "cat"), "__metadata");
    cJSON_Delete(j);
    free(buf);
}

static void one_event_should_be_written_per_line(void **s) {
    (void)s;
    char *buf = write_sample();
    int lines = 0;
    for (char *p = buf; *p; p++) lines += *p == '\n';
    assert_int_equal(lines, 4); /* "[", two events, "]" */
    free(buf);
}

static void a_trace_closed_without_keep_should_leave_no_file(void **s) {
    (void)s;
    size_t before = ut_temporaries("t_trace_gone.json");
    trace_t *t = trace_open("t_trace_gone.json");
    assert_non_null(t);
    assert_int_equal(ut_temporaries("t_trace_gone.json"), before + 1);
    trace_begin(t, "i", "run", "x", 1, 0, 0);
    trace_end(t);
    trace_close(t, 0);
    assert_int_equal(ut_temporaries("t_trace_gone.json"), before);
    assert_int_not_equal(access("t_trace_gone.json", F_OK), 0);
}

static void a_kept_trace_should_appear_only_at_close(void **s) {
    (void)s;
    remove("t_trace_kept.json");
    trace_t *t = trace_open("t_trace_kept.json");
    trace_begin(t, "i", "run", "x", 1, 0, 0);
    trace_end(t);
    assert_int_not_equal(access("t_trace_kept.json", F_OK), 0);
    assert_int_equal(trace_close(t, 1), 0);
    cJSON *j = ut_load("t_trace_kept.json");
    assert_non_null(j);
    cJSON_Delete(j);
    remove("t_trace_kept.json");
}

static void a_trace_in_a_missing_directory_should_fail_to_open(void **s) {
    (void)s;
    assert_null(trace_open("/nonexistent-dir/x.json"));
}

static void a_null_trace_should_record_nothing_and_not_crash(void **s) {
    (void)s;
    trace_begin(NULL, "X", "poll", "x", 1, 0, 0);
    trace_arg_int(NULL, "a", 1);
    trace_end(NULL);
    assert_int_equal(trace_next_flow(NULL), 0);
    assert_int_equal(trace_close(NULL, 1), 0);
}

/* Issue 9, the output budget: no byte past it reaches the file, the writer says it is full,
 * and the file is not kept. */
static void a_trace_past_its_budget_should_write_no_more_and_keep_no_file(void **s) {
    (void)s;
    char *buf;
    size_t len;
    FILE *f = open_memstream(&buf, &len);
    trace_t *t = trace_open_stream(f);
    trace_set_budget(t, 100000);
    int events = 0;
    for (; events < 1000000 && !trace_full(t); events++) {
        trace_begin(t, "X", "poll", "yield_now", 1, events * 1000, 1000);
        trace_arg_int(t, "task", 1);
        trace_end(t);
    }
    assert_true(trace_full(t));
    assert_true(events > 500 && events < 100000); /* stopped near the budget, not at the end of the loop */
    trace_begin(t, "i", "run", "after", 1, 0, 0);
    trace_end(t);
    assert_int_equal(trace_close(t, 1), -1); /* a cut trace is no trace */
    fflush(f);
    assert_true(len <= 100000);
    fclose(f);
    free(buf);
    remove("t_trace_budget.json");
    t = trace_open("t_trace_budget.json");
    trace_set_budget(t, 10);
    trace_begin(t, "i", "run", "x", 1, 0, 0);
    trace_end(t);
    assert_int_equal(trace_close(t, 1), -1);
    assert_int_not_equal(access("t_trace_budget.json", F_OK), 0);
    assert_int_equal(ut_temporaries("t_trace_budget.json"), 0);
}


/* JSON allows a control character in a string only escaped: an ESC in a scenario's name must
 * give \u001b, short names (the 16-byte path) and long ones alike. */
static void control_characters_should_be_escaped_in_strings(void **s) {
    (void)s;
    char *buf;
    size_t len;
    FILE *f = open_memstream(&buf, &len);
    trace_t *t = trace_open_stream(f);
    trace_begin(t, "i", "run", "a\x1b[1mb", 1, 0, 0);
    trace_arg_str(t, "x", "bell\x07 and a name longer than thirty-two bytes \x01");
    trace_arg_str(t, "y", "0123456789abcdef\x1f");
    trace_end(t);
    trace_close(t, 1);
    fclose(f);
    for (const char *p = buf; *p; p++)
        if ((unsigned char)*p < 0x20 && *p != '\n') fail_msg("a raw control character 0x%02x in the trace", *p);
    assert_non_null(strstr(buf, "\"a\\u001b[1mb\""));
    assert_non_null(strstr(buf, "\"bell\\u0007 and a name longer than thirty-two bytes \\u0001\""));
    assert_non_null(strstr(buf, "\"0123456789abcdef\\u001f\""));
    cJSON *j = cJSON_Parse(buf);
    assert_non_null(j);
    assert_string_equal(ut_str(cJSON_GetArrayItem(j, 0), "name"), "a\x1b[1mb");
    cJSON_Delete(j);
    free(buf);
}

/* ---------- the writer against a plain model of the format ---------- */

/* The format of docs/trace-format.md written the slow, obvious way (snprintf, a byte at a
 * time), to compare the fast writer with byte for byte. */
typedef struct model {
    char *buf;
    size_t len, cap;
} model;

static void m_put(model *m, const char *s, size_t n) {
    if (m->len + n + 1 > m->cap) {
        m->cap = (m->len + n + 1) * 2;
        m->buf = realloc(m->buf, m->cap);
        assert_non_null(m->buf);
    }
    memcpy(m->buf + m->len, s, n);
    m->len += n;
    m->buf[m->len] = 0;
}
static void m_lit(model *m, const char *s) { m_put(m, s, strlen(s)); }
static void m_int(model *m, int64_t v) {
    char b[32];
    m_put(m, b, (size_t)snprintf(b, sizeof b, "%lld", (long long)v));
}
static void m_us(model *m, int64_t ns) {
    char b[48];
    uint64_t u = ns < 0 ? 0 - (uint64_t)ns : (uint64_t)ns;
    m_put(m, b, (size_t)snprintf(b, sizeof b, "%s%llu.%03u", ns < 0 ? "-" : "", (unsigned long long)(u / 1000),
                                 (unsigned)(u % 1000)));
}
/* An event time: the multiple of 1/2048 µs nearest to ns (docs/trace-format.md, "Times"). */
static uint64_t m_grid_of(int64_t ns) { return (uint64_t)(((unsigned __int128)ns * 512 + 125) / 250); }
/* k/2048 µs in decimal, exactly: printf of the double (exact below 2^53), trailing zeros cut. */
static void m_grid(model *m, uint64_t k) {
    char b[64];
    int n = snprintf(b, sizeof b, "%.11f", (double)k / 2048.0);
    while (b[n - 1] == '0') n--;
    if (b[n - 1] == '.') n--;
    m_put(m, b, (size_t)n);
}
/* A string with nothing to escape is written whole; one with something to escape is
 * escaped into at most 1 KiB (the writer's documented bound, trace_escape's cap). */
static void m_str(model *m, const char *s) {
    int plain = 1;
    for (const char *p = s; *p; p++) plain &= *p != '"' && *p != '\\' && (unsigned char)*p >= 0x20;
    m_lit(m, "\"");
    if (plain) {
        m_lit(m, s);
    } else {
        size_t n = 0;
        for (; *s && n + 7 < 1024; s++) {
            unsigned char c = (unsigned char)*s;
            char b[8];
            if (c == '"' || c == '\\') snprintf(b, sizeof b, "\\%c", c);
            else if (c == '\n') snprintf(b, sizeof b, "\\n");
            else if (c == '\t') snprintf(b, sizeof b, "\\t");
            else if (c < 0x20) snprintf(b, sizeof b, "\\u%04x", c);
            else snprintf(b, sizeof b, "%c", c);
            m_lit(m, b);
            n += strlen(b);
        }
    }
    m_lit(m, "\"");
}

static uint64_t rnd_state = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void) { /* xorshift64*: the same sequence on every run */
    rnd_state ^= rnd_state >> 12, rnd_state ^= rnd_state << 25, rnd_state ^= rnd_state >> 27;
    return rnd_state * 0x2545F4914F6CDD1Dull;
}

/* A string at a random place in arena (so it may end right before a page boundary): mostly
 * short names, some hundreds or thousands of bytes, a few past the writer's 64 KiB buffer;
 * sometimes with a character to escape or UTF-8. */
static const char *rnd_str(char *arena, size_t cap) {
    uint64_t k = rnd() % 100;
    size_t n = k < 80 ? rnd() % 40 : k < 97 ? rnd() % 3000 : 65536 + rnd() % 9000;
    char *s = arena + rnd() % (cap - n - 1);
    static const char alpha[] = "abcdefghijklmnopqrstuvwxyz_ .:()0123456789";
    for (size_t i = 0; i < n; i++) s[i] = alpha[rnd() % (sizeof alpha - 1)];
    if (n && rnd() % 4 == 0) { /* something to escape, or a byte of UTF-8 */
        static const char odd[] = {'"', '\\', '\n', '\t', 0x01, 0x1b, 0x1f, (char)0xc3, (char)0xa9};
        s[rnd() % n] = odd[rnd() % sizeof odd];
    }
    s[n] = 0;
    return s;
}

static int64_t rnd_int(void) {
    switch (rnd() % 6) {
    case 0: return (int64_t)(rnd() % 10);
    case 1: return -(int64_t)(rnd() % 100000);
    case 2: return INT64_MIN;
    case 3: return INT64_MAX - (int64_t)(rnd() % 3);
    case 4: return (int64_t)rnd();
    default: return (int64_t)(rnd() % 10000000000ull);
    }
}

static void write_both(trace_t *t, model *m, char *arena, size_t cap, int i) {
    static const char *const phs[] = {"X", "i", "C", "M"};
    const char *ph = phs[rnd() % 4];
    const char *cat = rnd() % 5 ? rnd_str(arena, cap) : NULL;
    char catcopy[80000]; /* the next strings may overwrite the arena */
    if (cat) cat = strcpy(catcopy, cat);
    const char *name = rnd_str(arena, cap);
    int tid = (int)rnd_int();
    /* times within the run's clock: ts and dur at most 1e15 ns, as a scenario's durations */
    int64_t ts = (int64_t)(rnd() % 1000000000000001ull), dur = (int64_t)(rnd() % (rnd() % 2 ? 100000 : 1000000000000001ull));
    m_lit(m, i ? ",\n{\"ph\":\"" : "{\"ph\":\"");
    m_lit(m, ph);
    m_lit(m, "\"");
    if (ph[0] == 'i') m_lit(m, ",\"s\":\"t\"");
    if (ph[0] == 'M') m_lit(m, ",\"cat\":\"__metadata\""); /* every M event's */
    else if (cat) m_lit(m, ",\"cat\":"), m_str(m, cat);
    m_lit(m, ",\"name\":"), m_str(m, name);
    m_lit(m, ",\"ts\":"), m_grid(m, m_grid_of(ts));
    if (ph[0] == 'X') m_lit(m, ",\"dur\":"), m_grid(m, m_grid_of(ts + dur) - m_grid_of(ts));
    m_lit(m, ",\"pid\":1,\"tid\":"), m_int(m, tid);
    trace_begin(t, ph, cat, name, tid, ts, dur);
    int nargs = (int)(rnd() % 10);
    static const char *const keys[] = {"task", "future", "parent", "result", "detail", "by", "bytes", "a_longer_key_of_thirty_two_chars"};
    for (int a = 0; a < nargs; a++) {
        const char *key = keys[rnd() % 8];
        m_lit(m, a ? "," : ",\"args\":{");
        m_str(m, key);
        m_lit(m, ":");
        int64_t v = rnd_int();
        switch (rnd() % 6) {
        case 0: trace_arg_int(t, key, v), m_int(m, v); break;
        case 1: trace_arg_us(t, key, v), m_us(m, v); break;
        case 2: {
            const char *s = rnd() % 8 ? rnd_str(arena, cap) : NULL;
            trace_arg_str(t, key, s), m_str(m, s ? s : "");
            break;
        }
        case 3: trace_arg_null(t, key), m_lit(m, "null"); break;
        case 4: trace_arg_bool(t, key, (int)(v & 1)), m_lit(m, v & 1 ? "true" : "false"); break;
        default: {
            const char *s = rnd_str(arena, cap); /* raw: copied as it is */
            trace_arg_raw(t, key, s), m_lit(m, s);
        }
        }
    }
    if (nargs) m_lit(m, "}");
    if (rnd() % 3 == 0) {
        uint64_t id = trace_next_flow(t);
        int out = (int)(rnd() & 1);
        trace_flow(t, id, out);
        m_lit(m, ",\"bind_id\":"), m_int(m, (int64_t)id), m_lit(m, out ? ",\"flow_out\":true" : ",\"flow_in\":true");
    }
    m_lit(m, "}");
    trace_end(t);
}

/* An argument with a literal key (so the inline fast path writes it, as at every call site of
 * the simulator) and a value of any kind, some of them literals too. */
#define LIT_ARG(t, m, key, arena, cap)                                                              \
    do {                                                                                        \
        m_lit(m, "\"" key "\":");                                                                  \
        int64_t v = rnd_int();                                                                  \
        switch (rnd() % 7) {                                                                    \
        case 0: trace_arg_int(t, key, v), m_int(m, v); break;                                   \
        case 1: trace_arg_us(t, key, v), m_us(m, v); break;                                     \
        case 2: {                                                                               \
            const char *s_ = rnd() % 8 ? rnd_str(arena, cap) : NULL;                            \
            trace_arg_str(t, key, s_), m_str(m, s_ ? s_ : "");                                  \
            break;                                                                              \
        }                                                                                       \
        case 3: trace_arg_null(t, key), m_lit(m, "null"); break;                                \
        case 4: trace_arg_bool(t, key, (int)(v & 1)), m_lit(m, v & 1 ? "true" : "false"); break; \
        case 5: trace_arg_str(t, key, "Pending"), m_lit(m, "\"Pending\""); break;               \
        default: trace_arg_str(t, key, "a literal value of exactly forty bytes!!"),              \
                 m_lit(m, "\"a literal value of exactly forty bytes!!\"");                       \
        }                                                                                       \
    } while (0)

/* The same as write_both, through the calls as the simulator makes them: a literal phase,
 * category and keys (inlined: written by constants), names probed or literal. */
static void write_both_literal(trace_t *t, model *m, char *arena, size_t cap, int i) {
    int tid = (int)rnd_int();
    int64_t ts = (int64_t)(rnd() % 1000000000000001ull), dur = (int64_t)(rnd() % (rnd() % 2 ? 100000 : 1000000000000001ull));
    char namecopy[80000]; /* the next strings may overwrite the arena */
    const char *name = rnd() % 4 ? strcpy(namecopy, rnd_str(arena, cap)) : "read_to_string";
    const char *dyncat = rnd_str(arena, cap);
    char catcopy[80000];
    dyncat = strcpy(catcopy, dyncat);
    m_lit(m, i ? ",\n{\"ph\":\"" : "{\"ph\":\"");
    int shape = (int)(rnd() % 5);
    m_lit(m, (const char *[]){"X", "i", "C", "M", "X"}[shape]);
    m_lit(m, "\"");
    if (shape == 1) m_lit(m, ",\"s\":\"t\"");
    if (shape == 3) m_lit(m, ",\"cat\":\"__metadata\"");
    else if (shape == 4) m_lit(m, ",\"cat\":"), m_str(m, dyncat);
    else m_lit(m, shape == 0 ? ",\"cat\":\"poll\"" : shape == 1 ? ",\"cat\":\"waker\"" : ",\"cat\":\"memory\"");
    m_lit(m, ",\"name\":"), m_str(m, name);
    m_lit(m, ",\"ts\":"), m_grid(m, m_grid_of(ts));
    if (shape == 0 || shape == 4) m_lit(m, ",\"dur\":"), m_grid(m, m_grid_of(ts + dur) - m_grid_of(ts));
    m_lit(m, ",\"pid\":1,\"tid\":"), m_int(m, tid);
    switch (shape) {
    case 0: trace_begin(t, "X", "poll", name, tid, ts, dur); break;
    case 1: trace_begin(t, "i", "waker", name, tid, ts, dur); break;
    case 2: trace_begin(t, "C", "memory", name, tid, ts, dur); break;
    case 3: trace_begin(t, "M", NULL, name, tid, ts, dur); break;
    default: trace_begin(t, "X", dyncat, name, tid, ts, dur);
    }
    int nargs = (int)(rnd() % 10);
    for (int a = 0; a < nargs; a++) {
        m_lit(m, a ? "," : ",\"args\":{");
        switch (rnd() % 4) {
        case 0: LIT_ARG(t, m, "task", arena, cap); break;
        case 1: LIT_ARG(t, m, "future", arena, cap); break;
        case 2: LIT_ARG(t, m, "x", arena, cap); break;
        default: LIT_ARG(t, m, "a_key_of_exactly_thirty_two_byte", arena, cap);
        }
    }
    if (nargs) m_lit(m, "}");
    if (rnd() % 3 == 0) {
        uint64_t id = rnd() % 2 ? trace_next_flow(t) : rnd();
        int out = (int)(rnd() & 1);
        trace_flow(t, id, out);
        m_lit(m, ",\"bind_id\":"), m_int(m, (int64_t)id), m_lit(m, out ? ",\"flow_out\":true" : ",\"flow_in\":true");
    }
    m_lit(m, "}");
    trace_end(t);
}

/* Every fast path of the writer (short strings by 16-byte blocks, long ones, strings to
 * escape, numbers two digits at a time, the buffer's flushes) writes what the model does. */
static void the_writer_should_write_what_a_plain_model_of_the_format_writes(void **s) {
    (void)s;
    size_t cap = 1 << 18;
    char *arena = malloc(cap);
    assert_non_null(arena);
    char *buf;
    size_t len;
    FILE *f = open_memstream(&buf, &len);
    trace_t *t = trace_open_stream(f);
    model m = {0};
    m_lit(&m, "[\n");
    for (int i = 0; i < 8000; i++) {
        if (i % 2) write_both_literal(t, &m, arena, cap, i);
        else write_both(t, &m, arena, cap, i);
    }
    m_lit(&m, "\n]\n");
    assert_int_equal(trace_close(t, 1), 0);
    fclose(f);
    size_t at = 0;
    while (at < len && at < m.len && buf[at] == m.buf[at]) at++;
    if (at < len || at < m.len) fail_msg("byte %zu differs: writer \"%.60s\", model \"%.60s\"", at, buf + at, m.buf + at);
    free(buf);
    free(m.buf);
    free(arena);
}

/* trace_textf writes what snprintf does for the conversions it knows, truncated the same way. */
static void textf_should_write_what_snprintf_writes(void **s) {
    (void)s;
    char a[128], b[128];
    for (int i = 0; i < 3000; i++) {
        int64_t v = rnd_int();
        const char *str = i % 3 ? "en.wikipedia.org" : "";
        size_t cap = i % 7 ? sizeof a : (size_t)(i % 40);
        size_t n = trace_textf(a, cap, "fd %d readable: %s sent %lld bytes%.0lld", (int)v, str, (long long)v,
                               (long long)(i & 1 ? v : 0));
        int want = snprintf(b, cap, "fd %d readable: %s sent %lld bytes%.0lld", (int)v, str, (long long)v,
                            (long long)(i & 1 ? v : 0));
        if (cap) assert_string_equal(a, b);
        assert_int_equal(n, cap ? ((size_t)want < cap ? (size_t)want : cap - 1) : 0);
        trace_textf(a, sizeof a, "%u %lu %llu %zu %ld %i %% %.0d|", (unsigned)v, (unsigned long)v, (unsigned long long)v,
                    (size_t)v, (long)v, (int)(v >> 7), (int)(v & 3));
        snprintf(b, sizeof b, "%u %lu %llu %zu %ld %i %% %.0d|", (unsigned)v, (unsigned long)v, (unsigned long long)v,
                 (size_t)v, (long)v, (int)(v >> 7), (int)(v & 3));
        assert_string_equal(a, b);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(control_characters_should_be_escaped_in_strings),
        cmocka_unit_test(the_writer_should_write_what_a_plain_model_of_the_format_writes),
        cmocka_unit_test(textf_should_write_what_snprintf_writes),
        cmocka_unit_test(a_trace_past_its_budget_should_write_no_more_and_keep_no_file),
        cmocka_unit_test(a_trace_should_be_a_json_array_with_microsecond_times),
        cmocka_unit_test(times_should_be_exact_in_binary_and_round_to_the_nanosecond),
        cmocka_unit_test(metadata_should_carry_the_metadata_category),
        cmocka_unit_test(one_event_should_be_written_per_line),
        cmocka_unit_test(a_trace_closed_without_keep_should_leave_no_file),
        cmocka_unit_test(a_kept_trace_should_appear_only_at_close),
        cmocka_unit_test(a_trace_in_a_missing_directory_should_fail_to_open),
        cmocka_unit_test(a_null_trace_should_record_nothing_and_not_crash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
