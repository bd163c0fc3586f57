/* schema: see schema.h. */
#include "trace/schema.h"

#include <string.h>

/* ph + cat (+ name, when the category has several kinds) -> kind; first match wins. */
static const struct {
    char ph;
    const char *cat, *name; /* name NULL: any */
    trace_kind kind;
} RULES[] = {
    {'X', TRACE_CAT_EXECUTOR, NULL, TRACE_KIND_EXECUTOR},
    {'X', TRACE_CAT_POLL, NULL, TRACE_KIND_POLL},
    {'X', TRACE_CAT_WAKE, NULL, TRACE_KIND_WAKE},
    {'X', TRACE_CAT_PARK, NULL, TRACE_KIND_PARK},
    {'X', TRACE_CAT_SYSCALL, NULL, TRACE_KIND_SYSCALL},
    {'X', TRACE_CAT_CALL, NULL, TRACE_KIND_POLL},
    {'X', TRACE_CAT_BLOCKED, NULL, TRACE_KIND_BLOCKED},
    {'X', TRACE_CAT_COMPUTE, NULL, TRACE_KIND_COMPUTE},
    {'i', TRACE_CAT_LOCAL, NULL, TRACE_KIND_LOCAL},
    {'i', TRACE_CAT_NOTE, NULL, TRACE_KIND_NOTE},
    {'i', TRACE_CAT_THREAD, TRACE_NAME_EXIT, TRACE_KIND_THREAD_EXIT},
    {'i', TRACE_CAT_TASK, TRACE_NAME_SPAWN, TRACE_KIND_SPAWN},
    {'i', TRACE_CAT_TASK, TRACE_NAME_FINISH, TRACE_KIND_FINISH},
    {'i', TRACE_CAT_TASK, TRACE_NAME_PANIC, TRACE_KIND_PANIC},
    {'i', TRACE_CAT_FUTURE, NULL, TRACE_KIND_CREATE},
    {'i', TRACE_CAT_WAKER, NULL, TRACE_KIND_WAKER},
    {'i', TRACE_CAT_NET, NULL, TRACE_KIND_NET},
    {'i', TRACE_CAT_CLOCK, NULL, TRACE_KIND_CLOCK},
    {'i', TRACE_CAT_LINT, NULL, TRACE_KIND_LINT},
    {'i', TRACE_CAT_RUN, TRACE_NAME_DEADLOCK, TRACE_KIND_DEADLOCK},
    {'i', TRACE_CAT_RUN, TRACE_NAME_END, TRACE_KIND_END},
};

const char *trace_net_err_name(int err) {
    static const char *const names[] = {"0", "would-block", "EINPROGRESS", "ECONNREFUSED",
                                        "ECONNRESET", "ENOTFOUND", "EBADF", "ENOTCONN", "ENOMEM",
                                        "panicked" /* a JoinHandle's task panicked (tokio's JoinError) */};
    return err < 0 && -err < (int)(sizeof names / sizeof names[0]) ? names[-err] : "0";
}

trace_kind trace_classify(char ph, const char *cat, const char *name) {
    for (size_t i = 0; i < sizeof RULES / sizeof RULES[0]; i++)
        if (RULES[i].ph == ph && RULES[i].cat[0] == cat[0] && !strcmp(RULES[i].cat, cat) &&
            (!RULES[i].name || !strcmp(RULES[i].name, name)))
            return RULES[i].kind;
    return TRACE_KIND_OTHER;
}
