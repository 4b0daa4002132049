// An app describes its own REST method in a spec file and calls it through `bitrix_rest::Client`
// with the generated extension trait (compiled, not sent: no network here).
mod portal {
    bitrix_macros::include_specs!("ui/specs/app_methods", client_trait = "HelpdeskMethods");
}

use bitrix_rest::{Client, Error, Method};
use portal::helpdesk::{
    HelpdeskMethods, HelpdeskTicketAdd, HelpdeskTicketAddError, HelpdeskTicketAddPriority,
};

async fn open_ticket(client: &Client, title: &str) -> Result<i64, Error<HelpdeskTicketAddError>> {
    let request = HelpdeskTicketAdd::new(title)
        .priority(HelpdeskTicketAddPriority::High)
        .urgent(true);
    match client.helpdesk_ticket_add(&request).await {
        Ok(response) => Ok(response.result),
        Err(Error::Method(e)) if e.kind == HelpdeskTicketAddError::TitleEmpty => {
            Box::pin(open_ticket(client, "(no title)")).await
        }
        Err(e) => Err(e),
    }
}

fn main() {
    let client = Client::webhook("https://example.bitrix24.com/rest/1/secret/").unwrap();
    let _not_sent = open_ticket(&client, "Printer on fire");
    assert_eq!(<HelpdeskTicketAdd as Method>::NAME, "helpdesk.ticket.add");
    assert!(!<HelpdeskTicketAdd as Method>::IDEMPOTENT);
    let _: fn(&<HelpdeskTicketAdd as Method>::Output) = |id: &i64| {
        let _ = id;
    };
}
