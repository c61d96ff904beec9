//! Scrape time: the counters are read and written out through `prometheus-client`'s Prometheus
//! text encoder (exposition format 0.0.4), by a collector made for one scrape. Names follow the
//! Prometheus conventions: a `nanoipc_` prefix, `_total` counters, `_seconds` and `_bytes` units.

use std::fmt;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric, NoLabelSet};
use prometheus_client::metrics::counter::ConstCounter;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::metrics::MetricType;
use prometheus_client::registry::{Registry, Unit};

use super::{ConnectionRefusal, Metrics, ERROR_SLOTS, KNOWN_ERROR_CODES};
use crate::api::Encoding;
use crate::schema::dispatch::METHODS;

/// The `Content-Type` of the rendered text.
pub const CONTENT_TYPE: &str = prometheus_client::encoding::prometheus_text::CONTENT_TYPE;

/// The ledger's counts, read at scrape time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BlockCounts {
    pub blocks: u64,
    pub cemented: u64,
    pub unchecked: u64,
    pub accounts: u64,
}

/// The label of a request whose message is not known.
const UNKNOWN: &str = "unknown";

impl Metrics {
    /// Renders every metric in the Prometheus text format. `ledger` is `None` when the ledger
    /// could not be read: the other metrics are still worth serving.
    pub fn render(self: &Arc<Self>, ledger: Option<BlockCounts>) -> Result<String, fmt::Error> {
        let mut registry = Registry::with_prefix("nanoipc");
        registry.register_collector(Box::new(Scrape {
            metrics: self.clone(),
            ledger,
        }));
        let mut text = String::new();
        prometheus_client::encoding::prometheus_text::encode(&mut text, &registry)?;
        Ok(text)
    }

    /// Every (message label, slot) pair served in `encoding`, unknown first.
    fn messages(&self, encoding: Encoding) -> Vec<(&'static str, usize)> {
        let mut out = vec![(UNKNOWN, 0)];
        if encoding.is_legacy() {
            let names = self.legacy_names.get().map_or(&[][..], |n| &n[..]);
            out.extend(names.iter().enumerate().map(|(i, &n)| (n, i + 1)));
        } else {
            out.extend(METHODS.iter().map(|m| (m.name, usize::from(m.request.0))));
        }
        out
    }
}

/// One scrape's view: the live counters and the ledger counts read for it.
#[derive(Debug)]
struct Scrape {
    metrics: Arc<Metrics>,
    ledger: Option<BlockCounts>,
}

fn counter(
    enc: &mut DescriptorEncoder<'_>,
    name: &str,
    help: &str,
    unit: Option<&Unit>,
    value: u64,
) -> fmt::Result {
    let c = ConstCounter::new(value);
    c.encode(enc.encode_descriptor(name, help, unit, c.metric_type())?)
}

fn gauge(enc: &mut DescriptorEncoder<'_>, name: &str, help: &str, value: u64) -> fmt::Result {
    let g = ConstGauge::new(i64::try_from(value).unwrap_or(i64::MAX));
    g.encode(enc.encode_descriptor(name, help, None, g.metric_type())?)
}

impl Collector for Scrape {
    fn encode(&self, mut enc: DescriptorEncoder) -> fmt::Result {
        self.requests(&mut enc)?;
        self.errors(&mut enc)?;
        self.transport(&mut enc)?;
        if let Some(l) = self.ledger {
            gauge(&mut enc, "ledger_blocks", "Blocks in the ledger.", l.blocks)?;
            gauge(
                &mut enc,
                "ledger_cemented_blocks",
                "Cemented blocks.",
                l.cemented,
            )?;
            gauge(
                &mut enc,
                "ledger_unchecked_blocks",
                "Blocks waiting for a dependency.",
                l.unchecked,
            )?;
            gauge(&mut enc, "ledger_accounts", "Opened accounts.", l.accounts)?;
        }
        Ok(())
    }
}

impl Scrape {
    /// `requests_total` for every pair (zeros included, so rates start from the first request),
    /// and a latency histogram for every pair that has answered at least once.
    fn requests(&self, enc: &mut DescriptorEncoder<'_>) -> fmt::Result {
        let m = &self.metrics;
        let mut requests = enc.encode_descriptor(
            "requests",
            "Requests answered, by message (v2 name or legacy action) and encoding.",
            None,
            MetricType::Counter,
        )?;
        for encoding in Encoding::ALL {
            let label = encoding_label(encoding);
            for (message, slot) in m.messages(encoding) {
                let labels = [("message", message), ("encoding", label)];
                let count = ConstCounter::new(m.requests(encoding, slot));
                count.encode(requests.encode_family(&labels)?)?;
            }
        }
        let mut latency = enc.encode_descriptor(
            "request_duration",
            "Time from a request's arrival at the request core to its complete answer.",
            Some(&Unit::Seconds),
            MetricType::Histogram,
        )?;
        for encoding in Encoding::ALL {
            let label = encoding_label(encoding);
            let table = &m.latency[usize::from(encoding.as_byte() - 1)];
            for (message, slot) in m.messages(encoding) {
                let snap = table[slot].snapshot();
                if snap.count == 0 {
                    continue;
                }
                let labels = [("message", message), ("encoding", label)];
                latency
                    .encode_family(&labels)?
                    .encode_histogram::<NoLabelSet>(
                        snap.sum_seconds,
                        snap.count,
                        &snap.buckets,
                        None,
                    )?;
            }
        }
        Ok(())
    }

    /// `errors_total` by code: the documented codes always, any other once counted.
    fn errors(&self, enc: &mut DescriptorEncoder<'_>) -> fmt::Result {
        let m = &self.metrics;
        let mut errors = enc.encode_descriptor(
            "errors",
            "Error answers, by code (docs/errors.md; legacy errors by the nearest code).",
            None,
            MetricType::Counter,
        )?;
        for code in 1..ERROR_SLOTS {
            let n = m.errors(code);
            if code <= KNOWN_ERROR_CODES || n > 0 {
                let label = code.to_string();
                let labels = [("code", label.as_str())];
                ConstCounter::new(n).encode(errors.encode_family(&labels)?)?;
            }
        }
        let other = m.errors(0);
        if other > 0 {
            let labels = [("code", "other")];
            ConstCounter::new(other).encode(errors.encode_family(&labels)?)?;
        }
        Ok(())
    }

    /// Sessions, bytes and refused connections, as the transports reported them.
    fn transport(&self, enc: &mut DescriptorEncoder<'_>) -> fmt::Result {
        let m = &self.metrics;
        let opened = m.sessions_opened.load(Ordering::Relaxed);
        let closed = m.sessions_closed.load(Ordering::Relaxed);
        gauge(
            enc,
            "sessions_open",
            "Sessions open now.",
            opened.saturating_sub(closed),
        )?;
        counter(
            enc,
            "sessions",
            "Sessions opened since start.",
            None,
            opened,
        )?;
        let bytes = Some(&Unit::Bytes);
        let received = m.bytes_in.load(Ordering::Relaxed);
        counter(enc, "received", "Bytes read from clients.", bytes, received)?;
        let sent = m.bytes_out.load(Ordering::Relaxed);
        counter(enc, "sent", "Bytes written to clients.", bytes, sent)?;
        let mut refused = enc.encode_descriptor(
            "refused_connections",
            "Connections turned away or closed before being served, by reason.",
            None,
            MetricType::Counter,
        )?;
        for reason in ConnectionRefusal::ALL {
            let n = m.refused[reason as usize].load(Ordering::Relaxed);
            let labels = [("reason", reason.label())];
            ConstCounter::new(n).encode(refused.encode_family(&labels)?)?;
        }
        Ok(())
    }
}

/// The `encoding` label: the wire number, as nano-node's documentation and the config name them.
fn encoding_label(encoding: Encoding) -> &'static str {
    match encoding {
        Encoding::JsonV1 => "1",
        Encoding::JsonV1Unsafe => "2",
        Encoding::Flatbuffers => "3",
        Encoding::FlatbuffersJson => "4",
    }
}
