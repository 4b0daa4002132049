// Keyword names in an app's own spec generate valid identifiers that can be used.
mod api {
    bitrix_macros::include_specs!("ui/specs/keywords");
}

use api::r#type::r#match::{Kind, Ref};
use api::r#type::Match;
use bitrix_rest::{Arg, Client, Method};

async fn run(client: &Client) -> Result<Vec<Ref>, bitrix_rest::Error> {
    let request = Match::new(1).r#match("a*");
    Ok(client.call(&request).await?.result)
}

fn main() {
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
