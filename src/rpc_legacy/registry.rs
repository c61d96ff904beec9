//! The action registry: action name → (gate, execution, function). [`Registry::dispatch`] is the
//! whole RPC 1.0 request path after framing: parse, look up, gate, run, render errors. Actions
//! receive the application state `S` (the node serves `Api`; see `actions`) plus the request
//! core's [`Caller`]. As the core's [`LegacyRpc`] front end, the registry runs actions registered
//! as blocking on the blocking pool, and costly reads (`cost`) behind the core's heavy slots.

use std::collections::HashMap;

use bytes::{Bytes, BytesMut};

use super::request::LegacyRequest;
use super::tree::Tree;
use super::LegacyError;
use crate::api::{Api, ApiError, Caller, Cost, LegacyRpc, Reply};

/// An action body: answer the request or fail with nano-node's error text.
pub type ActionFn<S> = fn(&S, &Caller, &LegacyRequest) -> Result<Tree, LegacyError>;

/// The top-level request keys an action reads (see [`Action::keys`]).
pub type Keys = &'static [&'static str];

/// Who may run an action.
#[derive(Clone, Copy)]
pub enum Gate {
    /// Anyone.
    Open,
    /// Control actions (legacy-rpc §1.4): only for a caller with `control` (every IPC caller, as
    /// in nano-node; the HTTP gateway's `enable_control`).
    Control,
    /// Control only when the request says so (`process` with `force`, `stats` with `objects`).
    ControlIf(fn(&LegacyRequest) -> bool),
}

impl Gate {
    fn is_control(&self, req: &LegacyRequest) -> bool {
        match self {
            Gate::Open => false,
            Gate::Control => true,
            Gate::ControlIf(pred) => pred(req),
        }
    }
}

/// A registered action.
pub struct Action<S> {
    pub name: &'static str,
    /// Every top-level request key the action (and its gate) reads, `action` aside: the parser
    /// builds these and skips the rest unbuilt, so a request costs what its action reads. Reading
    /// an undeclared key fails a debug assertion (see [`LegacyRequest::get`]).
    pub keys: Keys,
    pub gate: Gate,
    /// Runs on the blocking pool (ledger writes, proof-of-work), never on a runtime worker.
    pub blocking: bool,
    pub run: ActionFn<S>,
    /// Position in registration order, set by the registry: the action's metrics slot.
    pub index: usize,
}

/// Registering the same action name twice is a programming error worth reporting.
#[derive(Debug, thiserror::Error)]
#[error("legacy action `{0}` is registered twice")]
pub struct DuplicateAction(pub &'static str);

/// Action name → action, exact and case-sensitive as in nano-node.
pub struct Registry<S> {
    actions: HashMap<&'static str, Action<S>>,
}

impl<S> Default for Registry<S> {
    fn default() -> Self {
        Registry {
            actions: HashMap::new(),
        }
    }
}

impl<S> Registry<S> {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// A registry with the actions that need no ledger (`stop`).
    pub fn with_node_actions() -> Self {
        let mut r = Self::new();
        // A fresh registry cannot hold `stop` yet.
        let _ = r.register("stop", &[], Gate::Control, stop::<S>);
        r
    }

    /// Add an action that answers inline (reads: microseconds).
    pub fn register(
        &mut self,
        name: &'static str,
        keys: Keys,
        gate: Gate,
        run: ActionFn<S>,
    ) -> Result<&mut Self, DuplicateAction> {
        self.insert(Action {
            name,
            keys,
            gate,
            blocking: false,
            run,
            index: 0,
        })
    }

    /// Add an action whose body blocks (a ledger write, proof-of-work): the request core runs it
    /// on the blocking pool.
    pub fn register_blocking(
        &mut self,
        name: &'static str,
        keys: Keys,
        gate: Gate,
        run: ActionFn<S>,
    ) -> Result<&mut Self, DuplicateAction> {
        self.insert(Action {
            name,
            keys,
            gate,
            blocking: true,
            run,
            index: 0,
        })
    }

    fn insert(&mut self, mut action: Action<S>) -> Result<&mut Self, DuplicateAction> {
        if self.actions.contains_key(action.name) {
            return Err(DuplicateAction(action.name));
        }
        action.index = self.actions.len();
        self.actions.insert(action.name, action);
        Ok(self)
    }

    /// Registered names, sorted.
    pub fn names(&self) -> Vec<&'static str> {
        let mut v: Vec<_> = self.actions.keys().copied().collect();
        v.sort_unstable();
        v
    }

    /// Run one RPC 1.0 request body inline, whatever the action, and return the answer tree (an
    /// error answer on any failure).
    pub fn dispatch(&self, state: &S, caller: &Caller, control_allowed: bool, body: &[u8]) -> Tree {
        let run = || {
            let (action, req) = self.prepare(control_allowed, body)?;
            finish((action.run)(state, caller, &req))
        };
        run().unwrap_or_else(|e| e.to_tree())
    }

    /// Look up, parse (only what the action reads) and gate one request.
    fn prepare(
        &self,
        control_allowed: bool,
        body: &[u8],
    ) -> Result<(&Action<S>, LegacyRequest), LegacyError> {
        let (action, req) = LegacyRequest::parse_for(body, |name| {
            let action = self.actions.get(name).ok_or(LegacyError::UnknownCommand)?;
            Ok((action, action.keys))
        })?;
        crate::api::metrics::note_legacy(action.index);
        if action.gate.is_control(&req) && !control_allowed {
            return Err(LegacyError::ControlDisabled);
        }
        Ok((action, req))
    }
}

/// An action's result as the answer: an action that produced no keys failed in nano's terms.
fn finish(result: Result<Tree, LegacyError>) -> Result<Tree, LegacyError> {
    let tree = result?;
    if tree.is_empty() {
        return Err(LegacyError::EmptyResponse);
    }
    Ok(tree)
}

impl LegacyRpc for Registry<Api> {
    fn serve(
        &self,
        api: &Api,
        caller: &Caller,
        control_allowed: bool,
        body: Bytes,
        out: &mut BytesMut,
    ) -> Reply {
        let (action, req) = match self.prepare(control_allowed, &body) {
            Ok(found) => found,
            Err(e) => {
                // Unparseable, unknown or refused: counts against the session's error budget.
                caller.stats.note_error();
                e.to_tree().write_json(out);
                return Reply::Ready;
            }
        };
        let cost = match action.blocking {
            true => Cost::Blocking,
            false => super::cost::of(action.name, &req, api.offload().limits()),
        };
        if cost == Cost::Cheap {
            let tree = finish((action.run)(api, caller, &req)).unwrap_or_else(|e| e.to_tree());
            tree.write_json(out);
            return Reply::Ready;
        }
        let in_flight = match caller.node.begin_deferred() {
            Ok(place) => place,
            Err(e) => {
                self.write_error(&e, out);
                return Reply::Ready;
            }
        };
        // The parsed request travels with the action: the body is read only once.
        let offload = api.offload().clone();
        let (run, api, caller) = (action.run, api.clone(), caller.clone());
        Reply::Later(offload.run(
            cost,
            move || {
                let _in_flight = in_flight;
                let mut out = BytesMut::new();
                let tree = finish(run(&api, &caller, &req)).unwrap_or_else(|e| e.to_tree());
                tree.write_json(&mut out);
                out
            },
            || {
                let mut out = BytesMut::new();
                LegacyError::Internal.to_tree().write_json(&mut out);
                out
            },
        ))
    }

    fn write_error(&self, error: &ApiError, out: &mut BytesMut) {
        Tree::error(&error.to_string()).write_json(out);
    }

    fn action_names(&self) -> Vec<&'static str> {
        let mut actions: Vec<_> = self.actions.values().collect();
        actions.sort_unstable_by_key(|a| a.index);
        actions.iter().map(|a| a.name).collect()
    }
}

/// `stop` (control): answer `{"success": ""}` and ask the node to stop. The session writes this
/// answer before it notices the shutdown.
fn stop<S>(_: &S, caller: &Caller, _: &LegacyRequest) -> Result<Tree, LegacyError> {
    caller.node.request_stop();
    let mut t = Tree::object();
    t.put("success", "");
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn echo(_: &(), _: &Caller, r: &LegacyRequest) -> Result<Tree, LegacyError> {
        let mut t = Tree::object();
        t.put("value", r.required("value")?);
        Ok(t)
    }
    fn nothing(_: &(), _: &Caller, _: &LegacyRequest) -> Result<Tree, LegacyError> {
        Ok(Tree::object())
    }
    fn fails(_: &(), _: &Caller, _: &LegacyRequest) -> Result<Tree, LegacyError> {
        Err(LegacyError::message("Bad account number"))
    }

    fn registry() -> Registry<()> {
        let mut r = Registry::with_node_actions();
        r.register("echo", &["value"], Gate::Open, echo).unwrap();
        r.register("nothing", &[], Gate::Open, nothing).unwrap();
        r.register("fails", &[], Gate::Open, fails).unwrap();
        r.register(
            "forceful",
            &["value", "force"],
            Gate::ControlIf(|r| r.bool_option("force", false)),
            echo,
        )
        .unwrap();
        r
    }

    fn run(body: &str, control_allowed: bool) -> (String, bool) {
        let caller = Caller::local(1);
        (
            registry()
                .dispatch(&(), &caller, control_allowed, body.as_bytes())
                .to_json(),
            caller.node.is_stopping(),
        )
    }

    fn err(msg: &str) -> String {
        format!("{{\n    \"error\": \"{msg}\"\n}}\n")
    }

    #[test]
    fn error_model() {
        assert_eq!(run("not json", true).0, err("Unable to parse JSON"));
        assert_eq!(run(r#"{"x":1}"#, true).0, err("Unable to parse JSON"));
        assert_eq!(
            run(r#"{"action":"echo"}"#, true).0,
            err("Unable to parse JSON")
        );
        assert_eq!(run(r#"{"action":"Echo"}"#, true).0, err("Unknown command"));
        assert_eq!(
            run(r#"{"action":"nothing"}"#, true).0,
            err("Empty response")
        );
        assert_eq!(
            run(r#"{"action":"fails"}"#, true).0,
            err("Bad account number")
        );
        assert_eq!(
            run(r#"{"action":"echo","value":7}"#, false).0,
            "{\n    \"value\": \"7\"\n}\n"
        );
    }

    #[test]
    fn control_gate_and_stop() {
        assert_eq!(
            run(r#"{"action":"stop"}"#, false),
            (err("RPC control is disabled"), false)
        );
        assert_eq!(
            run(r#"{"action":"stop"}"#, true),
            ("{\n    \"success\": \"\"\n}\n".to_owned(), true)
        );
        assert_eq!(
            run(r#"{"action":"forceful","force":"true","value":"1"}"#, false).0,
            err("RPC control is disabled")
        );
        assert_eq!(
            run(
                r#"{"action":"forceful","force":"false","value":"1"}"#,
                false
            )
            .0,
            "{\n    \"value\": \"1\"\n}\n"
        );
    }

    #[test]
    fn duplicate_registration_is_refused() {
        let mut r = registry();
        assert!(r.register("stop", &[], Gate::Open, echo).is_err());
        assert!(r.names().contains(&"stop"));
    }
}
