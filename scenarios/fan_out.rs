//! A fan-out of 10 requests: every request is spawned before any is awaited, so all ten
//! connect at once and the whole takes about as long as the slowest one, not the sum.
//! pinata: {"title": "A fan-out of 10 requests", "title_ko": "요청 10개를 한꺼번에 보내기"}
use async_std::io::{self, prelude::*};
use async_std::{net, task};

const HOSTS: [&str; 10] = ["example.com", "www.red-bean.com", "en.wikipedia.org", "example.com", "www.red-bean.com",
                           "en.wikipedia.org", "example.com", "www.red-bean.com", "en.wikipedia.org", "example.com"];

#[async_std::main]
async fn main() {
    let mut handles = vec![];
    for host in HOSTS {
        handles.push(task::spawn_local(cheapo_request(host, 80, "/")));
    }
    let mut results = vec![];
    for handle in handles {
        results.push(handle.await);
    }
    println!("{} responses", results.len());
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
