//! The `b24` command line (clap derive): global options, one subcommand per job, and the
//! examples shown by `--help`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const EXAMPLES: &str = "\
Examples:
  export BITRIX24_WEBHOOK_URL=https://example.bitrix24.com/rest/1/CODE/
  b24 call user.current
  b24 call crm.item.add entityTypeId=2 fields.title='New deal' fields.opportunity=5000
  b24 call crm.item.list entityTypeId=2 'filter[>opportunity]=1000' select=id,title
  b24 call imbot.command.update COMMAND_ID=7 CLIENT_ID=mybot FIELDS[HIDDEN]=true
  b24 export crm.item.list entityTypeId=2 --format csv --out deals.csv
  b24 export crm.item.list entityTypeId=2 --format ndjson --out deals.ndjson --resume
  b24 batch commands.toml
  b24 describe crm.item.list
  b24 mock --plan standard";

/// `b24`: call Bitrix24 REST methods, export lists and run batches, checked against the
/// method specs before anything is sent.
#[derive(Debug, Parser)]
#[command(name = "b24", version, about, after_help = EXAMPLES)]
pub struct Cli {
    /// Options every command takes.
    #[command(flatten)]
    pub global: Global,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct Global {
    /// Incoming webhook address, https://PORTAL/rest/USER_ID/CODE/
    #[arg(
        long,
        env = "BITRIX24_WEBHOOK_URL",
        global = true,
        hide_env_values = true
    )]
    pub webhook: Option<String>,
    /// OAuth credentials: a JSON file with portal, client_id, client_secret, access_token,
    /// refresh_token (and optionally oauth_server); rewritten when the tokens are renewed
    #[arg(long, value_name = "FILE", global = true)]
    pub oauth: Option<PathBuf>,
    /// The portal's plan: calls are paced to its request rate (`mock`: the plan it emulates)
    #[arg(long, value_enum, default_value_t = PlanArg::Standard, global = true)]
    pub plan: PlanArg,
    /// Print each method called and its parameters to stderr (never credentials)
    #[arg(long, short, global = true)]
    pub verbose: bool,
}

/// The plan of the portal, which sets the request rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanArg {
    /// 2 requests a second, bursts of 50.
    Standard,
    /// 5 requests a second, bursts of 250.
    Enterprise,
    /// No pacing (a test portal).
    Unlimited,
}

impl PlanArg {
    /// Requests a second the portal drains, `None` when unlimited.
    pub fn per_second(self) -> Option<f64> {
        match self {
            PlanArg::Standard => Some(bitrix_facts::STANDARD.per_second),
            PlanArg::Enterprise => Some(bitrix_facts::ENTERPRISE.per_second),
            PlanArg::Unlimited => None,
        }
    }
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Call one method and print its `result` as JSON
    #[command(after_help = "\
Parameters are KEY=VALUE, checked against the method's spec and converted to its types:
  integer: 42   flag: true/false/Y/N   list: a,b (or the key repeated)   object: FIELDS.TITLE=x or FIELDS[TITLE]=x
  KEY:=JSON sends a JSON value as it is; --json gives the whole body (KEY=VALUE are applied on top),
  inline, as @FILE or as - (standard input).

Examples:
  b24 call crm.item.get entityTypeId=2 id=12
  b24 call crm.item.update entityTypeId=2 id=12 fields.title='Renamed'
  b24 call crm.item.list entityTypeId=2 --json '{\"filter\": {\">id\": 10}}'
  b24 call --raw some.new.method X=1")]
    Call {
        /// The method, e.g. crm.item.get
        method: String,
        /// Parameters, KEY=VALUE
        #[arg(value_name = "KEY=VALUE")]
        params: Vec<String>,
        /// The request body as a JSON object (`@FILE` reads a file, `-` standard input)
        #[arg(long, value_name = "BODY")]
        json: Option<String>,
        /// Call a method that has no spec: no checks, values sent as text
        #[arg(long)]
        raw: bool,
    },
    /// Page through a list method and write every item to a file
    #[command(after_help = "\
Pages by ID (start=-1, order by ID, filter >ID) where the method allows it, else by start/next.

Examples:
  b24 export crm.item.list entityTypeId=2 --format ndjson --out deals.ndjson
  b24 export crm.item.list entityTypeId=3 select=id,name,lastName --format csv --out contacts.csv
  b24 export crm.item.list entityTypeId=2 --format json --out deals.json --resume")]
    Export {
        /// The list method, e.g. crm.item.list
        method: String,
        /// Parameters, KEY=VALUE, as for `call`
        #[arg(value_name = "KEY=VALUE")]
        params: Vec<String>,
        /// The request body as a JSON object (`@FILE` reads a file, `-` standard input)
        #[arg(long, value_name = "BODY")]
        json: Option<String>,
        /// Output format
        #[arg(long, value_enum, default_value_t = ExportFormat::Ndjson)]
        format: ExportFormat,
        /// Output file (standard output when left out)
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Continue after the last item already in the output file
        #[arg(long, requires = "out")]
        resume: bool,
    },
    /// Run a batch file: a JSON or TOML list of {key, method, params}
    #[command(after_help = "\
The file is a JSON list, or an object with `halt` and `commands`; in TOML, `halt = true` and
[[commands]] tables. Later commands may use `$result[key][FIELD]` of earlier ones.

Example (TOML):
  [[commands]]
  key = \"deal\"
  method = \"crm.item.add\"
  params = { entityTypeId = 2, fields = { title = \"From batch\" } }

  [[commands]]
  key = \"read\"
  method = \"crm.item.get\"
  params = { entityTypeId = 2, id = \"$result[deal][item][id]\" }")]
    Batch {
        /// The batch file (.json or .toml)
        file: PathBuf,
        /// Stop at the first command that fails
        #[arg(long)]
        halt: bool,
        /// Allow methods that have no spec (their parameters are not checked)
        #[arg(long)]
        raw: bool,
    },
    /// List the methods the specs describe, optionally of one scope
    Methods {
        /// A scope (spec folder), e.g. crm
        scope: Option<String>,
    },
    /// Show a method's parameters, types, errors and examples
    Describe {
        /// The method, e.g. crm.item.list
        method: String,
    },
    /// Start a portal emulator on this machine and serve until Ctrl-C
    Mock(MockArgs),
    /// Print a shell completion script
    #[command(after_help = "Example:\n  b24 completions bash > /etc/bash_completion.d/b24")]
    Completions {
        /// The shell
        shell: clap_complete::Shell,
    },
}

/// Output format of `export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// One JSON object a line.
    Ndjson,
    /// Comma-separated values with a header row.
    Csv,
    /// One JSON array.
    Json,
}

/// Options of `b24 mock`, the same as the `bitrix-mock` binary's (`--plan` is the global one).
#[derive(Debug, Args)]
pub struct MockArgs {
    /// Address to listen on
    #[arg(long, default_value = "127.0.0.1:0")]
    pub addr: std::net::SocketAddr,
    /// Lifetime of OAuth access tokens, in seconds
    #[arg(long, value_name = "SECONDS")]
    pub token_ttl: Option<f64>,
    /// Operating-time budget per method, in seconds
    #[arg(long, value_name = "SECONDS")]
    pub operating_limit: Option<f64>,
    /// Serve the specs of another folder
    #[arg(long, value_name = "DIR")]
    pub specs: Option<PathBuf>,
    /// A fault rule, e.g. 'crm.item.add:rate=0.5:status=503' (repeatable)
    #[arg(long, value_name = "RULE")]
    pub fault: Vec<String>,
    /// Seed of the fault draws
    #[arg(long)]
    pub seed: Option<u64>,
    /// How many calls the emulator's call log keeps
    #[arg(long, value_name = "CALLS")]
    pub call_log: Option<usize>,
    /// Time a client may take to send its headers, in seconds
    #[arg(long, value_name = "SECONDS")]
    pub header_timeout: Option<f64>,
    /// Time a client may take to send its body, in seconds
    #[arg(long, value_name = "SECONDS")]
    pub body_timeout: Option<f64>,
}
