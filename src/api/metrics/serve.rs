//! The `Metrics` request: the node's metrics as Prometheus text, for `nanoipc admin metrics` and
//! the HTTP gateway's `GET /metrics`.

use flatbuffers::{FlatBufferBuilder, WIPOffset};

use super::BlockCounts;
use crate::api::{Api, ApiError, Caller};
use crate::schema::{Metrics as MetricsRequest, MetricsResponse, MetricsResponseT};

impl Api {
    /// The metrics text, with the ledger's counts read now.
    pub fn metrics_text(&self) -> Result<String, ApiError> {
        let ledger = self.ledger().block_count().and_then(|c| {
            Ok(BlockCounts {
                blocks: c.count,
                cemented: c.cemented,
                unchecked: c.unchecked,
                accounts: self.ledger().account_count()?,
            })
        });
        let ledger = match ledger {
            Ok(counts) => Some(counts),
            Err(e) => {
                // A scrape still reports the node's own counters when the ledger cannot be read.
                tracing::warn!(error = %e, "metrics: the ledger counts could not be read");
                None
            }
        };
        self.node_metrics()
            .render(ledger)
            .map_err(|_| ApiError::InvalidAnswer("the metrics could not be formatted".into()))
    }

    /// `Metrics` needs `node_admin`. Until access control is enforced, that is a transport
    /// configured with `allow_unsafe` (the operator's opt-in to administrative requests).
    pub(in crate::api) fn metrics<'b>(
        &self,
        ctx: &Caller,
        _req: MetricsRequest<'_>,
        fbb: &mut FlatBufferBuilder<'b>,
    ) -> Result<WIPOffset<MetricsResponse<'b>>, ApiError> {
        if !ctx.allow_unsafe {
            return Err(ApiError::AccessDenied);
        }
        Ok(MetricsResponseT {
            text: self.metrics_text()?,
            content_type: super::CONTENT_TYPE.to_owned(),
        }
        .pack(fbb))
    }
}
