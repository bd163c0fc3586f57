//! A timeout built from spawn and sleep: main gives two requests 100 ms, then stops waiting.
//! The fast host answers in time; the slow one is still connecting when main returns, and
//! block_on returning ends the program: its task is never polled again.
//! pinata: {"title": "A timeout from spawn and sleep", "title_ko": "spawn과 sleep으로 만든 타임아웃",
//!          "network": {"hosts": [{"name": "slow.example", "connect_ms": 400,
//!                                 "chunks": [{"delay_ms": 50, "bytes": 512}]}]}}
use async_std::io::{self, prelude::*};
use async_std::{net, task};
use std::time::Duration;

#[async_std::main]
async fn main() {
    let fast = task::spawn_local(cheapo_request("en.wikipedia.org", 80, "/"));
    let slow = task::spawn_local(cheapo_request("slow.example", 80, "/"));
    task::sleep(Duration::from_millis(100)).await; // the deadline
    drop(fast); // dropping a JoinHandle detaches its task: main waits no longer
    drop(slow);
}

async fn cheapo_request(host: &str, port: u16, path: &str) -> io::Result<String> {
    let mut socket = net::TcpStream::connect((host, port)).await?;
    let request = format!("GET {} HTTP/1.1\r\nHost: {}\r\n\r\n", path, host);
    socket.write_all(request.as_bytes()).await?;
    socket.shutdown(net::Shutdown::Write)?;
    let mut response = String::new();
    socket.read_to_string(&mut response).await?;
    Ok(response)
}
