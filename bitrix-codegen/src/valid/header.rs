//! Rules of the spec's top-level facts: method, scope, REST version, origin, deprecation.

use std::ops::Range;

use crate::ast::{DeprecatedAst, Sp};
use crate::diag::Ctx;

/// A method name is dot-separated segments of ASCII letters, digits and `_`.
pub(super) fn is_method_name(s: &str) -> bool {
    !s.is_empty()
        && s.split('.').all(|seg| {
            !seg.is_empty() && seg.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

/// A type or variant name is PascalCase ASCII.
pub(super) fn is_type_name(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_uppercase()) && s.chars().all(|c| c.is_ascii_alphanumeric())
}

/// `method` is present, well formed, not `batch`, and equal to the file name; `None` if unusable.
pub(super) fn method_name(
    ctx: &mut Ctx<'_>,
    method: &Option<Sp<String>>,
    stem: Option<&str>,
) -> Option<String> {
    let name = required_text(
        ctx,
        method,
        0..0,
        "method",
        "add `method = \"scope.name\"` at the top",
    )?;
    let m = method.as_ref()?;
    if !is_method_name(&m.value) {
        ctx.error_help(m.span.clone(), format!("`{}` is not a valid method name", m.value), "a method name is dot-separated segments of letters, digits and `_`, e.g. `imbot.command.update`");
        return None;
    }
    if m.value == "batch" {
        // Its parameters are other calls and its result theirs: no spec can type it.
        ctx.error_help(m.span.clone(), "`batch` is built into the runtime and cannot be a spec", "use `bitrix_rest::Batch` with `Client::batch`; see specs/README.md, *Methods that are not specs*");
        return None;
    }
    if let Some(stem) =
        stem.filter(|s| *s != m.value && s.strip_suffix("@v3") != Some(m.value.as_str()))
    {
        ctx.error_help(
            m.span.clone(),
            format!("method `{}` is in a file named `{stem}.toml`", m.value),
            format!("rename the file to `{}.toml` or fix the name", m.value),
        );
    }
    Some(name)
}

/// A file named `<method>@v3.toml` holds the REST 3.0 twin of a REST 2 method, so it says
/// `rest = 3`; returns whether the spec is such a twin.
pub(super) fn twin(
    ctx: &mut Ctx<'_>,
    method: &Option<Sp<String>>,
    stem: Option<&str>,
    rest: u8,
) -> bool {
    let Some(stem) = stem.filter(|s| s.ends_with("@v3")) else {
        return false;
    };
    if rest != 3 {
        let span = method.as_ref().map_or(0..0, |m| m.span.clone());
        ctx.error_help(
            span,
            format!(
                "`{stem}.toml` is the REST 3.0 spec of a method, but it does not say `rest = 3`"
            ),
            "add `rest = 3`, or rename the file without `@v3`",
        );
    }
    true
}

/// `scope` is present and lower-case letters, digits and `_`, segments joined by `.` as the
/// reference writes some (`sign.b2e`): a method's scope is a permission name, not an identifier.
pub(crate) fn scope(ctx: &mut Ctx<'_>, scope: &Option<Sp<String>>) -> Option<String> {
    scope_with(ctx, scope, true)
}

/// `scope` of an event: it names the event's module, so no dots.
pub(crate) fn event_scope(ctx: &mut Ctx<'_>, scope: &Option<Sp<String>>) -> Option<String> {
    scope_with(ctx, scope, false)
}

fn scope_with(ctx: &mut Ctx<'_>, scope: &Option<Sp<String>>, dots: bool) -> Option<String> {
    let name = required_text(
        ctx,
        scope,
        0..0,
        "scope",
        "add `scope = \"…\"`, e.g. `scope = \"imbot\"`",
    )?;
    let s = scope.as_ref()?;
    let word = |w: &str| {
        !w.is_empty()
            && w.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    };
    let ok = if dots {
        s.value.split('.').all(word)
    } else {
        word(&s.value)
    };
    if !ok {
        let help = if dots {
            "use lower-case letters, digits and `_`, words joined by `.` (`sign.b2e`)"
        } else {
            "use lower-case letters, digits and `_`"
        };
        ctx.error_help(
            s.span.clone(),
            format!("scope `{}` is not a valid scope name", s.value),
            help,
        );
        return None;
    }
    Some(name)
}

/// `rest` is 2 or 3.
pub(super) fn rest_version(ctx: &mut Ctx<'_>, rest: &Option<Sp<i64>>) -> u8 {
    match rest {
        None => 2,
        Some(r) if r.value == 2 || r.value == 3 => r.value as u8,
        Some(r) => {
            ctx.error_help(
                r.span.clone(),
                format!("`rest = {}` is no REST version", r.value),
                "use `rest = 3` for a REST 3.0 method, or leave it out for REST 2",
            );
            2
        }
    }
}

/// `auth` is `application` or absent; whether only applications may call the method.
pub(super) fn application_only(ctx: &mut Ctx<'_>, auth: &Option<Sp<String>>) -> bool {
    match auth {
        None => false,
        Some(a) if a.value == "application" => true,
        Some(a) => {
            ctx.error_help(
                a.span.clone(),
                format!("`auth = \"{}\"` is not known", a.value),
                "use `\"application\"` for a method webhooks may not call, or leave it out",
            );
            false
        }
    }
}

/// `param_case` is `exact` or absent; whether parameter names must be sent exactly as documented.
pub(super) fn exact_names(ctx: &mut Ctx<'_>, param_case: &Option<Sp<String>>) -> bool {
    match param_case {
        None => false,
        Some(p) if p.value == "exact" => true,
        Some(p) => {
            ctx.error_help(
                p.span.clone(),
                format!("`param_case = \"{}\"` is not known", p.value),
                "use `\"exact\"` for a method that reads its parameter names only as documented, or leave it out",
            );
            false
        }
    }
}

/// `origin` is `import` or `hand`; whether it says `import`.
pub(super) fn origin(ctx: &mut Ctx<'_>, origin: &Option<Sp<String>>) -> bool {
    match origin {
        None => false,
        Some(o) if o.value == "import" => true,
        Some(o) if o.value == "hand" => false,
        Some(o) => {
            ctx.error_help(
                o.span.clone(),
                format!("`origin = \"{}\"` is not known", o.value),
                "use `\"import\"` (rewritten by the importer) or `\"hand\"` (finished by hand)",
            );
            false
        }
    }
}

/// `no_example` says why a hand-finished spec keeps no example: it needs a reason, and a spec
/// that has examples, or that the importer writes (its `todo` says it), has nothing to explain.
pub(super) fn no_example(
    ctx: &mut Ctx<'_>,
    no_example: &Option<Sp<String>>,
    imported: bool,
    examples: usize,
) -> Option<String> {
    let why = no_example.as_ref()?;
    let help = if why.value.trim().is_empty() {
        Some((
            "`no_example` is empty",
            "say why the page's examples cannot be kept",
        ))
    } else if imported {
        Some((
            "`no_example` on an imported spec",
            "the importer says so in `todo`; set `no_example` when finishing the spec by hand",
        ))
    } else if examples > 0 {
        Some((
            "`no_example`, but the spec has examples",
            "drop `no_example`: the examples are the spec's tests",
        ))
    } else {
        None
    };
    match help {
        Some((message, help)) => {
            ctx.error_help(why.span.clone(), message.to_string(), help);
            None
        }
        None => Some(why.value.trim().to_string()),
    }
}

/// A deprecation's replacement is a method name.
pub(super) fn replacement(ctx: &mut Ctx<'_>, deprecated: &Option<DeprecatedAst>) {
    if let Some(r) = deprecated.as_ref().and_then(|d| d.replacement.as_ref()) {
        if !is_method_name(&r.value) {
            ctx.error_help(
                r.span.clone(),
                format!("replacement `{}` is not a valid method name", r.value),
                "name the method to use instead, e.g. `imbot.v2.Command.update`",
            );
        }
    }
}

/// A required text key is present and not empty.
pub(super) fn required_text(
    ctx: &mut Ctx<'_>,
    v: &Option<Sp<String>>,
    at: Range<usize>,
    key: &str,
    help: &str,
) -> Option<String> {
    match v {
        Some(s) if !s.value.trim().is_empty() => Some(s.value.trim().to_string()),
        Some(s) => {
            ctx.error_help(s.span.clone(), format!("`{key}` is empty"), help);
            None
        }
        None => {
            ctx.error_help(at, format!("the spec has no `{key}`"), help);
            None
        }
    }
}
