//! An HTTP answer (status and body) through the client's answer reading: envelope or typed error,
//! never a panic. Input: two bytes of status (big endian), then the body.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (status, body) = match data {
        [hi, lo, rest @ ..] => (u16::from_be_bytes([*hi, *lo]), rest),
        _ => (200, data),
    };
    // Every status, and the common ones often: the high byte picks a class when it is small.
    let status = match status >> 8 {
        0 => 200,
        1 => 400,
        2 => 401,
        3 => 500,
        4 => 503,
        _ => status,
    };
    match bitrix_runtime::__private::read_answer(status, body) {
        Ok(envelope) => {
            let _ = format!("{envelope:?}");
        }
        Err(e) => {
            // Display and Debug of every error kind must not panic either.
            let _ = format!("{e} {e:?}");
        }
    }
});
