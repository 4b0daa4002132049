//! Secrets the process knows (webhook codes, tokens, client secrets), so that no message printed
//! by `b24` can show one, whatever error text carried it.

use std::sync::Mutex;

static SECRETS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Remembers a secret; every later [`redact`] hides it. Short strings are skipped: hiding `1`
/// would garble every message.
pub fn remember(secret: &str) {
    if secret.len() < 6 {
        return;
    }
    let mut all = SECRETS.lock().unwrap_or_else(|p| p.into_inner());
    if !all.iter().any(|s| s == secret) {
        all.push(secret.to_string());
    }
}

/// `text` with every remembered secret replaced by `***`.
pub fn redact(text: &str) -> String {
    let all = SECRETS.lock().unwrap_or_else(|p| p.into_inner());
    all.iter()
        .fold(text.to_string(), |t, s| t.replace(s.as_str(), "***"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_secrets_are_hidden() {
        remember("abcdef123456");
        remember("x");
        assert_eq!(redact("code abcdef123456, x"), "code ***, x");
    }
}
