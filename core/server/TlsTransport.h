// TLS as a transport over the accepted socket: the connection reads and writes plaintext and never knows
// whether there is TLS underneath. Handshake records and alerts the session produces while reading, and
// records the socket does not take at once, wait here until drain() sends them.
#pragma once

#include "net/Transport.h"
#include "tls/TlsModule.h"

#include <memory>
#include <string>

namespace openclaw::server {

/// A net::Transport that encrypts and decrypts through a tls::ServerSession.
class TlsTransport : public net::Transport {
  public:
    /// `label` names the connection in the debug line that says why TLS failed.
    TlsTransport(std::unique_ptr<net::Transport> inner, std::unique_ptr<tls::ServerSession> session,
                 std::string label);

    net::IoResult read(char* buf, size_t len) override;
    net::IoResult write(const char* data, size_t len) override;
    net::IoResult drain() override;
    void shutdownWrite() override { inner_->shutdownWrite(); }
    void watch(net::EventLoop& loop, uint32_t events, net::IoHandler* handler) override {
        inner_->watch(loop, events, handler);
    }
    void close(net::EventLoop& loop) override { inner_->close(loop); }

  private:
    /// Reads records from the socket into plain_ until it holds `want` bytes or the socket has no more.
    net::IoResult fill(size_t want);
    net::IoResult failed();

    std::unique_ptr<net::Transport> inner_;
    std::unique_ptr<tls::ServerSession> session_;
    std::string label_;
    std::string plain_;   ///< decrypted, not read yet
    size_t plainAt_ = 0;  ///< first unread byte of plain_
    std::string wire_;    ///< records for the socket, not taken yet
    size_t wireAt_ = 0;   ///< first unsent byte of wire_
    bool broken_ = false; ///< a fatal TLS error: nothing more moves
};

} // namespace openclaw::server
