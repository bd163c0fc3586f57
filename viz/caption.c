/* caption: narration of steps. See caption.h.
 * Each event kind has one small function writing both languages, so a teacher reading
 * the English and a student reading the Korean see the same facts. */
#include "viz/caption.h"

#include <stdio.h>
#include <string.h>

const char *caption_ko_josa(const char *word, const char *with_final, const char *without) {
    size_t n = strlen(word);
    while (n > 0 && (word[n - 1] == ')' || word[n - 1] == ' ')) {
        /* the particle follows the word before a parenthesis: "A (connect)" reads as A */
        const char *open = memchr(word, '(', n);
        if (!open) break;
        n = (size_t)(open - word);
        while (n > 0 && word[n - 1] == ' ') n--;
    }
    if (n == 0) return without;
    unsigned char c = (unsigned char)word[n - 1];
    if (n >= 3 && (unsigned char)word[n - 3] >= 0xEA && (unsigned char)word[n - 3] <= 0xED) {
        unsigned cp = ((unsigned)(word[n - 3] & 0x0F) << 12) | ((unsigned)(word[n - 2] & 0x3F) << 6) |
                      (unsigned)(word[n - 1] & 0x3F);
        if (cp >= 0xAC00 && cp <= 0xD7A3) return (cp - 0xAC00) % 28 ? with_final : without;
    }
    if (strchr("LMNRlmnr", c) && c) return with_final;  /* 엘 엠 엔 알 */
    if (strchr("013678", c) && c) return with_final;    /* 영 일 삼 육 칠 팔 */
    return without;
}

const char *caption_future(const tload_trace *t, const tindex *ix, int32_t f, char *buf, size_t len) {
    const tindex_future *fu = tindex_future_get(ix, f);
    const char *name = fu ? tload_str(t, fu->name) : "?";
    char letter = fu ? tindex_letter(ix, fu) : 0;
    if (letter) snprintf(buf, len, "%c (%s)", letter, name);
    else snprintf(buf, len, "%s", name);
    return buf;
}

/* The name of the executor running on thread tid (block_on, busy_poll, worker ...). */
static const char *executor_of(const tload_trace *t, const tindex *ix, int32_t tid) {
    for (size_t i = 0; i < ix->n_execs; i++)
        if (t->ev[ix->execs[i]].tid == tid) return tload_str(t, t->ev[ix->execs[i]].name);
    return "the executor";
}

/* "task 3 (cheapo_request)", or in Korean "태스크 3(cheapo_request)". */
static const char *task_label_in(const tload_trace *t, const tindex *ix, int32_t task, int ko, char *buf,
                                 size_t len) {
    const tindex_task *k = tindex_task_get(ix, task);
    const char *name = k ? tload_str(t, k->name) : "";
    const char *word = ko ? "태스크 " : "task ";
    if (*name) snprintf(buf, len, ko ? "%s%d(%s)" : "%s%d (%s)", word, task, name);
    else snprintf(buf, len, "%s%d", word, task);
    return buf;
}

static const char *task_label(const tload_trace *t, const tindex *ix, int32_t task, char *buf, size_t len) {
    return task_label_in(t, ix, task, 0, buf, len);
}

static const char *task_label_ko(const tload_trace *t, const tindex *ix, int32_t task, char *buf, size_t len) {
    return task_label_in(t, ix, task, 1, buf, len);
}

typedef struct cap { const tload_trace *t; const tindex *ix; const tload_event *e; int ko;
                     char *buf; size_t len; } cap;

/* A synchronous call on a sync thread (S1): it runs until it returns, blocking. */
static void call_step(cap *c, int end) {
    const char *name = tload_str(c->t, c->e->name);
    if (!c->ko) snprintf(c->buf, c->len, end ? "%s returns to its caller." : "The thread calls %s (a plain, blocking call).", name);
    else snprintf(c->buf, c->len, end ? "%s%s 호출한 쪽으로 복귀한다." : "스레드가 %s%s 호출한다(블로킹하는 보통 함수 호출).", name,
                  end ? caption_ko_josa(name, "이", "가") : caption_ko_josa(name, "을", "를"));
}

static void poll_start(cap *c) {
    const tload_event *e = c->e;
    char me[96], up[96];
    caption_future(c->t, c->ix, e->future, me, sizeof me);
    const char *from = tload_str(c->t, e->s1);
    int fresh = !*from || !strcmp(from, "start");
    if (e->parent < 0) snprintf(up, sizeof up, "%s", executor_of(c->t, c->ix, e->tid));
    else caption_future(c->t, c->ix, e->parent, up, sizeof up);
    if (!c->ko) {
        if (fresh) snprintf(c->buf, c->len, "%s polls %s, poll %d: it runs from the top.", up, me, e->num);
        else snprintf(c->buf, c->len, "%s polls %s again, poll %d: it resumes at the await on %s, "
                      "not from the top.", up, me, e->num, from);
        return;
    }
    if (fresh) snprintf(c->buf, c->len, "%s%s %s%s 폴링한다(%d번째 poll): 본문을 처음부터 실행한다.",
                        up, caption_ko_josa(up, "이", "가"), me, caption_ko_josa(me, "을", "를"), e->num);
    else snprintf(c->buf, c->len, "%s%s %s%s 다시 폴링한다(%d번째 poll): 처음이 아니라 %s의 await 지점에서 재개한다.",
                  up, caption_ko_josa(up, "이", "가"), me, caption_ko_josa(me, "을", "를"), e->num, from);
}

static void poll_end(cap *c) {
    const tload_event *e = c->e;
    char me[96], up[96];
    caption_future(c->t, c->ix, e->future, me, sizeof me);
    const char *at = tload_str(c->t, e->s2);
    if (e->parent < 0) snprintf(up, sizeof up, "%s", executor_of(c->t, c->ix, e->tid));
    else caption_future(c->t, c->ix, e->parent, up, sizeof up);
    const char *j = caption_ko_josa(me, "이", "가");
    if (e->result == TLOAD_RES_READY) {
        if (!c->ko) snprintf(c->buf, c->len, e->parent < 0 ? "%s returns Ready to %s: the task is done."
                             : "%s returns Ready to %s: that await completes and the caller goes on.", me, up);
        else snprintf(c->buf, c->len, e->parent < 0 ? "%s%s %s에 Ready를 반환한다: 태스크가 끝났다."
                      : "%s%s %s에 Ready를 반환한다: 이 await가 끝나고 호출한 쪽이 계속 진행한다.", me, j, up);
        return;
    }
    if (!c->ko) {
        if (e->parent < 0) snprintf(c->buf, c->len, "%s returns Pending to %s: the task waits at %s.", me, up,
                                    *at ? at : "an await");
        else snprintf(c->buf, c->len, "%s returns Pending to %s: not ready yet (%s); its waker is kept.", me, up,
                      *at ? at : "waiting");
        return;
    }
    if (e->parent < 0) snprintf(c->buf, c->len, "%s%s %s에 Pending을 반환한다: 태스크는 %s에서 기다린다.", me, j, up,
                                *at ? at : "await 지점");
    else snprintf(c->buf, c->len, "%s%s %s에 Pending을 반환한다: 아직 준비되지 않았다(%s). 웨이커를 보관해 둔다.",
                  me, j, up, *at ? at : "대기");
}

static void exec_step(cap *c, int end) {
    const char *name = tload_str(c->t, c->e->name);
    if (!c->ko) snprintf(c->buf, c->len, end ? "%s returns: the caller gets the result." :
                         "The thread calls %s: polling starts.", name);
    else snprintf(c->buf, c->len, end ? "%s%s 복귀하고 호출한 쪽이 결과를 받는다." :
                  "스레드가 %s%s 호출한다: 폴링이 시작된다.", name,
                  end ? caption_ko_josa(name, "이", "가") : caption_ko_josa(name, "을", "를"));
}

static void wake_step(cap *c) {
    char task[96];
    const char *by = tload_str(c->t, c->e->s1);
    int dup = (c->e->flags & TLOAD_F_NOT_QUEUED) != 0;
    if (!c->ko) {
        task_label(c->t, c->ix, c->e->task, task, sizeof task);
        snprintf(c->buf, c->len, "%s%sthe waker wakes %s%s", by, *by ? ": " : "", task,
                 dup ? "; it was already scheduled, so nothing changes." : ": it will be polled again.");
        return;
    }
    task_label_ko(c->t, c->ix, c->e->task, task, sizeof task);
    snprintf(c->buf, c->len, "%s%s웨이커가 %s%s 깨운다%s", by, *by ? ": " : "", task,
             caption_ko_josa(task, "을", "를"),
             dup ? ". 이미 예약되어 있어서 달라지는 것은 없다." : ": 다시 폴링될 것이다.");
}

static void spawn_step(cap *c) {
    const tload_event *e = c->e;
    const char *name = tload_str(c->t, e->s1), *how = tload_str(c->t, e->s2), *det = tload_str(c->t, e->s3);
    if (!c->ko) snprintf(c->buf, c->len, "Task %d (%s%s%s) is created with %s.", e->task, name,
                         *det ? ", " : "", det, *how ? how : "an executor");
    else snprintf(c->buf, c->len, "태스크 %d(%s%s%s)이 %s로 생성된다.", e->task, name, *det ? ", " : "", det,
                  *how ? how : "실행기");
}

static void create_step(cap *c) {
    char me[96];
    caption_future(c->t, c->ix, c->e->future, me, sizeof me);
    const char *name = tload_str(c->t, c->e->s1);
    if (!c->ko) snprintf(c->buf, c->len, "Calling %s creates future %s; nothing runs until it is polled.", name, me);
    else snprintf(c->buf, c->len, "%s%s 호출하면 퓨처 %s%s 만들어진다. 폴링하기 전에는 아무것도 실행되지 않는다.",
                  name, caption_ko_josa(name, "을", "를"), me, caption_ko_josa(me, "이", "가"));
}

static void waker_step(cap *c) {
    const char *what = tload_str(c->t, c->e->name), *on = tload_str(c->t, c->e->s1);
    if (!strcmp(what, "register")) {
        if (!c->ko) snprintf(c->buf, c->len, "Task %d's waker is registered: it waits for %s.", c->e->task, on);
        else snprintf(c->buf, c->len, "태스크 %d의 웨이커가 등록된다: %s%s 기다린다.", c->e->task, on,
                      caption_ko_josa(on, "을", "를"));
        return;
    }
    int clone = !strcmp(what, "clone");
    if (!c->ko) snprintf(c->buf, c->len, "Task %d's waker is %s (%d live).", c->e->task, clone ? "cloned" : "dropped", c->e->num);
    else snprintf(c->buf, c->len, "태스크 %d의 웨이커가 %s(살아 있는 것 %d개).", c->e->task, clone ? "복제된다" : "해제된다", c->e->num);
}

static void net_step(cap *c) {
    const char *what = tload_str(c->t, c->e->name), *host = tload_str(c->t, c->e->s1);
    int ko = c->ko;
    if (!strcmp(what, "connected"))
        snprintf(c->buf, c->len, ko ? "네트워크: %s와의 연결이 맺어졌다." : "Network: the connection to %s is established.", host);
    else if (!strcmp(what, "chunk")) {
        if (ko) snprintf(c->buf, c->len, "네트워크: %s에서 %d바이트가 도착한다.", host, c->e->num);
        else snprintf(c->buf, c->len, "Network: %d bytes arrive from %s.", c->e->num, host);
    } else if (!strcmp(what, "eof"))
        snprintf(c->buf, c->len, ko ? "네트워크: %s가 연결을 닫는다(EOF)." : "Network: %s closes the connection (end of file).", host);
    else snprintf(c->buf, c->len, ko ? "네트워크: %s — %s." : "Network: %s — %s.", host, what);
}

static void simple_step(cap *c) {
    const tload_event *e = c->e;
    const char *s1 = tload_str(c->t, e->s1), *s2 = tload_str(c->t, e->s2), *name = tload_str(c->t, e->name);
    int ko = c->ko;
    char task[96];
    switch (e->kind) {
    case TLOAD_PARK:
        snprintf(c->buf, c->len, ko ? "실행할 것이 없다: 스레드가 잠자기 상태에 들어간다(깨울 것: %s)."
                 : "Nothing to run: the thread parks (sleeps) until %s.", *s1 ? s1 : "a wake");
        break;
    case TLOAD_BLOCKED:
        snprintf(c->buf, c->len, ko ? "스레드가 %s에서 블록된다: 끝날 때까지 다른 일을 할 수 없다."
                 : "The thread blocks in %s: it can do nothing else until it returns.", name);
        break;
    case TLOAD_SYSCALL:
        snprintf(c->buf, c->len, ko ? "논블로킹 시스템 호출 %s → %s." : "Non-blocking system call %s → %s.",
                 *s1 ? s1 : name, s2);
        break;
    case TLOAD_FINISH: {
        const char *err = tload_str(c->t, e->s2), *val = tload_str(c->t, e->s3);
        int failed = (*err && strcmp(err, "0")) || (*s1 && strcmp(s1, "ok"));
        const char *how = failed ? (*err ? err : s1) : "ok";
        if (ko) snprintf(c->buf, c->len, "%s%s %d번 폴링된 끝에 완료된다: %s%s%s%s.",
                         task_label_ko(c->t, c->ix, e->task, task, sizeof task), caption_ko_josa(task, "이", "가"),
                         e->num, failed ? "오류 " : "", how, *val && !failed ? ", 값 " : "", !failed ? val : "");
        else snprintf(c->buf, c->len, "%s finishes after %d polls: %s%s%s%s.",
                      task_label(c->t, c->ix, e->task, task, sizeof task), e->num, failed ? "error " : "", how,
                      *val && !failed ? ", value " : "", !failed ? val : "");
        if (!ko && task[0] == 't') c->buf[0] = 'T';
        break;
    }
    case TLOAD_COMPUTE:
        snprintf(c->buf, c->len, ko ? "poll 안에서 %s ms 동안 계산한다(양보하지 않음): 그동안 이 스레드에서는 다른 태스크가 실행되지 못한다."
                 : "CPU work inside the poll for %s ms, without yielding: no other task runs on this thread meanwhile.",
                 *s1 ? s1 : "?");
        break;
    case TLOAD_LOCAL: {
        const char *op = tload_str(c->t, e->s3);
        char th[96];
        const char *thread = tload_thread_name(c->t, e->tid, th, sizeof th);
        int set = !strcmp(op, "set");
        char who[32];
        snprintf(who, sizeof who, "태스크 %d", e->task);
        if (ko) snprintf(c->buf, c->len, "%s%s %s %s%s %s: %s (%s에서).", who, caption_ko_josa(who, "이", "가"), name, s1,
                         caption_ko_josa(s1, "을", "를"), set ? "설정한다" : "읽는다", *s2 ? s2 : "(unset)", thread);
        else snprintf(c->buf, c->len, "Task %d %s %s %s = %s (on %s).", e->task, set ? "sets" : "reads", name, s1,
                      *s2 ? s2 : "(unset)", thread);
        break;
    }
    case TLOAD_NOTE: snprintf(c->buf, c->len, "%s", s1); break;
    case TLOAD_THREAD_EXIT: {
        const char *th = tload_str(c->t, e->s3);
        snprintf(c->buf, c->len, ko ? "스레드 %s의 함수가 복귀한다: 스택이 해제된다." : "Thread %s returns: its stack is released.",
                 *th ? th : "?");
        break;
    }
    case TLOAD_CLOCK:
        snprintf(c->buf, c->len, ko ? "실행할 수 있는 것이 없다: 가상 시계가 %.2f ms로 건너뛴다."
                 : "Nothing is runnable: the virtual clock jumps ahead to %.2f ms.", (double)e->num / 1000.0);
        break;
    case TLOAD_LINT:
        snprintf(c->buf, c->len, ko ? "경고(%s): %s" : "Warning (%s): %s", name, s1);
        break;
    case TLOAD_DEADLOCK:
        snprintf(c->buf, c->len, ko ? "교착 상태: 대기 중인 태스크를 깨울 수 있는 것이 없다."
                 : "Deadlock: tasks are pending and nothing can ever wake them.");
        break;
    case TLOAD_END:
        snprintf(c->buf, c->len, ko ? "실행이 끝난다: %s." : "The run ends: %s.", s1);
        break;
    default:
        snprintf(c->buf, c->len, "%s", name);
    }
}

const char *caption_step(const tload_trace *t, const tindex *ix, uint32_t code, caption_lang lang,
                         char *buf, size_t len) {
    cap c = {t, ix, &t->ev[tindex_step_event(code)], lang == CAPTION_KO, buf, len};
    int end = tindex_step_is_end(code);
    buf[0] = '\0';
    switch (c.e->kind) {
    case TLOAD_POLL:
        if (c.e->flags & TLOAD_F_SYNC) call_step(&c, end);
        else if (end) poll_end(&c);
        else poll_start(&c);
        break;
    case TLOAD_EXECUTOR: exec_step(&c, end); break;
    case TLOAD_WAKE: wake_step(&c); break;
    case TLOAD_SPAWN: spawn_step(&c); break;
    case TLOAD_CREATE: create_step(&c); break;
    case TLOAD_WAKER: waker_step(&c); break;
    case TLOAD_NET: net_step(&c); break;
    default: simple_step(&c);
    }
    return buf;
}
