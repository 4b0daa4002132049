//! Every item of a list method (`PAGED = true`) as a `Stream`, across all pages: plain paging by
//! `start`/`next`, or a keyset export (`start=-1`, ordered by ID ascending, filtered `>ID`, ending
//! on an empty page, checking that IDs strictly increase) that counts nothing and cannot lose or
//! repeat items. REST 3.0 lists have no `start`/`next`: they page by `pagination.page` and end at
//! a page shorter than `pagination.limit`; their keyset filter is the v3 list form.

use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{Error, InvalidRequest, UnexpectedResponse};
use crate::method::Method;
use crate::Client;

/// Items on a full page of a list method.
pub const PAGE_SIZE: usize = bitrix_facts::PAGE_SIZE;

/// How a list method is exported by ID ([`Client::export`]): which field of an item is its
/// stable, increasing numeric ID, and which parameters take the filter and the order.
///
/// `crm.item.list` is `FastExport::new("id")`; classic methods such as `crm.deal.list` use
/// `FastExport::new("ID")`. The export sets `order` to `{id_field: "ASC"}` (replacing any order
/// given), adds `">id_field": last_id` to the request's filter (keeping its other conditions) and
/// `start = -1`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FastExport {
    /// The ID field of an item as it is named on the wire (`id`, `ID`).
    pub id_field: String,
    /// The filter parameter (`filter`).
    pub filter_param: String,
    /// The order parameter (`order`).
    pub order_param: String,
}

impl FastExport {
    /// Export by `id_field` with the usual `filter` and `order` parameters.
    pub fn new(id_field: &str) -> Self {
        FastExport {
            id_field: id_field.to_string(),
            filter_param: "filter".to_string(),
            order_param: "order".to_string(),
        }
    }
}

/// The items of a list method, page after page ([`Client::stream`], [`Client::export`]).
/// `items.next().await` needs no import; it is also a `futures` `Stream`.
#[must_use = "a stream does nothing until polled"]
pub struct Items<T, E>(Pin<Box<dyn Stream<Item = Result<T, Error<E>>> + Send>>);

impl<T, E> Items<T, E> {
    /// The next item, `None` after the last; an error ends the stream.
    pub async fn next(&mut self) -> Option<Result<T, Error<E>>> {
        std::future::poll_fn(|cx| self.0.as_mut().poll_next(cx)).await
    }
}

impl<T, E> Stream for Items<T, E> {
    type Item = Result<T, Error<E>>;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.as_mut().poll_next(cx)
    }
}

impl<T, E> std::fmt::Debug for Items<T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Items")
    }
}

/// Where a traversal is.
enum Cursor {
    /// Plain paging: the next `start`.
    Start(u64),
    /// REST 3.0 paging: the next `pagination.page` (from 1).
    Page(u64),
    /// Keyset paging: the last ID seen (0 before the first page).
    After(FastExport, i64),
    Done,
}

struct State<T> {
    client: Client,
    params: Value,
    cursor: Cursor,
    buffer: VecDeque<T>,
    pending: Option<InvalidRequest>,
}

impl Client {
    /// Every item of a list method, page by page through `start`/`next`, as the portal orders them.
    ///
    /// Plain paging counts by offset: items added at the end while it runs are included, but
    /// items removed before the current offset shift the rest (one may be skipped), and items
    /// added before it shift them back (one may repeat). For exports that must be exact while the
    /// data changes, and for large ones, use [`Client::export`].
    ///
    /// ```ignore
    /// use bitrix_rest::api::crm::item;
    ///
    /// let mut items = client.stream(&item::List::new(2));
    /// while let Some(item) = items.next().await {
    ///     println!("{:?}", item?.id);
    /// }
    /// ```
    pub fn stream<M, T>(&self, request: &M) -> Items<T, M::Error>
    where
        M: Method<Output = Vec<T>>,
        T: Serialize + Send + 'static,
    {
        let cursor = if M::REST == 3 {
            Cursor::Page(1)
        } else {
            Cursor::Start(0)
        };
        Items(Box::pin(self.traverse(request, cursor)))
    }

    /// Every item of a list method by keyset paging, the fast mode for large exports
    /// (`start=-1`: the portal skips counting `total`): ordered by the ID ascending, each page
    /// filtered to IDs above the last one seen, ending at the first empty page (a short page may
    /// be a middle one). IDs must strictly increase across the export: a portal that ignores the
    /// order or the filter ends the stream with [`Error::UnexpectedResponse`] instead of losing
    /// items silently.
    ///
    /// No item is lost or repeated when items are added or removed during the export: every item
    /// that exists throughout is returned exactly once, in ID order; items added with a higher ID
    /// than the last seen are included.
    pub fn export<M, T>(&self, request: &M, by: FastExport) -> Items<T, M::Error>
    where
        M: Method<Output = Vec<T>>,
        T: Serialize + Send + 'static,
    {
        Items(Box::pin(self.traverse(request, Cursor::After(by, 0))))
    }

    fn traverse<M, T>(
        &self,
        request: &M,
        cursor: Cursor,
    ) -> impl Stream<Item = Result<T, Error<M::Error>>> + Send + 'static
    where
        M: Method<Output = Vec<T>>,
        T: Serialize + Send + 'static,
    {
        let encoded = request.validate().and_then(|()| {
            serde_json::to_value(request)
                .map_err(|e| InvalidRequest::new("", format!("cannot be encoded as JSON: {e}")))
        });
        let (params, pending) = match encoded {
            Ok(p) => (p, None),
            Err(e) => (Value::Null, Some(e)),
        };
        let state = State {
            client: self.clone(),
            params,
            cursor,
            buffer: VecDeque::new(),
            pending,
        };
        futures_util::stream::unfold(state, |mut st| async move {
            loop {
                if let Some(e) = st.pending.take() {
                    st.cursor = Cursor::Done;
                    return Some((Err(Error::InvalidRequest(e)), st));
                }
                if let Some(item) = st.buffer.pop_front() {
                    return Some((Ok(item), st));
                }
                match next_page::<M, T>(&mut st).await {
                    Ok(true) => continue,
                    Ok(false) => return None,
                    Err(e) => {
                        st.cursor = Cursor::Done;
                        return Some((Err(e), st));
                    }
                }
            }
        })
    }
}

/// Fetches the next page into the buffer; `false` when the traversal is over.
async fn next_page<M, T>(st: &mut State<T>) -> Result<bool, Error<M::Error>>
where
    M: Method<Output = Vec<T>>,
    T: Serialize + Send + 'static,
{
    let mut params = match &st.params {
        Value::Object(map) => map.clone(),
        _ => Map::new(),
    };
    match &st.cursor {
        Cursor::Done => Ok(false),
        Cursor::Start(start) => {
            let start = *start;
            params.insert("start".into(), Value::from(start));
            let page = st
                .client
                .call_params::<M>(Value::Object(params), M::IDEMPOTENT)
                .await?;
            st.cursor = match page.next {
                Some(next) if next > start => Cursor::Start(next),
                Some(next) => {
                    return Err(unexpected(format!(
                        "`next` ({next}) does not advance past `start` ({start})"
                    )))
                }
                None => Cursor::Done,
            };
            let any = !page.result.is_empty();
            st.buffer.extend(page.result);
            Ok(any || !matches!(st.cursor, Cursor::Done))
        }
        Cursor::Page(page) => {
            let page = *page;
            let limit = set_page(&mut params, page);
            let answer = st
                .client
                .call_params::<M>(Value::Object(params), M::IDEMPOTENT)
                .await?;
            let items = answer.result;
            // No `next` in REST 3.0: a page shorter than the limit is the last one.
            st.cursor = if (items.len() as u64) < limit {
                Cursor::Done
            } else {
                Cursor::Page(page + 1)
            };
            let any = !items.is_empty();
            st.buffer.extend(items);
            Ok(any)
        }
        Cursor::After(by, last) => {
            let (by, last) = (by.clone(), *last);
            if M::REST == 3 {
                // The v3 filter is a list of `[field, op, value]` conditions.
                let mut filter = match params.remove(&by.filter_param) {
                    Some(Value::Array(f)) => f,
                    _ => Vec::new(),
                };
                filter.push(serde_json::json!([by.id_field, ">", last]));
                params.insert(by.filter_param.clone(), Value::Array(filter));
                set_page(&mut params, 1);
            } else {
                let mut filter = match params.remove(&by.filter_param) {
                    Some(Value::Object(f)) => f,
                    _ => Map::new(),
                };
                filter.insert(format!(">{}", by.id_field), Value::from(last));
                params.insert(by.filter_param.clone(), Value::Object(filter));
                params.insert("start".into(), Value::from(-1));
            }
            let mut order = Map::new();
            order.insert(by.id_field.clone(), Value::from("ASC"));
            params.insert(by.order_param.clone(), Value::Object(order));
            let page = st
                .client
                .call_params::<M>(Value::Object(params), M::IDEMPOTENT)
                .await?;
            let items = page.result;
            // Each ID must be above the one before it (and the first above the filter's bound):
            // a portal that ignored `order` or the filter would otherwise make the next page's
            // `>last` skip items silently.
            let mut previous = last;
            for item in &items {
                let id = id_of(item, &by.id_field).ok_or_else(|| {
                    unexpected(format!("an item has no numeric `{}`", by.id_field))
                })?;
                if id <= previous {
                    return Err(unexpected(format!(
                        "item `{}` {id} is not above {previous}: the method ignores the ID filter or order",
                        by.id_field
                    )));
                }
                previous = id;
            }
            // Only an empty page ends the export: a short page may be a middle one (a portal that
            // pages by less than 50, or cut a page), and ending there would lose the rest.
            st.cursor = if items.is_empty() {
                Cursor::Done
            } else {
                Cursor::After(by, previous)
            };
            let any = !items.is_empty();
            st.buffer.extend(items);
            Ok(any)
        }
    }
}

/// Sets REST 3.0 `pagination.page`, keeping the request's own `limit` (else [`PAGE_SIZE`]);
/// returns the limit in force.
fn set_page(params: &mut Map<String, Value>, page: u64) -> u64 {
    let mut pagination = match params.remove("pagination") {
        Some(Value::Object(p)) => p,
        _ => Map::new(),
    };
    let limit = pagination
        .get("limit")
        .and_then(Value::as_u64)
        .filter(|l| *l > 0)
        .unwrap_or(PAGE_SIZE as u64);
    pagination.insert("page".into(), Value::from(page));
    pagination.insert("limit".into(), Value::from(limit));
    // The page decides where it starts; an `offset` would shift every page.
    pagination.remove("offset");
    params.insert("pagination".into(), Value::Object(pagination));
    limit
}

fn id_of<T: Serialize>(item: &T, field: &str) -> Option<i64> {
    match serde_json::to_value(item).ok()?.get(field)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn unexpected<E>(reason: String) -> Error<E> {
    Error::UnexpectedResponse(UnexpectedResponse::new(200, reason, b""))
}
