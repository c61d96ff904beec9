//! TCP under the default address listens on both loopbacks, `127.0.0.1` and `[::1]`, on one port
//! (also when the port is 0), as nano-node listens dual-stack; an explicit `address` binds only
//! that address.

mod client_support;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::Arc;

use client_support::*;
use nanoipc::api::Api;
use nanoipc::client::{Client, Target};
use nanoipc::config::IpcConfig;
use nanoipc::ipc::{Encoding, IpcServer};
use nanoipc::ledger::primitives::Network;
use nanoipc::ledger::Ledger;
use nanoipc::schema::JsonOptions;

/// Whether this host can listen on the IPv6 loopback at all.
fn host_has_ipv6_loopback() -> bool {
    std::net::TcpListener::bind((Ipv6Addr::LOCALHOST, 0)).is_ok()
}

async fn answers_block_count(target: Target) {
    let mut c = Client::connect(&target)
        .await
        .unwrap_or_else(|e| panic!("{target}: {e}"));
    let a = c
        .request(Encoding::JsonV1, br#"{"action":"block_count"}"#)
        .await
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&a).unwrap();
    assert_eq!(v["count"], "1", "{target}: {v}");
}

#[tokio::test]
async fn the_default_address_answers_on_both_loopbacks_with_one_port() {
    // client_support starts nodes from `IpcConfig::default()` with TCP on port 0.
    let node = start_api_node().await;
    let addrs = node.server.tcp_addrs().to_vec();
    if !host_has_ipv6_loopback() {
        eprintln!("skipped: this host has no IPv6 loopback (listening on {addrs:?} only)");
        assert_eq!(addrs.len(), 1);
        return;
    }
    let ips: Vec<IpAddr> = addrs.iter().map(|a| a.ip()).collect();
    assert_eq!(
        ips,
        [
            IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(Ipv6Addr::LOCALHOST)
        ]
    );
    assert_ne!(addrs[0].port(), 0);
    assert_eq!(addrs[0].port(), addrs[1].port(), "one port for both");
    assert_eq!(node.server.tcp_addr(), Some(addrs[0]));
    for addr in &addrs {
        answers_block_count(Target::Tcp(addr.to_string())).await;
    }
    // The same port by name, as clients write it.
    let port = addrs[0].port();
    answers_block_count(Target::Tcp(format!("[::1]:{port}"))).await;
    answers_block_count(Target::Tcp(format!("127.0.0.1:{port}"))).await;
}

#[tokio::test]
async fn an_explicit_address_binds_only_that_address() {
    for ip in [
        IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(Ipv6Addr::LOCALHOST),
    ] {
        if ip.is_ipv6() && !host_has_ipv6_loopback() {
            eprintln!("skipped [::1]: this host has no IPv6 loopback");
            continue;
        }
        let ledger_dir = tempfile::tempdir().unwrap();
        let ledger = Ledger::open(ledger_dir.path(), Network::Dev).unwrap();
        let handler =
            nanoipc::rpc_legacy::request_core(Api::new(ledger, JsonOptions::default())).unwrap();
        let mut config = IpcConfig::default();
        config.local.enable = false;
        config.tcp.enable = true;
        config.tcp.port = 0;
        config.tcp.address = Some(ip);
        let server = IpcServer::start(&config, Arc::new(handler)).await.unwrap();
        let addrs = server.tcp_addrs();
        assert_eq!(addrs.len(), 1, "{addrs:?}");
        assert_eq!(addrs[0].ip(), ip);
        answers_block_count(Target::Tcp(addrs[0].to_string())).await;
    }
}
