//! `nanoipc admin getinfo|sessions|disconnect|log`, the built binary, against an in-process node
//! whose Unix socket has `allow_unsafe` and whose TCP transport does not.

mod support;

use support::*;

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

async fn admin(target: &str, args: &[&str]) -> Run {
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_nanoipc"))
        .arg("admin")
        .args(args)
        .arg("--target")
        .arg(target)
        .output()
        .await
        .unwrap();
    Run {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn json(run: &Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {} {}", run.stdout, run.stderr))
}

#[tokio::test]
async fn admin_subcommands_need_allow_unsafe_and_steer_sessions() {
    let node = start_node_with(|c| c.local.allow_unsafe = true).await;
    let local = format!("unix://{}", node.socket_path().display());
    let tcp = format!("tcp://{}", node.tcp_addr());

    let denied = admin(&tcp, &["getinfo"]).await;
    assert_eq!(denied.code, Some(1), "{}", denied.stderr);
    assert_eq!(json(&denied)["message"]["code"], 3);

    let info = admin(&local, &["getinfo"]).await;
    assert_eq!(info.code, Some(0), "{}", info.stderr);
    let v = json(&info);
    assert_eq!(v["message_type"], "GetInfoResponse");
    assert_eq!(v["message"]["sessions"], 1, "the admin's own session");
    assert_eq!(v["message"]["block_count"], 1);

    // A client to steer.
    let mut client = node.connect(Via::Tcp).await;
    assert_eq!(
        client.call(1, r#"{"action":"echo","value":"x"}"#).await,
        "{\n    \"value\": \"x\"\n}\n"
    );
    let listed = json(&admin(&local, &["sessions"]).await);
    let entry = listed["message"]["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["transport"] == "tcp")
        .cloned()
        .expect("the tcp client is listed");
    assert_eq!(entry["requests"], 1);
    let id = entry["id"].as_u64().unwrap().to_string();

    let logged = json(&admin(&local, &["log", &id]).await);
    assert_eq!(logged["message"]["sessions"][0]["logging"], true);

    let closed = admin(&local, &["disconnect", &id, "999999"]).await;
    assert_eq!(closed.code, Some(0));
    assert_eq!(
        json(&closed)["message"]["disconnected"],
        serde_json::json!([id.parse::<u64>().unwrap()])
    );
    client.expect_closed().await;

    let usage = admin(&local, &["disconnect"]).await;
    assert_eq!(usage.code, Some(2), "ids are required");
}
