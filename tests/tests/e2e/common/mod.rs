//! Helpers shared by the end-to-end tests.

use bitrix_mock::Emulator;
use bitrix_rest::OAuthConfig;

/// An OAuth configuration for the emulator's application, with its OAuth server.
pub fn oauth(emu: &Emulator) -> OAuthConfig {
    let c = emu.credentials();
    OAuthConfig::new(
        emu.portal_url(),
        c.client_id,
        c.client_secret,
        c.access_token,
        c.refresh_token,
    )
    .oauth_server(emu.oauth_server_url())
}
