//! Files sent inline: `["name.png", "<base64>"]`.

use base64::Engine;
use serde::{Deserialize, Serialize};

/// A file sent inside a request, as Bitrix24 expects: its name and its content in base64.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "(String, String)", into = "(String, String)")]
pub struct File {
    /// The file name, e.g. `avatar.png`.
    pub name: String,
    /// The content, base64-encoded.
    pub content_base64: String,
}

impl File {
    /// A file from its name and raw bytes.
    pub fn from_bytes(name: impl Into<String>, bytes: &[u8]) -> Self {
        File {
            name: name.into(),
            content_base64: base64::engine::general_purpose::STANDARD.encode(bytes),
        }
    }

    /// The decoded content, or `None` when it is not valid base64.
    pub fn bytes(&self) -> Option<Vec<u8>> {
        base64::engine::general_purpose::STANDARD
            .decode(&self.content_base64)
            .ok()
    }
}

impl std::fmt::Debug for File {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("File")
            .field("name", &self.name)
            .field("base64_len", &self.content_base64.len())
            .finish()
    }
}

impl From<(String, String)> for File {
    fn from((name, content_base64): (String, String)) -> Self {
        File {
            name,
            content_base64,
        }
    }
}

impl From<File> for (String, String) {
    fn from(f: File) -> Self {
        (f.name, f.content_base64)
    }
}
