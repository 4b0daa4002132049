//! HTTPS: a certificate authority generated when the emulator starts, a server certificate it
//! signs for the loopback names (and any extra names asked for), and the rustls acceptor that
//! serves with it. The CA's PEM is handed to clients (a file, [`Emulator::ca_pem`]) so SDKs that
//! refuse plain-http webhooks can call the emulator without a relay. Nothing is kept on disk
//! except the CA certificate, when asked; keys live only in memory.
//!
//! [`Emulator::ca_pem`]: crate::Emulator::ca_pem

use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::TlsAcceptor;

/// The names every server certificate covers: the loopback host in its usual spellings.
const LOOPBACK_NAMES: &[&str] = &["localhost", "127.0.0.1", "::1"];

/// A running emulator's TLS material: the acceptor and the CA clients must trust.
#[derive(Clone)]
pub struct Tls {
    /// Accepts TLS connections with the signed server certificate.
    pub acceptor: TlsAcceptor,
    /// The CA certificate, PEM.
    pub ca_pem: String,
}

impl std::fmt::Debug for Tls {
    // The acceptor holds the private key: only the public CA is shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tls").field("ca_pem", &self.ca_pem).finish()
    }
}

/// Makes a fresh CA and a server certificate for the loopback names plus `extra_names`.
pub fn generate(extra_names: &[String]) -> Result<Tls, String> {
    let err = |e: rcgen::Error| format!("cannot make the TLS certificates: {e}");
    let ca_key = KeyPair::generate().map_err(err)?;
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).map_err(err)?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "bitrix-mock test CA");
    ca_params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca = ca_params.self_signed(&ca_key).map_err(err)?;

    let mut names: Vec<String> = LOOPBACK_NAMES.iter().map(|n| n.to_string()).collect();
    for name in extra_names {
        if !names.contains(name) {
            names.push(name.clone());
        }
    }
    let server_key = KeyPair::generate().map_err(err)?;
    let mut server_params = CertificateParams::new(names).map_err(err)?;
    server_params
        .distinguished_name
        .push(DnType::CommonName, "bitrix-mock");
    server_params.is_ca = IsCa::ExplicitNoCa;
    server_params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    server_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let server = server_params
        .signed_by(&server_key, &ca, &ca_key)
        .map_err(err)?;

    let chain = vec![server.der().clone(), ca.der().clone()];
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der()));
    let acceptor = acceptor(chain, key)?;
    Ok(Tls {
        acceptor,
        ca_pem: ca.pem(),
    })
}

/// A rustls acceptor speaking HTTP/1.1 only (the server is HTTP/1), on the ring provider so the
/// process-wide default provider does not matter.
fn acceptor(
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
) -> Result<TlsAcceptor, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("cannot set up TLS: {e}"))?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| format!("cannot use the TLS certificate: {e}"))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ca_is_pem_and_differs_per_start() {
        let a = generate(&[]).unwrap();
        let b = generate(&["b24emu.test".into()]).unwrap();
        assert!(a.ca_pem.starts_with("-----BEGIN CERTIFICATE-----"));
        assert_ne!(a.ca_pem, b.ca_pem);
        assert!(!format!("{a:?}").contains("PRIVATE"));
    }
}
