//! The one extension the generic store does not cover: the legacy bot and command family. Bots
//! and commands belong to the application that registered them (ownership checks answer
//! `APP_ID_ERROR`), registering a known code gives back the existing bot, commands must point at a
//! registered bot, and replies land in a chat log that `Emulator::user_writes` events complete.
//! The imbot specs carry no `[state]` for this, so it is code; everything else is in the specs.
//! The portal checks these methods in its own order (owner first, then each parameter), so
//! presence is checked here and the rows are named by code and, where rows share a code, variant.

use bitrix_codegen::Method;
use serde_json::{json, Map, Value};

use crate::bots::{Bot, BotState as Data, ChatMessage, Command};
use crate::envelope::{ApiError, Success};
use crate::params::{flag, int, is_http_url, text};
use crate::problem::row;
use crate::state::Caller;

/// The methods this module answers.
pub const METHODS: [&str; 8] = [
    "imbot.register",
    "imbot.unregister",
    "imbot.bot.list",
    "imbot.command.register",
    "imbot.command.unregister",
    "imbot.command.update",
    "imbot.command.answer",
    "imbot.message.add",
];

/// The row of `code` (of `variant` where rows share the code), 400 when the spec lacks it.
fn spec_error(method: &Method, code: &str, variant: Option<&str>) -> ApiError {
    row(method, code, variant, (400, ""))
}

type Params = Map<String, Value>;
type Answer = Result<Success, ApiError>;

/// Runs `method` when it has emulated state; `None` lets the generic answer reply.
pub fn handle(method: &Method, caller: &Caller, p: &Params, data: &mut Data) -> Option<Answer> {
    let owner = || owner(method, caller, p);
    Some(match method.name.as_str() {
        "imbot.register" => owner().and_then(|o| register(method, &o, p, data)),
        "imbot.unregister" => owner().and_then(|o| unregister(method, &o, p, data)),
        "imbot.bot.list" => Ok(bot_list(data)),
        "imbot.command.register" => owner().and_then(|o| command_register(method, &o, p, data)),
        "imbot.command.unregister" => owner().and_then(|o| command_unregister(method, &o, p, data)),
        "imbot.command.update" => owner().and_then(|o| command_update(method, &o, p, data)),
        "imbot.command.answer" => owner().and_then(|o| command_answer(method, &o, p, data)),
        "imbot.message.add" => owner().and_then(|o| message_add(method, &o, p, data)),
        _ => return None,
    })
}

/// The owning application: an OAuth app's `client_id`, or the webhook's `CLIENT_ID`.
fn owner(method: &Method, caller: &Caller, p: &Params) -> Result<String, ApiError> {
    if let Some(id) = &caller.client_id {
        return Ok(id.clone());
    }
    match text(p, "CLIENT_ID").filter(|s| !s.is_empty()) {
        Some(id) => Ok(id),
        // Access rows are 403 where a spec does not document the row.
        None => Err(row(
            method,
            "ACCESS_DENIED",
            None,
            (403, "Access denied! Client ID not specified"),
        )),
    }
}

fn register(method: &Method, owner: &str, p: &Params, data: &mut Data) -> Answer {
    let code = text(p, "CODE").unwrap_or_default();
    if code.is_empty() {
        return Err(spec_error(method, "CODE_ERROR", None));
    }
    let common = text(p, "EVENT_HANDLER");
    let mut handlers = std::collections::BTreeMap::new();
    // (parameter, the row when it is missing (`None`: optional), the row when it is no URL)
    let rules = [
        (
            "EVENT_MESSAGE_ADD",
            Some("MessageAddHandlerMissing"),
            Some("MessageAddHandlerInvalid"),
        ),
        (
            "EVENT_WELCOME_MESSAGE",
            Some("WelcomeMessageHandlerMissing"),
            Some("WelcomeMessageHandlerInvalid"),
        ),
        (
            "EVENT_BOT_DELETE",
            Some("BotDeleteHandlerMissing"),
            Some("BotDeleteHandlerInvalid"),
        ),
        ("EVENT_MESSAGE_UPDATE", None, None),
        ("EVENT_MESSAGE_DELETE", None, None),
    ];
    for (key, missing, invalid) in rules {
        let value = common.clone().or_else(|| text(p, key));
        let code = format!("{key}_ERROR");
        match value {
            None if missing.is_some() => return Err(spec_error(method, &code, missing)),
            None => {}
            Some(url) if !is_http_url(&url) => return Err(spec_error(method, &code, invalid)),
            Some(url) => {
                handlers.insert(key.to_string(), url);
            }
        }
    }
    let props = p.get("PROPERTIES").cloned().unwrap_or(json!({}));
    let named = ["NAME", "LAST_NAME"].iter().any(|k| {
        props
            .get(k)
            .and_then(Value::as_str)
            .is_some_and(|s| !s.is_empty())
    });
    if !named {
        return Err(spec_error(method, "NAME_ERROR", None));
    }
    if let Some(existing) = data
        .bots
        .iter()
        .find(|b| b.code == code && b.owner == owner)
    {
        // Registering the same code again gives back the existing bot, as the portal does.
        return Ok(Success::of(json!(existing.id)));
    }
    if data.bots.iter().filter(|b| b.owner == owner).count() >= 5 {
        let mut e = spec_error(method, "MAX_COUNT_ERROR", None);
        e.description = "Has reached the maximum number of bots for application (max: 5)".into();
        return Err(e);
    }
    let bot_type = text(p, "TYPE").unwrap_or_else(|| "B".into());
    let openline = bot_type == "O" || p.get("OPENLINE").is_some_and(flag);
    let id = data.add_bot(Bot {
        id: 0,
        code,
        owner: owner.into(),
        bot_type,
        openline,
        handlers,
        properties: props,
    });
    Ok(Success::of(json!(id)))
}

fn unregister(method: &Method, owner: &str, p: &Params, data: &mut Data) -> Answer {
    let id = int(p, "BOT_ID").unwrap_or(0);
    let Some(bot) = data.bots.iter().find(|b| b.id as i64 == id) else {
        return Err(spec_error(method, "BOT_ID_ERROR", None));
    };
    if bot.owner != owner {
        return Err(spec_error(method, "APP_ID_ERROR", None));
    }
    data.bots.retain(|b| b.id as i64 != id);
    data.commands.retain(|c| c.bot_id as i64 != id);
    Ok(Success::of(json!(true)))
}

fn bot_list(data: &Data) -> Success {
    let map: Map<String, Value> = data
        .bots
        .iter()
        .map(|b| {
            let name = b
                .properties
                .get("NAME")
                .and_then(Value::as_str)
                .unwrap_or("");
            (
                b.id.to_string(),
                json!({
                    "ID": b.id,
                    "NAME": name,
                    "CODE": b.code,
                    "OPENLINE": if b.openline { "Y" } else { "N" },
                }),
            )
        })
        .collect();
    Success::of(crate::envelope::php_map(map))
}

fn command_register(method: &Method, owner: &str, p: &Params, data: &mut Data) -> Answer {
    let bot_id = int(p, "BOT_ID").unwrap_or(0);
    let Some(bot) = data.bots.iter().find(|b| b.id as i64 == bot_id) else {
        return Err(spec_error(method, "BOT_ID_ERROR", None));
    };
    if bot.owner != owner {
        return Err(spec_error(method, "APP_ID_ERROR", None));
    }
    let word = text(p, "COMMAND").unwrap_or_default();
    if word.is_empty() {
        return Err(spec_error(method, "COMMAND_ERROR", None));
    }
    let handler = text(p, "EVENT_COMMAND_ADD").unwrap_or_default();
    if handler.is_empty() {
        return Err(spec_error(
            method,
            "EVENT_COMMAND_ADD_ERROR",
            Some("HandlerMissing"),
        ));
    }
    if !is_http_url(&handler) {
        return Err(spec_error(
            method,
            "EVENT_COMMAND_ADD_ERROR",
            Some("HandlerInvalid"),
        ));
    }
    let lang = p.get("LANG").cloned().unwrap_or(json!([]));
    if lang.as_array().is_none_or(Vec::is_empty) {
        return Err(spec_error(method, "LANG_ERROR", None));
    }
    let id = data.add_command(Command {
        id: 0,
        bot_id: bot_id as u64,
        owner: owner.into(),
        command: word,
        event_command_add: handler,
        hidden: p.get("HIDDEN").is_some_and(flag),
        extranet_support: p.get("EXTRANET_SUPPORT").is_some_and(flag),
        common: p.get("COMMON").is_some_and(flag),
        lang,
    });
    Ok(Success::of(json!(id)))
}

/// The command `COMMAND_ID` names, checked against the owner.
fn owned_command<'a>(
    method: &Method,
    owner: &str,
    id: Option<i64>,
    data: &'a mut Data,
) -> Result<&'a mut Command, ApiError> {
    let id = id.unwrap_or(0);
    let Some(cmd) = data.commands.iter_mut().find(|c| c.id as i64 == id) else {
        return Err(spec_error(method, "COMMAND_ID_ERROR", None));
    };
    if cmd.owner != owner {
        return Err(spec_error(method, "APP_ID_ERROR", None));
    }
    Ok(cmd)
}

fn command_unregister(method: &Method, owner: &str, p: &Params, data: &mut Data) -> Answer {
    let id = owned_command(method, owner, int(p, "COMMAND_ID"), data)?.id;
    data.commands.retain(|c| c.id != id);
    Ok(Success::of(json!(true)))
}

fn command_update(method: &Method, owner: &str, p: &Params, data: &mut Data) -> Answer {
    let cmd = owned_command(method, owner, int(p, "COMMAND_ID"), data)?;
    let empty = Map::new();
    let fields = p.get("FIELDS").and_then(Value::as_object).unwrap_or(&empty);
    // Collect the change first: a refused update must leave the command as it was.
    let mut next = cmd.clone();
    let mut changed = false;
    if let Some(url) = fields.get("EVENT_COMMAND_ADD") {
        let url = url.as_str().unwrap_or("");
        if !is_http_url(url) {
            return Err(spec_error(method, "EVENT_COMMAND_ADD_ERROR", None));
        }
        next.event_command_add = url.into();
        changed = true;
    }
    if let Some(word) = text(fields, "COMMAND") {
        next.command = word;
        changed = true;
    }
    if let Some(v) = fields.get("HIDDEN") {
        next.hidden = flag(v);
        changed = true;
    }
    if let Some(v) = fields.get("EXTRANET_SUPPORT") {
        next.extranet_support = flag(v);
        changed = true;
    }
    if let Some(lang) = fields.get("LANG") {
        // LANG replaces the whole set of translations.
        next.lang = lang.clone();
        changed = true;
    }
    if !changed {
        return Err(spec_error(method, "WRONG_REQUEST", Some("EmptyFields")));
    }
    *cmd = next;
    Ok(Success::of(json!(true)))
}

fn command_answer(method: &Method, owner: &str, p: &Params, data: &mut Data) -> Answer {
    let id = match int(p, "COMMAND_ID") {
        Some(id) => Some(id),
        None => {
            let word = text(p, "COMMAND").unwrap_or_default();
            data.commands
                .iter()
                .find(|c| c.command == word && c.owner == owner)
                .map(|c| c.id as i64)
        }
    };
    let cmd = owned_command(method, owner, id, data)?.clone();
    let message = text(p, "MESSAGE").unwrap_or_default();
    if message.is_empty() && p.get("ATTACH").is_none() {
        return Err(spec_error(method, "MESSAGE_EMPTY", None));
    }
    let id = data.add_message(ChatMessage {
        id: 0,
        bot_id: cmd.bot_id,
        dialog_id: String::new(),
        message,
        command_id: Some(cmd.id),
        reply_to: int(p, "MESSAGE_ID").and_then(|i| u64::try_from(i).ok()),
        attach: p.get("ATTACH").cloned(),
        keyboard: p.get("KEYBOARD").cloned(),
    });
    Ok(Success::of(json!(id)))
}

fn message_add(method: &Method, owner: &str, p: &Params, data: &mut Data) -> Answer {
    let bot = match int(p, "BOT_ID") {
        Some(id) => data.bots.iter().find(|b| b.id as i64 == id),
        None => data.bots.iter().find(|b| b.owner == owner),
    };
    let Some(bot) = bot else {
        return Err(spec_error(method, "BOT_ID_ERROR", None));
    };
    if bot.owner != owner {
        return Err(spec_error(method, "APP_ID_ERROR", None));
    }
    let bot_id = bot.id;
    let dialog = text(p, "DIALOG_ID").unwrap_or_default();
    let dialog = if dialog.is_empty() {
        match (int(p, "FROM_USER_ID"), int(p, "TO_USER_ID")) {
            (Some(_), Some(to)) => to.to_string(),
            _ => return Err(spec_error(method, "DIALOG_ID_EMPTY", None)),
        }
    } else {
        dialog
    };
    let message = text(p, "MESSAGE").unwrap_or_default();
    if message.is_empty() && p.get("ATTACH").is_none() {
        return Err(spec_error(method, "MESSAGE_EMPTY", None));
    }
    let id = data.add_message(ChatMessage {
        id: 0,
        bot_id,
        dialog_id: dialog,
        message,
        command_id: None,
        reply_to: None,
        attach: p.get("ATTACH").cloned(),
        keyboard: p.get("KEYBOARD").cloned(),
    });
    Ok(Success::of(json!(id)))
}
