//! A file answer: methods whose spec says `[result] type = "binary"` (`vote.AttachedVote.download`)
//! answer with the file itself instead of a JSON envelope.

use std::fmt;

/// The file a method answered with, as the HTTP answer carried it.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Download {
    /// The `Content-Type` header, if any (`application/pdf`).
    pub content_type: Option<String>,
    /// The file name from `Content-Disposition` (`filename*=` preferred over `filename=`).
    pub file_name: Option<String>,
    /// The body.
    pub bytes: Vec<u8>,
}

impl fmt::Debug for Download {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The bytes may be large; their count says enough.
        f.debug_struct("Download")
            .field("content_type", &self.content_type)
            .field("file_name", &self.file_name)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

/// The file name a `Content-Disposition` header gives: `filename*=UTF-8''…` (percent-decoded),
/// else `filename="…"`.
pub(crate) fn file_name(disposition: &str) -> Option<String> {
    let mut plain = None;
    for part in disposition.split(';').map(str::trim) {
        let Some((key, value)) = part.split_once('=') else {
            continue;
        };
        let key = key.trim().to_ascii_lowercase();
        let value = value.trim();
        if key == "filename*" {
            let encoded = value.rsplit('\'').next().unwrap_or(value);
            if let Some(name) = percent_decode(encoded) {
                return Some(name);
            }
        } else if key == "filename" {
            plain = Some(value.trim_matches('"').to_string());
        }
    }
    plain.filter(|n| !n.is_empty())
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok().filter(|n| !n.is_empty())
}

#[cfg(test)]
mod tests {
    use super::file_name;

    #[test]
    fn names() {
        assert_eq!(
            file_name("attachment; filename=\"votes.csv\"").as_deref(),
            Some("votes.csv")
        );
        assert_eq!(
            file_name("attachment; filename=\"a.csv\"; filename*=UTF-8''r%C3%A9sum%C3%A9.csv")
                .as_deref(),
            Some("résumé.csv")
        );
        assert_eq!(file_name("attachment"), None);
        assert_eq!(file_name("attachment; filename*=UTF-8''%zz"), None);
    }
}
