//! The emulator's request parameter reading (query string merged with a form or JSON body) on
//! arbitrary input: parameters or a 400 answer, never a panic. Input: one byte choosing the
//! content type, then the query string up to the first newline, then the body.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let content_type = match selector % 5 {
        0 => "",
        1 => "application/x-www-form-urlencoded",
        2 => "application/json",
        3 => "application/json; charset=utf-8",
        _ => "text/plain",
    };
    let cut = rest.iter().position(|b| *b == b'\n').unwrap_or(rest.len());
    let query = String::from_utf8_lossy(&rest[..cut]);
    let body = rest.get(cut + 1..).unwrap_or_default();
    match bitrix_mock::__request_parameters(&query, content_type, body) {
        Ok(params) => assert!(params.is_object(), "parameters are not an object: {params}"),
        Err((status, _)) => assert_eq!(status, 400),
    }
    // The public decoder of batch commands and query strings.
    let _ = bitrix_mock::decode_query(&String::from_utf8_lossy(body));
});
