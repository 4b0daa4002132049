// Keyword names in an app's own spec generate valid identifiers that can be used.
mod api {
    bitrix_macros::include_specs!("ui/specs/keywords", client_trait = "KeywordMethods");
}

use api::r#type::{KeywordMethods, TypeMatch, TypeMatchError, TypeMatchKind, TypeMatchRef};
use bitrix_rest::{Client, Method};

async fn run(client: &Client) -> Result<Vec<TypeMatchRef>, bitrix_rest::Error<TypeMatchError>> {
    let request = TypeMatch::new(1).r#match("a*");
    Ok(client.type_match(&request).await?.result)
}

fn main() {
    let reference = TypeMatchRef::new("main").r#impl(vec!["Debug".to_string()]);
    assert_eq!(reference.r#fn, "main");
    let request = TypeMatch::new(1)
        .r#match("a*")
        .r#ref(reference)
        .self_(true)
        .kind(TypeMatchKind::UnknownValue);
    assert_eq!(request.r#type, 1);
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        serde_json::json!({
            "type": 1, "match": "a*", "ref": {"fn": "main", "impl": ["Debug"]}, "self": "Y",
            "kind": "UNKNOWN"
        })
    );
    // The listed value `UNKNOWN` and a value the spec does not list stay apart.
    assert_eq!(TypeMatchKind::from("UNKNOWN"), TypeMatchKind::UnknownValue);
    assert_eq!(TypeMatchKind::from("Self"), TypeMatchKind::Self_);
    assert_eq!(TypeMatchKind::from("type"), TypeMatchKind::Type);
    assert_eq!(
        TypeMatchKind::from("other"),
        TypeMatchKind::Unknown("other".to_string())
    );
    assert_eq!(<TypeMatch as Method>::NAME, "type.match");
    match TypeMatchError::TypeError {
        TypeMatchError::TypeError => {}
        _ => unreachable!(),
    }
    let _ = run;
}
