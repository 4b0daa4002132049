//! Rules of `[state]`, the emulator's annotation (specs/README.md, *State*).

use std::collections::BTreeMap;

use crate::ast::{Sp, StateAst};
use crate::diag::Ctx;
use crate::model::{Action, Answer, ErrorDef, Field, StateDef, WireForm};

/// The `[state] id` of a method whose record is the calling user (`user.current`, `profile`).
const CALLER: &str = "$caller";

/// Checks `[state]` against the method's parameters and errors and builds its model.
pub(super) fn state(
    ctx: &mut Ctx<'_>,
    ast: &StateAst,
    params: &[Field],
    errors: &[ErrorDef],
) -> Option<StateDef> {
    // Every rule runs, so that one look at the messages shows all that is wrong.
    let action = action(ctx, ast);
    // `now` reads the clock, not a store: it needs no entity.
    let entity = if action == Some(Action::Now) && ast.entity.is_none() {
        Some(String::new())
    } else {
        entity(ctx, ast)
    };
    // `id = "$caller"`: the record is the calling user's own (`user.current`), no parameter.
    let caller_id = ast.id.as_ref().filter(|i| i.value == CALLER);
    for p in [&ast.id, &ast.parent, &ast.rows].into_iter().flatten() {
        if caller_id.is_none_or(|c| !std::ptr::eq(c, p)) {
            param_exists(ctx, p, params);
        }
    }
    // `fields = "*"`: the method's own parameters are the record's fields.
    if let Some(f) = ast.fields.as_ref().filter(|f| f.value != "*") {
        param_exists(ctx, f, params);
    }
    one_partition_kind(ctx, ast);
    let form = forms(ctx, ast);
    for p in &ast.partition {
        param_exists(ctx, p, params);
    }
    not_found_is_documented(ctx, ast, errors);
    taken_is_documented(ctx, ast, errors);
    let action = action?;
    missing_is_empty_on_a_get(ctx, ast, action);
    let named = ast.named.as_ref().is_some_and(|n| n.value);
    let answer = answer(ctx, ast, action);
    if answer == Some(Answer::Keys) && action != Action::List {
        ctx.error_help(
            ast.span.clone(),
            "`answer = \"keys\"` means nothing to this action",
            "only a `list` answers the keys of its records",
        );
    }
    if answer == Some(Answer::Keyed) && action != Action::List {
        ctx.error_help(
            ast.span.clone(),
            "`answer = \"keyed\"` means nothing to this action",
            "only a `list` answers its records keyed by their key",
        );
    }
    needs_param(
        ctx,
        ast,
        action,
        &ast.id,
        "id",
        &[Action::Get, Action::Update, Action::Delete],
    );
    // A named add takes the record's name from the `id` parameter.
    if named {
        needs_param(ctx, ast, action, &ast.id, "id", &[Action::Add]);
        if ast.id.as_ref().is_some_and(|i| i.value == CALLER) {
            ctx.error_help(
                ast.span.clone(),
                "`named` records cannot be the caller's",
                "name the parameter that carries the record's name, e.g. `id = \"CODE\"`",
            );
        }
    }
    let flag = |b: &Option<Sp<bool>>| {
        b.as_ref().map(|d| Sp {
            value: String::new(),
            span: d.span.clone(),
        })
    };
    only_for(
        ctx,
        ast,
        action,
        &flag(&ast.named),
        "named",
        &[Action::Add, Action::Get, Action::Update, Action::Delete],
    );
    only_for(ctx, ast, action, &ast.taken, "taken", &[Action::Add]);
    only_for(
        ctx,
        ast,
        action,
        &flag(&ast.upsert),
        "upsert",
        &[Action::Update],
    );
    let upsert = ast.upsert.as_ref().is_some_and(|u| u.value);
    if upsert && !named {
        ctx.error_help(
            ast.span.clone(),
            "`upsert` needs `named = true`",
            "only a record the caller names can be created by its update",
        );
    }
    only_for(
        ctx,
        ast,
        action,
        &flag(&ast.documented),
        "documented",
        &[Action::List, Action::GetValues],
    );
    only_for(ctx, ast, action, &ast.pick, "pick", &[Action::GetValues]);
    one_way_to_pick(ctx, ast);
    if ast.taken.is_some() && !named {
        ctx.error_help(
            ast.span.clone(),
            "`taken` needs `named = true`",
            "only records the caller names can collide; leave `taken` out",
        );
    }
    needs_param(
        ctx,
        ast,
        action,
        &ast.fields,
        "fields",
        &[Action::Add, Action::Update, Action::SetValues],
    );
    // A `set_rows` without `rows` removes every row of the owner (`booking.v1.booking.client.unset`).
    only_for(ctx, ast, action, &ast.rows, "rows", &[Action::SetRows]);
    only_for(
        ctx,
        ast,
        action,
        &ast.defaults.as_ref().map(|d| Sp {
            value: String::new(),
            span: d.span.clone(),
        }),
        "defaults",
        &[Action::Add],
    );
    if let Some((first, _)) = ast.copy.first() {
        only_for(
            ctx,
            ast,
            action,
            &Some(Sp {
                value: String::new(),
                span: first.span.clone(),
            }),
            "copy",
            &[Action::Add],
        );
    }
    for (to, from) in &ast.copy {
        if to.value == from.value {
            ctx.error_help(
                from.span.clone(),
                format!("`[state.copy]` field `{}` copies itself", to.value),
                "name another field of the record",
            );
        }
    }
    only_for(
        ctx,
        ast,
        action,
        &ast.strict_filter.as_ref().map(|d| Sp {
            value: String::new(),
            span: d.span.clone(),
        }),
        "strict_filter",
        &[Action::List],
    );
    only_for(
        ctx,
        ast,
        action,
        &ast.owner_type,
        "owner_type",
        &[Action::SetRows, Action::GetRows],
    );
    let (entity, answer, form) = (entity?, answer?, form?);
    Some(StateDef {
        entity,
        action,
        id: ast.id.as_ref().map(|s| s.value.clone()),
        fields: ast.fields.as_ref().map(|s| s.value.clone()),
        key: ast
            .key
            .as_ref()
            .map_or_else(|| "ID".to_string(), |k| k.value.clone()),
        partition: ast.partition.iter().map(|p| p.value.clone()).collect(),
        partition_value: ast
            .partition_value
            .iter()
            .map(|p| p.value.clone())
            .collect(),
        parent: ast.parent.as_ref().map(|s| s.value.clone()),
        rows: ast.rows.as_ref().map(|s| s.value.clone()),
        defaults: ast
            .defaults
            .as_ref()
            .map(|d| d.value.clone())
            .unwrap_or_default(),
        form,
        copy: ast
            .copy
            .iter()
            .map(|(to, from)| (to.value.clone(), from.value.clone()))
            .collect(),
        answer,
        wrap: ast.wrap.as_ref().map(|w| w.value.clone()),
        not_found: ast.not_found.as_ref().map(|n| n.value.clone()),
        missing_empty: ast.missing.is_some(),
        strict_filter: ast.strict_filter.as_ref().is_some_and(|s| s.value),
        owner_type: ast.owner_type.as_ref().map(|s| s.value.clone()),
        named,
        taken: ast.taken.as_ref().map(|s| s.value.clone()),
        documented: ast.documented.as_ref().is_some_and(|d| d.value),
        upsert,
        pick: ast.pick.as_ref().map(|p| p.value.clone()),
    })
}

/// A `get_values` answers the one setting a parameter names (`id`) or a fixed one (`pick`),
/// not both; a `pick` names a setting, so it is not empty.
fn one_way_to_pick(ctx: &mut Ctx<'_>, ast: &StateAst) {
    let Some(pick) = &ast.pick else { return };
    if pick.value.trim().is_empty() {
        ctx.error_help(
            pick.span.clone(),
            "`pick` is empty",
            "name the stored setting the method answers, e.g. `pick = \"STATUS\"`",
        );
    }
    if ast.id.is_some() {
        ctx.error_help(
            pick.span.clone(),
            "`[state]` has both `id` and `pick`",
            "`id` names the parameter that asks for one setting, `pick` the one setting always answered; keep one",
        );
    }
}

/// `entity` is present and a dotted name.
fn entity(ctx: &mut Ctx<'_>, ast: &StateAst) -> Option<String> {
    match &ast.entity {
        None => {
            ctx.error_help(
                ast.span.clone(),
                "`[state]` has no `entity`",
                "add `entity = \"crm.deal\"`: the store the records live in",
            );
            None
        }
        Some(e)
            if e.value.is_empty()
                || !e.value.split('.').all(|s| {
                    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                }) =>
        {
            ctx.error_help(
                e.span.clone(),
                format!("`{}` is not an entity name", e.value),
                "use dot-separated words, e.g. `crm.deal`",
            );
            None
        }
        Some(e) => Some(e.value.clone()),
    }
}

/// `action` is one of the known operations.
fn action(ctx: &mut Ctx<'_>, ast: &StateAst) -> Option<Action> {
    let Some(a) = &ast.action else {
        ctx.error_help(
            ast.span.clone(),
            "`[state]` has no `action`",
            "add `action = \"add\"` (or get, list, update, delete, fields, set_rows, get_rows, now, set_values, get_values)",
        );
        return None;
    };
    let found = Action::ALL
        .iter()
        .find(|(w, _)| *w == a.value)
        .map(|(_, a)| *a);
    if found.is_none() {
        ctx.error_help(
            a.span.clone(),
            format!("unknown action `{}`", a.value),
            "use one of add, get, list, update, delete, fields, set_rows, get_rows, now, set_values, get_values",
        );
    }
    found
}

/// `answer`, when given, is one of the known shapes; otherwise the action's default.
fn answer(ctx: &mut Ctx<'_>, ast: &StateAst, action: Action) -> Option<Answer> {
    let Some(a) = &ast.answer else {
        return Some(action.default_answer());
    };
    let found = Answer::ALL
        .iter()
        .find(|(w, _)| *w == a.value)
        .map(|(_, a)| *a);
    if found.is_none() {
        ctx.error_help(
            a.span.clone(),
            format!("unknown answer `{}`", a.value),
            "use one of id, true, record, records, fields, time, keys, keyed",
        );
    }
    found
}

/// Actions that read or write one record name the parameter that carries what they need.
fn needs_param(
    ctx: &mut Ctx<'_>,
    ast: &StateAst,
    action: Action,
    given: &Option<Sp<String>>,
    key: &str,
    actions: &[Action],
) {
    if given.is_none() && actions.contains(&action) {
        ctx.error_help(
            ast.span.clone(),
            format!("`[state]` of this action needs `{key}`"),
            format!("name the parameter that carries it, e.g. `{key} = \"{key}\"`"),
        );
    }
}

/// A parameter path names a parameter of the method (its first segment).
fn param_exists(ctx: &mut Ctx<'_>, path: &Sp<String>, params: &[Field]) {
    let first = path.value.split('.').next().unwrap_or_default();
    if !params.iter().any(|p| p.wire == first) {
        let names = params.iter().map(|p| p.wire.as_str());
        let hint = match crate::diag::did_you_mean(first, names) {
            Some(close) => format!("did you mean `{close}`?"),
            None => "name one of the method's `[[params]]`".to_string(),
        };
        ctx.error_help(
            path.span.clone(),
            format!("`{first}` is not a parameter of this method"),
            hint,
        );
    }
}

/// `not_found` names the code of a documented error row.
fn not_found_is_documented(ctx: &mut Ctx<'_>, ast: &StateAst, errors: &[ErrorDef]) {
    if let Some(code) = &ast.not_found {
        if !errors.iter().any(|e| e.code == code.value) {
            ctx.error_help(code.span.clone(), format!("`not_found = \"{}\"` is no documented error code", code.value), "add the row to `[[errors]]` or leave `not_found` out (the generic `NOT_FOUND` answers)");
        }
    }
}

/// `missing` is `"empty"`, on a get that has no `not_found` row.
fn missing_is_empty_on_a_get(ctx: &mut Ctx<'_>, ast: &StateAst, action: Action) {
    let Some(missing) = &ast.missing else {
        return;
    };
    if missing.value != "empty" {
        ctx.error_help(
            missing.span.clone(),
            format!("`missing = \"{}\"` is not a known answer", missing.value),
            "`missing = \"empty\"` (a missing ID answers an empty success), or leave it out",
        );
    } else if action != Action::Get {
        ctx.error_help(
            missing.span.clone(),
            "`missing` is for a `get`",
            "leave it out: other actions answer a missing ID with the `not_found` row",
        );
    } else if ast.not_found.is_some() {
        ctx.error_help(
            missing.span.clone(),
            "`missing = \"empty\"` and `not_found` say two answers for a missing ID",
            "keep the one the portal sends",
        );
    }
}

/// `taken` names a documented error row, by code or by variant name (rows sharing a code).
fn taken_is_documented(ctx: &mut Ctx<'_>, ast: &StateAst, errors: &[ErrorDef]) {
    if let Some(code) = &ast.taken {
        if !errors
            .iter()
            .any(|e| e.code == code.value || e.variant == code.value)
        {
            ctx.error_help(
                code.span.clone(),
                format!("`taken = \"{}\"` is no documented error row", code.value),
                "add the row to `[[errors]]` or leave `taken` out (a generic error answers)",
            );
        }
    }
}

/// A family names its partition by parameters or by fixed values, not both.
fn one_partition_kind(ctx: &mut Ctx<'_>, ast: &StateAst) {
    if let (Some(first), false) = (ast.partition_value.first(), ast.partition.is_empty()) {
        ctx.error_help(
            first.span.clone(),
            "`[state]` has both `partition` and `partition_value`",
            "a family either passes its partition as parameters (`partition`) or stands in a fixed one (`partition_value`)",
        );
    }
}

/// `[state.form]` values are known wire forms.
fn forms(ctx: &mut Ctx<'_>, ast: &StateAst) -> Option<BTreeMap<String, WireForm>> {
    let mut out = BTreeMap::new();
    let mut ok = true;
    for (field, word) in &ast.form {
        match WireForm::ALL.iter().find(|(w, _)| *w == word.value) {
            Some((_, form)) => {
                out.insert(field.value.clone(), *form);
            }
            None => {
                ok = false;
                let words: Vec<&str> = WireForm::ALL.iter().map(|(w, _)| *w).collect();
                ctx.error_help(
                    word.span.clone(),
                    format!("unknown wire form `{}` for `{}`", word.value, field.value),
                    format!("use one of {}", words.join(", ")),
                );
            }
        }
    }
    ok.then_some(out)
}

/// A key that only some actions read is refused elsewhere, so that a misplaced key is not silently ignored.
fn only_for(
    ctx: &mut Ctx<'_>,
    ast: &StateAst,
    action: Action,
    given: &Option<Sp<String>>,
    key: &str,
    actions: &[Action],
) {
    let _ = ast;
    if let Some(g) = given {
        if !actions.contains(&action) {
            let words: Vec<&str> = Action::ALL
                .iter()
                .filter(|(_, a)| actions.contains(a))
                .map(|(w, _)| *w)
                .collect();
            ctx.error_help(
                g.span.clone(),
                format!("`{key}` means nothing to this action"),
                format!("`{key}` is read by {} only; leave it out", words.join(", ")),
            );
        }
    }
}
