/* net: a mocked, clock-driven network with non-blocking sockets.
 *
 * Hosts have a connect latency and a scripted response: chunks, each arriving a delay after
 * the previous one (the first after the request was written), EOF with or after the last,
 * and optional faults. The socket calls behave like a non-blocking BSD socket: they return
 * NET_WOULDBLOCK / NET_EINPROGRESS until the scripted event has happened, and the event
 * wakes the waker registered with net_register(). Chunks keep TCP order. Every call is
 * recorded as a syscall slice of the poll that made it; every network event as an instant
 * on the OS lane. The network owns its sockets; the caller owns the net_t. */
#ifndef PINATA_NET_H
#define PINATA_NET_H
#include <stdint.h>

#include "sim/exec.h"
#include "sim/rng.h"

/* Error codes: negative, one table of messages (net_strerror). */
enum {
    NET_OK = 0,
    NET_WOULDBLOCK = -1,   /* EAGAIN: try again after a wake */
    NET_EINPROGRESS = -2,  /* connect started, not finished */
    NET_ECONNREFUSED = -3,
    NET_ECONNRESET = -4,
    NET_ENOTFOUND = -5,    /* no such host */
    NET_EBADF = -6,
    NET_ENOTCONN = -7,
    NET_ENOMEM = -8,
    NET_EPANIC = -9        /* not the network's: a JoinHandle's task panicked (tokio's JoinError::Panic) */
};
const char *net_strerror(int err);
/* The errno name of err ("ECONNREFUSED", ...; "0" for none): what the trace's system call
 * returns say, and what the viewer writes on a failed task's end. */
const char *net_err_name(int err);

typedef enum net_fault {
    NET_FAULT_NONE = 0,
    NET_FAULT_REFUSE,   /* the connect fails with ECONNREFUSED after the latency */
    NET_FAULT_RESET,    /* the connection is reset after reset_after chunks */
    NET_FAULT_SILENT    /* the host never answers: the connect never completes */
} net_fault;

#define NET_MAX_CHUNKS 64
#define NET_READABLE 1
#define NET_WRITABLE 2

typedef struct net_chunk {
    int64_t delay_ns; /* after the previous chunk (the first: after the request arrived) */
    int32_t bytes;
} net_chunk;

typedef struct net_host_cfg {
    char name[64];
    int port;
    int64_t connect_ns;      /* connect latency */
    int64_t jitter_ns;       /* each delay gets up to this much more, from the run's RNG */
    net_chunk chunks[NET_MAX_CHUNKS];
    int nchunks;
    int eof_with_last;       /* EOF arrives with the last chunk */
    int64_t eof_after_ns;    /* otherwise this long after it */
    net_fault fault;
    int reset_after;         /* NET_FAULT_RESET: chunks delivered before the reset */
    int64_t resolve_ns;      /* name resolution under a real model; -1: the network's (net_set_resolve) */
} net_host_cfg;

typedef struct net net_t;

net_t *net_new(exec_t *ex, uint64_t seed);
void net_free(net_t *n);
/* Adds (or replaces) a host; copies cfg. Returns 0, or NET_ENOMEM. */
int net_add_host(net_t *n, const net_host_cfg *cfg);
/* The lecture's three hosts; en.wikipedia.org has the shortest latencies. */
void net_add_default_hosts(net_t *n);
const net_host_cfg *net_find_host(const net_t *n, const char *name);

/* connect(): starts a connection. *fd gets the socket; returns NET_EINPROGRESS, or
 * NET_ENOTFOUND (no socket is made). */
int net_connect(net_t *n, context_t *cx, const char *host, int port, int *fd);
/* network.resolve_ms: how long resolving a host's name takes when the host does not say. */
void net_set_resolve(net_t *n, int64_t ns);
/* How long resolving host takes under the run's model: 0 under ideal, for an unknown host,
 * or when neither the host nor the network gives a time. */
int64_t net_resolve_ns(const net_t *n, const char *host);
/* The resolution a connect future (by id) started: its JoinHandle and whether it is over;
 * owned by the network; created if create and there is none. NULL: none, or out of memory. */
typedef struct net_resolution {
    uint64_t future;
    joinhandle_t jh;
    int started, done;
} net_resolution;
net_resolution *net_resolution_of(net_t *n, uint64_t future, int create);

/* async-std model: the connect's wake came from the reactor tick it registered in, which
 * async-io does not trust (docs/runtime-models.md). Returns 1 once for such a wake: the poll
 * is spurious (exec_note_spurious) and the socket is reported writable again NET_REARM_NS
 * later; 0 otherwise. */
#define NET_UNTRUSTED_IN_20 13       /* measured: connect polled 3 times in 13 runs of 20 (issue 10) */
#define NET_REARM_NS INT64_C(10000)  /* the next tick: ~10 µs later, as measured */
int net_connect_untrusted(net_t *n, context_t *cx, int fd);
/* getsockopt(SO_ERROR): NET_OK when connected, NET_EINPROGRESS, or the connect's error. */
int net_connect_status(net_t *n, context_t *cx, int fd);
/* write(): bytes written (all of them: the send buffer is large), or an error. */
int64_t net_write(net_t *n, context_t *cx, int fd, int64_t len);
/* shutdown(Write). */
int net_shutdown(net_t *n, context_t *cx, int fd);
/* read(): bytes read (at most max), 0 at EOF, NET_WOULDBLOCK, or NET_ECONNRESET. */
int64_t net_read(net_t *n, context_t *cx, int fd, int64_t max);
/* Registers interest: the waker is cloned and woken by the next matching event. A waker
 * already registered for the same task is kept; one of another task is dropped. */
void net_register(net_t *n, context_t *cx, int fd, int interest);
void net_close(net_t *n, context_t *cx, int fd);
/* The host a socket talks to, or NULL. */
const char *net_fd_host(const net_t *n, int fd);

/* A listening socket (one per network) for a server scenario: clients arrive one every
 * interval_ns from the first at first_ns; each accepted connection then sends the client's
 * scripted chunks (client->chunks, delays counted from the accept) and EOF, like a host's
 * response. count clients in all. Returns the listener's fd, or an error. */
int net_listen(net_t *n, const net_host_cfg *client, int64_t count, int64_t first_ns, int64_t interval_ns);
/* accept(): a connected fd (>= 0), NET_WOULDBLOCK, or NET_ENOTCONN when every client has
 * been accepted (or there is no listener). */
int net_accept(net_t *n, context_t *cx, int *fd);

#endif
