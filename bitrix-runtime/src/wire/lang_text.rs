//! `lang_text`: a text, or the same text by language code.
//!
//! Portals take a label either as one text (`"EDIT_FORM_LABEL": "Label"`) or per language
//! (`{"en": "Label", "de": "Bezeichnung"}`), and answer with whichever form the module keeps. The
//! value is sent in the form the caller gave and read in either form.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::lenient::Lenient;

/// A text, or a text per language code (`"en"`, `"de"`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LangText {
    /// One text for every language.
    Text(String),
    /// Language code -> text (a language the answer gives as `null` is left out).
    ByLang(BTreeMap<String, String>),
}

impl LangText {
    /// The text for `lang`: the one text when there is no split by language, else that
    /// language's entry (`None` when it has none).
    pub fn for_lang(&self, lang: &str) -> Option<&str> {
        match self {
            LangText::Text(t) => Some(t),
            LangText::ByLang(m) => m.get(lang).map(String::as_str),
        }
    }

    /// Builds the per-language form from `(code, text)` pairs.
    pub fn by_lang<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        LangText::ByLang(
            pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }
}

impl From<&str> for LangText {
    fn from(text: &str) -> Self {
        LangText::Text(text.to_string())
    }
}

impl From<String> for LangText {
    fn from(text: String) -> Self {
        LangText::Text(text)
    }
}

impl From<BTreeMap<String, String>> for LangText {
    fn from(by_lang: BTreeMap<String, String>) -> Self {
        LangText::ByLang(by_lang)
    }
}

impl fmt::Display for LangText {
    /// The one text, or the entries as `en: …; de: …`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LangText::Text(t) => f.write_str(t),
            LangText::ByLang(m) => {
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    write!(f, "{k}: {v}")?;
                }
                Ok(())
            }
        }
    }
}

impl Serialize for LangText {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            LangText::Text(t) => s.serialize_str(t),
            LangText::ByLang(m) => m.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for LangText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Self::deserialize_lenient(d)
    }
}

impl Lenient for LangText {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Self::from_value(Value::deserialize(d)?).map_err(D::Error::custom)
    }

    fn from_value(value: Value) -> Result<Self, serde_json::Error> {
        match value {
            // A language whose text is `null` has none (`{"de": null, "en": "Label"}`).
            Value::Object(map) => map
                .into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| match String::from_value(v) {
                    Ok(v) => Ok((k, v)),
                    Err(e) => Err(serde_json::Error::custom(format_args!("`{k}`: {e}"))),
                })
                .collect::<Result<_, _>>()
                .map(LangText::ByLang),
            // PHP's empty object.
            Value::Array(a) if a.is_empty() => Ok(LangText::ByLang(BTreeMap::new())),
            Value::Array(_) | Value::Null => Err(serde_json::Error::custom(format_args!(
                "expected a text or an object of texts by language code, found {}",
                if value.is_null() { "null" } else { "a list" }
            ))),
            // A text, or a number or `false` read as text the way `string` reads them.
            other => String::from_value(other).map(LangText::Text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn decodes_a_text_or_texts_by_language() {
        assert_eq!(
            LangText::from_value(json!("Label")).unwrap(),
            LangText::from("Label")
        );
        let by = LangText::from_value(json!({"en": "Label", "de": "Name"})).unwrap();
        assert_eq!(by, LangText::by_lang([("de", "Name"), ("en", "Label")]));
        assert_eq!(by.for_lang("de"), Some("Name"));
        assert_eq!(by.for_lang("fr"), None);
        assert_eq!(LangText::from("x").for_lang("fr"), Some("x"));
        // Numbers read as their digits, `[]` as no translations.
        assert_eq!(LangText::from_value(json!(7)).unwrap(), LangText::from("7"));
        assert_eq!(
            LangText::from_value(json!([])).unwrap(),
            LangText::ByLang(BTreeMap::new())
        );
        // A language without a text (portals answer `null` for it) is left out.
        assert_eq!(
            LangText::from_value(json!({"de": null, "en": "Label"})).unwrap(),
            LangText::by_lang([("en", "Label")])
        );
        // Through serde, as a plain `Deserialize` (`Option<LangText>` fields of `any` maps).
        let plain: LangText = serde_json::from_str(r#"{"en":"a"}"#).unwrap();
        assert_eq!(plain, LangText::by_lang([("en", "a")]));
    }

    #[test]
    fn refuses_what_is_neither() {
        let e = LangText::from_value(json!(["a"])).unwrap_err().to_string();
        assert!(e.contains("found a list"), "{e}");
        assert!(LangText::from_value(json!(null)).is_err());
        let e = LangText::from_value(json!({"en": {"x": 1}}))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("`en`: "), "{e}");
    }

    #[test]
    fn encodes_as_given_in_json_and_brackets() {
        let body = json!({
            "ONE": LangText::from("Label"),
            "BY": LangText::by_lang([("en", "Label"), ("de", "Name")]),
        });
        assert_eq!(
            body,
            json!({"ONE": "Label", "BY": {"de": "Name", "en": "Label"}})
        );
        assert_eq!(
            crate::wire::query::encode(&body),
            "BY[de]=Name&BY[en]=Label&ONE=Label"
        );
        for v in [body["ONE"].clone(), body["BY"].clone()] {
            let back = LangText::from_value(v.clone()).unwrap();
            assert_eq!(serde_json::to_value(&back).unwrap(), v);
        }
    }
}
