#include "ServerSession.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

namespace openclaw::tls {

namespace {

std::string lastError(const char* what) {
    unsigned long e = ERR_get_error();
    char buf[256] = {0};
    if (e) ERR_error_string_n(e, buf, sizeof buf);
    ERR_clear_error();
    return std::string(what) + (e ? std::string(": ") + buf : std::string());
}

} // namespace

OpenSslServerSession::OpenSslServerSession(SSL_CTX* ctx) {
    ssl_ = SSL_new(ctx);
    in_ = BIO_new(BIO_s_mem());
    out_ = BIO_new(BIO_s_mem());
    // An empty memory BIO means "no data yet", not end of file.
    BIO_set_mem_eof_return(in_, -1);
    BIO_set_mem_eof_return(out_, -1);
    SSL_set_bio(ssl_, in_, out_);
    SSL_set_accept_state(ssl_);
}

OpenSslServerSession::~OpenSslServerSession() {
    SSL_free(ssl_); // frees both BIOs
}

void OpenSslServerSession::drain(std::string& wireOut) {
    char buf[16384];
    int n = 0;
    while ((n = BIO_read(out_, buf, sizeof buf)) > 0)
        wireOut.append(buf, static_cast<size_t>(n));
}

bool OpenSslServerSession::receive(const char* data, size_t len, std::string& plain, std::string& wireOut) {
    if (len > 0 && BIO_write(in_, data, static_cast<int>(len)) != static_cast<int>(len)) {
        error_ = "tls: out of memory";
        return false;
    }
    char buf[16384];
    for (;;) {
        int n = SSL_read(ssl_, buf, sizeof buf);
        if (n > 0) {
            plain.append(buf, static_cast<size_t>(n));
            continue;
        }
        int err = SSL_get_error(ssl_, n);
        drain(wireOut);
        if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) return true;
        error_ =
            err == SSL_ERROR_ZERO_RETURN ? "tls: peer closed" : lastError("tls handshake or read failed");
        return false;
    }
}

bool OpenSslServerSession::send(const char* data, size_t len, std::string& wireOut) {
    size_t done = 0;
    while (done < len) {
        int n = SSL_write(ssl_, data + done, static_cast<int>(len - done));
        if (n <= 0) {
            drain(wireOut);
            error_ = lastError("tls write failed");
            return false;
        }
        done += static_cast<size_t>(n);
    }
    drain(wireOut);
    return true;
}

} // namespace openclaw::tls
