//! Which methods are pure reads, told by name alone: calling them twice has the same effect as
//! once, so their specs say `idempotent = true` and the runtime may retry them.

/// Last name segments (lower-cased) that only read: `crm.deal.get`, `task.item.getlist`,
/// `catalog.product.getFieldsByFilter`, `user.search`.
const READS: &[&str] = &[
    "get",
    "list",
    "getlist",
    "fields",
    "getfields",
    "getfieldsbyfilter",
    "gettypes",
    "types",
    "getmanifest",
    "search",
    "count",
    "isactionallowed",
];

/// Whether `method` reads only, by its last name segment.
pub fn is_read(method: &str) -> bool {
    let last = method.rsplit('.').next().unwrap_or(method);
    let last = last.split('@').next().unwrap_or(last).to_ascii_lowercase();
    READS.contains(&last.as_str())
}

#[cfg(test)]
mod tests {
    use super::is_read;

    #[test]
    fn reads_by_name() {
        assert!(is_read("crm.deal.get"));
        assert!(is_read("landing.site.getList"));
        assert!(is_read("catalog.product.getFieldsByFilter"));
        assert!(is_read("user.search"));
        assert!(!is_read("crm.deal.add"));
        assert!(!is_read("im.dialog.read"));
        assert!(!is_read("crm.deal.getexternallink"));
    }
}
