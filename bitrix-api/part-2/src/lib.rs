//! Part 2 of 8 of the API generated from `specs/`; use it as `bitrix_rest::api`.
#![cfg_attr(docsrs, feature(doc_cfg))]
bitrix_macros::include_specs!(
    "specs",
    runtime = "::bitrix_runtime",
    shared = "::bitrix_runtime::shared",
    shard = "2/8",
    scope_features = true,
    tables = "test-tables"
);
