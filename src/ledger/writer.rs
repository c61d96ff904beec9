//! The single ledger writer: group commit of block submissions.
//!
//! Submitters check signatures and work on their own threads (`precheck`), then queue a `Job`
//! here. One dedicated thread takes the first waiting job, drains whatever else is already
//! queued (up to `MAX_BATCH_BLOCKS`), applies all of it in queue order inside one LMDB write
//! transaction, commits, publishes the confirmation events, and only then answers each
//! submitter. So one fsync covers every submission that arrived while the previous commit was
//! syncing, and nothing is acknowledged (or announced) before it is durable.
//!
//! Commit delay: a commit costs two fsyncs, and a submitter answered by one commit needs a
//! moment to check its next block's signature. Taking only what is queued at that instant
//! would split the submitters into groups that alternate commits, each waiting for the
//! other's fsync. So when the queue is drained but submitters are still checking signatures,
//! the writer waits for them — never longer than half what the last transaction took (and
//! `MAX_COMMIT_DELAY`), so on fast storage the wait is negligible and on slow storage it is
//! small beside the fsync it saves (the `commit_delay`/`commit_siblings` idea of PostgreSQL).
//!
//! Why a dedicated thread rather than "the first waiting submitter leads": a leader would have
//! to serve other submitters' blocks before returning its own answer (unbounded extra latency
//! for whoever happened to arrive first), a panic would strand the followers, and an async
//! caller's blocking thread would be held for others' work. The thread costs one spawn per
//! ledger, started on the first write so that opening a ledger only to read spawns nothing,
//! and it is joined when the last `Ledger` handle drops, which also closes the environment.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

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

/// The longest the writer waits for submitters still checking signatures (see module docs).
const MAX_COMMIT_DELAY: Duration = Duration::from_millis(5);

/// One submission's answer: a result per block, or the error that failed its transaction.
pub(crate) type Reply = Result<Vec<ProcessResult>, LedgerError>;

/// Blocks from one submitter, applied in order and answered together.
pub(crate) struct Job {
    blocks: Vec<Prechecked>,
    reply: SyncSender<Reply>,
    /// Counts this submission as on its way until the writer takes it off the queue.
    ticket: Option<OnTheWay>,
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
            ticket: None,
            #[cfg(test)]
            hook: None,
        };
        (job, answer)
    }
}

/// One submission between "started checking" and "taken by the writer"; dropping it (also
/// when the submitter fails or panics first) takes it off the count.
pub(crate) struct OnTheWay(Arc<AtomicUsize>);

impl OnTheWay {
    fn new(count: &Arc<AtomicUsize>) -> Self {
        count.fetch_add(1, Ordering::AcqRel);
        Self(Arc::clone(count))
    }
}

impl Drop for OnTheWay {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
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
    /// Submissions being checked or queued but not yet taken: the commit-delay signal.
    on_the_way: Arc<AtomicUsize>,
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
            on_the_way: Arc::new(AtomicUsize::new(0)),
            running: OnceLock::new(),
            starting: Mutex::new(()),
        }
    }

    /// Runs `check` (the signature and work hashes) on the calling thread, queues its blocks
    /// and blocks until their transaction has committed (or failed). The writer knows a
    /// submission is on its way from the moment `check` starts.
    pub(crate) fn submit(&self, check: impl FnOnce() -> Vec<Prechecked>) -> Reply {
        let ticket = OnTheWay::new(&self.on_the_way);
        let (mut job, answer) = Job::new(check());
        job.ticket = Some(ticket);
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
        let context = Context {
            store: self.store.clone(),
            network: self.network,
            events: self.events.clone(),
            on_the_way: Arc::clone(&self.on_the_way),
        };
        let thread = std::thread::Builder::new()
            .name("ledger-writer".into())
            .spawn(move || run(&context, &queue))?;
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

/// What the writer thread owns.
struct Context {
    store: Store,
    network: Network,
    events: broadcast::Sender<ConfirmationEvent>,
    on_the_way: Arc<AtomicUsize>,
}

/// The writer thread: one batch per loop, until every sender is gone.
fn run(context: &Context, queue: &Receiver<Job>) {
    let mut last_transaction = Duration::ZERO;
    while let Ok(first) = queue.recv() {
        let mut batch = Batch::default();
        batch.take(first);
        while !batch.full() {
            let Ok(job) = queue.try_recv() else { break };
            batch.take(job);
        }
        let deadline = Instant::now() + (last_transaction / 2).min(MAX_COMMIT_DELAY);
        while !batch.full() && context.on_the_way.load(Ordering::Acquire) > 0 {
            let left = deadline.saturating_duration_since(Instant::now());
            let Ok(job) = queue.recv_timeout(left) else {
                break;
            };
            batch.take(job);
        }
        let started = Instant::now();
        let outcome = apply(&context.store, context.network, &mut batch.jobs);
        last_transaction = started.elapsed();
        match outcome {
            Ok((results, confirmed)) => {
                // Events first, so a submitter that subscribed beforehand finds its blocks'
                // events as soon as its answer arrives. No subscribers is fine.
                for event in confirmed {
                    let _ = context.events.send(event);
                }
                for (job, results) in batch.jobs.into_iter().zip(results) {
                    // A submitter that stopped waiting needs no answer.
                    let _ = job.reply.send(Ok(results));
                }
            }
            Err(error) => fail(batch.jobs, error),
        }
    }
}

/// The jobs of one write transaction.
#[derive(Default)]
struct Batch {
    jobs: Vec<Job>,
    blocks: usize,
}

impl Batch {
    fn take(&mut self, mut job: Job) {
        // Taken off the queue: no longer on its way.
        job.ticket = None;
        self.blocks = self.blocks.saturating_add(job.blocks.len());
        self.jobs.push(job);
    }

    fn full(&self) -> bool {
        self.blocks >= MAX_BATCH_BLOCKS
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
    store.commit(txn)?;
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
        let _ = job
            .reply
            .send(Err(LedgerError::BatchFailed(Arc::clone(&shared))));
    }
}
