/* msg: the message table and its small template language. See msg.h. */
#include "viz/msg.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* One row per message: English, Korean. Both use the same arguments. */
static const char *const MSG[MSG_COUNT][2] = {
    [MSG_SIMPLIFIED] = {"Simplified View", "Simplified View (단순화한 관점)"},
    [MSG_SIMPLIFIED_SUB] = {"each async call as one bar, from call to completion, as if synchronous",
                            "비동기 호출 하나를 호출부터 완료까지 막대 하나로: 동기 코드처럼 읽힌다"},
    [MSG_IMPLEMENTATION] = {"Implementation", "Implementation (실제 구현)"},
    [MSG_IMPLEMENTATION_SUB] = {"what really runs, per thread: polls nested in the executor; brown = the thread sleeps",
                                "스레드마다 실제로 실행되는 것: 실행기 안의 poll 호출, 갈색 = 스레드가 잠잔다"},
    [MSG_TASK_N] = {"task {1} {2}", "태스크 {1} {2}"},
    [MSG_MORE_TASKS] = {"… and {1} more tasks", "… 태스크 {1}개 더"},
    [MSG_MORE_THREADS] = {"… and {1} more threads, not drawn", "… 스레드 {1}개 더 (--view로 한 관점만, 확대해서 보기)"},
    [MSG_PARK_LABEL] = {"park (sleeps)", "park (잠잔다)"},
    [MSG_BLOCKED_LABEL] = {"blocked: {1}", "블록됨: {1}"},
    [MSG_LANE_OS] = {"OS: network & timers", "OS: 네트워크와 타이머"},
    [MSG_LANE_OS_SUB] = {"network, timers, wakes", "네트워크·타이머, 깨우기"},
    [MSG_LANE_SYNC_SUB] = {"thread: plain (blocking) calls", "스레드: 보통 함수 호출"},
    [MSG_LANE_EXEC_SUB] = {"thread: executor and polls", "스레드: 실행기와 poll"},
    [MSG_AXIS_COMPRESSED] = {"virtual time (compressed)", "가상 시간 (압축)"},
    [MSG_AXIS_PROPORTIONAL] = {"virtual time (proportional)", "가상 시간 (실제 비례)"},
    [MSG_AXIS_IDLE_SHORT] = {"≈ idle stretch drawn short", "≈ 대기 구간을 줄여 그림"},
    [MSG_LEG_POLL] = {"poll (task colour)", "poll (태스크 색)"},
    [MSG_LEG_PENDING] = {"returns Pending", "Pending 반환"},
    [MSG_LEG_READY] = {"returns Ready", "Ready 반환"},
    [MSG_LEG_PARK] = {"park / blocked: the thread waits", "park / 블록: 스레드가 기다린다"},
    [MSG_LEG_SYSCALL] = {"system call", "시스템 호출"},
    [MSG_LEG_EXEC] = {"executor (block_on)", "실행기 (block_on)"},
    [MSG_LEG_NET] = {"network event", "네트워크 이벤트"},
    [MSG_LEG_WAKE] = {"wake → the poll it causes", "깨우기 → 그로 인한 poll"},
    [MSG_STEP_OF] = {"step {1} of {2}", "단계 {1} / {2}"},
    [MSG_WAKE_LABEL] = {"wake", "깨우기"},
    [MSG_LEG_ERR] = {"Ready(Err): ended in an error", "Ready(Err): 오류로 끝남"},
    [MSG_LEG_CREATE] = {"created (not awaited yet)", "생성됨 (아직 await 전)"},
    [MSG_LEG_LOCAL] = {"thread_local / task_local: = set, → read", "thread_local / task_local: = 설정, → 읽기"},
    [MSG_LEG_MOVE] = {"task moved from another thread", "태스크가 다른 스레드에서 옮겨 옴"},
    [MSG_CALL_TIME] = {"call time", "호출 시점 작업"},
    [MSG_CALL_TIME_WORK] = {"call time: {1}", "호출 시점 작업: {1}"},
    [MSG_STRIP_MOVED] = {"task moved here", "다른 스레드에서 옴"},
    [MSG_POLL_AFTER_READY] = {"poll after Ready: a bug", "Ready 뒤의 poll: 버그"},
    [MSG_FUSED_PENDING] = {"fused: Pending, for ever", "fuse됨: 언제까지나 Pending"},

    /* The simulator's phrases: the English side must equal what sim/ writes (net.c, exec.c,
     * leaf.c, interp.c, runner.c); test_viz_msg checks them against the catalogue's traces. */
    [MSG_SIM_READ_BYTES_EOF] = {"fd {1} readable: {2} sent {3} bytes and EOF",
                                "fd {1} 읽기 가능: {2}에서 {3}바이트와 EOF가 왔다"},
    [MSG_SIM_READ_BYTES] = {"fd {1} readable: {2} sent {3} bytes", "fd {1} 읽기 가능: {2}에서 {3}바이트가 왔다"},
    [MSG_SIM_READ_EOF] = {"fd {1} readable: EOF from {2}", "fd {1} 읽기 가능: {2}에서 EOF가 왔다"},
    [MSG_SIM_CLIENT] = {"fd {1} readable: client {2} connected", "fd {1} 읽기 가능: 클라이언트 {2}{이가} 접속했다"},
    [MSG_SIM_CONNECTED] = {"fd {1} connected to {2}", "fd {1}: 상대 {2}, 연결됨"},
    [MSG_SIM_REFUSED] = {"fd {1} refused by {2}", "fd {1}: 상대 {2}, 연결 거부"},
    [MSG_SIM_RESET] = {"fd {1} reset by {2}", "fd {1}: 상대 {2}, 연결 끊김(reset)"},
    [MSG_SIM_TIMER] = {"timer: {1} ms elapsed", "타이머: {1} ms가 지났다"},
    [MSG_SIM_TASK_FINISHED] = {"task {1} finished", "태스크 {1}{이가} 끝났다"},
    [MSG_SIM_MUTEX] = {"mutex {1} unlocked", "뮤텍스 {1} 잠금이 풀렸다"},
    [MSG_SIM_YIELD] = {"yield_now", "yield_now(스스로 깨운다)"},
    [MSG_SIM_TASK_WOKEN] = {"task {1} woken", "태스크 {1}{이가} 깨워질 때"},
    [MSG_SIM_RUN_ENDED] = {"the run ended", "실행이 끝날 때"},
    [MSG_SIM_ON_READABLE] = {"fd {1} readable ({2})", "fd {1} 읽기 가능(상대 {2})"},
    [MSG_SIM_ON_WRITABLE] = {"fd {1} writable ({2})", "fd {1} 쓰기 가능(상대 {2})"},
    [MSG_SIM_ON_TIMER] = {"timer", "타이머"},
    [MSG_SIM_ON_TASK] = {"task {1} finishing", "태스크 {1}의 끝"},
    [MSG_SIM_ON_LISTENER] = {"listener readable (a client connects)", "리스너 읽기 가능(클라이언트 접속)"},
    [MSG_SIM_LANE_OS] = {"OS: network & timers", "OS: 네트워크와 타이머"},
    [MSG_SIM_RET_BYTES] = {"{1} bytes", "{1}바이트"},
    [MSG_SIM_RET_WOULDBLOCK] = {"would-block", "would-block(아직 없음)"},
    [MSG_SIM_RET_CONNECTED] = {"0 (connected)", "0(연결됨)"},
    [MSG_SIM_RET_EOF] = {"0 (EOF)", "0(EOF)"},
    [MSG_SIM_LINT_AFTER_READY] = {"polled again after it returned Ready", "Ready를 반환한 뒤 다시 폴링되었다"},
    [MSG_SIM_LINT_LOST_WAKER] = {"returned Pending but nobody holds its waker: it can never be woken",
                                 "Pending을 반환했지만 웨이커를 가진 것이 없다: 다시는 깨어날 수 없다"},
    [MSG_SIM_LINT_SELF_WAKE] = {"the task woke itself while it was being polled",
                                "태스크가 폴링되는 도중에 자기 자신을 깨웠다"},
    [MSG_SIM_LINT_SPAWN] = {"the spawn failed: no executor here, or out of memory",
                            "spawn 실패: 여기에는 실행기가 없거나 메모리가 부족하다"},
};

const char *msg_template(msg_id id, msg_lang lang) {
    if ((unsigned)id >= MSG_COUNT || !MSG[id][lang == MSG_KO]) return "";
    return MSG[id][lang == MSG_KO];
}

/* ---- the final sound ------------------------------------------------------------- */

/* The end of the word a particle attaches to: before a "(...)" and quotes. */
static size_t word_end(const char *w, size_t n) {
    for (;;) {
        while (n > 0 && (w[n - 1] == ' ' || w[n - 1] == '\'' || w[n - 1] == '"' || w[n - 1] == '`')) n--;
        if (n == 0 || w[n - 1] != ')') return n;
        size_t k = n - 1;
        while (k > 0 && w[k - 1] != '(') k--;
        if (k == 0) return n; /* no opening parenthesis: the ')' stays the end */
        n = k - 1;
    }
}

static int hangul_final(const char *w, size_t n) {
    const unsigned char *p = (const unsigned char *)w + n - 3;
    if (p[0] < 0xEA || p[0] > 0xED) return -1;
    unsigned cp = ((unsigned)(p[0] & 0x0F) << 12) | ((unsigned)(p[1] & 0x3F) << 6) | (unsigned)(p[2] & 0x3F);
    if (cp < 0xAC00 || cp > 0xD7A3) return -1;
    unsigned jong = (cp - 0xAC00) % 28;
    return jong == 0 ? 0 : jong == 8 ? 2 : 1; /* 8: ㄹ */
}

static int ends_with(const char *w, size_t n, const char *suffix) {
    size_t k = strlen(suffix);
    if (k > n) return 0;
    for (size_t i = 0; i < k; i++)
        if (tolower((unsigned char)w[n - k + i]) != suffix[i]) return 0;
    return 1;
}

static int latin_final(const char *w, size_t n) {
    size_t run = 0;
    while (run < n && isalpha((unsigned char)w[n - 1 - run])) run++;
    char last = (char)tolower((unsigned char)w[n - 1]);
    if (run == 1) return strchr("lr", last) ? 2 : strchr("mn", last) ? 1 : 0; /* 엘 알, 엠 엔 */
    static const char *const consonant[] = {"ng", "me", "ne", "ck", "m", "n", "p", "b"};
    if (ends_with(w, n, "le") || last == 'l') return 2;
    for (size_t i = 0; i < sizeof consonant / sizeof consonant[0]; i++)
        if (ends_with(w, n, consonant[i])) return 1;
    return 0;
}

int msg_final(const char *word, size_t n) {
    n = word_end(word, n);
    if (n == 0) return 0;
    unsigned char c = (unsigned char)word[n - 1];
    if (n >= 3 && c >= 0x80) {
        int h = hangul_final(word, n);
        if (h >= 0) return h;
    }
    if (isdigit(c)) return strchr("036", c) ? 1 : strchr("178", c) ? 2 : 0;
    if (isalpha(c)) return latin_final(word, n);
    return 0;
}

static const struct { const char *pair, *with, *without; } JOSA[] = {
    {"이가", "이", "가"}, {"을를", "을", "를"}, {"은는", "은", "는"}, {"과와", "과", "와"}, {"으로", "으로", "로"}};

/* The particle of pair after a word whose final sound is f ("" for an unknown pair). */
static const char *josa_of(int f, const char *pair) {
    for (size_t i = 0; i < sizeof JOSA / sizeof JOSA[0]; i++) {
        if (strcmp(pair, JOSA[i].pair)) continue;
        if (i == 4) return f == 1 ? JOSA[i].with : JOSA[i].without; /* ㄹ takes 로 */
        return f ? JOSA[i].with : JOSA[i].without;
    }
    return "";
}

const char *msg_josa(const char *word, const char *pair) { return josa_of(msg_final(word, strlen(word)), pair); }

/* ---- formatting ------------------------------------------------------------------ */

typedef struct out { char *buf; size_t len, n; } out;

static void put(out *o, const char *s, size_t k) {
    if (o->len == 0) return;
    if (o->n + k >= o->len) k = o->len - 1 - o->n;
    memcpy(o->buf + o->n, s, k);
    o->n += k;
    o->buf[o->n] = '\0';
}

/* A "{...}" token at p (p[0] == '{'): an argument or a particle. Returns its length, 0 if
 * it is not a token (the '{' is then literal text). */
static size_t token(out *o, const char *p, const char *const *args) {
    const char *close = strchr(p, '}');
    if (!close) return 0;
    size_t k = (size_t)(close - p - 1);
    if (k == 1 && p[1] >= '1' && p[1] <= '9') {
        const char *a = "";
        for (int i = 0; args && i <= p[1] - '1'; i++) {
            if (!args[i]) { a = ""; break; }
            a = args[i];
        }
        put(o, a, strlen(a));
        return k + 2;
    }
    char pair[16];
    if (k >= sizeof pair) return 0;
    memcpy(pair, p + 1, k);
    pair[k] = '\0';
    const char *j = josa_of(o->len ? msg_final(o->buf, o->n) : 0, pair);
    if (!*j) return 0;
    put(o, j, strlen(j));
    return k + 2;
}

const char *msg_fmt(char *buf, size_t len, msg_lang lang, msg_id id, const char *const *args) {
    out o = {buf, len, 0};
    if (len) buf[0] = '\0';
    for (const char *p = msg_template(id, lang); *p;) {
        size_t k = *p == '{' ? token(&o, p, args) : 0;
        if (k) { p += k; continue; }
        const char *next = strchr(p + 1, '{');
        size_t run = next ? (size_t)(next - p) : strlen(p);
        put(&o, p, run);
        p += run;
    }
    return buf;
}

/* ---- recognising the simulator's phrases ----------------------------------------- */

enum { MAX_CAPS = 9 };
typedef struct caps { const char *at[MAX_CAPS]; size_t len[MAX_CAPS]; } caps;

/* Whether text matches tpl entirely; each "{N}" takes the shortest text that lets the rest
 * match (at least one character). */
static int match(const char *tpl, const char *text, caps *c) {
    if (!*tpl) return !*text;
    if (tpl[0] == '{' && tpl[1] >= '1' && tpl[1] <= '9' && tpl[2] == '}') {
        int i = tpl[1] - '1';
        for (size_t k = 1; text[k - 1]; k++) {
            c->at[i] = text;
            c->len[i] = k;
            if (match(tpl + 3, text + k, c)) return 1;
        }
        return 0;
    }
    return *tpl == *text && match(tpl + 1, text + 1, c);
}

const char *msg_translate(const char *text, msg_lang lang, char *buf, size_t len) {
    if (lang == MSG_KO) {
        for (int id = MSG_SIM_FIRST; id < MSG_SIM_LAST; id++) {
            caps c = {{0}, {0}};
            if (!match(MSG[id][0], text, &c)) continue;
            char arg[MAX_CAPS][128];
            const char *args[MAX_CAPS + 1];
            for (int i = 0; i < MAX_CAPS; i++) {
                snprintf(arg[i], sizeof arg[i], "%.*s", (int)c.len[i], c.at[i] ? c.at[i] : "");
                args[i] = arg[i];
            }
            args[MAX_CAPS] = NULL;
            return msg_fmt(buf, len, lang, (msg_id)id, args);
        }
    }
    snprintf(buf, len, "%s", text);
    return buf;
}
