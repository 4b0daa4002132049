//! The proof behind an install: the refresh token the portal handed over is spent at the
//! configured OAuth server, and what it answers must name the portal the request claims.

use bitrix_runtime::Secret;

use crate::app::App;
use crate::error::AppError;
use crate::verify::check_claims;

/// Spends `refresh` at the OAuth server and checks the installer's claims against its answer.
/// The refresh token is spent either way: when the claims are false but the tokens belong to a
/// portal already stored, the new pair replaces the spent one there, so nothing is lost.
pub(crate) async fn verified(
    app: &App,
    refresh: &Secret,
    member_id: &str,
    domain: Option<&str>,
) -> Result<crate::db::Installed, AppError> {
    let installed = app.verifier().grant(refresh).await?;
    if let Err(e) = check_claims(&installed, member_id, domain) {
        if app.db().adopt_pair(&installed, refresh).await? {
            app.forget(&installed.member_id);
        }
        return Err(e);
    }
    Ok(installed)
}
