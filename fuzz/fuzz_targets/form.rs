//! The PHP bracket form decoder of incoming events on arbitrary bytes: an error or a value, never a
//! panic; and whatever it decodes, its own encoder writes back to the same value.
#![no_main]

use bitrix_runtime::events::form;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(value) = form::parse(data) {
        let again = form::encode(&value);
        let back = form::parse(again.as_bytes())
            .unwrap_or_else(|e| panic!("re-encoded form does not parse: {e}\n{again}"));
        assert_eq!(back, value, "form round trip changed the value: {again}");
    }
});
