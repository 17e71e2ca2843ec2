//! Which requests share a governor: one per server (scheme, host, port), optionally
//! split by a credential or partition key, since servers count quota per API key.

use std::fmt;
use std::hash::BuildHasher;

/// The identity of one rate-limited party: a server and, optionally, a partition
/// (an API key, an account) within it. Hosts compare case-insensitively; a missing
/// port is the scheme's default.
///
/// A credential is never stored: [`ServerKey::partition`] keeps a 64-bit keyed
/// hash of it, so a key can be logged without leaking a token.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ServerKey {
    scheme: String,
    host: String,
    port: u16,
    partition: Option<u64>,
}

impl ServerKey {
    /// The key for `scheme://host:port`, or `None` when the scheme is not `http` /
    /// `https` and no port is given.
    pub fn new(scheme: &str, host: &str, port: Option<u16>) -> Option<Self> {
        let scheme = scheme.to_ascii_lowercase();
        let port = match (port, scheme.as_str()) {
            (Some(p), _) => p,
            (None, "http" | "ws") => 80,
            (None, "https" | "wss") => 443,
            (None, _) => return None,
        };
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        Some(ServerKey {
            scheme,
            host,
            port,
            partition: None,
        })
    }

    /// The key for a request URI, or `None` when it has no scheme or host (a
    /// relative URI cannot be governed per server).
    pub fn from_uri(uri: &http::Uri) -> Option<Self> {
        ServerKey::new(uri.scheme_str()?, uri.host()?, uri.port_u16())
    }

    /// The key for a URL given as text (`https://api.example.com/v1/x`), or `None`
    /// when it does not parse as an absolute URI.
    pub fn from_url(url: &str) -> Option<Self> {
        ServerKey::from_uri(&url.parse::<http::Uri>().ok()?)
    }

    /// The same server, partitioned by `credential` (an `Authorization` value, an
    /// API key, an account id). Two credentials give two governors.
    pub fn with_partition(mut self, credential: &[u8]) -> Self {
        self.partition = Some(PARTITION_HASH.hash_one(credential));
        self
    }

    /// The scheme, lowercase.
    pub fn scheme(&self) -> &str {
        &self.scheme
    }

    /// The host, lowercase, without a trailing dot.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The port (the scheme's default when the URI had none).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The hash of the partition credential, if any.
    pub fn partition(&self) -> Option<u64> {
        self.partition
    }
}

impl fmt::Display for ServerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}:{}", self.scheme, self.host, self.port)?;
        if let Some(p) = self.partition {
            write!(f, " [partition {p:016x}]")?;
        }
        Ok(())
    }
}

/// A fixed-key hasher, so that partition hashes are stable within and across runs
/// (the value is an identity, not a defence against collisions chosen by an attacker:
/// the credential comes from the caller).
const PARTITION_HASH: std::hash::BuildHasherDefault<std::collections::hash_map::DefaultHasher> =
    std::hash::BuildHasherDefault::new();

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_ports_come_from_the_scheme() {
        let a = ServerKey::from_url("https://API.example.com./v1").unwrap();
        let b = ServerKey::from_url("https://api.example.com:443/v2?x=1").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.to_string(), "https://api.example.com:443");
        assert_eq!(ServerKey::from_url("http://h/").unwrap().port(), 80);
    }

    #[test]
    fn scheme_and_port_separate_servers() {
        let http = ServerKey::from_url("http://h:8080/").unwrap();
        assert_ne!(http, ServerKey::from_url("https://h:8080/").unwrap());
        assert_ne!(http, ServerKey::from_url("http://h:8081/").unwrap());
    }

    #[test]
    fn relative_or_unknown_scheme_without_port_has_no_key() {
        assert_eq!(ServerKey::from_url("/relative/path"), None);
        assert_eq!(ServerKey::new("ftp", "h", None), None);
        assert!(ServerKey::new("ftp", "h", Some(21)).is_some());
    }

    #[test]
    fn partitions_split_one_server_and_hide_the_credential() {
        let base = ServerKey::from_url("https://h/").unwrap();
        let alice = base.clone().with_partition(b"Bearer alice");
        let bob = base.clone().with_partition(b"Bearer bob");
        assert_ne!(alice, bob);
        assert_ne!(alice, base);
        assert_eq!(alice, base.with_partition(b"Bearer alice"));
        assert!(!alice.to_string().contains("alice"));
    }
}
