// Server-side TLS over memory buffers, so a reactor can drive it without blocking: wire bytes in,
// plaintext out, and the other way round. The socket I/O stays with the caller.
#pragma once

#include "tls/TlsModule.h"

#include <string>

typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;
typedef struct bio_st BIO;

namespace openclaw::tls {

/// One TLS server connection on memory BIOs.
class OpenSslServerSession : public ServerSession {
  public:
    /// ctx: a server context with certificate and key loaded (shared by every connection).
    explicit OpenSslServerSession(SSL_CTX* ctx);
    ~OpenSslServerSession() override;
    OpenSslServerSession(const OpenSslServerSession&) = delete;
    OpenSslServerSession& operator=(const OpenSslServerSession&) = delete;

    /// Takes received wire bytes; appends decrypted bytes to plain and any bytes TLS must send (handshake,
    /// alerts) to wireOut. Returns false on a fatal TLS error or a close_notify (see error()).
    bool receive(const char* data, size_t len, std::string& plain, std::string& wireOut) override;
    /// Encrypts plaintext and appends the records to wireOut. Returns false on a fatal error.
    bool send(const char* data, size_t len, std::string& wireOut) override;
    /// Why the last call failed.
    const std::string& error() const override { return error_; }

  private:
    void drain(std::string& wireOut);

    SSL* ssl_ = nullptr;
    BIO* in_ = nullptr;  ///< wire bytes for OpenSSL to read (owned by ssl_)
    BIO* out_ = nullptr; ///< wire bytes OpenSSL produced (owned by ssl_)
    std::string error_;
};

} // namespace openclaw::tls
