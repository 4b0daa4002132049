//! The parts of `b24 export`: how a list method is paged (`paging`) and how items are written
//! (`sink`).

pub mod paging;
pub mod sink;
