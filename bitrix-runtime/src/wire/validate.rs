//! Checks run before a request is sent, so a call that cannot succeed fails without a round trip.

use std::collections::BTreeMap;

use crate::error::InvalidRequest;

/// A value with rules that can be checked locally (generated for every struct of a spec).
pub trait Validate {
    /// Checks the value; `path` names it in the error (`FIELDS.LANG[0]`).
    fn validate_at(&self, path: &str) -> Result<(), InvalidRequest>;
}

impl<T: Validate> Validate for Option<T> {
    fn validate_at(&self, path: &str) -> Result<(), InvalidRequest> {
        self.as_ref().map_or(Ok(()), |v| v.validate_at(path))
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_at(&self, path: &str) -> Result<(), InvalidRequest> {
        self.iter()
            .enumerate()
            .try_for_each(|(i, v)| v.validate_at(&format!("{path}[{i}]")))
    }
}

impl<T: Validate> Validate for BTreeMap<String, T> {
    fn validate_at(&self, path: &str) -> Result<(), InvalidRequest> {
        self.iter()
            .try_for_each(|(k, v)| v.validate_at(&join_path(path, k)))
    }
}

/// `FIELDS` + `LANG` = `FIELDS.LANG`; the top level has an empty path.
pub fn join_path(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Values holding URLs (`url` fields, possibly optional or in lists).
pub trait UrlField {
    /// Checks every URL in the value.
    fn check_urls(&self, path: &str) -> Result<(), InvalidRequest>;
}

impl UrlField for String {
    fn check_urls(&self, path: &str) -> Result<(), InvalidRequest> {
        let lower = self.to_ascii_lowercase();
        let rest = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"));
        match rest {
            Some(host) if !host.is_empty() && !host.starts_with('/') => Ok(()),
            _ => Err(InvalidRequest::new(
                path,
                format!("must be an http:// or https:// address, got \"{self}\""),
            )),
        }
    }
}

impl<T: UrlField> UrlField for Option<T> {
    fn check_urls(&self, path: &str) -> Result<(), InvalidRequest> {
        self.as_ref().map_or(Ok(()), |v| v.check_urls(path))
    }
}

impl<T: UrlField> UrlField for Vec<T> {
    fn check_urls(&self, path: &str) -> Result<(), InvalidRequest> {
        self.iter()
            .enumerate()
            .try_for_each(|(i, v)| v.check_urls(&format!("{path}[{i}]")))
    }
}

impl<T: UrlField> UrlField for BTreeMap<String, T> {
    fn check_urls(&self, path: &str) -> Result<(), InvalidRequest> {
        self.iter()
            .try_for_each(|(k, v)| v.check_urls(&join_path(path, k)))
    }
}

/// Entry point used by generated code for `url` fields.
pub fn check_url<T: UrlField>(value: &T, path: &str) -> Result<(), InvalidRequest> {
    value.check_urls(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_must_be_http_or_https() {
        assert!(check_url(&"https://example.com/h".to_string(), "U").is_ok());
        assert!(check_url(&Some("http://127.0.0.1:8080/".to_string()), "U").is_ok());
        let err = check_url(&"ftp://example.com".to_string(), "FIELDS.U").unwrap_err();
        assert_eq!(err.path(), "FIELDS.U");
        assert!(check_url(&"https://".to_string(), "U").is_err());
    }
}
