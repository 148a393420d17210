// TLS material for the gateway: load the configured certificate or generate a self-signed one in
// the state dir, and SHA-256 fingerprints for logs, beacons and client-side pinning.
#pragma once

#include "config/GatewayConfig.h"

#include <string>

typedef struct x509_st X509;

namespace openclaw::tls {

/// Certificate and key in use, and the certificate's fingerprint.
struct TlsMaterial {
    std::string certPath;
    std::string keyPath;
    std::string sha256; ///< lower-case hex, no separators
    bool generated = false;
};

/// Returns the configured pair (gateway.tls.certPath/keyPath) or, when absent and autoGenerate is on,
/// a self-signed pair at <state>/gateway/tls/gateway-{cert,key}.pem, created once (key mode 0600).
/// Throws std::runtime_error naming the file and what is wrong.
TlsMaterial ensureCertificate(const config::TlsConfig& tls, const std::string& stateDir);

/// SHA-256 of the certificate's DER encoding, lower-case hex.
std::string fingerprintOf(const X509* cert);

/// Normalizes a user-given fingerprint ("AA:BB:…", "sha256:aabb…", "aabb…") to lower-case hex.
std::string normalizeFingerprint(const std::string& text);

/// Initializes the SSL library once per process.
void initialize();

} // namespace openclaw::tls
