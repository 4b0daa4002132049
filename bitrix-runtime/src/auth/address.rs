//! Portal addresses must be HTTPS; plain HTTP only on this machine (tests, the emulator).

use std::net::IpAddr;

use reqwest::Url;

use crate::error::ConfigError;

/// Parses a portal address and refuses plain `http://` except on loopback.
pub fn check_address(text: &str, what: &'static str) -> Result<Url, ConfigError> {
    let url = Url::parse(text).map_err(|e| ConfigError::BadUrl {
        what,
        reason: e.to_string(),
    })?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => return Err(ConfigError::InsecureUrl { what }),
        other => {
            return Err(ConfigError::BadUrl {
                what,
                reason: format!("scheme `{other}` is not http(s)"),
            })
        }
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(ConfigError::BadUrl {
            what,
            reason: "no host".into(),
        });
    }
    Ok(url)
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_only_on_loopback() {
        assert!(check_address("https://example.bitrix24.com/", "portal").is_ok());
        assert!(check_address("http://127.0.0.1:8080/", "portal").is_ok());
        assert!(check_address("http://[::1]:8080/", "portal").is_ok());
        assert!(check_address("http://localhost/", "portal").is_ok());
        assert!(matches!(
            check_address("http://example.com/", "portal"),
            Err(ConfigError::InsecureUrl { .. })
        ));
        assert!(check_address("ftp://example.com/", "portal").is_err());
    }
}
