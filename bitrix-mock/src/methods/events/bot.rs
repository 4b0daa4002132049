//! The bot family's events: a simulated user writes to a bot and the emulator POSTs the event to
//! the handler the bot registered (`imbot.register`, `imbot.command.register`), not to
//! `event.bind` handlers.

use std::time::Duration;

use serde_json::{json, Map, Value};

use crate::events::wire::{encode, invalid, post};
use crate::events::DeliveryReport;
use crate::state::Shared;

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

/// POSTs a bot event and reads the answer; the handler has 30 s.
pub(crate) async fn deliver(out: Outgoing) -> std::io::Result<DeliveryReport> {
    let (status, body) = post(&out.url, &out.body, Duration::from_secs(30)).await?;
    Ok(DeliveryReport {
        event: out.event.to_string(),
        url: out.url,
        status,
        body,
        message_id: out.message_id,
        handler_id: 0,
        error: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_words_split_on_characters() {
        assert_eq!(split_command(" éé"), Some(("éé", "")));
        assert_eq!(
            split_command("échо привет мир "),
            Some(("échо", "привет мир"))
        );
        assert_eq!(split_command("   "), None);
    }
}
