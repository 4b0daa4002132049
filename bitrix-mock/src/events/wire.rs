//! The wire of outgoing events: the form body in PHP brackets, as Bitrix24 POSTs it, and one
//! POST to a loopback handler with a deadline and a bounded answer.
//!
//! Only `http://` handlers on loopback addresses are called, so tests never reach the network.

use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The most of a handler's answer kept; the rest is read and dropped.
const ANSWER_LIMIT: usize = 64 * 1024;

/// POSTs `body` (a form) to `url` and answers the status and (bounded) body of the handler's
/// answer. A handler that does not answer within `timeout` is a `TimedOut` error.
pub(crate) async fn post(
    url: &str,
    body: &str,
    timeout: Duration,
) -> std::io::Result<(u16, String)> {
    let (host, path) = loopback_target(url)?;
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: Bitrix24 Webhook Engine (emulator)\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
        body.len(),
        body
    );
    let exchange = async {
        let mut stream = tokio::net::TcpStream::connect(&host).await?;
        stream.write_all(request.as_bytes()).await?;
        let mut answer = Vec::new();
        let mut chunk = [0u8; 8192];
        loop {
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                break;
            }
            let room = ANSWER_LIMIT.saturating_sub(answer.len());
            answer.extend_from_slice(&chunk[..n.min(room)]);
        }
        Ok::<_, std::io::Error>(answer)
    };
    let answer = tokio::time::timeout(timeout, exchange)
        .await
        .map_err(|_| {
            std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                format!("the handler did not answer in {timeout:?}"),
            )
        })??;
    let text = String::from_utf8_lossy(&answer);
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| invalid("the handler's answer is not HTTP".to_string()))?;
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Ok((status, body))
}

/// `http://127.0.0.1:8080/path?q` -> (`127.0.0.1:8080`, `/path?q`); anything not on loopback is refused.
pub(crate) fn loopback_target(url: &str) -> std::io::Result<(String, String)> {
    let rest = url.strip_prefix("http://").ok_or_else(|| {
        invalid(format!(
            "the emulator only calls http:// handlers on loopback, not `{url}`"
        ))
    })?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let host = match authority.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || authority.starts_with('[') => {
            if p.parse::<u16>().is_err() {
                return Err(invalid(format!("bad port in `{url}`")));
            }
            h
        }
        _ => authority,
    };
    let loopback = matches!(host, "localhost" | "[::1]")
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback());
    if !loopback {
        return Err(invalid(format!(
            "the emulator only calls handlers on loopback, not `{url}`"
        )));
    }
    let authority = if authority.contains(':') && !authority.ends_with(']') {
        authority.to_string()
    } else {
        format!("{authority}:80")
    };
    Ok((
        authority.replace("localhost", "127.0.0.1"),
        path.to_string(),
    ))
}

pub(crate) fn invalid(message: String) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidInput, message)
}

/// Form encoding as PHP's `http_build_query` writes it.
pub(crate) fn encode(value: &Value) -> String {
    fn walk(key: String, v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => m
                .iter()
                .for_each(|(k, v)| walk(format!("{key}[{k}]"), v, out)),
            Value::Array(a) => a
                .iter()
                .enumerate()
                .for_each(|(i, v)| walk(format!("{key}[{i}]"), v, out)),
            Value::String(s) => out.push(format!("{}={}", escape(&key), escape(s))),
            Value::Bool(b) => out.push(format!("{}={}", escape(&key), u8::from(*b))),
            Value::Null => out.push(format!("{}=", escape(&key))),
            n => out.push(format!("{}={}", escape(&key), n)),
        }
    }
    let mut out = Vec::new();
    if let Value::Object(m) = value {
        m.iter().for_each(|(k, v)| walk(k.clone(), v, &mut out));
    }
    out.join("&")
}

fn escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_loopback_http_targets() {
        assert_eq!(
            loopback_target("http://127.0.0.1:8080/bot?x=1").unwrap(),
            ("127.0.0.1:8080".into(), "/bot?x=1".into())
        );
        assert_eq!(
            loopback_target("http://localhost/").unwrap().0,
            "127.0.0.1:80"
        );
        for bad in [
            "https://127.0.0.1/",
            "http://example.com/bot",
            "http://10.0.0.1:80/",
            "ftp://x",
        ] {
            assert!(loopback_target(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn encodes_php_brackets() {
        let v = json!({"data": {"PARAMS": {"MESSAGE": "/echo hi&you"}}, "auth": {"application_token": "t"}});
        assert_eq!(
            encode(&v),
            "auth%5Bapplication_token%5D=t&data%5BPARAMS%5D%5BMESSAGE%5D=%2Fecho+hi%26you"
        );
    }
}
