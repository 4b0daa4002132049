// An app describes its own REST method in a spec file and calls it through `bitrix_rest::Client`
// (compiled, not sent: no network here).
mod portal {
    bitrix_macros::include_specs!("ui/specs/app_methods");
}

use bitrix_rest::{Client, Error, Method};
use portal::helpdesk::ticket::{self, add};

async fn open_ticket(client: &Client, title: &str) -> Result<i64, Error<add::Error>> {
    let request = ticket::Add::new(title).priority(add::Priority::High).urgent(true);
    match client.call(&request).await {
        Ok(response) => Ok(response.result),
        Err(Error::Method(e)) if e.kind == add::Error::TitleEmpty => {
            Box::pin(open_ticket(client, "(no title)")).await
        }
        Err(e) => Err(e),
    }
}

/// Every method's error converts into the common one with `?`.
async fn two_calls(client: &Client) -> Result<i64, Error> {
    let first = client.call(&ticket::Add::new("one")).await?.result;
    let second = open_ticket(client, "two").await?;
    Ok(first + second)
}

fn main() {
    let client = Client::webhook("https://example.bitrix24.com/rest/1/secret/").unwrap();
    let _not_sent = open_ticket(&client, "Printer on fire");
    let _also_not_sent = two_calls(&client);
    assert_eq!(<ticket::Add as Method>::NAME, "helpdesk.ticket.add");
    assert!(!<ticket::Add as Method>::IDEMPOTENT);
    let _: fn(&<ticket::Add as Method>::Output) = |id: &i64| {
        let _ = id;
    };
}
