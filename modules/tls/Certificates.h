// Certificates inside the TLS library: generation and SHA-256 fingerprints.
#pragma once

#include <string>

typedef struct x509_st X509;

namespace openclaw::tls {

/// SHA-256 of the certificate's DER encoding, lower-case hex ("" when it cannot be computed).
std::string fingerprintOf(const X509* cert);
/// The same for a PEM text.
bool fingerprintPem(const std::string& pem, std::string& sha256, std::string& error);
/// A P-256 key and a ten-year self-signed certificate (CN openclaw-gateway, SAN localhost/127.0.0.1/::1).
bool generateSelfSigned(std::string& certPem, std::string& keyPem, std::string& error);

} // namespace openclaw::tls
