//! Config tests: defaults, the printed default round trip, and errors naming key and file.

use std::path::Path;

use super::*;

fn parse(text: &str) -> Result<NodeConfig, ConfigError> {
    NodeConfig::parse(text, Path::new("/data/config-node.toml"))
}

#[test]
fn defaults_follow_nano_except_the_local_socket() {
    let c = NodeConfig::default();
    assert_eq!(c.node.network, Network::Dev);
    let ipc = &c.node.ipc;
    assert!(ipc.local.enable);
    assert!(!ipc.local.allow_unsafe);
    assert_eq!(ipc.local.io_timeout, 15);
    assert_eq!(ipc.local.path, Path::new("/tmp/nano"));
    assert_eq!(ipc.local.mode(), Some(0o660));
    assert!(!ipc.tcp.enable);
    assert_eq!(ipc.tcp.port, 7077);
    // Unset: both loopbacks, as nano-node listens dual-stack.
    assert_eq!(ipc.tcp.address, None);
    assert_eq!(
        ipc.tcp.addresses(),
        [
            "127.0.0.1".parse::<IpAddr>().unwrap(),
            "::1".parse().unwrap()
        ]
    );
    assert!(ipc.flatbuffers.skip_unexpected_fields_in_json);
    assert!(ipc.flatbuffers.verify_buffers);
}

#[test]
fn printed_default_parses_back_to_the_default_and_comments_every_key() {
    let text = defaults::render_default();
    assert_eq!(parse(&text).unwrap(), NodeConfig::default());
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        if line.contains(" = ") && !line.starts_with('#') {
            assert!(
                i > 0 && lines[i - 1].starts_with("# type:"),
                "key without comment: {line}"
            );
        }
    }
    for key in [
        "network =",
        "max_request_size =",
        "max_connections =",
        "idle_timeout =",
        "shutdown_timeout =",
        "permissions =",
        "#address = \"::1\"",
        "both loopbacks, 127.0.0.1 and [::1]",
        "port = 7077",
        "path = \"/tmp/nano\"",
        "skip_unexpected_fields_in_json = true",
        "verify_buffers = true",
    ] {
        assert!(text.contains(key), "missing {key}");
    }
}

#[test]
fn an_explicit_tcp_address_is_the_only_one() {
    let c = parse("[node.ipc.tcp]\naddress = \"::1\"\n").unwrap();
    assert_eq!(
        c.node.ipc.tcp.addresses(),
        ["::1".parse::<IpAddr>().unwrap()]
    );
    let c = parse("[node.ipc.tcp]\naddress = \"0.0.0.0\"\n").unwrap();
    assert_eq!(
        c.node.ipc.tcp.address,
        Some(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
    );
    assert_eq!(c.node.ipc.tcp.addresses().len(), 1);
    // A config printed with an address set keeps it.
    let text = defaults::render(&c);
    assert!(text.contains("\naddress = \"0.0.0.0\"\n"), "{text}");
    assert_eq!(parse(&text).unwrap(), c);
}

#[test]
fn partial_file_keeps_other_defaults() {
    let c = parse("[node.ipc.tcp]\nenable = true\nport = 0\n").unwrap();
    assert!(c.node.ipc.tcp.enable);
    assert_eq!(c.node.ipc.tcp.port, 0);
    assert!(c.node.ipc.local.enable);
}

#[test]
fn unknown_key_names_key_and_file() {
    let err = parse("[node.ipc.tcp]\nenable = true\nprot = 7077\n").unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("/data/config-node.toml"), "{msg}");
    assert!(msg.contains("node.ipc.tcp.prot"), "{msg}");
    assert!(msg.contains("unknown field"), "{msg}");
}

#[test]
fn unknown_table_is_an_error() {
    let msg = parse("[node.ipc.pipe]\nenable = true\n")
        .unwrap_err()
        .to_string();
    assert!(msg.contains("pipe"), "{msg}");
}

#[test]
fn bad_values_name_the_key() {
    for (text, key) in [
        ("[node.ipc.tcp]\nport = 70000\n", "node.ipc.tcp.port"),
        (
            "[node.ipc.tcp]\naddress = \"localhost:1\"\n",
            "node.ipc.tcp.address",
        ),
        (
            "[node.ipc.local]\nenable = \"yes\"\n",
            "node.ipc.local.enable",
        ),
        ("[node]\nnetwork = \"main\"\n", "node.network"),
        (
            "[node.ipc.local]\npermissions = \"0999\"\n",
            "node.ipc.local.permissions",
        ),
        (
            "[node.ipc.local]\nio_timeout = 0\n",
            "node.ipc.local.io_timeout",
        ),
        (
            "[node.ipc]\nmax_connections = 0\n",
            "node.ipc.max_connections",
        ),
        (
            "[node.ipc]\nmax_request_size = -1\n",
            "node.ipc.max_request_size",
        ),
        (
            "[node.ipc]\nmax_request_size = 1073741825\n",
            "node.ipc.max_request_size",
        ),
        ("[node]\nnetwork = \"test\"\n", "node.network"),
    ] {
        let msg = parse(text).unwrap_err().to_string();
        assert!(msg.contains(key), "{text:?} → {msg}");
        assert!(msg.contains("/data/config-node.toml"), "{msg}");
    }
}

#[test]
fn missing_file_means_defaults() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        NodeConfig::load_from_dir(dir.path()).unwrap(),
        NodeConfig::default()
    );
    std::fs::write(
        dir.path().join(CONFIG_FILE_NAME),
        "[node]\nnetwork = \"live\"\n",
    )
    .unwrap();
    assert_eq!(
        NodeConfig::load_from_dir(dir.path()).unwrap().node.network,
        Network::Live
    );
}
