//! Account and ledger reads.

use crate::api::Api;
use crate::rpc_legacy::registry::{DuplicateAction, Registry};

pub(super) fn register(_r: &mut Registry<Api>) -> Result<(), DuplicateAction> {
    Ok(())
}
