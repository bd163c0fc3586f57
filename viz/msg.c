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
    [MSG_AXIS_IDLE_SHORT] = {"// long stretch drawn short", "// 긴 구간을 줄여 그림"},
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
    [MSG_LEG_CREATE] = {"created, not yet awaited (or joined)", "생성됨, 아직 await(join) 전"},
    [MSG_LEG_LOCAL] = {"thread_local / task_local: = set, → read", "thread_local / task_local: = 설정, → 읽기"},
    [MSG_LEG_MOVE] = {"task moved from another thread", "태스크가 다른 스레드에서 옮겨 옴"},
    [MSG_CALL_TIME] = {"call time", "호출 시점"},
    [MSG_CALL_TIME_WORK] = {"call time: {1}", "호출 시점: {1}"},
    [MSG_STRIP_MOVED] = {"task moved here", "다른 스레드에서 옴"},
    [MSG_POLL_AFTER_READY] = {"poll after Ready: a bug", "Ready 뒤의 poll: 버그"},
    [MSG_FUSED_PENDING] = {"fused: Pending, for ever", "fuse됨: 언제까지나 Pending"},
    [MSG_POLL_WOKEN_OTHER] = {"task {1} was woken, not this one", "깨어난 것은 태스크 {1}"},
    [MSG_POLL_SPURIOUS] = {"spurious wake", "가짜 깨움"},
    [MSG_PANIC_MARK] = {"panic", "패닉"},
    [MSG_LEG_NO_PROGRESS] = {"polled for another's or a spurious wake: no progress",
                             "다른 태스크의 깨움이나 가짜 깨움으로 폴링됨: 진전 없음"},
    [MSG_LEG_PANIC] = {"panic", "패닉"},
    [MSG_LEG_UNFINISHED] = {"torn end: never completed (the run ended first)", "찢긴 끝: 완료되지 않음 (실행이 먼저 끝남)"},
    [MSG_TITLE_MODEL] = {"{1} · as {2} polls (runtime model)", "{1} · {2}처럼 poll함 (런타임 모델)"},
    [MSG_MEM_TITLE] = {"memory", "메모리"},
    [MSG_MEM_SUB] = {"thread stacks, task state", "스레드 스택, 태스크 상태"},
    [MSG_MEM_STACKS] = {"thread stacks: {1} at the peak × {2} reserved = {3} ({4} really used)",
                        "스레드 스택: 최대 스레드 {1}개 × {2} 예약 = {3} (실제 사용 {4})"},
    [MSG_MEM_TASKS] = {"task state: {1} at the peak, {2} in all (executor header + future)",
                       "태스크 상태: 최대 태스크 {1}개, 모두 {2} (실행기 헤더 + 퓨처)"},
    [MSG_MEM_SCALE] = {"0 – {1}", "0 – {1}"},
    [MSG_MORE_ALIKE_TASKS] = {"… {1} more tasks like these ({2}), not drawn", "… 이와 같은 태스크 {1}개 더 ({2}), 그리지 않음"},
    [MSG_LEG_OTHERS] = {"polls of the tasks alike not drawn above (no marks, no arrows)",
                        "위에 그리지 않은 같은 종류 태스크의 poll (표시·화살표 없음)"},
    [MSG_MORE_ALIKE_THREADS] = {"… {1} more threads like these, not drawn", "… 이와 같은 스레드 {1}개 더, 그리지 않음"},

    [MSG_WIN_STATUS] = {"{1} ×{2}/s · {3} · {4} · frame {5} ms · ? keys{6}",
                        "{1} ×{2}/s · {3} · {4} · 프레임 {5} ms · ? 키 도움말{6}"},
    [MSG_WIN_PLAYING] = {"▶ playing", "▶ 재생 중"},
    [MSG_WIN_PAUSED] = {"❚❚ paused", "❚❚ 멈춤"},
    [MSG_WIN_REVEAL] = {"reveal mode", "공개 모드"},
    [MSG_WIN_FADED] = {"later steps faded", "이후 단계는 흐리게"},
    [MSG_TEXT_LEGEND] = {"# poll  ~ park / blocked  | system call  ! wake  = compute  - executor   (compressed time)",
                         "# poll  ~ park(잠잔다)  | 시스템 호출  ! 깨우기  = 계산  - 실행기   (시간축 압축)"},
    [MSG_TEXT_MORE_STEPS] = {"… {1} more steps (--limit 0 prints all)", "… 단계 {1}개 더 (--limit 0이면 모두 출력)"},

    /* The detail popup. */
    [MSG_DET_TASK_FUTURE] = {"task {1} {2} · future {3}", "태스크 {1} {2} · 퓨처 {3}"},
    [MSG_DET_POLL] = {"poll #{1} → {2}", "{1}번째 poll → {2}"},
    [MSG_DET_RESUMED_AT] = {"resumed at: {1}", "재개한 곳: {1}"},
    [MSG_DET_STOPPED_AT] = {"stopped at: {1}", "멈춘 곳: {1}"},
    [MSG_DET_ERROR] = {"error: {1}", "오류: {1}"},
    [MSG_DET_WOKEN_BY] = {"woken by: {1}", "깨운 것: {1}"},
    [MSG_DET_FIRST_POLL] = {"woken by: (first poll)", "깨운 것: (첫 poll)"},
    [MSG_DET_FROM_FOR] = {"from {1} for {2}", "{1}부터 {2} 동안"},
    [MSG_DET_HEAD_POLL] = {"poll {1}", "poll {1}"},
    [MSG_DET_HEAD_SLICE] = {"slice {1}", "구간 {1}"},
    [MSG_DET_HEAD_EVENT] = {"event {1}", "이벤트 {1}"},
    [MSG_DET_SLEEPS_UNTIL] = {"sleeps until: {1}", "잠자는 동안 기다리는 것: {1}"},
    [MSG_DET_BY] = {"by: {1}", "원인: {1}"},
    [MSG_DET_WAKES] = {"wakes task {1}", "태스크 {1}{을를} 깨운다"},
    [MSG_DET_WAKES_NO_EFFECT] = {"wakes task {1} (already scheduled: no effect)",
                                 "태스크 {1}{을를} 깨운다(이미 예약됨: 효과 없음)"},
    [MSG_DET_AT_FOR] = {"at {1} for {2}", "{1}에 {2} 동안"},
    [MSG_DET_FUTURE] = {"future {1}", "퓨처 {1}"},
    [MSG_DET_FUTURE_READY] = {"task {1} {2} · polled {3} times · Ready", "태스크 {1} {2} · {3}번 폴링됨 · Ready"},
    [MSG_DET_FUTURE_NEVER] = {"task {1} {2} · polled {3} times · never Ready",
                              "태스크 {1} {2} · {3}번 폴링됨 · Ready에 이르지 않음"},
    [MSG_DET_FROM_TO] = {"from {1} to {2}", "{1}부터 {2}까지"},
    [MSG_DET_OUTLINED] = {"its polls are outlined below", "이 퓨처의 poll은 아래에 테두리로 표시된다"},

    /* Captions. {task} arguments read "1 (cheapo_request)"; futures "A (cheapo_request)". */
    [MSG_CAP_CALL_START] = {"The thread calls {1} (a plain, blocking call).",
                            "스레드가 {1}{을를} 호출한다(블로킹하는 보통 함수 호출)."},
    [MSG_CAP_CALL_END] = {"{1} returns to its caller.", "{1}{이가} 호출한 쪽으로 복귀한다."},
    [MSG_CAP_CALL_JOIN] = {"The thread calls join() on a JoinHandle: it blocks until that thread has finished.",
                           "스레드가 JoinHandle의 join()을 호출한다: 그 스레드가 끝날 때까지 블록된다."},
    [MSG_CAP_CALL_BLOCKED] = {"{1} is blocked in a system call ({2}): the thread sleeps in the kernel until the call "
                              "returns.",
                              "{1}{은는} 시스템 호출({2}) 안에서 블록된다: 호출이 복귀할 때까지 스레드는 커널 안에서 잠든다."},
    [MSG_CAP_CALL_GOES_ON] = {"{1} goes on: the blocking call it waited in has returned.",
                              "{1}{이가} 계속 실행된다: 기다리던 블로킹 호출이 복귀했다."},
    [MSG_CAP_WAKE_SYNC] = {"{1}: the kernel wakes the thread of task {2}, blocked on it (pinata's model uses a waker "
                           "for that; Rust's blocking call has none).",
                           "{1}: 커널이 그것을 기다리며 블록된 태스크 {2}의 스레드를 깨운다(pinata의 모형은 여기에 "
                           "웨이커를 쓰지만 Rust의 블로킹 호출에는 없다)."},
    [MSG_CAP_SYNC_WAKER] = {"pinata's bookkeeping of task {1}'s blocking wait (no waker in Rust's blocking call).",
                            "태스크 {1}의 블로킹 대기에 대한 pinata의 기록이다(Rust의 블로킹 호출에는 웨이커가 없다)."},
    [MSG_CAP_POLL_FIRST] = {"{1} polls {2}, poll {3}: it runs from the top.",
                            "{1}{이가} {2}{을를} 폴링한다({3}번째 poll): 본문을 처음부터 실행한다."},
    [MSG_CAP_POLL_RESUME] = {"{1} polls {2} again, poll {3}: it resumes at {4}, not from the top.",
                             "{1}{이가} {2}{을를} 다시 폴링한다({3}번째 poll): 처음부터가 아니라 {4}에서 재개한다."},
    [MSG_CAP_LEAF_FIRST] = {"{1} polls {2}, poll {3}: a leaf future (no await inside) starts its operation.",
                            "{1}{이가} {2}{을를} 폴링한다({3}번째 poll): 안에 await가 없는 리프 퓨처가 자기 작업을 시작한다."},
    [MSG_CAP_LEAF_AGAIN] = {"{1} polls {2} again, poll {3}: a leaf future has no await to resume at; it tries its "
                            "operation again ({4}).",
                            "{1}{이가} {2}{을를} 다시 폴링한다({3}번째 poll): 리프 퓨처에는 재개할 await가 없다. "
                            "하던 작업({4})을 다시 시도한다."},
    [MSG_CAP_FUSED_POLL] = {"{1} polls {2} again, poll {3}: it already returned Ready, but it is fused: the Fuse "
                            "does not poll the finished future again.",
                            "{1}{이가} {2}{을를} 다시 폴링한다({3}번째 poll): 이미 Ready를 반환했지만 fuse되어 있다. "
                            "Fuse는 끝난 퓨처를 다시 폴링하지 않는다."},
    [MSG_CAP_READY_TASK] = {"{1} returns Ready to {2}: the task is done.", "{1}{이가} {2}에 Ready를 반환한다: 태스크가 끝났다."},
    [MSG_CAP_READY_AWAIT] = {"{1} returns Ready to {2}: that await completes and {2} goes on.",
                             "{1}{이가} {2}에 Ready를 반환한다: 그 await가 끝나고 {2}{이가} 계속 진행한다."},
    [MSG_CAP_ERR_TASK] = {"{1} returns Ready(Err({3})) to {2}: the task ends with that error, which its JoinHandle "
                          "(or block_on) hands to the caller.",
                          "{1}{이가} {2}에 Ready(Err({3}))를 반환한다: 태스크는 그 오류로 끝나고, 오류는 JoinHandle"
                          "(또는 block_on)을 거쳐 호출한 쪽에 전달된다."},
    [MSG_CAP_ERR_AWAIT] = {"{1} returns Ready(Err({3})) to {2}: the await completes with an error, and the ? after it "
                           "returns that error from {2} to its own caller.",
                           "{1}{이가} {2}에 Ready(Err({3}))를 반환한다: await가 오류로 끝나고, 그 뒤의 ?가 이 오류를 "
                           "{2}의 호출자에게 그대로 반환한다."},
    [MSG_CAP_ERR_VALUE] = {"{1} returns Ready(Err({3})) to {2}: the await completes, and its value is that Err; "
                           "{2} keeps it as a result (no ? on this await).",
                           "{1}{이가} {2}에 Ready(Err({3}))를 반환한다: await가 끝나고 그 값이 바로 이 Err다. "
                           "{2}{은는} 이것을 결과로 간직한다(이 await에는 ?가 없다)."},
    [MSG_CAP_PENDING_TASK] = {"{1} returns Pending to {2}: the task waits at {3}.",
                              "{1}{이가} {2}에 Pending을 반환한다: 태스크는 {3}에서 기다린다."},
    [MSG_CAP_PENDING_AWAIT] = {"{1} returns Pending to {2}: it stays suspended at {3}.",
                               "{1}{이가} {2}에 Pending을 반환한다: {3}에서 멈춘 채로 있다."},
    [MSG_CAP_PENDING_REGISTERED] = {"{1} returns Pending to {2}: not ready yet ({3}); the task's waker is registered "
                                    "and waits for {4}.",
                                    "{1}{이가} {2}에 Pending을 반환한다: 아직 준비되지 않았다({3}). 태스크의 웨이커가 "
                                    "등록되어 {4}{을를} 기다린다."},
    [MSG_CAP_PENDING_SELF_WOKEN] = {"{1} returns Pending to {2}: it has already woken its own task, so the task is "
                                    "polled again soon.",
                                    "{1}{이가} {2}에 Pending을 반환한다: 이미 자기 태스크를 깨웠으므로 태스크는 곧 다시 "
                                    "폴링된다."},
    [MSG_CAP_PENDING_NO_WAKER] = {"{1} returns Pending to {2} but keeps no clone of the waker: nothing will wake "
                                  "the task for it.",
                                  "{1}{이가} {2}에 Pending을 반환하지만 웨이커의 복제본을 간직하지 않는다: 이것 때문에 "
                                  "태스크를 깨울 것은 없다."},
    [MSG_CAP_FUSED_PENDING] = {"{1} returns Pending to {2}: a finished Fuse returns Pending without polling the inner "
                               "future and registers no waker.",
                               "{1}{이가} {2}에 Pending을 반환한다: 끝난 Fuse는 안쪽 퓨처를 폴링하지 않고 Pending을 "
                               "반환하며, 웨이커도 등록하지 않는다."},
    [MSG_CAP_EXEC_START] = {"The thread calls {1}: polling starts.", "스레드가 {1}{을를} 호출한다: 폴링이 시작된다."},
    [MSG_CAP_EXEC_END] = {"{1} returns: the caller gets the result.", "{1}{이가} 복귀하고 호출한 쪽이 결과를 받는다."},
    [MSG_CAP_EXEC_DEADLOCK] = {"{1} never returns: no task can be woken any more, so a real program would sleep here "
                               "forever. pinata stops the run here.",
                               "{1}{은는} 복귀하지 못한다: 더는 어떤 태스크도 깨어날 수 없으므로 실제 프로그램은 여기서 "
                               "영원히 잠든다. pinata는 여기서 실행을 멈춘다."},
    [MSG_CAP_SYNC_START] = {"The program starts: synchronous code, no executor.",
                            "프로그램이 시작된다: 실행기 없는 동기 코드다."},
    [MSG_CAP_SYNC_END] = {"main returns: the program ends.", "main이 복귀한다: 프로그램이 끝난다."},
    [MSG_CAP_WAKE] = {"{1}: the waker wakes task {2}: it will be polled again.",
                      "{1}: 웨이커가 태스크 {2}{을를} 깨운다. 다시 폴링될 것이다."},
    [MSG_CAP_WAKE_DUP] = {"{1}: the waker wakes task {2}; it was already scheduled, so nothing changes.",
                          "{1}: 웨이커가 태스크 {2}{을를} 깨운다. 이미 예약되어 있어서 달라지는 것은 없다."},
    [MSG_CAP_SPAWN] = {"Task {1} is created with {2}.", "태스크 {1}{이가} {2}{으로} 생성된다."},
    [MSG_CAP_SPAWN_MAIN] = {"The program's main thread runs main (task {1} in pinata's model).",
                            "프로그램의 메인 스레드가 main을 실행한다(pinata의 모형에서는 태스크 {1})."},
    [MSG_CAP_SPAWN_THREAD] = {"std::thread::spawn starts a new OS thread with its own stack to run {1}.",
                              "std::thread::spawn이 자기 스택을 가진 새 OS 스레드를 시작해 {1}{을를} 실행한다."},
    [MSG_CAP_CREATE] = {"Calling {1} creates future {2}; nothing runs until it is polled.",
                        "{1}{을를} 호출하면 퓨처 {2}{이가} 만들어진다. 폴링하기 전에는 아무것도 실행되지 않는다."},
    [MSG_CAP_CREATE_BLOCK] = {"{1} returns future {2}, its async block: the work before it ran at call time; nothing "
                              "inside the block runs until it is polled.",
                              "{1}{이가} async 블록의 퓨처 {2}{을를} 반환한다: 그 앞의 작업은 호출할 때 이미 실행되었고, "
                              "블록 안은 폴링하기 전에는 실행되지 않는다."},
    [MSG_CAP_CREATE_JOINHANDLE] = {"The spawn returns a JoinHandle for the new task; awaiting it waits for that task's "
                                   "result.",
                                   "spawn은 새 태스크의 JoinHandle을 반환한다. 이것을 await하면 그 태스크의 결과를 "
                                   "기다린다."},
    [MSG_CAP_CREATE_THREAD_HANDLE] = {"std::thread::spawn returns a JoinHandle; join() on it waits for the thread.",
                                      "std::thread::spawn은 JoinHandle을 반환한다. 그 join()은 스레드가 끝나기를 기다린다."},
    [MSG_CAP_CREATE_SYNC] = {"{1} is about to be called: a plain function that runs to the end before it returns "
                             "(pinata models the call as a future; Rust has none here).",
                             "{1}{을를} 곧 호출한다: 끝까지 실행한 뒤에야 복귀하는 보통 함수다(pinata는 이 호출을 "
                             "퓨처로 모형화하지만 Rust에서는 퓨처가 없다)."},
    [MSG_CAP_WAKER_REGISTER] = {"Task {1}'s waker is registered: it waits for {2}.",
                                "태스크 {1}의 웨이커가 등록된다: {2}{을를} 기다린다."},
    [MSG_CAP_WAKER_CLONE] = {"Task {1}'s waker is cloned ({2} live).", "태스크 {1}의 웨이커가 복제된다(살아 있는 것 {2}개)."},
    [MSG_CAP_WAKER_DROP] = {"Task {1}'s waker is dropped ({2} live).", "태스크 {1}의 웨이커가 해제된다(살아 있는 것 {2}개)."},
    [MSG_CAP_SYNC_WAIT] = {"The thread will wait in the kernel for {1} (pinata's model of a blocking call; no waker "
                           "in Rust).",
                           "스레드는 커널 안에서 {1}{을를} 기다리게 된다(블로킹 호출에 대한 pinata의 모형으로, "
                           "Rust에는 웨이커가 없다)."},
    [MSG_CAP_NET_CONNECTED] = {"Network: the connection to {1} is established.", "네트워크: {1}{과와}의 연결이 맺어졌다."},
    [MSG_CAP_NET_CHUNK] = {"Network: {2} bytes arrive from {1}.", "네트워크: {1}에서 {2}바이트가 도착한다."},
    [MSG_CAP_NET_EOF] = {"Network: {1} closes the connection (end of file).", "네트워크: {1}{이가} 연결을 닫는다(EOF)."},
    [MSG_CAP_NET_REFUSED] = {"Network: {1} refuses the connection (ECONNREFUSED).",
                             "네트워크: {1}{이가} 연결을 거부한다(ECONNREFUSED)."},
    [MSG_CAP_NET_RESET] = {"Network: {1} resets the connection (ECONNRESET).",
                           "네트워크: {1}{이가} 연결을 리셋한다(ECONNRESET)."},
    [MSG_CAP_NET_INCOMING] = {"Network: client {1} connects to the listening socket.",
                              "네트워크: 클라이언트 {1}{이가} 듣고 있는 소켓에 접속한다."},
    [MSG_CAP_NET_OTHER] = {"Network: {1}: {2}.", "네트워크: {1}: {2}."},
    [MSG_CAP_PARK] = {"Nothing to run: the thread parks (sleeps) until {1}.",
                      "실행할 것이 없다: 스레드가 잠든다(park). {1}까지."},
    [MSG_CAP_BLOCKED] = {"The thread blocks in {1}: it can do nothing else until it returns.",
                         "스레드가 {1}에서 블록된다: 그 호출이 끝날 때까지 다른 일을 할 수 없다."},
    [MSG_CAP_SYSCALL] = {"Non-blocking system call {1} → {2}.", "논블로킹 시스템 호출 {1} → {2}."},
    [MSG_CAP_SYSCALL_SYNC] = {"System call {1} → {2}.", "시스템 호출 {1} → {2}."},
    [MSG_CAP_SYSCALL_SYNC_WAIT] = {"System call {1} → {2}: pinata models a blocking call as this try plus a wait in the "
                                   "kernel; a real blocking call simply does not return yet.",
                                   "시스템 호출 {1} → {2}: pinata는 블로킹 호출을 이 시도와 커널 안의 기다림으로 "
                                   "모형화한다. 실제 블로킹 호출은 그냥 아직 복귀하지 않는다."},
    [MSG_CAP_FINISH_OK] = {"Task {1} finishes after {2} polls: ok, value {3}.",
                           "태스크 {1}{이가} {2}번 폴링된 끝에 완료된다: ok, 값 {3}."},
    [MSG_CAP_FINISH_ERR] = {"Task {1} finishes after {2} polls with an error: {3}.",
                            "태스크 {1}{이가} {2}번 폴링된 끝에 오류로 끝난다: {3}."},
    [MSG_CAP_COMPUTE] = {"CPU work inside the poll for {1} ms, without yielding: no other task runs on this thread "
                         "meanwhile.",
                         "poll 안에서 {1} ms 동안 계산한다(양보하지 않음): 그동안 이 스레드에서는 다른 태스크가 "
                         "실행되지 못한다."},
    [MSG_CAP_COMPUTE_CALL_TIME] = {"Call-time work for {1} ms: it runs now, when the function is called, before its "
                                   "future exists.",
                                   "호출 시점의 작업 {1} ms: 함수를 호출하는 지금, 퓨처가 만들어지기 전에 실행된다."},
    [MSG_CAP_LOCAL_SET] = {"Task {1} sets {2} {3} = {4} (on {5}).", "태스크 {1}{이가} {2} {3}{을를} {4}{으로} 설정한다({5}에서)."},
    [MSG_CAP_LOCAL_GET] = {"Task {1} reads {2} {3} = {4} (on {5}).", "태스크 {1}{이가} {2} {3}{을를} 읽는다: {4}({5}에서)."},
    [MSG_CAP_NOTE] = {"{1}", "{1}"},
    [MSG_CAP_THREAD_EXIT] = {"The function of {1} returns: the thread ends and its stack is released.",
                             "{1}의 함수가 복귀한다: 스레드가 끝나고 스택이 해제된다."},
    [MSG_CAP_CLOCK] = {"Nothing is runnable: the virtual clock jumps ahead to {1} ms.",
                       "실행할 수 있는 것이 없다: 가상 시계가 {1} ms로 건너뛴다."},
    [MSG_CAP_LINT] = {"Warning ({1}): {2}", "경고({1}): {2}"},
    [MSG_CAP_AFTER_READY] = {"Bug: {1} was polled after it returned Ready. The future of an async fn panics here "
                             "(\"`async fn` resumed after completion\"); pinata simplifies: it only reports the bug.",
                             "버그: {1}{이가} Ready를 반환한 뒤 다시 폴링되었다. async fn의 퓨처라면 여기서 패닉한다"
                             "(\"`async fn` resumed after completion\"). pinata는 단순화하여 버그를 보고하기만 한다."},
    [MSG_CAP_AFTER_READY_POLL] = {"{1} polls {2} again, poll {3}, although it already returned Ready: a bug.",
                                  "{1}{이가} 이미 Ready를 반환한 {2}{을를} 다시 폴링한다({3}번째 poll): 버그다."},
    [MSG_CAP_AFTER_READY_END] = {"{1} returns Ready to {2} again: pinata does not run the finished future (in Rust "
                                 "this poll could panic instead).",
                                 "{1}{이가} {2}에 다시 Ready를 반환한다: pinata는 끝난 퓨처를 실행하지 않는다(Rust에서는 "
                                 "이 poll이 대신 패닉할 수 있다)."},
    [MSG_CAP_LOST_WAKER] = {"Warning (lost_waker): {1} returned Pending, but nobody holds the task's waker: nothing "
                            "can ever wake it.",
                            "경고(lost_waker): {1}{이가} Pending을 반환했지만 태스크의 웨이커를 가진 것이 없다: 아무것도 "
                            "이 태스크를 깨울 수 없다."},
    [MSG_CAP_DEADLOCK] = {"Deadlock: the tasks left are all pending, and no timer or network event is left that "
                          "could wake one: they would wait forever.",
                          "교착 상태: 남은 태스크는 모두 대기 중이고, 그중 하나라도 깨울 타이머나 네트워크 이벤트가 "
                          "남아 있지 않다: 영원히 기다리게 된다."},
    [MSG_CAP_END] = {"The run ends: {1}.", "실행이 끝난다: {1}."},
    [MSG_CAP_WOKEN_BY_POLL] = {"{1} polls {2} again, poll {3}, because task {4} was woken: this runtime's block_on "
                               "polls its own future whenever the reactor wakes a task on its thread, before that task runs.",
                               "태스크 {4}{이가} 깨어났기 때문에 {1}{이가} {2}{을를} 다시 폴링한다({3}번째 poll): 이 "
                               "런타임의 block_on은 리액터가 자기 스레드의 태스크를 깨울 때마다, 그 태스크를 실행하기 전에 "
                               "자기 퓨처를 폴링한다."},
    [MSG_CAP_WOKEN_BY_PENDING] = {"Nothing is ready for {1}: it returns Pending to {2} again, still at {3} — a poll "
                                  "that made no progress. A future must allow that.",
                                  "{1}에게는 준비된 것이 없다: {2}에 다시 Pending을 반환하고 여전히 {3}에 있다 — 아무 "
                                  "진전 없는 poll이다. 퓨처는 이런 poll을 견뎌야 한다."},
    [MSG_CAP_SPURIOUS_POLL] = {"{1} polls {2} again, poll {3}: woken by a readiness event from the reactor tick in "
                               "which its waker registered, which async-io does not trust.",
                               "{1}{이가} {2}{을를} 다시 폴링한다({3}번째 poll): 웨이커를 등록한 바로 그 리액터 틱이 "
                               "준비 이벤트를 전했는데, async-io는 이것을 믿지 않는다."},
    [MSG_CAP_SPURIOUS_PENDING] = {"{1} returns Pending to {2}: the wake was spurious, nothing moved, and it registers "
                                  "again; the reactor's next tick reports the socket again.",
                                  "{1}{이가} {2}에 Pending을 반환한다: 가짜 깨움이라 아무것도 진행되지 않았고 다시 "
                                  "등록한다. 리액터의 다음 틱이 소켓을 다시 알린다."},
    [MSG_CAP_PANIC] = {"{1} panics: \"{2}\". The panic unwinds through every poll on the stack; no code after it "
                       "runs.",
                       "{1}{이가} 패닉한다: \"{2}\". 패닉은 스택에 있는 모든 poll을 거슬러 풀려 나가고, 그 뒤의 "
                       "코드는 실행되지 않는다."},
    [MSG_CAP_PANIC_UNWIND] = {"{1} does not return to {2}: the panic unwinds through it.",
                              "{1}{은는} {2}에 반환하지 않는다: 패닉이 그것을 거슬러 풀려 나간다."},
    [MSG_CAP_FINISH_PANIC] = {"Task {1} ends with a panic after {2} polls: whoever awaits its JoinHandle gets the "
                              "panic (tokio: Err(JoinError); async-std: the panic again).",
                              "태스크 {1}{이가} {2}번 폴링된 끝에 패닉으로 끝난다: JoinHandle을 기다리는 쪽이 그 "
                              "패닉을 받는다(tokio: Err(JoinError), async-std: 다시 패닉)."},
    [MSG_CAP_FINISH_PANIC_ROOT] = {"Task {1} ends with a panic after {2} polls: block_on, which awaits it, gets the panic.",
                                   "태스크 {1}{이가} {2}번 폴링된 끝에 패닉으로 끝난다: 이 태스크를 기다리는 block_on이 그 패닉을 받는다."},
    [MSG_CAP_SPAWN_BLOCKING] = {"connect resolves the name first: spawn_blocking runs the blocking {1}({2}) on a thread "
                                "of the runtime's blocking pool, and connect awaits its JoinHandle.",
                                "connect는 먼저 이름을 해석한다: spawn_blocking이 블로킹 호출 {1}({2})을 런타임의 블로킹 "
                                "풀 스레드에서 실행하고, connect는 그 JoinHandle을 기다린다."},
    [MSG_CAP_EXEC_PANIC] = {"{1} resumes the panic of its future: main panics, and the program exits with status 101.",
                            "{1}{이가} 자기 퓨처의 패닉을 다시 일으킨다: main이 패닉하고 프로그램은 상태 101로 끝난다."},
    [MSG_CMP_TITLE] = {"Compare: A {1}  vs  B {2}", "비교: A {1}  ·  B {2}"},
    [MSG_CMP_SUB] = {"One time scale: the same virtual time is at the same x in both runs; a stretch idle in both "
                     "is drawn short (≈).",
                     "하나의 시간 축: 같은 가상 시간은 두 실행에서 같은 x에 있다. 둘 다 쉬는 구간은 짧게 그린다 (≈)."},
    [MSG_CMP_HEAD_COUNTS] = {"counts", "항목"},
    [MSG_CMP_HEAD_AGAINST] = {"A against B", "A 대 B"},
    [MSG_CMP_SAME] = {"same", "같음"},
    [MSG_CMP_MORE] = {"{1}× more", "{1}배 많음"},
    [MSG_CMP_LESS] = {"{1}× less", "{1}배 적음"},
    [MSG_CMP_ROW_POLLS] = {"polls (the tasks' top-level polls)", "poll 횟수 (태스크의 최상위 poll)"},
    [MSG_CMP_ROW_IDLE_POLLS] = {"polls that made no progress", "진전 없는 poll"},
    [MSG_CMP_ROW_WAKES] = {"wakes", "깨우기"},
    [MSG_CMP_ROW_PARKS] = {"parks (the thread sleeps)", "park (스레드가 잠든다)"},
    [MSG_CMP_ROW_CALLS] = {"calls on threads (sync code)", "스레드의 호출 (동기 코드)"},
    [MSG_CMP_ROW_BLOCKED] = {"blocking waits (a thread blocked in a call)", "블로킹 대기 (호출 안에서 멈춘 스레드)"},
    [MSG_CMP_ROW_CPU] = {"CPU time (inside polls and calls)", "CPU 시간 (poll·호출 안)"},
    [MSG_CMP_ROW_SPAN] = {"run time (virtual)", "실행 시간 (가상)"},
    [MSG_CMP_ROW_TASKS] = {"task state at the peak (tasks × bytes each)", "최대 태스크 상태 (태스크 수 × 태스크당 바이트)"},
    [MSG_CMP_ROW_STACK] = {"stack in use at the peak (threads × stack each)", "최대 사용 스택 (스레드 수 × 스레드당 스택)"},
    [MSG_CMP_ROW_RESERVED] = {"stack reserved (virtual memory)", "예약된 스택 (가상 메모리)"},
    [MSG_CMP_NOTE_IDLE] = {"No progress: a task's poll that returned Pending although nothing woke the task since its "
                           "previous poll — the executor polled for nothing.",
                           "진전 없는 poll: 이전 poll 이후 아무도 태스크를 깨우지 않았는데 Pending을 반환한 poll — "
                           "실행기가 헛되이 폴링했다."},
    [MSG_CMP_NOTE_CPU] = {"CPU time: time spent inside the polls and calls; parked and blocked threads use none. Memory: "
                          "at the peak of the run's counters.",
                          "CPU 시간: poll과 호출 안에서 보낸 시간. park하거나 블록된 스레드는 CPU를 쓰지 않는다. "
                          "메모리: 실행 중 최댓값."},

    [MSG_QZ_ASK_RESULT] = {"{1} is polled: what does it return?", "{1}{이가} poll된다. 무엇을 반환할까?"},
    [MSG_QZ_ASK_NEXT] = {"Which task does {1} poll next?", "{1}{이가} 다음에 poll하는 태스크는?"},
    [MSG_QZ_ASK_WAKER] = {"{1} parks: what wakes it?", "{1}{이가} 잠든다(park). 무엇이 깨울까?"},
    [MSG_QZ_ASK_WORKER] = {"Task {1} was woken. On which worker does it resume?",
                           "태스크 {1}{이가} 깨어났다. 어느 워커에서 다시 poll될까?"},
    [MSG_QZ_TASK] = {"task {1}: {2}", "태스크 {1}: {2}"},
    [MSG_QZ_NET] = {"a network event", "네트워크 이벤트"},
    [MSG_QZ_TIMER] = {"a timer", "타이머"},
    [MSG_QZ_OTHER_TASK] = {"another task", "다른 태스크"},
    [MSG_QZ_WOKEN_BY] = {"It was woken by {1}.", "깨운 것: {1}."},
    [MSG_QZ_WORKER_WHY] = {"Task {1} last ran on {2}. A pool keeps no thread per task: the worker that takes it "
                           "from the queue polls it, here {3}.",
                           "태스크 {1}{은는} 지난번에 {2}에서 실행되었다. 풀에는 태스크마다 정해진 스레드가 없다: "
                           "큐에서 그 태스크를 가져간 워커가 poll한다. 여기서는 {3}."},
    [MSG_QZ_TITLE] = {"Quiz · question {1} of {2} · score {3}/{4}", "퀴즈 · 문제 {1} / {2} · 점수 {3}/{4}"},
    [MSG_QZ_HINT_ASK] = {"press 1–{1} or click a choice; Esc skips", "1–{1} 키를 누르거나 답을 클릭; Esc는 건너뛰기"},
    [MSG_QZ_RIGHT] = {"Right!", "정답!"},
    [MSG_QZ_WRONG] = {"Not quite: the answer is {1}.", "아쉽다: 답은 {1}."},
    [MSG_QZ_SKIPPED] = {"Skipped: the answer is {1}.", "건너뜀: 답은 {1}."},
    [MSG_QZ_HINT_NEXT] = {"Right / N / Space: on to the next question", "Right / N / Space: 다음 문제로"},
    [MSG_QZ_DONE] = {"Quiz over: {1} of {2} right. G leaves quiz mode.",
                     "퀴즈 끝: {2}문제 중 {1}개 정답. G를 누르면 퀴즈 모드를 나간다."},
    [MSG_QZ_TEXT_GEN] = {"{1} questions made from the run (the window asks them: G)",
                         "실행에서 만든 문제 {1}개 (창에서 G를 누르면 묻는다)"},
    [MSG_QZ_TEXT_OWN] = {"{1} questions written by the scenario (the window asks them: G)",
                         "시나리오가 쓴 문제 {1}개 (창에서 G를 누르면 묻는다)"},
    [MSG_QZ_TEXT_STEP] = {"step {1}", "단계 {1}"},
    [MSG_QZ_TEXT_RIGHT] = {"the answer", "정답"},
    [MSG_QZ_NONE] = {"No questions for this run. G leaves quiz mode.", "이 실행에는 문제가 없다. G를 누르면 퀴즈 모드를 나간다."},

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
    [MSG_SIM_END_OK] = {"ok", "정상 종료(ok)"},
    [MSG_SIM_END_DEADLOCK] = {"deadlock", "교착 상태(deadlock)"},
    [MSG_SIM_END_LIMIT] = {"limit", "한도에 도달(limit)"},
    [MSG_SIM_END_PANIC] = {"panic", "패닉(panic)"},
    [MSG_SIM_WRITABLE_AGAIN] = {"fd {1} writable ({2}), reported again by a new reactor tick",
                                "fd {1} 쓰기 가능({2}): 새 리액터 틱이 다시 알림"},
    [MSG_SIM_PANIC_ASYNC_FN] = {"`async fn` resumed after completion", "`async fn` resumed after completion(끝난 뒤 재개된 async fn)"},
    [MSG_SIM_RESOLVED] = {"getaddrinfo({1}) answered", "getaddrinfo({1})가 답했다"},
    [MSG_SIM_ON_RESOLVER] = {"the resolver's answer", "이름 해석기의 답"},
    [MSG_SIM_RESOLVING] = {"resolving", "이름을 해석하는 중"},
    [MSG_SIM_PANIC_JOIN] = {"a spawned task panicked: its JoinHandle resumes the panic",
                            "spawn된 태스크가 패닉했다: 그 JoinHandle이 패닉을 다시 일으킨다"},
    [MSG_SIM_LOCKING] = {"locking", "잠그는 중"},
    [MSG_SIM_CONNECTING] = {"connecting", "연결하는 중"},
    [MSG_SIM_READING] = {"reading", "읽는 중"},
    [MSG_SIM_WRITING] = {"writing", "쓰는 중"},
    [MSG_SIM_SLEEPING] = {"sleeping", "타이머를 기다리는 중"},
    [MSG_SIM_YIELDED] = {"yielded", "양보함"},
    [MSG_SIM_ACCEPTING] = {"accepting", "접속을 기다리는 중"},
    [MSG_SIM_JOIN] = {"join", "태스크가 끝나기를 기다리는 중"},
    [MSG_SIM_FORGOT] = {"forgot its waker", "웨이커를 잊어버림"},
    [MSG_SIM_FUSED] = {"fused", "fuse됨"},
    [MSG_SIM_AT_BLOCKING] = {"{1} (blocking)", "{1}(블로킹)"},
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
    static const char *const consonant[] = {"ng", "me", "ne", "ck", "ic", "m", "n", "p", "b"};
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
