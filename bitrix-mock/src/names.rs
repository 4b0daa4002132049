//! Field names in the two casings of the portal: UPPER_SNAKE (`STAGE_ID`, `UF_CRM_1721244482250`,
//! REST 2 CRM) and camelCase (`stageId`, `ufCrm_1721244482250`, `crm.item`, tasks). One record
//! is seen through families of both, so names are matched by their loose form. A family is the
//! methods sharing a name up to the last segment (`crm.deal.*`).

use bitrix_codegen::Method;

/// The name without case or underscores: `STAGE_ID`, `stageId` and `stage_id` are `stageid`.
pub fn loose(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_')
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Whether two names are the same but for case and underscores, without allocating.
pub fn loose_eq(a: &str, b: &str) -> bool {
    let mut x = a
        .bytes()
        .filter(|c| *c != b'_')
        .map(|c| c.to_ascii_lowercase());
    let mut y = b
        .bytes()
        .filter(|c| *c != b'_')
        .map(|c| c.to_ascii_lowercase());
    loop {
        match (x.next(), y.next()) {
            (None, None) => return true,
            (p, q) if p == q => {}
            _ => return false,
        }
    }
}

/// Whether a name is written UPPER_SNAKE (no lower-case letter).
pub fn is_upper(name: &str) -> bool {
    !name.chars().any(|c| c.is_ascii_lowercase())
}

/// `assignedById` -> `ASSIGNED_BY_ID`, `ufCrm_1721` -> `UF_CRM_1721`; UPPER names stay.
pub fn to_upper(name: &str) -> String {
    if is_upper(name) {
        return name.to_string();
    }
    let mut out = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() && prev_lower {
            out.push('_');
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        out.push(c.to_ascii_uppercase());
    }
    out
}

/// `ASSIGNED_BY_ID` -> `assignedById`, `UF_CRM_1721` -> `ufCrm_1721` (a word of digits keeps
/// its underscore, as the portal's user fields do); camelCase names stay.
pub fn to_camel(name: &str) -> String {
    if !is_upper(name) {
        return name.to_string();
    }
    let mut out = String::new();
    for (i, word) in name.split('_').filter(|w| !w.is_empty()).enumerate() {
        let word = word.to_ascii_lowercase();
        if i == 0 {
            out.push_str(&word);
        } else if word.starts_with(|c: char| c.is_ascii_digit()) {
            out.push('_');
            out.push_str(&word);
        } else {
            let mut cs = word.chars();
            if let Some(f) = cs.next() {
                out.push(f.to_ascii_uppercase());
                out.push_str(cs.as_str());
            }
        }
    }
    out
}

/// Names the portal gives one system fact under, by family (`DATE_CREATE` in `crm.deal`,
/// `createdTime` in `crm.item`, `createdDate` in tasks), in loose form: a record written through
/// one family answers these in another's.
const SAME: &[&[&str]] = &[
    &[
        "datecreate",
        "createdtime",
        "createddate",
        "createdat",
        "datecreated",
    ],
    &[
        "datemodify",
        "updatedtime",
        "updateddate",
        "updatedat",
        "changeddate",
        "timestampx",
    ],
    &["createdbyid", "createdby"],
    &["modifybyid", "updatedby", "modifiedby", "changedby"],
    &["assignedbyid", "responsibleid"],
    // `profile` calls the user's `IS_ADMIN` `ADMIN`.
    &["isadmin", "admin"],
];

/// The other loose names of the same system fact.
pub fn same_as(loose: &str) -> &'static [&'static str] {
    SAME.iter()
        .find(|group| group.contains(&loose))
        .copied()
        .unwrap_or(&[])
}

/// The family of a method: its name without the last segment, `@v3` for REST 3.0 methods
/// (`crm.deal.get` -> `crm.deal`). Shapes and templates are per family, records per entity.
pub fn family(method: &Method) -> String {
    let base = method
        .name
        .rsplit_once('.')
        .map_or(method.name.as_str(), |(f, _)| f);
    if method.rest == 3 {
        format!("{base}@v3")
    } else {
        base.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn casings_meet() {
        assert_eq!(loose("STAGE_ID"), loose("stageId"));
        assert_eq!(to_upper("assignedById"), "ASSIGNED_BY_ID");
        assert_eq!(to_upper("ufCrm_1721244482250"), "UF_CRM_1721244482250");
        assert_eq!(to_camel("UF_CRM_1721244482250"), "ufCrm_1721244482250");
        assert_eq!(to_camel("ASSIGNED_BY_ID"), "assignedById");
        assert_eq!(to_camel("title"), "title");
        assert_eq!(to_upper("TITLE"), "TITLE");
        assert!(same_as("createdtime").contains(&"datecreate"));
        assert!(same_as("title").is_empty());
        assert!(loose_eq("STAGE_ID", "stageId"));
        assert!(!loose_eq("STAGE_ID", "stage"));
    }
}
