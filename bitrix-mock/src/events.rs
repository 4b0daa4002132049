//! Outgoing events: a simulated user writes to a bot and the emulator POSTs the event to the
//! handler the bot registered, as Bitrix24 does: form-encoded with PHP bracket keys
//! (`data[PARAMS][MESSAGE]`, `auth[application_token]`), every scalar as text.
//!
//! Only `http://` handlers on loopback addresses are called, so tests never reach the network.

use std::time::Duration;

use serde_json::{json, Map, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::state::Shared;

/// What happened to one delivered event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryReport {
    /// The event sent, e.g. `ONIMCOMMANDADD`.
    pub event: String,
    /// The handler address it was POSTed to.
    pub url: String,
    /// The HTTP status the handler answered.
    pub status: u16,
    /// The handler's response body (as received, lossily decoded).
    pub body: String,
    /// The ID the emulator gave the user's message (`MESSAGE_ID`).
    pub message_id: u64,
}

/// What the simulated user wrote and which handler gets it.
pub(crate) struct Outgoing {
    pub event: &'static str,
    pub url: String,
    pub body: String,
    pub message_id: u64,
}

/// The user the emulator writes as (the webhook's user).
const USER_NAME: (&str, &str) = ("Emulated", "User");

/// Builds the event for `text` written to bot `bot_id` in a private chat: `ONIMCOMMANDADD` when
/// the text is `/word …` and the bot has that command, `ONIMBOTMESSAGEADD` otherwise.
pub(crate) fn prepare(shared: &Shared, bot_id: u64, text: &str) -> std::io::Result<Outgoing> {
    let now = shared.clock.now() as i64;
    let mut data = shared.data();
    let bot = data
        .bots
        .bots
        .iter()
        .find(|b| b.id == bot_id)
        .cloned()
        .ok_or_else(|| invalid(format!("no bot with ID {bot_id}")))?;
    let command = text.strip_prefix('/').and_then(|rest| {
        let (word, params) = split_command(rest)?;
        let cmd = data
            .bots
            .commands
            .iter()
            .find(|c| c.bot_id == bot_id && c.command.eq_ignore_ascii_case(word))?
            .clone();
        Some((cmd, params.to_string()))
    });
    let message_id = data.bots.next_message;
    data.bots.next_message += 1;
    let creds = data.tokens.creds.clone();
    let member_id = data.tokens.member_id.clone();
    drop(data);

    let portal = shared.portal_url();
    let domain = shared.addr.to_string();
    let user_id = creds.webhook_user_id;
    let auth = |user: u64| {
        json!({
            "access_token": creds.access_token,
            "expires": (now + 3600).to_string(),
            "expires_in": "3600",
            "scope": "imbot",
            "domain": domain,
            "server_endpoint": format!("{portal}rest/"),
            "status": "L",
            "client_endpoint": format!("{portal}rest/"),
            "member_id": member_id,
            "user_id": user.to_string(),
            "refresh_token": creds.refresh_token,
            "application_token": creds.application_token,
        })
    };
    let bot_entry = |extra: Value| {
        let mut entry = auth(bot.id);
        if let (Value::Object(e), Value::Object(x)) = (&mut entry, extra) {
            e.insert("client_id".into(), json!(creds.client_id));
            e.insert("AUTH".into(), auth(bot.id));
            e.insert("BOT_ID".into(), json!(bot.id.to_string()));
            e.insert("BOT_CODE".into(), json!(bot.code));
            e.extend(x);
        }
        entry
    };
    let params = json!({
        "MESSAGE": text,
        "TEMPLATE_ID": format!("emulator-{message_id}"),
        "MESSAGE_TYPE": "P",
        "FROM_USER_ID": user_id.to_string(),
        "DIALOG_ID": user_id.to_string(),
        "TO_CHAT_ID": (1000 + bot.id).to_string(),
        "AUTHOR_ID": user_id.to_string(),
        "SYSTEM": "N",
        "TO_USER_ID": bot.id.to_string(),
        "SKIP_COMMAND": "N",
        "COMMAND_CONTEXT": "TEXTAREA",
        "MESSAGE_ID": message_id.to_string(),
        "CHAT_TYPE": "P",
        "LANGUAGE": "en",
    });
    let user = json!({
        "ID": user_id.to_string(),
        "NAME": format!("{} {}", USER_NAME.0, USER_NAME.1),
        "FIRST_NAME": USER_NAME.0,
        "LAST_NAME": USER_NAME.1,
        "GENDER": "M",
    });
    let (event, url, data) = match command {
        Some((cmd, args)) => {
            let entry = bot_entry(json!({
                "COMMAND": cmd.command,
                "COMMAND_ID": cmd.id.to_string(),
                "COMMAND_PARAMS": args,
                "COMMAND_CONTEXT": "TEXTAREA",
                "MESSAGE_ID": message_id.to_string(),
            }));
            let mut commands = Map::new();
            commands.insert(cmd.id.to_string(), entry);
            let data = json!({ "COMMAND": commands, "PARAMS": params, "USER": user });
            ("ONIMCOMMANDADD", cmd.event_command_add, data)
        }
        None => {
            let url = bot
                .handlers
                .get("EVENT_MESSAGE_ADD")
                .cloned()
                .ok_or_else(|| invalid(format!("bot {bot_id} has no EVENT_MESSAGE_ADD handler")))?;
            let mut bots = Map::new();
            bots.insert(bot.id.to_string(), bot_entry(json!({})));
            let data = json!({ "BOT": bots, "PARAMS": params, "USER": user });
            ("ONIMBOTMESSAGEADD", url, data)
        }
    };
    let body = json!({
        "event": event,
        "event_handler_id": "1",
        "data": data,
        "ts": now.to_string(),
        "auth": auth(user_id),
    });
    Ok(Outgoing {
        event,
        url,
        body: encode(&body),
        message_id,
    })
}

/// Splits the text after `/` into the command word and its parameters. The word is found by its
/// position in the text itself, not by its length in another string, so that leading spaces and
/// multi-byte letters (`/ éé`) cannot put a slice inside a character.
fn split_command(rest: &str) -> Option<(&str, &str)> {
    let trimmed = rest.trim_start();
    let end = trimmed.find(char::is_whitespace).unwrap_or(trimmed.len());
    let word = &trimmed[..end];
    (!word.is_empty()).then(|| (word, trimmed[end..].trim()))
}

/// POSTs the event and reads the answer.
pub(crate) async fn deliver(out: Outgoing) -> std::io::Result<DeliveryReport> {
    let (host, path) = loopback_target(&out.url)?;
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: Bitrix24 Webhook Engine (emulator)\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
        out.body.len(),
        out.body
    );
    let exchange = async {
        let mut stream = tokio::net::TcpStream::connect(&host).await?;
        stream.write_all(request.as_bytes()).await?;
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await?;
        Ok::<_, std::io::Error>(answer)
    };
    let answer = tokio::time::timeout(Duration::from_secs(30), exchange)
        .await
        .map_err(|_| {
            std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the handler did not answer in 30 s",
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
    Ok(DeliveryReport {
        event: out.event.to_string(),
        url: out.url,
        status,
        body,
        message_id: out.message_id,
    })
}

/// `http://127.0.0.1:8080/path?q` -> (`127.0.0.1:8080`, `/path?q`); anything not on loopback is refused.
fn loopback_target(url: &str) -> std::io::Result<(String, String)> {
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

fn invalid(message: String) -> std::io::Error {
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
    fn command_words_split_on_characters() {
        assert_eq!(split_command(" éé"), Some(("éé", "")));
        assert_eq!(
            split_command("échо привет мир "),
            Some(("échо", "привет мир"))
        );
        assert_eq!(split_command("   "), None);
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
