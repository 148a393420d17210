// TLS lives in its own shared library (libopenclaw-tls.so, POCO NetSSL + OpenSSL), loaded the first time
// something needs it: commands and gateways without TLS never map OpenSSL, which is most of a short
// command's start-up cost. Nothing here names an OpenSSL or POCO NetSSL type, and no exception crosses
// the library boundary: failures come back as values.
#pragma once

#include "config/GatewayConfig.h"

#include <memory>
#include <string>

namespace openclaw::tls {

/// Certificate and key in use, and the certificate's fingerprint.
struct TlsMaterial {
    std::string certPath;
    std::string keyPath;
    std::string sha256; ///< lower-case hex, no separators
    bool generated = false;
};

/// One server-side TLS connection over memory: wire bytes in, plaintext out, and back.
class ServerSession {
  public:
    virtual ~ServerSession() = default;
    /// Takes received wire bytes; appends decrypted bytes to plain and bytes TLS must send (handshake,
    /// alerts) to wireOut. False on a fatal error or the peer's close_notify (see error()).
    virtual bool receive(const char* data, size_t len, std::string& plain, std::string& wireOut) = 0;
    /// Encrypts plaintext, appending the records to wireOut. False on a fatal error.
    virtual bool send(const char* data, size_t len, std::string& wireOut) = 0;
    /// Why the last call failed.
    virtual const std::string& error() const = 0;
};

/// A server certificate and key, ready to accept connections.
class ServerContext {
  public:
    virtual ~ServerContext() = default;
    virtual std::unique_ptr<ServerSession> newSession() = 0;
};

/// A blocking client connection (TCP + TLS handshake done).
class ClientStream {
  public:
    virtual ~ClientStream() = default;
    /// Bytes sent (> 0), or -1 when the connection failed.
    virtual int send(const char* data, int len) = 0;
    /// Bytes received (> 0), 0 when the peer closed, -1 on error.
    virtual int receive(char* data, int len) = 0;
    /// True when bytes can be read within timeoutUs (decrypted bytes already buffered count).
    virtual bool readable(long long timeoutUs) = 0;
    virtual void close() = 0;
};

/// Why a client connection failed.
enum class ConnectError { None, Refused, Timeout, HostNotFound, Tls, PinMismatch, Other };

/// The outcome of ClientConnect.
struct ClientResult {
    std::unique_ptr<ClientStream> stream; ///< set on success
    ConnectError error = ConnectError::None;
    std::string message;   ///< what failed
    std::string presented; ///< the server certificate's sha256 (set on PinMismatch)
};

/// What the TLS library offers.
class Module {
  public:
    virtual ~Module() = default;
    /// Loads certificate and key; nullptr and error on failure.
    virtual std::unique_ptr<ServerContext> serverContext(const std::string& certPath,
                                                         const std::string& keyPath, std::string& error) = 0;
    /// Connects to host:port and completes the handshake. With pinSha256 the certificate must have this
    /// fingerprint (and CAs are not consulted); without, it is verified against the system CAs.
    virtual ClientResult connect(const std::string& host, int port, int timeoutMs,
                                 const std::string& pinSha256) = 0;
    /// A new P-256 key and a self-signed certificate for localhost, 127.0.0.1 and ::1 (PEM).
    virtual bool generateSelfSigned(std::string& certPem, std::string& keyPem, std::string& error) = 0;
    /// SHA-256 of a PEM certificate's DER encoding, lower-case hex.
    virtual bool fingerprint(const std::string& certPem, std::string& sha256, std::string& error) = 0;
};

/// The TLS library, loaded on first use (next to the executable in ../lib/openclaw/, or
/// $OPENCLAW_TLS_MODULE). Throws std::runtime_error naming the file when it cannot be loaded.
Module& module();

/// Returns the configured pair (gateway.tls.certPath/keyPath) or, when absent and autoGenerate is on,
/// a self-signed pair at <state>/gateway/tls/gateway-{cert,key}.pem, created once (key mode 0600).
/// Throws std::runtime_error naming the file and what is wrong.
TlsMaterial ensureCertificate(const config::TlsConfig& tls, const std::string& stateDir);

/// Normalizes a user-given fingerprint ("AA:BB:…", "sha256:aabb…", "aabb…") to lower-case hex.
std::string normalizeFingerprint(const std::string& text);

} // namespace openclaw::tls
