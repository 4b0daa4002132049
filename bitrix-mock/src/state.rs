//! What the emulated portal remembers: credentials, limits, injected faults, the bot and command
//! family, the chat log and every call received. One lock guards it all; handlers are short.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::hash::{Hash, Hasher};
use std::net::SocketAddr;
use std::sync::{Mutex, MutexGuard};

use bitrix_codegen::Method;
use serde_json::Value;

use crate::clock::Clock;
use crate::config::Config;
use crate::faults::Fault;
use crate::limits::bucket::Bucket;
use crate::limits::operating::OperatingTime;

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

/// How a call authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthKind {
    /// `/rest/USER/CODE/method`.
    Webhook,
    /// `/rest/method` with `auth`.
    OAuth,
    /// Refused before authentication succeeded.
    None,
}

/// One HTTP call the emulator received on `/rest/` (batch sub-calls are not listed separately).
#[derive(Debug, Clone, PartialEq)]
pub struct CallRecord {
    /// The method name (without `.json`).
    pub method: String,
    /// How it authenticated.
    pub auth_kind: AuthKind,
    /// The HTTP status answered (0 for a dropped connection).
    pub status: u16,
    /// Emulated Unix time it arrived.
    pub at: f64,
}

/// A copy of the emulator's state for inspection.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// Registered bots.
    pub bots: Vec<Bot>,
    /// Registered commands.
    pub commands: Vec<Command>,
    /// The chat log.
    pub messages: Vec<ChatMessage>,
    /// Calls received, oldest first.
    pub calls: Vec<CallRecord>,
}

/// The credentials a client needs to call the emulator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The webhook's user ID (in `/rest/USER/CODE/`).
    pub webhook_user_id: u64,
    /// The webhook's secret code.
    pub webhook_code: String,
    /// The current OAuth access token.
    pub access_token: String,
    /// The current OAuth refresh token.
    pub refresh_token: String,
    /// The OAuth application's `client_id`.
    pub client_id: String,
    /// The OAuth application's `client_secret`.
    pub client_secret: String,
    /// The application token that signs outgoing events.
    pub application_token: String,
}

/// Token bookkeeping of the single OAuth application (and the webhook).
#[derive(Debug)]
pub(crate) struct Tokens {
    pub creds: Credentials,
    /// Every access token issued, with its expiry in emulated Unix time.
    pub access_expiry: BTreeMap<String, f64>,
    pub refresh_count: usize,
    /// The portal's `member_id`, sent with new tokens.
    pub member_id: String,
    seed: u64,
    counter: u64,
}

impl Tokens {
    fn new(seed: u64, now: f64, ttl: f64) -> Self {
        let mut t = Tokens {
            creds: Credentials {
                webhook_user_id: 1,
                webhook_code: String::new(),
                access_token: String::new(),
                refresh_token: String::new(),
                client_id: String::new(),
                client_secret: String::new(),
                application_token: String::new(),
            },
            access_expiry: BTreeMap::new(),
            refresh_count: 0,
            member_id: String::new(),
            seed,
            counter: 0,
        };
        t.creds.webhook_code = t.fresh(16);
        t.creds.client_id = format!("local.{}", t.fresh(20));
        t.creds.client_secret = t.fresh(40);
        t.creds.application_token = t.fresh(32);
        t.member_id = t.fresh(32);
        t.issue(now, ttl);
        t
    }

    /// A new hex string of `len` characters, unique within this emulator. Hashes of a counter are
    /// unpredictable enough for a local test server and need no random-number crate.
    pub fn fresh(&mut self, len: usize) -> String {
        let mut out = String::new();
        while out.len() < len {
            self.counter += 1;
            let mut h = std::collections::hash_map::DefaultHasher::new();
            (self.seed, self.counter).hash(&mut h);
            out.push_str(&format!("{:016x}", h.finish()));
        }
        out.truncate(len);
        out
    }

    /// Issues a new access/refresh pair; the previous refresh token stops working.
    pub fn issue(&mut self, now: f64, ttl: f64) {
        self.creds.access_token = self.fresh(32);
        self.creds.refresh_token = self.fresh(32);
        self.access_expiry
            .insert(self.creds.access_token.clone(), now + ttl);
    }
}

/// Everything mutable.
#[derive(Debug)]
pub(crate) struct Data {
    pub tokens: Tokens,
    pub bucket: Option<Bucket>,
    pub operating: OperatingTime,
    pub faults: VecDeque<Fault>,
    pub bots: Vec<Bot>,
    pub commands: Vec<Command>,
    pub messages: Vec<ChatMessage>,
    pub calls: Vec<CallRecord>,
    pub next_bot: u64,
    pub next_command: u64,
    pub next_message: u64,
    /// Items answered by paged methods, by method name (seeded by tests or taken from examples).
    pub lists: BTreeMap<String, Vec<Value>>,
}

impl Data {
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

/// Shared between the server tasks and the [`Emulator`](crate::Emulator) handle.
#[derive(Debug)]
pub(crate) struct Shared {
    pub config: Config,
    pub clock: Clock,
    /// Every method of the specs, by name.
    pub methods: &'static BTreeMap<String, Method>,
    /// Scopes granted to the application and the webhook.
    pub scopes: BTreeSet<String>,
    /// The bound address.
    pub addr: SocketAddr,
    data: Mutex<Data>,
}

impl Shared {
    pub fn new(
        config: Config,
        methods: &'static BTreeMap<String, Method>,
        seed: u64,
        addr: SocketAddr,
    ) -> Self {
        let clock = Clock::new(config.clock_speed);
        let now = clock.now();
        let scopes = match &config.scopes {
            Some(s) => s.iter().cloned().collect(),
            None => methods.values().map(|m| m.scope.clone()).collect(),
        };
        let data = Data {
            tokens: Tokens::new(seed, now, config.token_ttl.as_secs_f64()),
            bucket: config.plan.bucket().map(|(d, c)| Bucket::new(d, c, now)),
            operating: OperatingTime::default(),
            faults: VecDeque::new(),
            bots: Vec::new(),
            commands: Vec::new(),
            messages: Vec::new(),
            calls: Vec::new(),
            next_bot: 100,
            next_command: 1,
            next_message: 1,
            lists: BTreeMap::new(),
        };
        Shared {
            config,
            clock,
            methods,
            scopes,
            addr,
            data: Mutex::new(data),
        }
    }

    /// `http://HOST:PORT/`.
    pub fn portal_url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Locks the mutable state. A poisoned lock is recovered: handlers do not panic on input, and
    /// a half-finished update of test state is better than a dead server.
    pub fn data(&self) -> MutexGuard<'_, Data> {
        self.data.lock().unwrap_or_else(|p| p.into_inner())
    }
}
