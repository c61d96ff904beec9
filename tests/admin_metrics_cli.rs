//! `nanoipc admin metrics`, the built binary, against an in-process node: the metrics text on a
//! transport with `allow_unsafe` (exit 0), `Access denied` elsewhere (exit 1), an unreachable node
//! (exit 3).

mod support;

use nanoipc::client::Target;
use support::*;

async fn admin_metrics(target: &Target) -> (Option<i32>, String, String) {
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_nanoipc"))
        .args(["admin", "metrics", "--timeout", "20", "--target"])
        .arg(target.to_string())
        .output()
        .await
        .unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[tokio::test]
async fn prints_metrics_or_exits_by_the_refusal() {
    let node = start_node_with(|c| c.local.allow_unsafe = true).await;
    let (code, stdout, stderr) = admin_metrics(&Target::Unix(node.socket_path())).await;
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains("# TYPE nanoipc_requests_total counter\n"),
        "{stdout}"
    );
    assert!(stdout.contains("\nnanoipc_ledger_blocks 1\n"), "{stdout}");

    let (code, stdout, stderr) = admin_metrics(&Target::Tcp(node.tcp_addr().to_string())).await;
    assert_eq!(code, Some(1), "{stdout}");
    assert!(stderr.contains("Access denied"), "{stderr}");

    let gone = Target::Unix(node.dir.path().join("nobody.sock"));
    let (code, _, stderr) = admin_metrics(&gone).await;
    assert_eq!(code, Some(3), "{stderr}");
}
