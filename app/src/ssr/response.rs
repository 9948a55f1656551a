//! Sets the HTTP status of the response being built from an [`AppError`].

use crate::error::AppError;
use leptos::prelude::Owner;
use std::future::Future;

/// Sets the status of the current response, if there is one, to `error`'s (see
/// [`super::status::set`]).
pub fn set_status(error: &AppError) {
    super::status::set(error.status());
}

/// Runs a server function's body and gives its error the right HTTP status: without this
/// Leptos answers every error with a 500.
///
/// It also holds the calling page's reactive owners until the body is done. A page's data
/// runs as a task of its own; when the page finishes first (it answered 403 before all its
/// data was in), the page's owner can be dropped by another thread while this task looks
/// up a context, and the last reference then goes away inside that lookup, which waits on
/// a lock it holds itself: the thread hangs forever (reactive_graph 0.2.16,
/// `with_context` and `OwnerInner::drop`). Held here, the owners are dropped at the end
/// of this function, where no lock is held.
pub async fn respond<T>(body: impl Future<Output = Result<T, AppError>>) -> Result<T, AppError> {
    let owners = OwnerChain::hold();
    let result = body.await;
    if let Err(error) = &result {
        set_status(error);
    }
    drop(owners);
    result
}

/// Strong references to the current reactive owner and all its ancestors.
struct OwnerChain {
    _owners: Vec<Owner>,
}

impl OwnerChain {
    fn hold() -> Self {
        let mut chain = Vec::new();
        let mut next = Owner::current();
        while let Some(owner) = next {
            next = owner.parent();
            chain.push(owner);
        }
        Self { _owners: chain }
    }
}
