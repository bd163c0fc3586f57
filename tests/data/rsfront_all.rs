//! Most of the subset in one program: tests/test_rsfront.c cuts and corrupts it.
//! pinata: {"runtime": {"executor": "block_on", "workers": 2},
//!          "network": {"listener": {"clients": 2, "chunks": [{"delay_ms": 1, "bytes": 64}]}}}
use async_std::sync::{Arc, Mutex};
use async_std::{net, task};
use std::time::Duration;

thread_local! {
    static REQUEST: RefCell<String> = RefCell::new(String::new());
}
async_std::task_local! {
    static TASK: RefCell<String> = RefCell::new(String::new());
}

const PATH: &str = "/";

async fn cheapo_request(host: &str, port: u16, path: &str) -> std::io::Result<String> {
    let mut socket = net::TcpStream::connect((host, port)).await?;
    let request = format!("GET {} HTTP/1.1\r\nHost: {}\r\n\r\n", path, host);
    socket.write_all(request.as_bytes()).await?;
    socket.shutdown(net::Shutdown::Write)?;
    let mut response = String::new();
    socket.read_to_string(&mut response).await?;
    Ok(response)
}

async fn counted(lock: Arc<Mutex<u32>>, host: String) {
    REQUEST.with(|r| *r.borrow_mut() = host.clone());
    TASK.with(|r| *r.borrow_mut() = host.clone());
    let mut n = lock.lock().await;
    *n += 1;
    task::sleep(Duration::from_millis(2)).await;
    drop(n);
    task::yield_now().await;
    compute(Duration::from_millis(1));
    REQUEST.with(|r| r.borrow().clone());
}

async fn serve(mut socket: net::TcpStream) -> std::io::Result<()> {
    let mut buf = [0u8; 512];
    socket.read(&mut buf).await?;
    socket.write_all(b"ok").await?;
    Ok(())
}

#[async_std::main]
async fn main() {
    let requests = vec![("example.com", 80, PATH), ("en.wikipedia.org", 80, PATH)];
    let mut handles = vec![];
    for (host, port, path) in requests {
        handles.push(task::spawn_local(cheapo_request(host, port, path)));
    }
    for handle in handles {
        handle.await;
    }
    let lock = Arc::new(Mutex::new(0));
    let a = task::spawn(counted(lock.clone(), "example.com".to_string()));
    let b = task::spawn(counted(lock.clone(), "www.red-bean.com".to_string()));
    a.await;
    b.await;
    // pinata: note halfway
    // pinata: note_ko 중간
    // pinata: compute 0.5 ms
    let listener = net::TcpListener::bind("127.0.0.1:8080").await.unwrap();
    let mut incoming = listener.incoming();
    while let Some(stream) = incoming.next().await {
        let stream = stream.unwrap();
        task::spawn(async move { serve(stream).await });
    }
    for i in 0..3 {
        task::sleep(Duration::from_millis(1)).await;
    }
}

fn compute(d: Duration) {
    let start = std::time::Instant::now();
    while start.elapsed() < d {}
}
