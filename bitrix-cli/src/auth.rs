//! The client `b24` calls through: a webhook (`--webhook`, `BITRIX24_WEBHOOK_URL`) or an OAuth
//! application whose credentials file is rewritten, atomically, whenever the tokens are renewed.

use std::path::{Path, PathBuf};

use bitrix_rest::{Client, ClientBuilder, OAuthConfig, Plan, TokenPair};
use serde_json::{Map, Value};

use crate::cli::{Global, PlanArg};
use crate::failure::Failure;
use crate::redact::{redact, remember};

/// A client and how it authenticates.
#[derive(Debug, Clone)]
pub struct Portal {
    /// The client (paced to the plan).
    pub client: Client,
}

/// Builds the client from the global options.
pub fn connect(global: &Global) -> Result<Portal, Failure> {
    let builder = Client::builder().plan(match global.plan {
        PlanArg::Standard => Plan::Standard,
        PlanArg::Enterprise => Plan::Enterprise,
        PlanArg::Unlimited => Plan::Unlimited,
    });
    if let Some(file) = &global.oauth {
        return oauth(builder, file);
    }
    let Some(url) = global.webhook.as_deref().filter(|u| !u.trim().is_empty()) else {
        return Err(Failure::usage(
            "no portal to call: give --webhook URL, set BITRIX24_WEBHOOK_URL, or give --oauth FILE",
        ));
    };
    remember_webhook(url);
    let client = builder
        .webhook(url.trim())
        .map_err(|e| Failure::usage(redact(&format!("bad webhook: {e}"))))?;
    Ok(Portal { client })
}

/// The code of `https://portal/rest/1/CODE/` is the secret part.
fn remember_webhook(url: &str) {
    remember(url.trim());
    let parts: Vec<&str> = url.trim().trim_end_matches('/').rsplit('/').collect();
    if let Some(code) = parts.first() {
        remember(code);
    }
}

/// The fields of the OAuth file.
struct OAuthFile {
    fields: Map<String, Value>,
}

impl OAuthFile {
    fn read(path: &Path) -> Result<OAuthFile, Failure> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Failure::usage(format!(
                "cannot read the OAuth file {}: {e}",
                path.display()
            ))
        })?;
        match serde_json::from_str::<Value>(&text) {
            Ok(Value::Object(fields)) => Ok(OAuthFile { fields }),
            // serde_json's message quotes no input, so it cannot leak a token.
            Ok(_) => Err(Failure::usage(format!(
                "the OAuth file {} must hold a JSON object",
                path.display()
            ))),
            Err(e) => Err(Failure::usage(format!(
                "the OAuth file {} is not valid JSON: {e}",
                path.display()
            ))),
        }
    }

    fn text(&self, key: &str, path: &Path) -> Result<String, Failure> {
        match self.fields.get(key) {
            Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
            _ => Err(Failure::usage(format!(
                "the OAuth file {} lacks `{key}` (it needs portal, client_id, client_secret, access_token, refresh_token)",
                path.display()
            ))),
        }
    }
}

fn oauth(builder: ClientBuilder, path: &Path) -> Result<Portal, Failure> {
    let file = OAuthFile::read(path)?;
    let portal = file.text("portal", path)?;
    let client_id = file.text("client_id", path)?;
    let client_secret = file.text("client_secret", path)?;
    let access = file.text("access_token", path)?;
    let refresh = file.text("refresh_token", path)?;
    for secret in [&client_secret, &access, &refresh] {
        remember(secret);
    }
    let mut config = OAuthConfig::new(portal, client_id, client_secret, access, refresh);
    if let Some(Value::String(server)) = file.fields.get("oauth_server") {
        config = config.oauth_server(server.clone());
    }
    let target = path.to_path_buf();
    let client = builder
        .on_token_refresh(move |pair| {
            if let Err(e) = store_tokens(&target, pair) {
                eprintln!("b24: warning: the renewed tokens could not be saved: {e}");
            }
        })
        .oauth(config)
        .map_err(|e| Failure::usage(redact(&format!("bad OAuth settings: {e}"))))?;
    Ok(Portal { client })
}

/// Writes the new pair into the credentials file: the other fields are kept, the file is written
/// beside the old one and renamed over it, so a crash leaves either the old or the new file.
fn store_tokens(path: &Path, pair: &TokenPair) -> Result<(), String> {
    remember(pair.access_token.expose());
    remember(pair.refresh_token.expose());
    let mut file = OAuthFile::read(path).map_err(|f| f.message)?;
    file.fields.insert(
        "access_token".into(),
        Value::String(pair.access_token.expose().to_string()),
    );
    file.fields.insert(
        "refresh_token".into(),
        Value::String(pair.refresh_token.expose().to_string()),
    );
    let text = serde_json::to_string_pretty(&Value::Object(file.fields))
        .map_err(|e| format!("cannot encode: {e}"))?;
    let tmp = temp_beside(path);
    write_private(&tmp, text.as_bytes()).map_err(|e| format!("{}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("{}: {e}", path.display())
    })
}

fn temp_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "oauth.json".into());
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

/// Tokens are secrets: the file is readable by its owner only.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}
