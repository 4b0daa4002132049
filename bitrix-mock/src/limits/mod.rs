//! The two limits of a Bitrix24 cloud portal: request rate (leaky bucket) and operating time.

pub mod bucket;
pub mod operating;
