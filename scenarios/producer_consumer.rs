//! A producer and a consumer share a queue behind an async Mutex. The producer holds the lock
//! across a sleep (an await while locked): the consumer's lock() is Pending until the guard
//! is dropped, and the unlock wakes it. Nothing blocks the thread: block_on parks in between.
//! pinata: {"title": "Producer and consumer sharing an async Mutex",
//!          "title_ko": "비동기 Mutex를 함께 쓰는 생산자와 소비자"}
use async_std::sync::{Arc, Mutex};
use async_std::task;
use std::time::Duration;

#[async_std::main]
async fn main() {
    let queue = Arc::new(Mutex::new(Vec::new()));
    let producer = task::spawn_local(produce(queue.clone()));
    let consumer = task::spawn_local(consume(queue.clone()));
    producer.await;
    consumer.await;
}

async fn produce(queue: Arc<Mutex<Vec<u32>>>) {
    for item in 0..3 {
        let mut q = queue.lock().await;
        task::sleep(Duration::from_millis(10)).await; // making the item, lock held
        q.push(item);
        drop(q); // the unlock wakes the consumer
        task::yield_now().await;
    }
}

async fn consume(queue: Arc<Mutex<Vec<u32>>>) {
    for _ in 0..3 {
        task::sleep(Duration::from_millis(1)).await;
        let mut q = queue.lock().await; // Pending while the producer holds it
        q.pop();
    }
}
