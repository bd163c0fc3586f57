#include "sim/cheapo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static poll_t cheapo_fail(cheapo_request *c, int err) {
    c->base.err = err;
    c->state = CHEAPO_DONE;
    return POLL_READY;
}

static poll_t cheapo_poll(future_t *f, context_t *cx) {
    cheapo_request *c = (cheapo_request *)f;
    switch (c->state) {
    case CHEAPO_START:
        connect_future_init(&c->sub.connect, cx, c->net, c->host, c->port);
        c->state = CHEAPO_CONNECTING;
        /* The first poll runs the body up to the first await. */
        /* fall through */
    case CHEAPO_CONNECTING:
        if (future_poll(&c->sub.connect.base, cx) == POLL_PENDING) {
            f->at = "connect.await";
            return POLL_PENDING;
        }
        if (c->sub.connect.base.err) return cheapo_fail(c, c->sub.connect.base.err);
        c->fd = (int)c->sub.connect.base.value;
        snprintf(c->request, sizeof c->request, "GET %s HTTP/1.1\r\nHost: %s\r\n\r\n", c->path, c->host);
        write_all_future_init(&c->sub.write_all, cx, c->net, c->fd, (int64_t)strlen(c->request));
        c->state = CHEAPO_WRITING;
        /* fall through */
    case CHEAPO_WRITING:
        if (future_poll(&c->sub.write_all.base, cx) == POLL_PENDING) {
            f->at = "write_all.await";
            return POLL_PENDING;
        }
        if (c->sub.write_all.base.err) return cheapo_fail(c, c->sub.write_all.base.err);
        net_shutdown(c->net, cx, c->fd);
        read_to_string_future_init(&c->sub.read, cx, c->net, c->fd);
        c->state = CHEAPO_READING;
        /* fall through */
    case CHEAPO_READING:
        if (future_poll(&c->sub.read.base, cx) == POLL_PENDING) {
            f->at = "read_to_string.await";
            return POLL_PENDING;
        }
        f->err = c->sub.read.base.err;
        f->value = c->sub.read.base.value;
        c->state = CHEAPO_DONE;
        return POLL_READY;
    case CHEAPO_DONE:
        break;
    }
    return POLL_READY;
}

static void cheapo_drop(future_t *f) {
    cheapo_request *c = (cheapo_request *)f;
    /* While connecting, the socket still belongs to the connect future. */
    int fd = c->state == CHEAPO_CONNECTING ? c->sub.connect.fd : c->fd;
    if (c->state != CHEAPO_START && fd >= 0) net_close(c->net, NULL, fd);
}

static const future_vtable cheapo_vt = {"cheapo_request", cheapo_poll, cheapo_drop, sizeof(cheapo_request)};

void cheapo_request_init(cheapo_request *f, exec_t *ex, context_t *cx, net_t *net, const char *host,
                         int port, const char *path) {
    future_init(&f->base, &cheapo_vt, cx ? cx->ex : ex, cx, host);
    f->base.async_fn = 1; /* a hand-written async fn state machine */
    f->net = net;
    f->host = host;
    f->port = port;
    f->path = path;
    f->state = CHEAPO_START;
    f->fd = -1;
}

/* ---------- many_requests ---------- */

static void spawn_all(many_requests *m, context_t *cx) {
    for (; m->spawned < m->n; m->spawned++) {
        cheapo_request *c = malloc(sizeof *c);
        if (!c) break;
        cheapo_request_init(c, cx->ex, cx, m->net, m->hosts[m->spawned], 80, "/");
        if (exec_spawn_local(cx->ex, cx, &c->base, "cheapo_request", &m->handles[m->spawned]) < 0) {
            future_drop(&c->base);
            free(c);
            break;
        }
    }
}

static poll_t many_poll(future_t *f, context_t *cx) {
    many_requests *m = (many_requests *)f;
    if (m->spawned < m->n) spawn_all(m, cx);
    for (; m->next < m->spawned; m->next++) {
        future_t *h = &m->handles[m->next].base;
        if (future_poll(h, cx) == POLL_PENDING) {
            f->at = "handle.await";
            return POLL_PENDING;
        }
        m->results[m->next] = h->value;
        m->errors[m->next] = h->err;
        f->value += h->err == 0;
    }
    return POLL_READY;
}

static void many_drop(future_t *f) {
    many_requests *m = (many_requests *)f;
    for (int i = 0; i < m->spawned; i++) future_drop(&m->handles[i].base);
}

static const future_vtable many_vt = {"many_requests", many_poll, many_drop, sizeof(many_requests)};

void many_requests_init(many_requests *f, exec_t *ex, net_t *net, const char *const *hosts, int n) {
    future_init(&f->base, &many_vt, ex, NULL, NULL);
    f->base.async_fn = 1;
    f->net = net;
    f->n = n > MANY_REQUESTS_MAX ? MANY_REQUESTS_MAX : n;
    for (int i = 0; i < f->n; i++) f->hosts[i] = hosts[i];
    f->spawned = f->next = 0;
}
