//! The bot family's records: bots, their commands and the chat log. They are public values so
//! that tests can seed them (`Emulator::seed_bot`) and read them back (`Emulator::bots`).

use std::collections::BTreeMap;

use serde_json::Value;

/// A chat bot registered with `imbot.register` (or seeded).
#[derive(Debug, Clone, PartialEq)]
pub struct Bot {
    /// `BOT_ID` (0 when seeding means "assign one").
    pub id: u64,
    /// The unique text code.
    pub code: String,
    /// The owning application: its `client_id`, or a webhook's `CLIENT_ID`.
    pub owner: String,
    /// `B`, `O`, `H` or `S`.
    pub bot_type: String,
    /// Open Channels mode.
    pub openline: bool,
    /// Handler addresses by parameter name (`EVENT_MESSAGE_ADD`, …).
    pub handlers: BTreeMap<String, String>,
    /// `PROPERTIES` as sent.
    pub properties: Value,
}

impl Bot {
    /// A bot of type `B` with handlers on `https://example.com/bot` and the name `code`.
    pub fn new(code: &str, owner: &str) -> Self {
        let handlers = [
            "EVENT_MESSAGE_ADD",
            "EVENT_WELCOME_MESSAGE",
            "EVENT_BOT_DELETE",
        ]
        .iter()
        .map(|k| (k.to_string(), "https://example.com/bot".to_string()))
        .collect();
        Bot {
            id: 0,
            code: code.into(),
            owner: owner.into(),
            bot_type: "B".into(),
            openline: false,
            handlers,
            properties: serde_json::json!({ "NAME": code }),
        }
    }
}

/// A bot command registered with `imbot.command.register` (or seeded).
#[derive(Debug, Clone, PartialEq)]
pub struct Command {
    /// `COMMAND_ID` (0 when seeding means "assign one").
    pub id: u64,
    /// The bot that answers it.
    pub bot_id: u64,
    /// The owning application: its `client_id`, or a webhook's `CLIENT_ID`.
    pub owner: String,
    /// The word after `/`.
    pub command: String,
    /// Handler of `ONIMCOMMANDADD`.
    pub event_command_add: String,
    /// Hidden from the command list.
    pub hidden: bool,
    /// Extranet users may use it.
    pub extranet_support: bool,
    /// Usable in every chat.
    pub common: bool,
    /// `LANG` entries as sent (an array of objects).
    pub lang: Value,
}

impl Command {
    /// A visible command of `bot_id` with an English title equal to the word.
    pub fn new(bot_id: u64, command: &str, owner: &str) -> Self {
        Command {
            id: 0,
            bot_id,
            owner: owner.into(),
            command: command.into(),
            event_command_add: "https://example.com/bot/command".into(),
            hidden: false,
            extranet_support: false,
            common: false,
            lang: serde_json::json!([{ "LANGUAGE_ID": "en", "TITLE": command }]),
        }
    }
}

/// A message a bot posted (`imbot.message.add`) or a command answer (`imbot.command.answer`).
#[derive(Debug, Clone, PartialEq)]
pub struct ChatMessage {
    /// Message ID.
    pub id: u64,
    /// The sending bot.
    pub bot_id: u64,
    /// The dialog (`chat123` or a user ID); empty for command answers.
    pub dialog_id: String,
    /// The text.
    pub message: String,
    /// The command answered, for command answers.
    pub command_id: Option<u64>,
    /// The message answered, for command answers.
    pub reply_to: Option<u64>,
    /// `ATTACH` as received (form and bracket bodies decoded to JSON), if any.
    pub attach: Option<serde_json::Value>,
    /// `KEYBOARD` as received, if any.
    pub keyboard: Option<serde_json::Value>,
}

/// The bot family's state inside the emulator.
#[derive(Debug)]
pub(crate) struct BotState {
    pub bots: Vec<Bot>,
    pub commands: Vec<Command>,
    pub messages: Vec<ChatMessage>,
    pub next_bot: u64,
    pub next_command: u64,
    pub next_message: u64,
}

impl Default for BotState {
    fn default() -> Self {
        // Bot IDs start above the users a portal has, as real bot IDs do.
        BotState {
            bots: Vec::new(),
            commands: Vec::new(),
            messages: Vec::new(),
            next_bot: 100,
            next_command: 1,
            next_message: 1,
        }
    }
}

impl BotState {
    /// Stores a bot, assigning an ID when it has none.
    pub fn add_bot(&mut self, mut bot: Bot) -> u64 {
        if bot.id == 0 {
            bot.id = self.next_bot;
        }
        self.next_bot = self.next_bot.max(bot.id + 1);
        let id = bot.id;
        self.bots.retain(|b| b.id != id);
        self.bots.push(bot);
        id
    }

    /// Stores a command, assigning an ID when it has none.
    pub fn add_command(&mut self, mut cmd: Command) -> u64 {
        if cmd.id == 0 {
            cmd.id = self.next_command;
        }
        self.next_command = self.next_command.max(cmd.id + 1);
        let id = cmd.id;
        self.commands.retain(|c| c.id != id);
        self.commands.push(cmd);
        id
    }

    /// Appends a message and returns its ID.
    pub fn add_message(&mut self, mut msg: ChatMessage) -> u64 {
        msg.id = self.next_message;
        self.next_message += 1;
        let id = msg.id;
        self.messages.push(msg);
        id
    }
}
