/* cheapo: the lecture's async functions, desugared by hand.
 *
 *   async fn cheapo_request(host: &str, port: u16, path: &str) -> io::Result<String> {
 *       let mut socket = net::TcpStream::connect((host, port)).await?;   // await point 1
 *       let request = format!("GET {} HTTP/1.1\r\nHost: {}\r\n\r\n", path, host);
 *       socket.write_all(request.as_bytes()).await?;                    // await point 2
 *       socket.shutdown(net::Shutdown::Write)?;
 *       let mut response = String::new();
 *       socket.read_to_string(&mut response).await?;                    // await point 3
 *       Ok(response)
 *   }
 *
 * The future is a struct holding the function's locals and its resume point; its poll is a
 * switch whose cases are the await points, exactly the pseudocode of the lecture's slide
 * ("'retry_point: match connect_future.poll(cx) { ... Pending => return Poll::Pending }").
 * The sub-future being awaited lives inside the state (a union: one await at a time). */
#ifndef PINATA_CHEAPO_H
#define PINATA_CHEAPO_H
#include "sim/leaf.h"

typedef enum cheapo_state {
    CHEAPO_START,        /* not polled yet: the body has not run at all */
    CHEAPO_CONNECTING,   /* at `TcpStream::connect(...).await` */
    CHEAPO_WRITING,      /* at `socket.write_all(...).await` */
    CHEAPO_READING,      /* at `socket.read_to_string(...).await` */
    CHEAPO_DONE
} cheapo_state;

typedef struct cheapo_request {
    future_t base;        /* Ready: err, or value = the response's length */
    net_t *net;
    const char *host;     /* borrowed, as &str is */
    int port;
    const char *path;
    cheapo_state state;
    int fd;
    char request[160];    /* the formatted request: a local that lives across awaits */
    union {
        connect_future connect;
        write_all_future write_all;
        read_to_string_future read;
    } sub;
} cheapo_request;

/* Calling the async fn: the body does not run, only the state is made. cx may be NULL at
 * top level, ex must then be given. */
void cheapo_request_init(cheapo_request *f, exec_t *ex, context_t *cx, net_t *net, const char *host,
                         int port, const char *path);

#define MANY_REQUESTS_MAX 8

/* async fn many_requests(requests) -> Vec<io::Result<String>>: spawn_local one
 * cheapo_request per host, then await the JoinHandles in order. */
typedef struct many_requests {
    future_t base;  /* Ready: value = requests that succeeded */
    net_t *net;
    const char *hosts[MANY_REQUESTS_MAX];
    int n;
    int spawned;
    int next;       /* the handle being awaited */
    int64_t results[MANY_REQUESTS_MAX];
    int errors[MANY_REQUESTS_MAX];
    joinhandle_t handles[MANY_REQUESTS_MAX];
} many_requests;

void many_requests_init(many_requests *f, exec_t *ex, net_t *net, const char *const *hosts, int n);

#endif
