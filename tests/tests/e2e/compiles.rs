//! What must compile does: an app's own spec files become typed methods that the runtime's
//! `Client` calls, and keyword names become usable identifiers. Ordinary test code rather than
//! trybuild pass cases, so trybuild only checks its compile-fail cases (`cargo check` of their
//! dependencies, not a second full build).

mod app_own_spec {
    // An app describes its own REST method in a spec file and calls it through `bitrix_rest::Client`
    // (compiled, not sent: no network here).
    mod portal {
        bitrix_macros::include_specs!("app_specs/app_methods");
    }

    use bitrix_rest::{Client, Error, Method};
    use portal::helpdesk::ticket::{self, add};

    async fn open_ticket(client: &Client, title: &str) -> Result<i64, Error<add::Error>> {
        let request = ticket::Add::new(title)
            .priority(add::Priority::High)
            .urgent(true);
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

    #[test]
    fn an_app_spec_compiles_and_names_its_method() {
        let client = Client::webhook("https://example.bitrix24.com/rest/1/secret/").unwrap();
        let _not_sent = open_ticket(&client, "Printer on fire");
        let _also_not_sent = two_calls(&client);
        assert_eq!(<ticket::Add as Method>::NAME, "helpdesk.ticket.add");
        const { assert!(!<ticket::Add as Method>::IDEMPOTENT) };
        let _: fn(&<ticket::Add as Method>::Output) = |id: &i64| {
            let _ = id;
        };
    }
}

mod keyword_names {
    // Keyword names in an app's own spec generate valid identifiers that can be used.
    mod api {
        bitrix_macros::include_specs!("app_specs/keywords");
    }

    use api::r#type::r#match::{Kind, Ref};
    use api::r#type::Match;
    use bitrix_rest::{Arg, Client, Method};

    async fn run(client: &Client) -> Result<Vec<Ref>, bitrix_rest::Error> {
        let request = Match::new(1).r#match("a*");
        Ok(client.call(&request).await?.result)
    }

    #[test]
    fn keyword_names_are_usable_identifiers() {
        let reference = Ref::new("main").r#impl(["Debug"]);
        assert_eq!(reference.r#fn, "main");
        let request = Match::new(1)
            .r#match("a*")
            .r#ref(reference)
            .self_(true)
            .kind(Kind::UnknownValue);
        assert_eq!(request.r#type, Arg::Value(1));
        assert_eq!(
            serde_json::to_value(&request).unwrap(),
            serde_json::json!({
                "type": 1, "match": "a*", "ref": {"fn": "main", "impl": ["Debug"]}, "self": "Y",
                "kind": "UNKNOWN"
            })
        );
        // The listed value `UNKNOWN` and a value the spec does not list stay apart.
        assert_eq!(Kind::from("UNKNOWN"), Kind::UnknownValue);
        assert_eq!(Kind::from("Self"), Kind::Self_);
        assert_eq!(Kind::from("type"), Kind::Type);
        assert_eq!(Kind::from("other"), Kind::Unknown("other".to_string()));
        assert_eq!(<Match as Method>::NAME, "type.match");
        match api::r#type::r#match::Error::Type {
            api::r#type::r#match::Error::Type => {}
            _ => unreachable!(),
        }
        let _ = run;
    }
}
