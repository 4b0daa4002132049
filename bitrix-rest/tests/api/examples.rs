//! Every documented example of every spec is a test (`example_tests!` over the rows the API's
//! parts compile with their `test-tables` feature, a dev-dependency feature of this crate).

bitrix_macros::example_tests!("specs", crates = "::bitrix_api_0 ::bitrix_api_1 ::bitrix_api_2 ::bitrix_api_3 ::bitrix_api_4 ::bitrix_api_5 ::bitrix_api_6 ::bitrix_api_7", scope_features = true);
