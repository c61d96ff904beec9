//! The action registry: action name → (gate, function). [`Registry::dispatch`] is the whole RPC 1.0
//! request path after framing: parse, look up, gate, run, render errors. Actions receive the
//! application state `S` (the node serves `Api`; see `actions`) plus per-call facts ([`Call`]).

use std::collections::HashMap;

use super::request::LegacyRequest;
use super::tree::Tree;
use super::LegacyError;
use crate::ipc::handler::NodeControl;

/// Per-call facts an action may need besides the application state.
#[derive(Clone, Copy, Debug)]
pub struct Call<'a> {
    /// Lets `stop` shut the node down.
    pub node: &'a NodeControl,
    /// Encoding 2 on a transport with `allow_unsafe`.
    pub unsafe_allowed: bool,
}

/// An action body: answer the request or fail with nano-node's error text.
pub type ActionFn<S> = fn(&S, &Call<'_>, &LegacyRequest) -> Result<Tree, LegacyError>;

/// Who may run an action.
#[derive(Clone, Copy)]
pub enum Gate {
    /// Anyone.
    Open,
    /// Control actions (legacy-rpc §1.4): only with `Call::unsafe_allowed`.
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
    pub gate: Gate,
    pub run: ActionFn<S>,
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
        let _ = r.register("stop", Gate::Control, stop::<S>);
        r
    }

    /// Add an action.
    pub fn register(
        &mut self,
        name: &'static str,
        gate: Gate,
        run: ActionFn<S>,
    ) -> Result<&mut Self, DuplicateAction> {
        if self.actions.contains_key(name) {
            return Err(DuplicateAction(name));
        }
        self.actions.insert(name, Action { name, gate, run });
        Ok(self)
    }

    /// Registered names, sorted.
    pub fn names(&self) -> Vec<&'static str> {
        let mut v: Vec<_> = self.actions.keys().copied().collect();
        v.sort_unstable();
        v
    }

    /// Run one RPC 1.0 request body and return the answer tree (an error answer on any failure).
    pub fn dispatch(&self, state: &S, call: &Call<'_>, body: &[u8]) -> Tree {
        match self.try_dispatch(state, call, body) {
            Ok(tree) => tree,
            Err(e) => e.to_tree(),
        }
    }

    /// Run one request and render it into `out` in nano-node's exact JSON style.
    pub fn dispatch_into<B: bytes::BufMut>(
        &self,
        state: &S,
        call: &Call<'_>,
        body: &[u8],
        out: &mut B,
    ) {
        self.dispatch(state, call, body).write_json(out);
    }

    fn try_dispatch(&self, state: &S, call: &Call<'_>, body: &[u8]) -> Result<Tree, LegacyError> {
        let req = LegacyRequest::parse(body)?;
        let action = self
            .actions
            .get(req.action()?)
            .ok_or(LegacyError::UnknownCommand)?;
        if action.gate.is_control(&req) && !call.unsafe_allowed {
            return Err(LegacyError::ControlDisabled);
        }
        let tree = (action.run)(state, call, &req)?;
        if tree.is_empty() {
            return Err(LegacyError::EmptyResponse);
        }
        Ok(tree)
    }
}

/// `stop` (control): answer `{"success": ""}` and ask the node to stop. The session writes this
/// answer before it notices the shutdown.
fn stop<S>(_: &S, call: &Call<'_>, _: &LegacyRequest) -> Result<Tree, LegacyError> {
    call.node.request_stop();
    let mut t = Tree::object();
    t.put("success", "");
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn echo(_: &(), _: &Call<'_>, r: &LegacyRequest) -> Result<Tree, LegacyError> {
        let mut t = Tree::object();
        t.put("value", r.required("value")?);
        Ok(t)
    }
    fn nothing(_: &(), _: &Call<'_>, _: &LegacyRequest) -> Result<Tree, LegacyError> {
        Ok(Tree::object())
    }
    fn fails(_: &(), _: &Call<'_>, _: &LegacyRequest) -> Result<Tree, LegacyError> {
        Err(LegacyError::message("Bad account number"))
    }

    fn registry() -> Registry<()> {
        let mut r = Registry::with_node_actions();
        r.register("echo", Gate::Open, echo).unwrap();
        r.register("nothing", Gate::Open, nothing).unwrap();
        r.register("fails", Gate::Open, fails).unwrap();
        r.register(
            "forceful",
            Gate::ControlIf(|r| r.bool_option("force", false)),
            echo,
        )
        .unwrap();
        r
    }

    fn run(body: &str, unsafe_allowed: bool) -> (String, bool) {
        let node = NodeControl::default();
        let call = Call {
            node: &node,
            unsafe_allowed,
        };
        (
            registry().dispatch(&(), &call, body.as_bytes()).to_json(),
            node.is_stopping(),
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
        assert!(r.register("stop", Gate::Open, echo).is_err());
        assert!(r.names().contains(&"stop"));
    }
}
