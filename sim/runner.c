#include "sim/runner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cheapo.h"
#include "sim/exec.h"
#include "sim/interp.h"
#include "sim/net.h"
#include "trace/outfile.h"
#include "trace/printable.h"
#include "sim/reactor.h"
#include "sim/trace.h"

#define DEFAULT_SEED 42

/* One run: the pieces every example needs, created and destroyed together. */
typedef struct run {
    reactor_t r;
    trace_t *t;
    exec_t *ex;
    net_t *net;
    uint64_t seed;
} run;

typedef struct builtin {
    const char *name;
    const char *title, *description;
    const char *title_ko, *description_ko;
    exec_result (*body)(run *rn, FILE *out);
} builtin;

/* Where the run's report goes: stdout, or stderr when the trace itself goes to stdout. */
static FILE *report_stream(const char *trace_path, const runner_opts *opts) {
    if (opts && opts->quiet) return NULL;
    return trace_path && !strcmp(trace_path, "-") ? stderr : stdout;
}

static exec_result run_block_on(run *rn, FILE *out) {
    cheapo_request req;
    cheapo_request_init(&req, rn->ex, NULL, rn->net, "example.com", 80, "/");
    exec_result r = exec_block_on(rn->ex, &req.base, "cheapo_request");
    if (out && r == EXEC_OK) {
        if (req.base.err) fprintf(out, "cheapo_request(example.com): error: %s\n", net_strerror(req.base.err));
        else fprintf(out, "cheapo_request(example.com): %lld bytes\n", (long long)req.base.value);
    }
    return r;
}

static const char *const lecture_hosts[] = {"example.com", "www.red-bean.com", "en.wikipedia.org"};

static exec_result run_many(run *rn, FILE *out) {
    many_requests m;
    many_requests_init(&m, rn->ex, rn->net, lecture_hosts, 3);
    exec_result r = exec_block_on(rn->ex, &m.base, "many_requests");
    for (int i = 0; out && r == EXEC_OK && i < m.n; i++) {
        if (m.errors[i]) fprintf(out, "%s: error: %s\n", m.hosts[i], net_strerror(m.errors[i]));
        else fprintf(out, "%s: %lld bytes\n", m.hosts[i], (long long)m.results[i]);
    }
    return r;
}

static const builtin builtins[] = {
    {"block_on", "S2: cheapo_request under block_on",
     "block_on polls cheapo_request (A), which awaits connect (B), write_all (C) and read_to_string (D); "
     "each Pending parks the thread until the network wakes it.",
     "S2: block_on 위의 cheapo_request",
     "block_on이 cheapo_request(A)를 폴링하고, A는 connect(B), write_all(C), read_to_string(D)을 await한다. "
     "Pending이 나올 때마다 스레드는 네트워크가 깨울 때까지 잠든다.",
     run_block_on},
    {"many_requests", "S3: many_requests with spawn_local",
     "Three cheapo_requests spawned with spawn_local interleave on one thread; en.wikipedia.org answers first.",
     "S3: spawn_local로 만든 many_requests",
     "spawn_local로 만든 세 cheapo_request가 한 스레드에서 교차로 실행된다. en.wikipedia.org가 제일 먼저 끝난다.",
     run_many},
};

static const builtin *find_builtin(const char *name) {
    for (size_t i = 0; i < sizeof builtins / sizeof *builtins; i++)
        if (strcmp(builtins[i].name, name) == 0) return &builtins[i];
    return NULL;
}

int runner_is_builtin(const char *s) { return find_builtin(s) != NULL; }

int runner_simulate(const void *opts, const char *input, const char *text, const char *out, char *err, size_t errlen) {
    runner_opts o = opts ? *(const runner_opts *)opts : (runner_opts){0};
    o.quiet = 1;
    runner_status st = text ? runner_run_text(input, text, out, &o, err, errlen) : runner_run(input, out, &o, err, errlen);
    return st == RUNNER_ERROR ? -1 : 0;
}

void runner_list(void *file) {
    FILE *f = file;
    for (size_t i = 0; i < sizeof builtins / sizeof *builtins; i++)
        fprintf(f, "%-16s %s\n", builtins[i].name, builtins[i].title);
}

/* --model overrides the scenario's runtime.model; a real model's reactor turn is
 * SCN_REAL_TURN_NS unless the scenario gave runtime.turn_us. */
static void apply_model(exec_config *cfg, const runner_opts *opts, int has_turn) {
    if (opts && opts->model > 0) cfg->model = opts->model - 1;
    if (!has_turn) cfg->turn_ns = cfg->model != EXEC_MODEL_IDEAL ? SCN_REAL_TURN_NS : 0;
}

static runner_status status_of(exec_result r) {
    return r == EXEC_OK ? RUNNER_OK : r == EXEC_PANIC ? RUNNER_PANIC : RUNNER_DEADLOCK;
}

/* What the first trace line says about the run: a built-in's or a scenario file's. */
typedef struct run_meta {
    const char *name, *title, *description, *title_ko, *description_ko;
    const char *file;      /* the scenario file, or NULL for a built-in */
    const cJSON *source;   /* the Rust source lines, or NULL */
    const cJSON *quiz;     /* the scenario's own questions, or NULL */
    const char *quiz_left_out; /* the scenario has a quiz, left out because of these options */
    const char *executor;  /* block_on, busy_poll, sync */
    int64_t long_poll_ns;
    int model;             /* exec_model: written only when not ideal, so ideal traces stay as they were */
} run_meta;

/* A part of the scenario as JSON text, for the header ("source", "quiz"). */
static char *source_json(const cJSON *src) {
    char *out = NULL;
    cJSON *copy = src ? cJSON_Duplicate(src, 1) : NULL;
    if (copy) out = cJSON_PrintUnformatted(copy);
    cJSON_Delete(copy);
    return out;
}

static void header_meta(trace_t *t, const run_meta *m, uint64_t seed, const exec_config *cfg) {
    trace_begin(t, TRACE_PH_META, NULL, TRACE_NAME_PINATA, 0, 0, 0);
    trace_arg_int(t, TRACE_ARG_SCHEMA, TRACE_SCHEMA_VERSION);
    trace_arg_str(t, TRACE_ARG_SCENARIO, m->name);
    trace_arg_int(t, TRACE_ARG_SEED, (int64_t)seed);
    trace_arg_str(t, TRACE_ARG_TITLE, m->title);
    trace_arg_str(t, TRACE_ARG_DESCRIPTION, m->description);
    trace_arg_str(t, TRACE_ARG_TITLE_KO, m->title_ko);
    trace_arg_str(t, TRACE_ARG_DESCRIPTION_KO, m->description_ko);
    trace_arg_us(t, TRACE_ARG_POLL_COST_US, cfg->poll_cost_ns);
    trace_arg_us(t, TRACE_ARG_SYSCALL_COST_US, cfg->syscall_cost_ns);
    if (m->model) trace_arg_str(t, TRACE_ARG_MODEL, scenario_model_names[m->model]);
    if (m->model) trace_arg_us(t, TRACE_ARG_TURN_US, cfg->turn_ns);
    if (m->file) {
        const char *base = strrchr(m->file, '/');
        trace_arg_str(t, TRACE_ARG_FILE, base ? base + 1 : m->file); /* not the path: traces stay byte-identical from any directory */
        trace_arg_str(t, TRACE_ARG_EXECUTOR, m->executor);
        trace_arg_int(t, TRACE_ARG_WORKERS, cfg->workers);
        trace_arg_us(t, TRACE_ARG_LONG_POLL_US, m->long_poll_ns);
        trace_arg_int(t, TRACE_ARG_STACK_RESERVED_BYTES, cfg->stack_reserved);
        trace_arg_int(t, TRACE_ARG_STACK_USED_BYTES, cfg->stack_used);
        trace_arg_int(t, TRACE_ARG_TASK_HEADER_BYTES, (int64_t)exec_task_header_size());
        char *src = source_json(m->source);
        if (src) trace_arg_raw(t, TRACE_ARG_SOURCE, src);
        free(src);
        char *quiz = source_json(m->quiz);
        if (quiz) trace_arg_raw(t, TRACE_ARG_QUIZ, quiz);
        free(quiz);
        if (m->quiz_left_out) trace_arg_str(t, TRACE_ARG_QUIZ_LEFT_OUT, m->quiz_left_out);
    }
    trace_end(t);
}

static void trace_header(trace_t *t, const run_meta *m, uint64_t seed, const exec_config *cfg, int workers) {
    header_meta(t, m, seed, cfg);
    /* Perfetto and speedscope name the run after process_name: the title says what it shows */
    const char *title = m->title && *m->title ? m->title : NULL;
    size_t cap = strlen(m->name) + (title ? strlen(title) : 0) + 16;
    char *pname = malloc(cap);
    if (pname && title) snprintf(pname, cap, "%s (pinata %s)", title, m->name);
    else if (pname) snprintf(pname, cap, "pinata: %s", m->name);
    trace_begin(t, TRACE_PH_META, NULL, TRACE_NAME_PROCESS_NAME, 0, 0, 0);
    trace_arg_str(t, TRACE_ARG_NAME, pname ? pname : m->name);
    trace_end(t);
    free(pname);
    trace_begin(t, TRACE_PH_META, NULL, TRACE_NAME_THREAD_NAME, TRACE_TID_MAIN, 0, 0);
    trace_arg_str(t, TRACE_ARG_NAME, m->executor && !strcmp(m->executor, "sync") ? "main" : "main (block_on)");
    trace_end(t);
    for (int i = 1; i <= workers; i++) {
        char w[24];
        snprintf(w, sizeof w, "worker %d", i);
        trace_begin(t, TRACE_PH_META, NULL, TRACE_NAME_THREAD_NAME, TRACE_TID_WORKER_BASE + i - 1, 0, 0);
        trace_arg_str(t, TRACE_ARG_NAME, w);
        trace_end(t);
    }
    trace_begin(t, TRACE_PH_META, NULL, TRACE_NAME_THREAD_NAME, TRACE_TID_OS, 0, 0);
    trace_arg_str(t, TRACE_ARG_NAME, TRACE_OS_LANE_NAME);
    trace_end(t);
    trace_begin(t, TRACE_PH_META, NULL, TRACE_NAME_THREAD_SORT, TRACE_TID_OS, 0, 0);
    trace_arg_int(t, TRACE_ARG_SORT_INDEX, 9999);
    trace_end(t);
}

static void trace_footer(trace_t *t, exec_result r, const exec_stats *st) {
    const char *res = r == EXEC_OK ? TRACE_END_OK : r == EXEC_DEADLOCK ? TRACE_END_DEADLOCK
                    : r == EXEC_PANIC ? TRACE_END_PANIC : TRACE_END_LIMIT;
    trace_begin(t, TRACE_PH_INSTANT, TRACE_CAT_RUN, TRACE_NAME_END, TRACE_TID_OS, st->end_ns, 0);
    trace_arg_str(t, TRACE_ARG_RESULT, res);
    trace_arg_us(t, TRACE_ARG_VIRTUAL_US, st->end_ns);
    trace_arg_int(t, TRACE_ARG_POLLS, (int64_t)st->polls);
    trace_arg_int(t, TRACE_ARG_EVENTS, (int64_t)trace_events(t) + 1);
    trace_end(t);
}

static void print_summary(FILE *out, const char *raw_name, exec_result r, const exec_stats *st) {
    char name[1024];
    printable(name, sizeof name, raw_name, 0); /* a scenario's name may hold an ESC */
    fprintf(out, "%s: %s after %.3f ms of virtual time; %llu task polls, %llu wakes, %llu parks, %llu tasks\n",
            name, r == EXEC_OK ? "finished" : r == EXEC_DEADLOCK ? "DEADLOCK"
                  : r == EXEC_PANIC ? "PANICKED (block_on resumed the root future's panic)" : "stopped at a limit",
            (double)st->end_ns / 1e6, (unsigned long long)st->polls, (unsigned long long)st->wakes,
            (unsigned long long)st->parks, (unsigned long long)st->tasks);
}

/* The output budget of a run in MiB: --max-trace-mb, else the scenario's, else the default. */
static int64_t budget_mb(const scenario *s, const runner_opts *opts) {
    return opts && opts->max_trace_mb > 0 ? opts->max_trace_mb : s ? s->max_trace_mb : SCN_DEFAULT_TRACE_MB;
}

static void budget_error(const char *file, int64_t mb, char *err, size_t errlen) {
    snprintf(err, errlen, "%s: runtime.max_trace_mb: the trace reached its budget of %lld MiB: raise "
             "runtime.max_trace_mb or --max-trace-mb (at most %d) if the scenario is meant to write more",
             file, (long long)mb, SCN_MAX_TRACE_MB);
}

static runner_status run_builtin(const builtin *b, const char *trace_path, const runner_opts *opts,
                                 char *err, size_t errlen) {
    run rn = {.seed = opts && opts->has_seed ? opts->seed : DEFAULT_SEED};
    exec_config cfg;
    exec_config_default(&cfg);
    apply_model(&cfg, opts, 0);
    reactor_init(&rn.r);
    rn.t = trace_path ? trace_open(trace_path) : NULL;
    if (trace_path && !rn.t) {
        outfile_message(err, errlen, trace_path);
        return RUNNER_ERROR;
    }
    trace_set_budget(rn.t, (uint64_t)budget_mb(NULL, opts) << 20);
    run_meta m = {b->name, b->title, b->description, b->title_ko, b->description_ko, NULL, NULL, NULL, NULL, "block_on", 0, cfg.model};
    trace_header(rn.t, &m, rn.seed, &cfg, cfg.workers);
    rn.ex = exec_new(&cfg, &rn.r, rn.t);
    rn.net = net_new(rn.ex, rn.seed);
    net_add_default_hosts(rn.net);
    FILE *out = report_stream(trace_path, opts);
    exec_result r = b->body(&rn, out);
    exec_stats st = exec_get_stats(rn.ex);
    if (out) print_summary(out, b->name, r, &st);
    if (out && r == EXEC_DEADLOCK) exec_report_deadlock(rn.ex, out);
    exec_free(rn.ex);
    net_free(rn.net);
    reactor_free(&rn.r);
    trace_footer(rn.t, r, &st);
    if (trace_full(rn.t)) {
        budget_error(b->name, budget_mb(NULL, opts), err, errlen);
        trace_close(rn.t, 0);
        return RUNNER_ERROR;
    }
    if (trace_close(rn.t, 1) != 0) {
        outfile_message(err, errlen, trace_path);
        return RUNNER_ERROR;
    }
    return status_of(r);
}

/* ---------- scenario files ---------- */

static const char *const executor_names[] = {"block_on", "busy_poll", "sync"};

static int setup_net(run *rn, const scenario *s) {
    rn->net = net_new(rn->ex, rn->seed);
    if (!rn->net) return -1;
    if (s->default_hosts) net_add_default_hosts(rn->net);
    net_set_resolve(rn->net, s->resolve_ns);
    for (int i = 0; i < s->nhosts; i++)
        if (net_add_host(rn->net, &s->hosts[i]) != NET_OK) return -1;
    if (s->has_listener &&
        net_listen(rn->net, &s->client, s->clients, s->client_first_ns, s->client_interval_ns) < 0)
        return -1;
    return 0;
}

static exec_result run_entry(run *rn, const scenario *s, interp_t *ip) {
    future_t *root = interp_entry(ip);
    const char *name = s->fns[s->entry].name;
    if (!root) return EXEC_LIMIT;
    if (s->executor == SCN_BUSY_POLL) return exec_busy_poll(rn->ex, root, name);
    if (s->executor == SCN_SYNC) return exec_run_sync(rn->ex, root, name);
    return exec_block_on(rn->ex, root, name);
}

/* The one message of a run a limit stopped: which limit, and how to raise it. */
static void limit_error(const scenario *s, const exec_stats *st, const runner_opts *opts, char *err, size_t errlen) {
    const char *more = "if the scenario is meant to run longer";
    if (st->limit == 5) budget_error(s->path, budget_mb(s, opts), err, errlen);
    else if (st->limit == 6)
        snprintf(err, errlen, "%s: runtime.max_task_mb: a spawn would make the live tasks' futures more than %llu MiB: "
                 "raise runtime.max_task_mb (at most 65536) if the scenario is meant to hold more", s->path,
                 (unsigned long long)(s->cfg.max_task_bytes >> 20));
    else if (st->limit == 4)
        snprintf(err, errlen, "%s: runtime.max_tasks: a spawn found %llu tasks alive already: raise runtime.max_tasks "
                 "(at most 10000000) if the scenario is meant to have more", s->path, (unsigned long long)s->cfg.max_tasks);
    else if (st->limit == 3)
        snprintf(err, errlen, "%s: runtime.max_steps: the run was stopped after %lld steps: raise runtime.max_steps "
                 "(at most 100000000) %s", s->path, (long long)s->max_steps, more);
    else if (st->limit == 2 && !s->cfg.max_time_ns)
        snprintf(err, errlen, "%s: runtime: the run reached the end of the virtual clock (4e18 ns, about 126 years): "
                 "expected shorter times (a runaway loop of sleeps or computes?)", s->path);
    else if (st->limit == 2)
        snprintf(err, errlen, "%s: runtime.max_time_ms: the run was stopped at the limit of %.3f ms of virtual time: "
                 "raise runtime.max_time_ms (at most 1000000000) %s", s->path, (double)s->cfg.max_time_ns / 1e6, more);
    else
        snprintf(err, errlen, "%s: runtime.max_polls: the run was stopped after %llu polls: raise runtime.max_polls "
                 "(at most 1000000000000) %s", s->path, (unsigned long long)st->polls, more);
}

static runner_status finish_scenario_stats(run *rn, const scenario *s, exec_result r, const exec_stats *stp,
                                           const char *trace_path, const runner_opts *opts, char *err, size_t errlen) {
    exec_stats st = *stp;
    if (r != EXEC_LIMIT) trace_footer(rn->t, r, &st);
    if (r == EXEC_LIMIT || trace_full(rn->t)) { /* no trace is kept: the error says which limit */
        if (r != EXEC_LIMIT) st.limit = 5;
        limit_error(s, &st, opts, err, errlen);
        trace_close(rn->t, 0);
        return RUNNER_ERROR;
    }
    if (trace_close(rn->t, 1) != 0) {
        outfile_message(err, errlen, trace_path ? trace_path : "-");
        return RUNNER_ERROR;
    }
    return status_of(r);
}

/* The scenario's own quiz names steps of its own run: another model, another seed or a
 * --param gives another run, whose step N may be another moment (a question there could
 * ask something false), so its trace leaves the quiz out and says why (docs/scenario-format.md).
 * Nonzero, with the options in why ("--param connections=5, --seed 7"), when the run is not
 * the scenario's own. */
static int steps_moved(const scenario *s, const runner_opts *opts, int own_model, uint64_t seed, char *why,
                       size_t len) {
    size_t n = 0;
    why[0] = '\0';
    if (s->cfg.model != own_model)
        n += (size_t)snprintf(why + n, len - n, "--model %s", scenario_model_names[s->cfg.model]);
    for (int i = 0; opts && i < opts->nparams && n < len; i++)
        n += (size_t)snprintf(why + n, len - n, "%s--param %s=%s", n ? ", " : "", opts->params[i].key,
                              opts->params[i].value);
    if (n < len && seed != s->seed) n += (size_t)snprintf(why + n, len - n, "%s--seed %llu", n ? ", " : "",
                                                          (unsigned long long)seed);
    return why[0] != '\0';
}

static runner_status run_scenario(scenario *s, const char *trace_path, const runner_opts *opts, char *err,
                                  size_t errlen) {
    run rn = {.seed = opts && opts->has_seed ? opts->seed : s->seed};
    reactor_init(&rn.r);
    rn.t = trace_path ? trace_open(trace_path) : NULL;
    if (trace_path && !rn.t) {
        outfile_message(err, errlen, trace_path);
        return RUNNER_ERROR;
    }
    trace_set_budget(rn.t, (uint64_t)budget_mb(s, opts) << 20);
    int own_model = s->cfg.model;
    apply_model(&s->cfg, opts, s->has_turn);
    char moved[256];
    const int own_run = !steps_moved(s, opts, own_model, rn.seed, moved, sizeof moved);
    run_meta m = {s->name, s->title, s->description, s->title_ko, s->description_ko, s->path,
                  s->rust, own_run ? s->quiz : NULL, s->quiz && !own_run ? moved : NULL,
                  executor_names[s->executor], s->long_poll_ns, s->cfg.model};
    trace_header(rn.t, &m, rn.seed, &s->cfg, s->cfg.workers);
    rn.ex = exec_new(&s->cfg, &rn.r, rn.t);
    interp_t *ip = rn.ex && setup_net(&rn, s) == 0 ? interp_new(s, rn.ex, rn.net) : NULL;
    exec_result r = ip ? run_entry(&rn, s, ip) : EXEC_LIMIT;
    FILE *out = report_stream(trace_path, opts);
    exec_stats st = rn.ex ? exec_get_stats(rn.ex) : (exec_stats){0};
    if (r != EXEC_LIMIT && trace_full(rn.t)) { /* the budget ran out in the last poll */
        r = EXEC_LIMIT;
        st.limit = 5;
    }
    if (out && r != EXEC_LIMIT) print_summary(out, s->name, r, &st);
    if (out && r == EXEC_DEADLOCK) exec_report_deadlock(rn.ex, out);
    exec_end_trace(rn.ex);
    exec_free(rn.ex); /* drops the tasks' futures; the entry's memory stays the interpreter's */
    interp_free(ip);
    net_free(rn.net);
    reactor_free(&rn.r);
    rn.ex = NULL;
    runner_status rs = finish_scenario_stats(&rn, s, r, &st, trace_path, opts, err, errlen);
    return rs;
}

runner_status runner_run(const char *name_or_path, const char *trace_path, const runner_opts *opts,
                         char *err, size_t errlen) {
    const builtin *b = find_builtin(name_or_path);
    if (b && opts && opts->nparams) {
        snprintf(err, errlen, "%s: --param %s: a built-in example has no params: expected a scenario file "
                 "(`pinata list` shows both)", name_or_path, opts->params[0].key);
        return RUNNER_ERROR;
    }
    if (b) return run_builtin(b, trace_path, opts, err, errlen);
    return runner_run_text(name_or_path, NULL, trace_path, opts, err, errlen);
}

runner_status runner_run_text(const char *path, const char *text, const char *trace_path, const runner_opts *opts,
                              char *err, size_t errlen) {
    if (trace_path && outfile_is_input(trace_path, path)) {
        snprintf(err, errlen, "%s: the trace would replace this scenario file: expected another output (-o PATH)",
                 trace_path);
        return RUNNER_ERROR;
    }
    const scenario_param *p = opts ? opts->params : NULL;
    int np = opts ? opts->nparams : 0;
    scenario *s = text ? scenario_load_text(path, text, p, np, err, errlen) : scenario_load(path, p, np, err, errlen);
    if (!s) return RUNNER_ERROR;
    runner_status r = run_scenario(s, trace_path, opts, err, errlen);
    scenario_free(s);
    return r;
}

runner_status runner_check(const char *path, const runner_opts *opts, char *err, size_t errlen) {
    scenario *s = scenario_load(path, opts ? opts->params : NULL, opts ? opts->nparams : 0, err, errlen);
    scenario_free(s);
    return s ? RUNNER_OK : RUNNER_ERROR;
}
