//! Peak memory and CPU time of one 32 MiB request in each encoding (issue 8 item 1): for each
//! attack in `tests/request_size_support`, a fresh `nanoipc node` child process gets the request
//! on its local socket; printed are the growth of its peak RSS (`VmHWM` after the answer minus
//! before the request) as a multiple of the body size, its CPU time (user + system) spent on the
//! request, and the start of the answer.
//!
//! `cargo bench --bench request_size`. `NANOIPC_BIN=/path/to/nanoipc` measures another build of
//! the node (the before/after figures in the note), the bench's own build otherwise.

#[path = "../tests/request_size_support/mod.rs"]
mod support;

use std::path::PathBuf;

use nanoipc::ipc::client::{Client, Target};
use support::{Attack, NodeProcess};

fn main() {
    let binary = std::env::var_os("NANOIPC_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_nanoipc")));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let tick_ms = 1000.0 / support::ticks_per_second() as f64;
    println!("node: {}", binary.display());
    println!(
        "{:<42} {:>10} {:>12} {:>8} {:>9}  answer",
        "request", "body MiB", "peak +MiB", "x body", "CPU ms"
    );
    let attacks: Vec<fn() -> Attack> = vec![
        support::legacy_unread_array,
        support::legacy_unknown_action,
        support::legacy_read_array,
        support::legacy_deep_nesting,
        support::json_unknown_field,
        support::json_deep_nesting,
        support::json_huge_vector,
        support::binary_huge_vector,
    ];
    for make in attacks {
        let attack = make();
        let node = NodeProcess::start(&binary);
        let (rss0, cpu0) = (node.peak_rss(), node.cpu_ticks());
        let answer = runtime.block_on(async {
            let mut client = Client::connect(&Target::Unix(node.socket.clone()))
                .await
                .expect("connect");
            client.set_timeout(None);
            client.request(attack.encoding, &attack.body).await
        });
        let (rss1, cpu1) = (node.peak_rss(), node.cpu_ticks());
        let text = match answer {
            Ok(bytes) => String::from_utf8_lossy(&bytes[..bytes.len().min(120)])
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            Err(e) => format!("client error: {e}"),
        };
        let mib = |b: u64| b as f64 / (1024.0 * 1024.0);
        let growth = rss1.saturating_sub(rss0);
        println!(
            "{:<42} {:>10.1} {:>12.1} {:>8.2} {:>9.0}  {}",
            attack.name,
            mib(attack.body.len() as u64),
            mib(growth),
            growth as f64 / attack.body.len() as f64,
            (cpu1 - cpu0) as f64 * tick_ms,
            text
        );
    }
}
