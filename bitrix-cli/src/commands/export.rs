//! `b24 export METHOD [KEY=VALUE ...]`: every item of a list method into a file, paged by ID
//! where the spec allows it, paced by the client, with a progress line, `--resume` and a clean
//! stop on Ctrl-C.

use std::path::Path;

use bitrix_codegen::Method;
use bitrix_rest::{Client, Error, RawError, Response};
use serde_json::{Map, Value};

use crate::auth::connect;
use crate::cli::{ExportFormat, Global};
use crate::export::paging::{page_items, paging_for, Paging};
use crate::export::sink::{Resumed, Sink};
use crate::failure::{Failure, Outcome, INTERRUPTED};
use crate::interrupt::Interrupt;
use crate::output::call_failure;
use crate::params::{build_body, check_body};
use crate::progress::Progress;

/// What `b24 export` was asked.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The list method.
    pub method: &'a str,
    /// `KEY=VALUE` arguments.
    pub args: &'a [String],
    /// `--json BODY`.
    pub json: Option<&'a str>,
    /// Output format.
    pub format: ExportFormat,
    /// Output file; standard output when `None`.
    pub out: Option<&'a Path>,
    /// Continue the output file.
    pub resume: bool,
}

/// How the loop ended.
enum End {
    Done,
    Interrupted,
    Failed(Failure),
}

/// Runs `b24 export`.
pub async fn run(global: &Global, req: Request<'_>) -> Outcome {
    let Some(spec) = super::lookup(req.method, false)? else {
        return Err(Failure::usage("export needs a method with a spec"));
    };
    if !spec.result.paged {
        return Err(Failure::usage(format!(
            "{} is not a list method (its spec has no `result.paged`); use `b24 call`",
            spec.name
        )));
    }
    let mut body = build_body(Some(spec), req.json, req.args)?;
    check_body(spec, &body, global.oauth.is_none())?;
    let paging = paging_for(spec, &body);
    let columns = selected_columns(spec, &mut body, &paging);
    let portal = connect(global)?;
    // Listening starts before the output is opened, so that no Ctrl-C can leave it half-made.
    let mut interrupt =
        Interrupt::listen().map_err(|e| Failure::api(format!("cannot watch for Ctrl-C: {e}")))?;
    let (mut sink, resumed) = Sink::open(req.out, req.format, req.resume, columns)?;
    let mut progress = Progress::new(global.plan.per_second(), resumed.count);
    let mut pager = Pager {
        global,
        client: &portal.client,
        spec,
        body,
        sink: &mut sink,
        progress: &mut progress,
        interrupt: &mut interrupt,
    };
    let end = match &paging {
        Paging::ById { id, order, filter } => pager.by_id(id, order, filter, &resumed).await,
        Paging::ByStart => pager.by_start(resumed.count).await,
    };
    let finished = sink.finish();
    progress.finish();
    let shown = req
        .out
        .map_or("standard output".to_string(), |p| p.display().to_string());
    match finished {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            return Err(Failure::api(format!("{shown}: {e}")));
        }
        _ => {}
    }
    match end {
        End::Done => Ok(0),
        End::Interrupted => {
            eprintln!(
                "b24: interrupted; what was written to {shown} is complete (--resume continues)"
            );
            Ok(INTERRUPTED)
        }
        End::Failed(mut f) => {
            if req.out.is_some() {
                f.message.push_str(&format!(
                    "\n  the items written to {shown} are complete; --resume continues"
                ));
            }
            Err(f)
        }
    }
}

/// The CSV columns the user selected (without `*`); in ID mode the ID field is selected too, since
/// paging needs it.
fn selected_columns(spec: &Method, body: &mut Value, paging: &Paging) -> Option<Vec<String>> {
    let key = spec
        .params
        .iter()
        .find(|p| p.wire.eq_ignore_ascii_case("select"))?
        .wire
        .clone();
    let Some(Value::Array(select)) = body.get_mut(&key) else {
        return None;
    };
    if select.iter().any(|v| v == "*") {
        return None;
    }
    if let Paging::ById { id, .. } = paging {
        if !select.iter().any(|v| v.as_str() == Some(id.as_str())) {
            select.insert(0, Value::String(id.clone()));
        }
    }
    Some(
        select
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
            .collect(),
    )
}

/// The paging loop's state.
struct Pager<'a> {
    global: &'a Global,
    client: &'a Client,
    spec: &'a Method,
    body: Value,
    sink: &'a mut Sink,
    progress: &'a mut Progress,
    interrupt: &'a mut Interrupt,
}

impl Pager<'_> {
    /// One call, or `None` when Ctrl-C came first (the call is dropped; nothing was written).
    async fn call(&mut self, params: Value) -> Result<Option<Response<Value>>, Error<RawError>> {
        super::trace(self.global, &self.spec.name, &params);
        tokio::select! {
            biased;
            () = self.interrupt.wait() => Ok(None),
            answer = self.client.call_raw(&self.spec.name, params) => answer.map(Some),
        }
    }

    /// Writes a page; a write error ends the export.
    fn write(&mut self, items: &[Value]) -> Result<(), End> {
        match self.sink.write_page(items) {
            Ok(()) => {}
            // `b24 export … | head`: the reader has what it wanted.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Err(End::Done),
            Err(e) => {
                return Err(End::Failed(Failure::api(format!(
                    "cannot write the output: {e}"
                ))))
            }
        }
        self.progress.advance(items.len() as u64);
        Ok(())
    }

    fn failed(&self, e: &Error<RawError>) -> End {
        End::Failed(call_failure(Some(self.spec), &self.spec.name, e))
    }

    /// `start=-1`, ordered by ID, `>ID` the last one written, until a page comes back empty.
    async fn by_id(&mut self, id: &str, order: &str, filter: &str, resumed: &Resumed) -> End {
        let mut last = resumed
            .last
            .as_ref()
            .and_then(|item| item.get(id))
            .filter(|v| !v.is_null())
            .cloned();
        if resumed.count > 0 && last.is_none() {
            return End::Failed(Failure::usage(format!(
                "cannot resume: the last item written has no `{id}`"
            )));
        }
        let base_filter = match self.body.get(filter) {
            Some(Value::Object(map)) => map.clone(),
            _ => Map::new(),
        };
        let with_filter = |last: &Option<Value>| {
            let mut f = base_filter.clone();
            if let Some(last) = last {
                f.insert(format!(">{id}"), last.clone());
            }
            Value::Object(f)
        };
        if self.progress.enabled() {
            // `start=-1` answers no `total`: one plain call counts what is left.
            let mut count = self.body.clone();
            count[filter] = with_filter(&last);
            if let Some(select) = self
                .spec
                .params
                .iter()
                .find(|p| p.wire.eq_ignore_ascii_case("select"))
            {
                count[&select.wire] = Value::Array(vec![Value::String(id.to_string())]);
            }
            match self.call(count).await {
                Ok(Some(answer)) => self
                    .progress
                    .set_total(answer.total.map(|t| t + resumed.count)),
                Ok(None) => return End::Interrupted,
                Err(e) => return self.failed(&e),
            }
        }
        loop {
            let mut params = self.body.clone();
            params[order] = Value::Object(Map::from_iter([(
                id.to_string(),
                Value::String("ASC".into()),
            )]));
            params[filter] = with_filter(&last);
            params["start"] = Value::from(-1);
            let answer = match self.call(params).await {
                Ok(Some(a)) => a,
                Ok(None) => return End::Interrupted,
                Err(e) => return self.failed(&e),
            };
            let items = page_items(self.spec, answer.result);
            let Some(tail) = items.last() else {
                return End::Done;
            };
            match tail.get(id).filter(|v| !v.is_null()) {
                Some(v) => last = Some(v.clone()),
                None => {
                    return End::Failed(Failure::api(format!(
                        "{}: an item came back without `{id}`; export by ID is not possible (give `order` to page by start)",
                        self.spec.name
                    )))
                }
            }
            if let Err(end) = self.write(&items) {
                return end;
            }
        }
    }

    /// `start=0, 50, …` as `next` says.
    async fn by_start(&mut self, already: u64) -> End {
        let mut start = already;
        loop {
            let mut params = self.body.clone();
            params["start"] = Value::from(start);
            let answer = match self.call(params).await {
                Ok(Some(a)) => a,
                Ok(None) => return End::Interrupted,
                Err(e) => return self.failed(&e),
            };
            self.progress.set_total(answer.total);
            let next = answer.next;
            let items = page_items(self.spec, answer.result);
            if let Err(end) = self.write(&items) {
                return end;
            }
            match next {
                Some(n) if n > start && !items.is_empty() => start = n,
                _ => return End::Done,
            }
        }
    }
}
