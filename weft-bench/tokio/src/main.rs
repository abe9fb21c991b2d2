//! Runner `tokio/multi` of the `micro` suite (shared/BENCH-SPEC.md): the five scheduler
//! workloads on Tokio's multi-thread runtime with 2 workers, written to match the Java runners
//! (weft-bench/src/main/java/dev/weft/bench/micro: WeftPollWorkloads, JdkWorkloads, MicroSuite).
//! A benchmark baseline only.
//!
//! Usage: weft-bench-tokio [--rounds N] [workload...]
//!   5 warm-up rounds, then N measured rounds (default 30; also WEFT_BENCH_ROUNDS=N, the
//!   counterpart of the Java side's -Dweft.bench.rounds). WEFT_BENCH_WORKERS=N changes the worker
//!   count for studies only (figures use 2). Figure lines go to stdout, progress to stderr.
//!
//! Each round runs as one task of the runtime (as Weft's `Runtime.blockOn` does), waited for by
//! the main thread: `rt.block_on(rt.spawn(round))`. So "from inside one task" holds: the round's
//! spawns come from a worker thread, not from the thread blocked in `block_on`.

use std::future::Future;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use tokio::runtime::Runtime;
use tokio::sync::{mpsc, oneshot, Notify};

const RUNNER: &str = "tokio/multi";
const WARMUP: usize = 5;
const DEFAULT_ROUNDS: usize = 30;
const DEFAULT_WORKERS: usize = 2;

const SPAWN_MANY: usize = 100_000;
const YIELD_TASKS: usize = 200;
const YIELDS: usize = 1_000;
const PING_PONGS: usize = 1_000;
const CHAIN: usize = 1_000;
const MESSAGES: u64 = 100_000;
const CAPACITY: usize = 1_024;

const WORKLOADS: [&str; 5] = ["spawn_many", "yield_many", "ping_pong", "chained_spawn", "mpsc_100k"];

/// A count-down latch with one awaiter (the counterpart of dev.weft.bench.Latch): the last
/// `count_down` wakes the waiting task. `Notify::notify_one` keeps a permit when nobody waits
/// yet, so a count-down that wins the race against the awaiter is not lost.
struct Latch {
    left: AtomicUsize,
    notify: Notify,
}

impl Latch {
    fn new(count: usize) -> Arc<Latch> {
        Arc::new(Latch { left: AtomicUsize::new(count), notify: Notify::new() })
    }

    fn count_down(&self) {
        if self.left.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.notify.notify_one();
        }
    }

    async fn wait(&self) {
        if self.left.load(Ordering::Acquire) > 0 {
            self.notify.notified().await;
        }
    }
}

/// From inside one task, spawn 100,000 empty tasks; the last to finish signals.
async fn spawn_many() {
    let done = Latch::new(SPAWN_MANY);
    for _ in 0..SPAWN_MANY {
        let done = done.clone();
        tokio::spawn(async move {
            done.count_down();
        });
    }
    done.wait().await;
}

/// Spawn 200 tasks that each yield 1,000 times; wait for all.
async fn yield_many() {
    let done = Latch::new(YIELD_TASKS);
    for _ in 0..YIELD_TASKS {
        let done = done.clone();
        tokio::spawn(async move {
            for _ in 0..YIELDS {
                tokio::task::yield_now().await;
            }
            done.count_down();
        });
    }
    done.wait().await;
}

/// Spawn 1,000 tasks; each spawns a partner, sends it one message on a oneshot and waits for
/// its reply on another.
async fn ping_pong() {
    let done = Latch::new(PING_PONGS);
    for _ in 0..PING_PONGS {
        let done = done.clone();
        tokio::spawn(async move {
            let (ping_tx, ping_rx) = oneshot::channel::<u64>();
            let (pong_tx, pong_rx) = oneshot::channel::<u64>();
            tokio::spawn(async move {
                let v = ping_rx.await.expect("ping");
                let _ = pong_tx.send(v);
            });
            let _ = ping_tx.send(1);
            pong_rx.await.expect("pong");
            done.count_down();
        });
    }
    done.wait().await;
}

/// Spawns the next link of the chain, or signals at the end.
fn link(left: usize, done: Arc<Latch>) {
    tokio::spawn(async move {
        if left == 0 {
            done.count_down();
        } else {
            link(left - 1, done);
        }
    });
}

/// A task spawns a task that spawns a task ..., 1,000 deep; the last signals.
async fn chained_spawn() {
    let done = Latch::new(1);
    link(CHAIN, done.clone());
    done.wait().await;
}

/// One task sends 0..100,000 through a bounded channel of capacity 1,024 to another (this
/// one, as in WeftPollWorkloads), which checks their sum.
async fn mpsc_100k() {
    let (tx, mut rx) = mpsc::channel::<u64>(CAPACITY);
    tokio::spawn(async move {
        for v in 0..MESSAGES {
            tx.send(v).await.expect("receiver alive");
        }
    });
    let mut sum: u64 = 0;
    while let Some(v) = rx.recv().await {
        sum += v;
    }
    let expected = MESSAGES * (MESSAGES - 1) / 2;
    assert_eq!(sum, expected, "mpsc sum");
}

fn measure<F, Fut>(rt: &Runtime, rounds: usize, workload: &str, ops: u64, round: F)
where
    F: Fn() -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let run = || {
        let start = Instant::now();
        rt.block_on(rt.spawn(round())).expect("round task failed");
        start.elapsed().as_nanos() as u64
    };
    for _ in 0..WARMUP {
        run();
    }
    let mut times: Vec<u64> = (0..rounds).map(|_| run()).collect();
    times.sort_unstable();
    let median = if rounds % 2 == 1 {
        times[rounds / 2] as f64
    } else {
        (times[rounds / 2 - 1] + times[rounds / 2]) as f64 / 2.0
    };
    let ops = ops as f64;
    println!("micro {} {} {:.1} ns/op", workload, RUNNER, median / ops);
    eprintln!(
        "  {:<14} {:<22} min {:.1}  median {:.1}  max {:.1} ns/op",
        workload,
        RUNNER,
        times[0] as f64 / ops,
        median / ops,
        times[rounds - 1] as f64 / ops
    );
}

fn positive(what: &str, text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("{} must be a positive integer, not '{}'", what, text)),
    }
}

fn env_positive(name: &str, default: usize) -> Result<usize, String> {
    match std::env::var(name) {
        Ok(v) if !v.trim().is_empty() => positive(name, &v),
        _ => Ok(default),
    }
}

struct Args {
    rounds: usize,
    workers: usize,
    only: Vec<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut rounds = env_positive("WEFT_BENCH_ROUNDS", DEFAULT_ROUNDS)?;
    let workers = env_positive("WEFT_BENCH_WORKERS", DEFAULT_WORKERS)?;
    let mut only = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--rounds" {
            let v = args.next().ok_or("--rounds needs a value")?;
            rounds = positive("--rounds", &v)?;
        } else if let Some(v) = arg.strip_prefix("--rounds=") {
            rounds = positive("--rounds", v)?;
        } else if WORKLOADS.contains(&arg.as_str()) {
            only.push(arg);
        } else {
            return Err(format!("unknown workload '{}'; workloads: {}", arg, WORKLOADS.join(", ")));
        }
    }
    Ok(Args { rounds, workers, only })
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("weft-bench-tokio: {}", e);
            eprintln!("usage: weft-bench-tokio [--rounds N] [{}...]", WORKLOADS.join("|"));
            return ExitCode::from(2);
        }
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(args.workers)
        .thread_name("bench")
        .build()
        .expect("tokio runtime");
    let wanted = |w: &str| args.only.is_empty() || args.only.iter().any(|o| o == w);
    let r = args.rounds;
    if wanted("spawn_many") {
        measure(&rt, r, "spawn_many", SPAWN_MANY as u64, spawn_many);
    }
    if wanted("yield_many") {
        measure(&rt, r, "yield_many", (YIELD_TASKS * YIELDS) as u64, yield_many);
    }
    if wanted("ping_pong") {
        measure(&rt, r, "ping_pong", PING_PONGS as u64, ping_pong);
    }
    if wanted("chained_spawn") {
        measure(&rt, r, "chained_spawn", CHAIN as u64, chained_spawn);
    }
    if wanted("mpsc_100k") {
        measure(&rt, r, "mpsc_100k", MESSAGES, mpsc_100k);
    }
    ExitCode::SUCCESS
}
