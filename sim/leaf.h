/* leaf: the leaf futures that talk to the (mocked) operating system, as async-std has them:
 * TcpStream::connect, write_all, read_to_string, sleep. Each is a small state machine over
 * non-blocking calls: on NET_WOULDBLOCK it registers the context's waker and returns
 * Pending. They are meant to be embedded in the state of the future that awaits them
 * (as Rust embeds a sub-future in its caller's state), so they allocate nothing. */
#ifndef PINATA_LEAF_H
#define PINATA_LEAF_H
#include "sim/future.h"
#include "sim/net.h"
#include "sim/reactor.h"

#define LEAF_READ_BUF 512 /* read_to_string reads at most this much per read() */

typedef struct connect_future {
    future_t base; /* Ready: err, or value = the socket's fd */
    net_t *net;
    const char *host;
    int port;
    int fd;
} connect_future;

typedef struct write_all_future {
    future_t base; /* Ready: err, or value = bytes written */
    net_t *net;
    int fd;
    int64_t len;
} write_all_future;

typedef struct read_to_string_future {
    future_t base; /* Ready: err, or value = bytes read until EOF */
    net_t *net;
    int fd;
} read_to_string_future;

typedef struct sleep_future {
    future_t base;
    int64_t dur_ns;
    int64_t deadline;  /* -1 until the first poll starts the timer */
    reactor_event *ev;
    waker_t waker;
} sleep_future;

/* One read(): Ready with the bytes read (value; 0 at EOF), Pending while nothing arrived. */
typedef struct read_future {
    future_t base;
    net_t *net;
    int fd;
    int64_t max;
} read_future;

/* yield_now: wakes its own task and returns Pending once, so the executor runs others. */
typedef struct yield_future {
    future_t base;
    int yielded;
} yield_future;

/* TcpListener::accept: Ready with value = the connected fd, or err. */
typedef struct accept_future {
    future_t base;
    net_t *net;
} accept_future;

void connect_future_init(connect_future *f, context_t *cx, net_t *net, const char *host, int port);
void write_all_future_init(write_all_future *f, context_t *cx, net_t *net, int fd, int64_t len);
void read_to_string_future_init(read_to_string_future *f, context_t *cx, net_t *net, int fd);
void read_future_init(read_future *f, context_t *cx, net_t *net, int fd, int64_t max);
void yield_future_init(yield_future *f, context_t *cx);
void accept_future_init(accept_future *f, context_t *cx, net_t *net);
/* ex is needed when created outside a poll (cx NULL). */
void sleep_future_init(sleep_future *f, exec_t *ex, context_t *cx, int64_t dur_ns);

#endif
