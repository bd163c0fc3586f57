#include "sim/leaf.h"

#include <stdio.h>
#include <stdlib.h>

/* Would block: have the network wake this task when fd is ready, and return Pending with
 * the await point the next poll resumes at. */
static poll_t wait_for(future_t *f, context_t *cx, net_t *net, int fd, int interest, const char *at) {
    net_register(net, cx, fd, interest);
    f->at = at;
    return POLL_PENDING;
}

/* ---------- TcpStream::connect ---------- */

static void getaddrinfo_init(sleep_future *g, context_t *cx, int64_t ns, const char *host);

/* Connecting to a name resolves it first: tokio's and async-std's ToSocketAddrs for
 * (&str, u16) run the blocking getaddrinfo with spawn_blocking and await its JoinHandle
 * (real models, when the host or the network gives resolve_ms). 1: resolved (or nothing to
 * resolve), 0: still resolving. */
static int resolved(connect_future *c, context_t *cx) {
    int64_t ns = c->fd < 0 ? net_resolve_ns(c->net, c->host) : 0;
    if (ns <= 0) return 1;
    net_resolution *r = net_resolution_of(c->net, c->base.id, 1);
    if (!r || r->done) return 1;
    if (!r->started) {
        sleep_future *g = malloc(sizeof *g);
        if (!g) return 1;
        getaddrinfo_init(g, cx, ns, c->host);
        r->started = 1;
        if (exec_spawn_blocking(cx->ex, cx, &g->base, "getaddrinfo", &r->jh) < 0) {
            future_drop(&g->base);
            free(g);
            r->done = 1;
            return 1;
        }
    }
    r->jh.base.line = c->base.line;
    if (future_poll(&r->jh.base, cx) == POLL_PENDING) return 0;
    future_drop(&r->jh.base);
    r->done = 1;
    return 1;
}

static void connect_drop(future_t *f) {
    connect_future *c = (connect_future *)f;
    net_resolution *r = c->net ? net_resolution_of(c->net, f->id, 0) : NULL;
    if (r && r->started && !r->done) { /* dropped while resolving: the handle detaches */
        future_drop(&r->jh.base);
        r->done = 1;
    }
}

static poll_t connect_poll(future_t *f, context_t *cx) {
    connect_future *c = (connect_future *)f;
    int st;
    if (!resolved(c, cx)) {
        f->at = "resolving";
        return POLL_PENDING;
    }
    if (c->fd < 0) {
        st = net_connect(c->net, cx, c->host, c->port, &c->fd);
        if (st == NET_EINPROGRESS) st = NET_WOULDBLOCK; /* never Ready on the first poll */
    } else if (net_connect_untrusted(c->net, cx, c->fd)) {
        st = NET_WOULDBLOCK; /* async-io's Writable: Pending without a system call */
    } else {
        st = net_connect_status(c->net, cx, c->fd);
    }
    if (st == NET_EINPROGRESS || st == NET_WOULDBLOCK) {
        return wait_for(f, cx, c->net, c->fd, NET_WRITABLE, "connecting");
    }
    f->err = st;
    f->value = c->fd;
    return POLL_READY;
}

static const future_vtable connect_vt = {"connect", connect_poll, connect_drop, sizeof(connect_future)};

void connect_future_init(connect_future *f, context_t *cx, net_t *net, const char *host, int port) {
    future_init(&f->base, &connect_vt, cx->ex, cx, host);
    f->net = net;
    f->host = host;
    f->port = port;
    f->fd = -1;
}

/* ---------- write_all ---------- */

static poll_t write_all_poll(future_t *f, context_t *cx) {
    write_all_future *w = (write_all_future *)f;
    while (f->value < w->len) {
        int64_t n = net_write(w->net, cx, w->fd, w->len - f->value);
        if (n == NET_WOULDBLOCK) {
            return wait_for(f, cx, w->net, w->fd, NET_WRITABLE, "writing");
        }
        if (n < 0) {
            f->err = (int32_t)n;
            return POLL_READY;
        }
        f->value += n;
    }
    return POLL_READY;
}

static const future_vtable write_all_vt = {"write_all", write_all_poll, NULL, sizeof(write_all_future)};

void write_all_future_init(write_all_future *f, context_t *cx, net_t *net, int fd, int64_t len) {
    future_init(&f->base, &write_all_vt, cx->ex, cx, net_fd_host(net, fd));
    f->net = net;
    f->fd = fd;
    f->len = len;
}

/* ---------- read_to_string ---------- */

/* Reads as much as there is; Ready only at EOF, so each chunk costs one more poll. */
static poll_t read_to_string_poll(future_t *f, context_t *cx) {
    read_to_string_future *r = (read_to_string_future *)f;
    for (;;) {
        int64_t n = net_read(r->net, cx, r->fd, LEAF_READ_BUF);
        if (n == 0) return POLL_READY;
        if (n == NET_WOULDBLOCK) {
            return wait_for(f, cx, r->net, r->fd, NET_READABLE, "reading");
        }
        if (n < 0) {
            f->err = (int32_t)n;
            return POLL_READY;
        }
        f->value += n;
    }
}

static const future_vtable read_to_string_vt = {"read_to_string", read_to_string_poll, NULL,
                                                sizeof(read_to_string_future)};

void read_to_string_future_init(read_to_string_future *f, context_t *cx, net_t *net, int fd) {
    future_init(&f->base, &read_to_string_vt, cx->ex, cx, net_fd_host(net, fd));
    f->net = net;
    f->fd = fd;
}

/* ---------- sleep ---------- */

static const future_vtable sleep_vt, getaddrinfo_vt; /* below: the texts tell the two apart */

static void sleep_fire(void *data, int64_t due) {
    sleep_future *s = data;
    char by[64];
    s->ev = NULL;
    if (s->base.vt == &getaddrinfo_vt) trace_textf(by, sizeof by, "getaddrinfo(%s) answered", s->base.detail);
    else trace_textf(by, sizeof by, "timer: %lld ms elapsed", (long long)(s->dur_ns / 1000000));
    (void)due;
    waker_wake(&s->waker, by);
}

static poll_t sleep_poll(future_t *f, context_t *cx) {
    sleep_future *s = (sleep_future *)f;
    reactor_t *r = exec_reactor(cx->ex);
    int64_t now = exec_now(cx->ex);
    if (s->deadline < 0) {
        s->deadline = exec_time_add(now, s->dur_ns);
        if (r) s->ev = reactor_at(r, s->deadline, sleep_fire, s);
    }
    if (!s->ev && (now >= s->deadline || !r)) return POLL_READY;
    waker_store(&s->waker, &cx->waker);
    int dns = f->vt != &sleep_vt;
    exec_note_register(cx->ex, cx, dns ? "the resolver's answer" : "timer");
    f->at = dns ? "resolving" : "sleeping";
    return POLL_PENDING;
}

static void sleep_drop(future_t *f) {
    sleep_future *s = (sleep_future *)f;
    reactor_cancel(s->ev);
    s->ev = NULL;
    waker_drop(&s->waker);
}

static const future_vtable sleep_vt = {"sleep", sleep_poll, sleep_drop, sizeof(sleep_future)};
/* getaddrinfo on a blocking-pool thread: a blocking call that takes the host's resolve time. */
static const future_vtable getaddrinfo_vt = {"getaddrinfo", sleep_poll, sleep_drop, sizeof(sleep_future)};

static void getaddrinfo_init(sleep_future *g, context_t *cx, int64_t ns, const char *host) {
    future_init(&g->base, &getaddrinfo_vt, cx->ex, cx, host);
    g->dur_ns = ns;
    g->deadline = -1;
    g->ev = NULL;
    g->waker = (waker_t){0};
}

void sleep_future_init(sleep_future *f, exec_t *ex, context_t *cx, int64_t dur_ns) {
    future_init(&f->base, &sleep_vt, cx ? cx->ex : ex, cx, NULL);
    f->dur_ns = dur_ns;
    f->deadline = -1;
    f->ev = NULL;
    f->waker = (waker_t){0};
}

/* ---------- read (one call) ---------- */

static poll_t read_poll(future_t *f, context_t *cx) {
    read_future *r = (read_future *)f;
    int64_t n = net_read(r->net, cx, r->fd, r->max);
    if (n == NET_WOULDBLOCK) {
        return wait_for(f, cx, r->net, r->fd, NET_READABLE, "reading");
    }
    if (n < 0) f->err = (int32_t)n;
    else f->value = n;
    return POLL_READY;
}

static const future_vtable read_vt = {"read", read_poll, NULL, sizeof(read_future)};

void read_future_init(read_future *f, context_t *cx, net_t *net, int fd, int64_t max) {
    future_init(&f->base, &read_vt, cx->ex, cx, net_fd_host(net, fd));
    f->net = net;
    f->fd = fd;
    f->max = max > 0 ? max : LEAF_READ_BUF;
}

/* ---------- yield_now ---------- */

static poll_t yield_poll(future_t *f, context_t *cx) {
    yield_future *y = (yield_future *)f;
    if (y->yielded) return POLL_READY;
    y->yielded = 1;
    waker_wake_by_ref(&cx->waker, "yield_now");
    f->at = "yielded";
    return POLL_PENDING;
}

static const future_vtable yield_vt = {"yield_now", yield_poll, NULL, sizeof(yield_future)};

void yield_future_init(yield_future *f, context_t *cx) {
    future_init(&f->base, &yield_vt, cx->ex, cx, NULL);
    f->yielded = 0;
}

/* ---------- TcpListener::accept ---------- */

static poll_t accept_poll(future_t *f, context_t *cx) {
    accept_future *a = (accept_future *)f;
    int fd = -1;
    int st = net_accept(a->net, cx, &fd);
    if (st == NET_WOULDBLOCK) {
        f->at = "accepting";
        return POLL_PENDING;
    }
    f->err = st;
    f->value = fd;
    return POLL_READY;
}

static const future_vtable accept_vt = {"accept", accept_poll, NULL, sizeof(accept_future)};

void accept_future_init(accept_future *f, context_t *cx, net_t *net) {
    future_init(&f->base, &accept_vt, cx->ex, cx, NULL);
    f->net = net;
}
