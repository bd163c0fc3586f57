/* msg: every sentence and label the viewer writes, in English and Korean, in ONE table
 * keyed by message (msg.c), so both languages are reviewed side by side and no function
 * chooses a language with an inline ternary.
 *
 * A message is a template. "{1}" .. "{9}" are its arguments (strings; numbers are
 * formatted by the caller). A Korean particle is written as its pair, "{이가}", "{을를}",
 * "{은는}", "{과와}", "{으로}", and is chosen by the word just before it in the output
 * (msg_final): "block_on{으로}" gives "block_on으로", "fetch{이가}" gives "fetch가".
 *
 * The simulator writes some phrases into the trace in English ("fd 3 readable: example.com
 * sent 512 bytes", "task 1 woken"). msg_translate recognises them by the English template
 * of a MSG_SIM_* message and rewrites them in the chosen language.
 *
 * Pure text: no allocation; the caller owns every buffer. */
#ifndef PINATA_MSG_H
#define PINATA_MSG_H
#include <stddef.h>

typedef enum msg_lang { MSG_EN = 0, MSG_KO = 1 } msg_lang;

typedef enum msg_id {
    /* layout: section titles, lanes, legend, marks */
    MSG_SIMPLIFIED, MSG_SIMPLIFIED_SUB, MSG_IMPLEMENTATION, MSG_IMPLEMENTATION_SUB,
    MSG_TASK_N, MSG_MORE_TASKS, MSG_MORE_THREADS, MSG_PARK_LABEL, MSG_BLOCKED_LABEL,
    MSG_LANE_OS, MSG_LANE_OS_SUB, MSG_LANE_SYNC_SUB, MSG_LANE_EXEC_SUB,
    MSG_AXIS_COMPRESSED, MSG_AXIS_PROPORTIONAL, MSG_AXIS_IDLE_SHORT,
    MSG_LEG_POLL, MSG_LEG_PENDING, MSG_LEG_READY, MSG_LEG_PARK, MSG_LEG_SYSCALL, MSG_LEG_EXEC,
    MSG_LEG_NET, MSG_LEG_WAKE, MSG_STEP_OF, MSG_WAKE_LABEL,
    /* slide marks (viz/marks.h) */
    MSG_LEG_ERR, MSG_LEG_CREATE, MSG_LEG_LOCAL, MSG_LEG_MOVE, MSG_CALL_TIME, MSG_CALL_TIME_WORK,
    MSG_STRIP_MOVED, MSG_POLL_AFTER_READY, MSG_FUSED_PENDING, MSG_POLL_WOKEN_OTHER, MSG_POLL_SPURIOUS,
    MSG_PANIC_MARK, MSG_LEG_NO_PROGRESS, MSG_LEG_PANIC, MSG_TITLE_MODEL, MSG_LEG_UNFINISHED,
    /* the window's status line (viz/window.c) */
    MSG_WIN_STATUS, MSG_WIN_PLAYING, MSG_WIN_PAUSED, MSG_WIN_REVEAL, MSG_WIN_FADED,
    /* pinata text (viz/textline.c) */
    MSG_TEXT_LEGEND, MSG_TEXT_MORE_STEPS,
    /* the detail popup of a clicked poll, event or future (layout) */
    MSG_DET_TASK_FUTURE, MSG_DET_POLL, MSG_DET_RESUMED_AT, MSG_DET_STOPPED_AT, MSG_DET_ERROR,
    MSG_DET_WOKEN_BY, MSG_DET_FIRST_POLL, MSG_DET_FROM_FOR, MSG_DET_HEAD_POLL, MSG_DET_HEAD_SLICE,
    MSG_DET_HEAD_EVENT, MSG_DET_SLEEPS_UNTIL, MSG_DET_BY, MSG_DET_WAKES, MSG_DET_WAKES_NO_EFFECT,
    MSG_DET_AT_FOR, MSG_DET_FUTURE, MSG_DET_FUTURE_READY, MSG_DET_FUTURE_NEVER, MSG_DET_FROM_TO,
    MSG_DET_OUTLINED,
    /* the memory track (viz/memtrack.h), tasks and threads alike summed up (layout) */
    MSG_MEM_TITLE, MSG_MEM_SUB, MSG_MEM_STACKS, MSG_MEM_TASKS, MSG_MEM_SCALE,
    MSG_MORE_ALIKE_TASKS, MSG_MORE_ALIKE_THREADS, MSG_LEG_OTHERS,
    /* captions (viz/caption.c): one step of the run in words */
    MSG_CAP_CALL_START, MSG_CAP_CALL_END, MSG_CAP_CALL_JOIN, MSG_CAP_CALL_BLOCKED, MSG_CAP_CALL_GOES_ON,
    MSG_CAP_WAKE_SYNC, MSG_CAP_SYNC_WAKER, MSG_CAP_POLL_FIRST, MSG_CAP_POLL_RESUME,
    MSG_CAP_LEAF_FIRST, MSG_CAP_LEAF_AGAIN, MSG_CAP_FUSED_POLL, MSG_CAP_READY_TASK, MSG_CAP_READY_AWAIT,
    MSG_CAP_ERR_TASK, MSG_CAP_ERR_AWAIT, MSG_CAP_ERR_VALUE, MSG_CAP_PENDING_TASK, MSG_CAP_PENDING_AWAIT,
    MSG_CAP_PENDING_REGISTERED, MSG_CAP_PENDING_SELF_WOKEN, MSG_CAP_PENDING_NO_WAKER,
    MSG_CAP_FUSED_PENDING, MSG_CAP_EXEC_START, MSG_CAP_EXEC_END, MSG_CAP_EXEC_DEADLOCK,
    MSG_CAP_SYNC_START, MSG_CAP_SYNC_END, MSG_CAP_WAKE, MSG_CAP_WAKE_DUP, MSG_CAP_SPAWN,
    MSG_CAP_SPAWN_MAIN, MSG_CAP_SPAWN_THREAD, MSG_CAP_CREATE, MSG_CAP_CREATE_BLOCK,
    MSG_CAP_CREATE_JOINHANDLE, MSG_CAP_CREATE_THREAD_HANDLE, MSG_CAP_CREATE_SYNC,
    MSG_CAP_WAKER_REGISTER, MSG_CAP_WAKER_CLONE, MSG_CAP_WAKER_DROP, MSG_CAP_SYNC_WAIT,
    MSG_CAP_NET_CONNECTED, MSG_CAP_NET_CHUNK, MSG_CAP_NET_EOF, MSG_CAP_NET_REFUSED, MSG_CAP_NET_RESET,
    MSG_CAP_NET_INCOMING, MSG_CAP_NET_OTHER, MSG_CAP_PARK, MSG_CAP_BLOCKED, MSG_CAP_SYSCALL,
    MSG_CAP_SYSCALL_SYNC, MSG_CAP_SYSCALL_SYNC_WAIT, MSG_CAP_FINISH_OK, MSG_CAP_FINISH_ERR, MSG_CAP_COMPUTE, MSG_CAP_COMPUTE_CALL_TIME,
    MSG_CAP_LOCAL_SET, MSG_CAP_LOCAL_GET, MSG_CAP_NOTE, MSG_CAP_THREAD_EXIT, MSG_CAP_CLOCK, MSG_CAP_LINT,
    MSG_CAP_AFTER_READY, MSG_CAP_AFTER_READY_POLL, MSG_CAP_AFTER_READY_END, MSG_CAP_LOST_WAKER, MSG_CAP_DEADLOCK, MSG_CAP_END,
    MSG_CAP_WOKEN_BY_POLL, MSG_CAP_WOKEN_BY_PENDING, MSG_CAP_SPURIOUS_POLL, MSG_CAP_SPURIOUS_PENDING,
    MSG_CAP_PANIC, MSG_CAP_PANIC_UNWIND, MSG_CAP_FINISH_PANIC, MSG_CAP_FINISH_PANIC_ROOT, MSG_CAP_SPAWN_BLOCKING, MSG_CAP_EXEC_PANIC,
    /* compare (viz/compare.h): the page, the table's rows (in compare_row order), its notes */
    MSG_CMP_TITLE, MSG_CMP_SUB, MSG_CMP_HEAD_COUNTS, MSG_CMP_HEAD_AGAINST, MSG_CMP_SAME, MSG_CMP_MORE,
    MSG_CMP_LESS, MSG_CMP_ROW_POLLS, MSG_CMP_ROW_IDLE_POLLS, MSG_CMP_ROW_WAKES, MSG_CMP_ROW_PARKS,
    MSG_CMP_ROW_CALLS, MSG_CMP_ROW_BLOCKED, MSG_CMP_ROW_CPU, MSG_CMP_ROW_SPAN, MSG_CMP_ROW_TASKS,
    MSG_CMP_ROW_STACK, MSG_CMP_ROW_RESERVED, MSG_CMP_NOTE_IDLE, MSG_CMP_NOTE_CPU,
    /* quiz (viz/quiz.h): the questions, their choices and explanations, the quiz box */
    MSG_QZ_ASK_RESULT, MSG_QZ_ASK_NEXT, MSG_QZ_ASK_WAKER, MSG_QZ_ASK_WORKER, MSG_QZ_TASK,
    MSG_QZ_NET, MSG_QZ_TIMER, MSG_QZ_OTHER_TASK, MSG_QZ_WOKEN_BY, MSG_QZ_WORKER_WHY,
    MSG_QZ_TITLE, MSG_QZ_HINT_ASK, MSG_QZ_RIGHT, MSG_QZ_WRONG, MSG_QZ_SKIPPED, MSG_QZ_HINT_NEXT,
    MSG_QZ_DONE, MSG_QZ_NONE, MSG_QZ_TEXT_GEN, MSG_QZ_TEXT_OWN, MSG_QZ_TEXT_STEP, MSG_QZ_TEXT_RIGHT,
    /* the simulator's own phrases, recognised by their English template (msg_translate) */
    MSG_SIM_FIRST,
    MSG_SIM_READ_BYTES_EOF = MSG_SIM_FIRST, MSG_SIM_READ_BYTES, MSG_SIM_READ_EOF, MSG_SIM_CLIENT,
    MSG_SIM_CONNECTED, MSG_SIM_REFUSED, MSG_SIM_RESET, MSG_SIM_TIMER, MSG_SIM_TASK_FINISHED,
    MSG_SIM_MUTEX, MSG_SIM_YIELD, MSG_SIM_TASK_WOKEN, MSG_SIM_RUN_ENDED, MSG_SIM_ON_READABLE,
    MSG_SIM_ON_WRITABLE, MSG_SIM_ON_TIMER, MSG_SIM_ON_TASK, MSG_SIM_ON_LISTENER, MSG_SIM_LANE_OS,
    MSG_SIM_RET_BYTES, MSG_SIM_RET_WOULDBLOCK, MSG_SIM_RET_CONNECTED, MSG_SIM_RET_EOF,
    MSG_SIM_LINT_AFTER_READY, MSG_SIM_LINT_LOST_WAKER, MSG_SIM_LINT_SELF_WAKE, MSG_SIM_LINT_SPAWN,
    MSG_SIM_END_OK, MSG_SIM_END_DEADLOCK, MSG_SIM_END_LIMIT, MSG_SIM_LOCKING, MSG_SIM_CONNECTING,
    MSG_SIM_READING, MSG_SIM_WRITING, MSG_SIM_SLEEPING, MSG_SIM_YIELDED, MSG_SIM_ACCEPTING, MSG_SIM_JOIN,
    MSG_SIM_FORGOT, MSG_SIM_FUSED, MSG_SIM_AT_BLOCKING, MSG_SIM_END_PANIC, MSG_SIM_WRITABLE_AGAIN,
    MSG_SIM_PANIC_ASYNC_FN, MSG_SIM_PANIC_JOIN, MSG_SIM_RESOLVED, MSG_SIM_ON_RESOLVER, MSG_SIM_RESOLVING,
    MSG_SIM_LAST,
    MSG_COUNT = MSG_SIM_LAST
} msg_id;

/* The template of id in lang (never NULL; "" for an id out of range). */
const char *msg_template(msg_id id, msg_lang lang);

/* Writes template id in lang into buf with args (a NULL-terminated array, or NULL for
 * none) and its particles chosen; returns buf. A missing argument prints as "". */
const char *msg_fmt(char *buf, size_t len, msg_lang lang, msg_id id, const char *const *args);
#define MSG_FMT(buf, len, lang, id, ...) \
    msg_fmt(buf, len, lang, id, (const char *const[]){__VA_ARGS__, NULL})

/* The final sound of the word that ends word[0..n): 0 a vowel, 1 a final consonant,
 * 2 the final ㄹ (which takes 로, not 으로). The word is the one before a trailing
 * parenthesis ("A (connect)" ends in A) and before quotes. Rules for what is not Hangul,
 * read as a Korean speaker reads it aloud:
 * - a digit by its Sino-Korean name: 0 영, 3 삼, 6 육 end in a consonant; 1 일, 7 칠, 8 팔 in ㄹ;
 * - a single Latin letter by its name: M 엠, N 엔 end in a consonant; L 엘, R 알 in ㄹ;
 * - a Latin word by its last letters: -m, -n, -ng, -me, -ne, -ck, -ic, -p, -b end in a consonant
 *   (stream, main, string, time, line, block, static, sleep, job); -l, -le in ㄹ (write_all,
 *   handle); anything else in a vowel (connect 커넥트, fetch 페치, server 서버). */
int msg_final(const char *word, size_t n);

/* The particle of pair ("이가", "을를", "은는", "과와", "으로") that follows word. */
const char *msg_josa(const char *word, const char *pair);

/* text (a phrase the simulator wrote in English) in lang: the MSG_SIM_* message whose
 * English template matches all of text, rewritten; else text itself, copied. Returns buf. */
const char *msg_translate(const char *text, msg_lang lang, char *buf, size_t len);

#endif
