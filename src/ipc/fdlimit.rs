//! The file-descriptor limit: every session holds one descriptor, so `max_connections` above the
//! limit only turns into `accept` failures. At start-up the soft limit is raised to the hard one
//! and `max_connections` is capped to what fits, with a log line either way.

/// Descriptors kept for everything that is not a session: listeners, the ledger's files, the
/// runtime, logging, the socket being accepted.
pub const RESERVED_FDS: u64 = 64;

/// The soft `RLIMIT_NOFILE` after trying to raise it to the hard limit; `None` where it cannot be
/// read.
pub fn raise_nofile() -> Option<u64> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes one `rlimit` into the struct it is given, which lives on our stack.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        return None;
    }
    if limit.rlim_cur < limit.rlim_max {
        let raised = libc::rlimit {
            rlim_cur: limit.rlim_max,
            rlim_max: limit.rlim_max,
        };
        // SAFETY: setrlimit only reads the struct it is given.
        if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } == 0 {
            tracing::info!(
                from = limit.rlim_cur,
                to = limit.rlim_max,
                "raised the file-descriptor soft limit to the hard limit"
            );
            limit.rlim_cur = limit.rlim_max;
        } else {
            tracing::warn!(
                soft = limit.rlim_cur,
                hard = limit.rlim_max,
                error = %std::io::Error::last_os_error(),
                "cannot raise the file-descriptor soft limit"
            );
        }
    }
    Some(limit.rlim_cur)
}

/// `max_connections` capped to what `nofile` descriptors allow (at least 1).
pub fn fit_connections(max_connections: u32, nofile: Option<u64>) -> u32 {
    match nofile {
        Some(n) => {
            let room = n.saturating_sub(RESERVED_FDS).max(1);
            u32::try_from(room).map_or(max_connections, |room| max_connections.min(room))
        }
        None => max_connections,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_connections_to_the_descriptor_limit() {
        assert_eq!(fit_connections(16_384, Some(1024)), 1024 - 64);
        assert_eq!(fit_connections(100, Some(1 << 20)), 100);
        assert_eq!(fit_connections(100, None), 100);
        assert_eq!(fit_connections(100, Some(10)), 1);
    }

    #[test]
    fn raising_leaves_the_soft_limit_at_the_hard_one() {
        let soft = raise_nofile().expect("getrlimit works on unix");
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: as in raise_nofile.
        assert_eq!(
            unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) },
            0
        );
        assert_eq!(soft, limit.rlim_cur);
    }
}
