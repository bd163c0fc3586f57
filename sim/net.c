#include "sim/net.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/strhash.h"

enum sock_state { SOCK_CONNECTING, SOCK_CONNECTED, SOCK_FAILED, SOCK_CLOSED };

typedef struct sock {
    net_t *net;
    const net_host_cfg *host;
    int fd;
    int state;
    int err;              /* the connect's error when SOCK_FAILED */
    int requested;        /* the request was written: the response is on its way */
    int wr_shut;
    int next_chunk;       /* chunks delivered so far */
    int eof, reset;
    int64_t buffered;     /* bytes received, not yet read */
    int64_t last_arrival; /* keeps chunks in TCP order under jitter */
    waker_t rd, wr;       /* registered wakers */
    uint64_t wr_turn;     /* exec_turns when wr was registered (async-io's tick check) */
    int untrusted;        /* async-std: the connect's readiness came in the registering tick */
    reactor_event *ev;    /* the pending connect event, for close */
} sock;

typedef struct listener {
    net_host_cfg client;  /* what each accepted client sends */
    int64_t count;        /* clients in all */
    int64_t arrived;      /* clients that have connected so far */
    int64_t accepted;
    int64_t interval_ns;
    int fd;               /* the listening socket's fd, -1 when there is none */
    waker_t waker;        /* the accept() waiting for a client */
} listener;

struct net {
    exec_t *ex;
    listener lis;
    rng_t rng;
    net_host_cfg *hosts;
    int nhosts, caphosts;
    int *slots;           /* hash of the host names: index + 1, 0 empty; nslots >= 2 * caphosts */
    size_t nslots;
    sock **socks;         /* fd - 3 -> socket; fds are never reused, so a trace stays unambiguous */
    int nsocks, capsocks;
    int64_t resolve_ns;   /* network.resolve_ms */
    net_resolution **res; /* the resolutions connects started (few: one per connect to a name) */
    size_t nres, capres;
};

static const char *const errors[] = {
    "ok", "would block", "connect in progress", "connection refused", "connection reset",
    "no such host", "bad file descriptor", "not connected", "out of memory", "the task panicked",
};

const char *net_strerror(int err) {
    int i = -err;
    return i >= 0 && i < (int)(sizeof errors / sizeof *errors) ? errors[i] : "unknown error";
}

_Static_assert(NET_WOULDBLOCK == -1 && NET_EINPROGRESS == -2 && NET_ECONNREFUSED == -3 && NET_ECONNRESET == -4 &&
                   NET_ENOTFOUND == -5 && NET_EBADF == -6 && NET_ENOTCONN == -7 && NET_ENOMEM == -8 && NET_EPANIC == -9,
               "the codes a trace's err holds (trace/schema.h names them)");

const char *net_err_name(int err) { return trace_net_err_name(err); }

void net_set_resolve(net_t *n, int64_t ns) { n->resolve_ns = ns; }

int64_t net_resolve_ns(const net_t *n, const char *host) {
    const net_host_cfg *h = net_find_host(n, host);
    if (!h || exec_get_model(n->ex) == EXEC_MODEL_IDEAL) return 0;
    return h->resolve_ns >= 0 ? h->resolve_ns : n->resolve_ns;
}

net_resolution *net_resolution_of(net_t *n, uint64_t future, int create) {
    for (size_t i = 0; i < n->nres; i++)
        if (n->res[i]->future == future) return n->res[i];
    if (!create) return NULL;
    if (n->nres == n->capres) {
        size_t cap = n->capres ? n->capres * 2 : 8;
        net_resolution **a = realloc(n->res, cap * sizeof *a);
        if (!a) return NULL;
        n->res = a;
        n->capres = cap;
    }
    net_resolution *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->future = future;
    n->res[n->nres++] = r;
    return r;
}

net_t *net_new(exec_t *ex, uint64_t seed) {
    net_t *n = calloc(1, sizeof *n);
    if (!n) return NULL;
    n->ex = ex;
    n->lis.fd = -1;
    rng_seed(&n->rng, seed);
    return n;
}

void net_free(net_t *n) {
    if (!n) return;
    for (int i = 0; i < n->nsocks; i++) {
        waker_drop(&n->socks[i]->rd);
        waker_drop(&n->socks[i]->wr);
        free(n->socks[i]);
    }
    free(n->socks);
    for (size_t i = 0; i < n->nres; i++) free(n->res[i]); /* their handles went with their connects */
    free(n->res);
    free(n->hosts);
    free(n->slots);
    waker_drop(&n->lis.waker);
    free(n);
}

/* The slot of name: where it is, or the empty slot where it would go. A table of many hosts
 * (a scenario may list thousands) is looked up per connect and per checked value. */
static size_t host_slot(const net_t *n, const char *name) {
    size_t i = (size_t)strhash(name) & (n->nslots - 1);
    while (n->slots[i] && strcmp(n->hosts[n->slots[i] - 1].name, name) != 0) i = (i + 1) & (n->nslots - 1);
    return i;
}

const net_host_cfg *net_find_host(const net_t *n, const char *name) {
    if (!n->nslots) return NULL;
    int at = n->slots[host_slot(n, name)];
    return at ? &n->hosts[at - 1] : NULL;
}

static int rehash_hosts(net_t *n, size_t nslots) {
    int *s = calloc(nslots, sizeof *s);
    if (!s) return -1;
    free(n->slots);
    n->slots = s;
    n->nslots = nslots;
    for (int i = 0; i < n->nhosts; i++) n->slots[host_slot(n, n->hosts[i].name)] = i + 1;
    return 0;
}

int net_add_host(net_t *n, const net_host_cfg *cfg) {
    net_host_cfg *old = (net_host_cfg *)net_find_host(n, cfg->name);
    if (old) { *old = *cfg; return NET_OK; }
    if (n->nsocks) return NET_ENOMEM; /* sockets point into hosts: add hosts before connecting */
    if (n->nhosts == n->caphosts) {
        int cap = n->caphosts ? n->caphosts * 2 : 8;
        net_host_cfg *h = realloc(n->hosts, (size_t)cap * sizeof *h);
        if (!h) return NET_ENOMEM;
        n->hosts = h;
        if (rehash_hosts(n, 2 * (size_t)cap)) return NET_ENOMEM;
        n->caphosts = cap;
    }
    n->hosts[n->nhosts++] = *cfg;
    n->slots[host_slot(n, cfg->name)] = n->nhosts;
    return NET_OK;
}

static void add_default(net_t *n, const char *name, int connect_ms, const int *delays_ms,
                        const int *bytes, int nchunks) {
    net_host_cfg h = {.port = 80, .connect_ns = (int64_t)connect_ms * 1000000, .nchunks = nchunks,
                      .eof_with_last = 1, .resolve_ns = -1};
    snprintf(h.name, sizeof h.name, "%s", name);
    for (int i = 0; i < nchunks; i++)
        h.chunks[i] = (net_chunk){(int64_t)delays_ms[i] * 1000000, bytes[i]};
    net_add_host(n, &h);
}

void net_add_default_hosts(net_t *n) {
    /* Three chunks each, EOF with the last: read_to_string is polled exactly 4 times. */
    add_default(n, "example.com", 40, (const int[]){50, 30, 20}, (const int[]){512, 1024, 300}, 3);
    add_default(n, "www.red-bean.com", 60, (const int[]){45, 35, 25}, (const int[]){512, 700, 200}, 3);
    add_default(n, "en.wikipedia.org", 15, (const int[]){20, 15, 10}, (const int[]){512, 900, 150}, 3);
}

/* ---------- helpers ---------- */

static sock *get(const net_t *n, int fd) {
    int i = fd - 3;
    return i >= 0 && i < n->nsocks ? n->socks[i] : NULL;
}

const char *net_fd_host(const net_t *n, int fd) {
    sock *s = get(n, fd);
    return s ? s->host->name : NULL;
}

static int64_t jitter(net_t *n, const net_host_cfg *h) {
    return h->jitter_ns > 0 ? (int64_t)rng_below(&n->rng, (uint64_t)h->jitter_ns + 1) : 0;
}

static void net_event(net_t *n, const char *what, const sock *s, int64_t bytes) {
    trace_t *t = exec_trace(n->ex);
    if (!t) return;
    trace_begin(t, TRACE_PH_INSTANT, TRACE_CAT_NET, what, TRACE_TID_OS, exec_now(n->ex), 0);
    trace_arg_int(t, TRACE_ARG_FD, s->fd);
    trace_arg_str(t, TRACE_ARG_HOST, s->host->name);
    if (bytes >= 0) trace_arg_int(t, TRACE_ARG_BYTES, bytes);
    trace_end(t);
}

/* The texts of wakes and system calls are read only in the trace: with the trace off they
 * are not formatted (snprintf was most of a run's instructions); with the trace on, they are
 * formatted by trace_textf, not libc's snprintf (29 % of a chat_server run). */
static int traced(const net_t *n) { return exec_trace(n->ex) != NULL; }

static void wake(waker_t *w, const char *fmt, const sock *s, int64_t bytes) {
    char by[128] = "";
    if (traced(s->net)) trace_textf(by, sizeof by, fmt, s->fd, s->host->name, (long long)bytes);
    waker_wake(w, by);
}

/* ---------- events (they run in the reactor, on the OS lane) ---------- */

static void on_connect(void *data, int64_t due) {
    sock *s = data;
    (void)due;
    s->ev = NULL;
    if (s->state != SOCK_CONNECTING) return;
    if (s->host->fault == NET_FAULT_REFUSE) {
        s->state = SOCK_FAILED;
        s->err = NET_ECONNREFUSED;
        net_event(s->net, "refused", s, -1);
        wake(&s->wr, "fd %d refused by %s%.0lld", s, 0);
        return;
    }
    s->state = SOCK_CONNECTED;
    net_event(s->net, "connected", s, -1);
    /* async-io's Source::poll_ready does not trust an event delivered by the reactor tick that
     * was current when the waker registered (src/reactor.rs): it happens when another thread's
     * react() was already waiting then. Which thread holds the reactor is a race: drawn from
     * the run's RNG, at the rate measured (13 runs of 20). Only the first turn since the
     * registration can be that tick. */
    if (exec_get_model(s->net->ex) == EXEC_MODEL_ASYNC_STD && exec_turns(s->net->ex) == s->wr_turn)
        s->untrusted = rng_below(&s->net->rng, 20) < NET_UNTRUSTED_IN_20;
    wake(&s->wr, "fd %d connected to %s%.0lld", s, 0);
}

/* The re-armed interest: the next reactor tick reports the socket writable again. */
static void on_writable_again(void *data, int64_t due) {
    sock *s = data;
    (void)due;
    s->ev = NULL;
    if (s->state != SOCK_CONNECTED) return;
    wake(&s->wr, "fd %d writable (%s), reported again by a new reactor tick%.0lld", s, 0);
}

int net_connect_untrusted(net_t *n, context_t *cx, int fd) {
    sock *s = get(n, fd);
    reactor_t *r = exec_reactor(n->ex);
    if (!s || !s->untrusted || !r) return 0;
    s->untrusted = 0;
    exec_note_spurious(n->ex);
    (void)cx;
    s->ev = reactor_at(r, exec_time_add(exec_now(n->ex), NET_REARM_NS), on_writable_again, s);
    return 1;
}

static void on_chunk(void *data, int64_t due) {
    sock *s = data;
    (void)due;
    if (s->state == SOCK_CLOSED) return;
    const net_host_cfg *h = s->host;
    if (h->fault == NET_FAULT_RESET && s->next_chunk >= h->reset_after) {
        s->reset = 1;
        net_event(s->net, "reset", s, -1);
        wake(&s->rd, "fd %d reset by %s%.0lld", s, 0);
        return;
    }
    int64_t bytes = h->chunks[s->next_chunk++].bytes;
    s->buffered += bytes;
    net_event(s->net, "chunk", s, bytes);
    if (s->next_chunk == h->nchunks && h->eof_with_last) {
        s->eof = 1;
        net_event(s->net, "eof", s, -1);
        wake(&s->rd, "fd %d readable: %s sent %lld bytes and EOF", s, bytes);
        return;
    }
    wake(&s->rd, "fd %d readable: %s sent %lld bytes", s, bytes);
}

static void on_eof(void *data, int64_t due) {
    sock *s = data;
    (void)due;
    if (s->state == SOCK_CLOSED) return;
    s->eof = 1;
    net_event(s->net, "eof", s, -1);
    wake(&s->rd, "fd %d readable: EOF from %s%.0lld", s, 0);
}

/* The server answers once the request has arrived: schedule every chunk now, in order. */
static void schedule_response(net_t *n, sock *s) {
    const net_host_cfg *h = s->host;
    reactor_t *r = exec_reactor(n->ex);
    int64_t t = exec_now(n->ex);
    if (!r || h->fault == NET_FAULT_SILENT) return;
    int last = h->fault == NET_FAULT_RESET && h->reset_after < h->nchunks ? h->reset_after + 1 : h->nchunks;
    for (int i = 0; i < last; i++) {
        t = exec_time_add(t, h->chunks[i].delay_ns + jitter(n, h));
        if (t < s->last_arrival) t = s->last_arrival;
        s->last_arrival = t;
        reactor_at(r, t, on_chunk, s);
    }
    if (!h->eof_with_last && last == h->nchunks) reactor_at(r, exec_time_add(t, h->eof_after_ns), on_eof, s);
    if (h->nchunks == 0 && h->eof_with_last) reactor_at(r, t, on_eof, s);
}

/* ---------- system calls ---------- */

static void sys(net_t *n, context_t *cx, const char *name, const sock *s, const char *ret,
                const char *fmt, long long arg) {
    char call[128] = "";
    if (traced(n)) trace_textf(call, sizeof call, fmt, s ? s->fd : -1, arg);
    exec_syscall(n->ex, cx, name, call, ret, s ? s->fd : -1, s ? s->host->name : NULL);
}

static sock *new_sock(net_t *n, const net_host_cfg *h) {
    if (n->nsocks == n->capsocks) {
        int cap = n->capsocks ? n->capsocks * 2 : 16;
        sock **a = realloc(n->socks, (size_t)cap * sizeof *a);
        if (!a) return NULL;
        n->socks = a;
        n->capsocks = cap;
    }
    sock *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    *s = (sock){.net = n, .host = h, .fd = n->nsocks + 3, .state = SOCK_CONNECTING};
    n->socks[n->nsocks++] = s;
    return s;
}

int net_connect(net_t *n, context_t *cx, const char *host, int port, int *fd) {
    char call[128] = "";
    const net_host_cfg *h = net_find_host(n, host);
    *fd = -1;
    if (traced(n)) trace_textf(call, sizeof call, "connect(%s:%d)", host, port);
    if (!h) {
        exec_syscall(n->ex, cx, "connect", call, "ENOTFOUND", -1, host);
        return NET_ENOTFOUND;
    }
    sock *s = new_sock(n, h);
    if (!s) return NET_ENOMEM;
    *fd = s->fd;
    exec_syscall(n->ex, cx, "connect", call, "EINPROGRESS", s->fd, h->name);
    reactor_t *r = exec_reactor(n->ex);
    if (r && h->fault != NET_FAULT_SILENT)
        s->ev = reactor_at(r, exec_time_add(exec_now(n->ex), h->connect_ns + jitter(n, h)), on_connect, s);
    return NET_EINPROGRESS;
}

int net_connect_status(net_t *n, context_t *cx, int fd) {
    sock *s = get(n, fd);
    int st = !s ? NET_EBADF
           : s->state == SOCK_CONNECTING ? NET_EINPROGRESS
           : s->state == SOCK_FAILED ? s->err : NET_OK;
    sys(n, cx, "getsockopt", s, st == NET_OK ? "0 (connected)" : net_err_name(st), "getsockopt(fd %d, SO_ERROR)%.0lld", 0);
    return st;
}

int64_t net_write(net_t *n, context_t *cx, int fd, int64_t len) {
    sock *s = get(n, fd);
    int64_t ret = !s ? NET_EBADF : s->state != SOCK_CONNECTED || s->wr_shut ? NET_ENOTCONN : len;
    char r[32] = "";
    if (traced(n) && ret >= 0) trace_textf(r, sizeof r, "%lld bytes", (long long)ret);
    sys(n, cx, "write", s, ret >= 0 ? r : net_err_name((int)ret), "write(fd %d, %lld)", (long long)len);
    if (ret >= 0 && !s->requested) {
        s->requested = 1;
        schedule_response(n, s);
    }
    return ret;
}

int net_shutdown(net_t *n, context_t *cx, int fd) {
    sock *s = get(n, fd);
    int ret = !s ? NET_EBADF : s->state != SOCK_CONNECTED ? NET_ENOTCONN : NET_OK;
    if (ret == NET_OK) s->wr_shut = 1;
    sys(n, cx, "shutdown", s, net_err_name(ret), "shutdown(fd %d, Write)%.0lld", 0);
    return ret;
}

int64_t net_read(net_t *n, context_t *cx, int fd, int64_t max) {
    sock *s = get(n, fd);
    int64_t ret;
    if (!s) ret = NET_EBADF;
    else if (s->buffered > 0) ret = s->buffered < max ? s->buffered : max;
    else if (s->reset) ret = NET_ECONNRESET;
    else if (s->eof) ret = 0;
    else if (s->state != SOCK_CONNECTED) ret = NET_ENOTCONN;
    else ret = NET_WOULDBLOCK;
    if (ret > 0) s->buffered -= ret;
    char r[32] = "";
    if (traced(n) && ret > 0) trace_textf(r, sizeof r, "%lld bytes", (long long)ret);
    sys(n, cx, "read", s, ret > 0 ? r : ret == 0 ? "0 (EOF)" : net_err_name((int)ret), "read(fd %d, %lld)", (long long)max);
    return ret;
}

void net_register(net_t *n, context_t *cx, int fd, int interest) {
    sock *s = get(n, fd);
    if (!s) return;
    char on[96] = "";
    if (traced(n)) trace_textf(on, sizeof on, "fd %d %s (%s)", fd, interest & NET_READABLE ? "readable" : "writable", s->host->name);
    waker_store(interest & NET_READABLE ? &s->rd : &s->wr, &cx->waker);
    if (!(interest & NET_READABLE)) s->wr_turn = exec_turns(n->ex);
    exec_note_register(n->ex, cx, on);
}

void net_close(net_t *n, context_t *cx, int fd) {
    sock *s = get(n, fd);
    if (!s || s->state == SOCK_CLOSED) return;
    sys(n, cx, "close", s, "0", "close(fd %d)%.0lld", 0);
    s->state = SOCK_CLOSED;
    reactor_cancel(s->ev);
    s->ev = NULL;
    waker_drop(&s->rd);
    waker_drop(&s->wr);
}

/* ---------- the listener ---------- */

/* Clients arrive one at a time: each arrival schedules the next, so the event heap holds
 * one arrival however many clients there are (S10 has 100,000). */
static void on_client(void *data, int64_t due) {
    net_t *n = data;
    listener *l = &n->lis;
    l->arrived++;
    trace_t *t = exec_trace(n->ex);
    if (t) {
        trace_begin(t, TRACE_PH_INSTANT, TRACE_CAT_NET, TRACE_NAME_INCOMING, TRACE_TID_OS, exec_now(n->ex), 0);
        trace_arg_int(t, TRACE_ARG_FD, l->fd);
        trace_arg_int(t, TRACE_ARG_CLIENT, l->arrived);
        trace_end(t);
    }
    if (l->arrived < l->count) reactor_at(exec_reactor(n->ex), exec_time_add(due, l->interval_ns), on_client, n);
    char by[64] = "";
    if (t) trace_textf(by, sizeof by, "fd %d readable: client %lld connected", l->fd, (long long)l->arrived);
    waker_wake(&l->waker, by);
}

int net_listen(net_t *n, const net_host_cfg *client, int64_t count, int64_t first_ns, int64_t interval_ns) {
    reactor_t *r = exec_reactor(n->ex);
    if (n->lis.fd >= 0) return NET_EBADF;
    n->lis.client = *client;
    n->lis.count = count;
    /* "all at once" (0) is one client per nanosecond, the clock's grain: no two arrivals share
     * a timestamp, so the OS lane never stacks thousands of instants at one ts (Perfetto drops
     * an instant stacked past 512 deep; docs/trace-format.md) */
    n->lis.interval_ns = interval_ns > 0 ? interval_ns : 1;
    n->lis.fd = 2; /* below every connection's fd, which start at 3 */
    if (r && count > 0) reactor_at(r, first_ns, on_client, n);
    return n->lis.fd;
}

static int accept_one(net_t *n, int *fd) {
    sock *s = new_sock(n, &n->lis.client);
    if (!s) return NET_ENOMEM;
    n->lis.accepted++;
    s->state = SOCK_CONNECTED;
    s->requested = 1;
    *fd = s->fd;
    schedule_response(n, s); /* the client talks first */
    return NET_OK;
}

int net_accept(net_t *n, context_t *cx, int *fd) {
    listener *l = &n->lis;
    int st = l->fd < 0 || l->accepted >= l->count ? NET_ENOTCONN
           : l->accepted < l->arrived ? accept_one(n, fd) : NET_WOULDBLOCK;
    char call[48] = "", ret[32] = "";
    if (traced(n)) {
        trace_textf(call, sizeof call, "accept(fd %d)", l->fd);
        if (st == NET_OK) trace_textf(ret, sizeof ret, "fd %d", *fd);
    }
    exec_syscall(n->ex, cx, "accept", call, st == NET_OK ? ret : net_err_name(st), st == NET_OK ? *fd : l->fd, NULL);
    if (st == NET_WOULDBLOCK) {
        waker_store(&l->waker, &cx->waker);
        exec_note_register(n->ex, cx, "listener readable (a client connects)");
    }
    return st;
}
