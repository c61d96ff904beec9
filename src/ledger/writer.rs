//! The single ledger writer: group commit of block submissions.
//!
//! Submitters check signatures and work on their own threads (`precheck`), then queue a `Job`
//! here. One dedicated thread takes the first waiting job, drains whatever else is already
//! queued (up to `MAX_BATCH_BLOCKS`), applies all of it in queue order inside one LMDB write
//! transaction, commits, publishes the confirmation events, and only then answers each
//! submitter. So one fsync covers every submission that arrived while the previous commit was
//! syncing, and nothing is acknowledged (or announced) before it is durable.
//!
//! Why a dedicated thread rather than "the first waiting submitter leads": a leader would have
//! to serve other submitters' blocks before returning its own answer (unbounded extra latency
//! for whoever happened to arrive first), a panic would strand the followers, and an async
//! caller's blocking thread would be held for others' work. The thread costs one spawn per
//! ledger, started on the first write so that opening a ledger only to read spawns nothing,
//! and it is joined when the last `Ledger` handle drops, which also closes the environment.

use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::thread::JoinHandle;

use tokio::sync::broadcast;

use super::error::LedgerError;
use super::precheck::Prechecked;
use super::primitives::Network;
use super::processor::{process_one, ConfirmationEvent, ProcessResult};
use super::store::Store;

#[cfg(test)]
mod tests;

/// The most blocks one write transaction takes from the queue. A bound keeps one commit's
/// latency (and its dirty pages in memory) bounded under a flood; a single `process` call
/// larger than this is still applied whole, in its own transaction, as it promises.
const MAX_BATCH_BLOCKS: usize = 4096;

/// One submission's answer: a result per block, or the error that failed its transaction.
pub(crate) type Reply = Result<Vec<ProcessResult>, LedgerError>;

/// Blocks from one submitter, applied in order and answered together.
pub(crate) struct Job {
    blocks: Vec<Prechecked>,
    reply: SyncSender<Reply>,
    /// Runs inside the write transaction just before this job's blocks, so tests can hold
    /// the writer mid-transaction or make a transaction fail.
    #[cfg(test)]
    pub(crate) hook: Option<TestHook>,
}

#[cfg(test)]
pub(crate) type TestHook = Box<dyn FnOnce() -> Result<(), LedgerError> + Send>;

impl Job {
    /// A job and the receiver its answer arrives on.
    pub(crate) fn new(blocks: Vec<Prechecked>) -> (Job, Receiver<Reply>) {
        let (reply, answer) = mpsc::sync_channel(1);
        let job = Job {
            blocks,
            reply,
            #[cfg(test)]
            hook: None,
        };
        (job, answer)
    }
}

/// Waits for a queued job's answer. A closed channel means the writer thread died.
pub(crate) fn wait(answer: Receiver<Reply>) -> Reply {
    answer.recv().unwrap_or(Err(LedgerError::WriterStopped))
}

/// The writer as the `Ledger` handle owns it: what the thread needs, and the thread once started.
pub(crate) struct Writer {
    store: Store,
    network: Network,
    events: broadcast::Sender<ConfirmationEvent>,
    running: OnceLock<Running>,
    /// Serialises the lazy start so two first submitters cannot both spawn a thread.
    starting: Mutex<()>,
}

struct Running {
    /// The only sender: dropping it (with the last `Ledger`) ends the thread's loop.
    jobs: Sender<Job>,
    thread: JoinHandle<()>,
}

impl Writer {
    pub(crate) fn new(
        store: Store,
        network: Network,
        events: broadcast::Sender<ConfirmationEvent>,
    ) -> Self {
        Self {
            store,
            network,
            events,
            running: OnceLock::new(),
            starting: Mutex::new(()),
        }
    }

    /// Queues `blocks` and blocks until their transaction has committed (or failed).
    pub(crate) fn submit(&self, blocks: Vec<Prechecked>) -> Reply {
        let (job, answer) = Job::new(blocks);
        self.send(job)?;
        wait(answer)
    }

    /// Queues a job without waiting for it.
    pub(crate) fn send(&self, job: Job) -> Result<(), LedgerError> {
        self.running()?
            .jobs
            .send(job)
            .map_err(|_| LedgerError::WriterStopped)
    }

    fn running(&self) -> Result<&Running, LedgerError> {
        if let Some(running) = self.running.get() {
            return Ok(running);
        }
        let _guard = self.starting.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(running) = self.running.get() {
            return Ok(running);
        }
        let (jobs, queue) = mpsc::channel();
        let (store, network, events) = (self.store.clone(), self.network, self.events.clone());
        let thread = std::thread::Builder::new()
            .name("ledger-writer".into())
            .spawn(move || run(&store, network, &events, &queue))?;
        Ok(self.running.get_or_init(|| Running { jobs, thread }))
    }
}

impl Drop for Writer {
    /// Stops the thread and waits for it, so the environment is closed (and the data path can
    /// be opened again) once the last handle is gone. No job can be queued at this point: every
    /// submitter borrows a `Ledger`, and this runs when the last one drops.
    fn drop(&mut self) {
        if let Some(Running { jobs, thread }) = self.running.take() {
            drop(jobs);
            // Joining ourselves would deadlock; that only happens if the thread held the last
            // handle, and then it is already on its way out.
            if thread.thread().id() != std::thread::current().id() {
                // A panicked writer already answered its submitters with `WriterStopped`.
                let _ = thread.join();
            }
        }
    }
}

/// The writer thread: one batch per loop, until every sender is gone.
fn run(
    store: &Store,
    network: Network,
    events: &broadcast::Sender<ConfirmationEvent>,
    queue: &Receiver<Job>,
) {
    while let Ok(first) = queue.recv() {
        let mut taken = first.blocks.len();
        let mut batch = vec![first];
        while taken < MAX_BATCH_BLOCKS {
            let Ok(job) = queue.try_recv() else { break };
            taken = taken.saturating_add(job.blocks.len());
            batch.push(job);
        }
        match apply(store, network, &mut batch) {
            Ok((results, confirmed)) => {
                // Events first, so a submitter that subscribed beforehand finds its blocks'
                // events as soon as its answer arrives. No subscribers is fine.
                for event in confirmed {
                    let _ = events.send(event);
                }
                for (job, results) in batch.into_iter().zip(results) {
                    // A submitter that stopped waiting needs no answer.
                    let _ = job.reply.send(Ok(results));
                }
            }
            Err(error) => fail(batch, error),
        }
    }
}

/// Applies every job of a batch in one write transaction and commits it.
fn apply(
    store: &Store,
    network: Network,
    batch: &mut [Job],
) -> Result<(Vec<Vec<ProcessResult>>, Vec<ConfirmationEvent>), LedgerError> {
    let mut txn = store.env.write_txn()?;
    let mut results = Vec::with_capacity(batch.len());
    let mut events = Vec::new();
    for job in batch.iter_mut() {
        #[cfg(test)]
        if let Some(hook) = job.hook.take() {
            hook()?;
        }
        let mut job_results = Vec::with_capacity(job.blocks.len());
        for item in &job.blocks {
            let (result, event) = process_one(store, &mut txn, network, item)?;
            job_results.push(result);
            events.extend(event);
        }
        results.push(job_results);
    }
    if !events.is_empty() {
        let cemented = store.cemented(&txn)?;
        let added = u64::try_from(events.len()).unwrap_or(u64::MAX);
        store.set_cemented(&mut txn, cemented.saturating_add(added))?;
    }
    txn.commit()?;
    Ok((results, events))
}

/// Answers every submitter of a failed transaction: nothing of it was stored. A lone
/// submitter gets the error itself; several share it.
fn fail(batch: Vec<Job>, error: LedgerError) {
    if let [job] = batch.as_slice() {
        let _ = job.reply.send(Err(error));
        return;
    }
    let shared = Arc::new(error);
    for job in batch {
        let _ = job.reply.send(Err(LedgerError::BatchFailed(Arc::clone(&shared))));
    }
}
