//! How list filters compare a field with a value: the key prefixes of REST 2 filters
//! (`{">=OPPORTUNITY": 5000}`) and the operators of REST 3.0 conditions
//! (`["opportunity", ">=", 5000]`).

/// A comparison a filter can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FilterOp {
    /// Equal.
    Eq,
    /// Not equal.
    Ne,
    /// Greater than.
    Gt,
    /// Greater than or equal.
    Ge,
    /// Less than.
    Lt,
    /// Less than or equal.
    Le,
    /// One of a list of values.
    In,
    /// None of a list of values.
    NotIn,
    /// Contains the text.
    Contains,
    /// Does not contain the text.
    NotContains,
    /// Matches a pattern whose `%` stand for any text and `_` for one character.
    Like,
    /// Does not match such a pattern.
    NotLike,
    /// Within `[from, to]` (REST 3.0 only).
    Between,
}

/// REST 2 key prefixes, longest first so that a reader taking the first match reads `>=` as
/// itself and not as `>`. An operation's first spelling here is the one a client sends; the
/// others (`%=`, `!%=`, `!`) are older spellings portals still read. A key without a prefix is
/// [`FilterOp::Eq`].
pub const REST2_PREFIXES: [(&str, FilterOp); 15] = [
    ("!=%", FilterOp::NotLike),
    ("!%=", FilterOp::NotLike),
    ("!@", FilterOp::NotIn),
    ("!%", FilterOp::NotContains),
    ("=%", FilterOp::Like),
    ("%=", FilterOp::Like),
    ("!=", FilterOp::Ne),
    (">=", FilterOp::Ge),
    ("<=", FilterOp::Le),
    ("@", FilterOp::In),
    ("!", FilterOp::Ne),
    (">", FilterOp::Gt),
    ("<", FilterOp::Lt),
    ("%", FilterOp::Contains),
    ("=", FilterOp::Eq),
];

/// REST 3.0 condition operators, as sent (portals read them in any case).
pub const REST3_OPERATORS: [(&str, FilterOp); 8] = [
    ("=", FilterOp::Eq),
    ("!=", FilterOp::Ne),
    (">", FilterOp::Gt),
    (">=", FilterOp::Ge),
    ("<", FilterOp::Lt),
    ("<=", FilterOp::Le),
    ("in", FilterOp::In),
    ("between", FilterOp::Between),
];

impl FilterOp {
    /// The REST 2 prefix a client sends for this comparison; `None` for [`FilterOp::Between`],
    /// which REST 2 writes as two conditions.
    pub fn rest2_prefix(self) -> Option<&'static str> {
        REST2_PREFIXES
            .iter()
            .find(|(_, op)| *op == self)
            .map(|(p, _)| *p)
    }

    /// The REST 3.0 operator a client sends; `None` for comparisons REST 3.0 does not have.
    pub fn rest3_operator(self) -> Option<&'static str> {
        REST3_OPERATORS
            .iter()
            .find(|(_, op)| *op == self)
            .map(|(s, _)| *s)
    }

    /// The comparison a REST 2 key asks for, and the field name after the prefix.
    pub fn split_rest2_key(key: &str) -> (FilterOp, &str) {
        REST2_PREFIXES
            .iter()
            .find_map(|(prefix, op)| key.strip_prefix(prefix).map(|name| (*op, name)))
            .unwrap_or((FilterOp::Eq, key))
    }

    /// The comparison a REST 3.0 operator names, in any case.
    pub fn from_rest3(operator: &str) -> Option<FilterOp> {
        REST3_OPERATORS
            .iter()
            .find(|(s, _)| s.eq_ignore_ascii_case(operator))
            .map(|(_, op)| *op)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clients_send_the_first_spelling() {
        assert_eq!(FilterOp::Ne.rest2_prefix(), Some("!="));
        assert_eq!(FilterOp::Like.rest2_prefix(), Some("=%"));
        assert_eq!(FilterOp::NotLike.rest2_prefix(), Some("!=%"));
        assert_eq!(FilterOp::Contains.rest2_prefix(), Some("%"));
        assert_eq!(FilterOp::Eq.rest2_prefix(), Some("="));
        assert_eq!(FilterOp::Between.rest2_prefix(), None);
        assert_eq!(FilterOp::Between.rest3_operator(), Some("between"));
        assert_eq!(FilterOp::NotIn.rest3_operator(), None);
    }

    #[test]
    fn keys_are_read_longest_prefix_first() {
        assert_eq!(FilterOp::split_rest2_key(">=ID"), (FilterOp::Ge, "ID"));
        assert_eq!(FilterOp::split_rest2_key("!@ID"), (FilterOp::NotIn, "ID"));
        assert_eq!(FilterOp::split_rest2_key("!ID"), (FilterOp::Ne, "ID"));
        assert_eq!(
            FilterOp::split_rest2_key("%=TITLE"),
            (FilterOp::Like, "TITLE")
        );
        assert_eq!(FilterOp::split_rest2_key("TITLE"), (FilterOp::Eq, "TITLE"));
        assert_eq!(FilterOp::from_rest3("BETWEEN"), Some(FilterOp::Between));
        assert_eq!(FilterOp::from_rest3("like"), None);
    }

    #[test]
    fn no_prefix_is_hidden_behind_a_shorter_one_listed_before_it() {
        for (i, (long, _)) in REST2_PREFIXES.iter().enumerate() {
            for (short, _) in &REST2_PREFIXES[..i] {
                assert!(!long.starts_with(short), "{short} is listed before {long}");
            }
        }
    }
}
