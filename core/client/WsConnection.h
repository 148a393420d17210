// A client WebSocket over a plain TCP socket with our own upgrade and framing (protocol/WsCodec):
// frames that arrive together with the 101 response are kept (POCO 1.11's client drops them).
#pragma once

#include "client/GatewayError.h"
#include "protocol/WsCodec.h"
#include "tls/TlsModule.h"

#include <Poco/URI.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace openclaw::client {

/// One client connection. Not thread-safe.
class WsConnection {
  public:
    using Deadline = std::chrono::steady_clock::time_point;

    WsConnection() = default;
    ~WsConnection();
    WsConnection(const WsConnection&) = delete;
    WsConnection& operator=(const WsConnection&) = delete;

    /// Connects to ws://host:port/path and upgrades, with extra request headers.
    /// Throws GatewayError (Transport with an errno-style code, or Timeout).
    /// wss:// verifies the certificate against the system CAs, or, when tlsFingerprint is given, pins its
    /// SHA-256 fingerprint instead (self-signed gateway certificates).
    void open(const std::string& url, int timeoutMs,
              const std::vector<std::pair<std::string, std::string>>& headers = {},
              const std::string& tlsFingerprint = "");
    /// Sends one masked frame.
    void send(protocol::WsOpcode op, const std::string& payload);
    /// Sends bytes as they are (tests: malformed or partial frames).
    void sendRaw(const std::string& bytes);
    /// The next frame, any opcode, or nothing when the deadline passes.
    /// Throws GatewayError(Transport, "closed") when the peer closes the TCP connection.
    std::optional<protocol::WsFrame> receive(Deadline deadline);
    /// Sends a close frame and closes the socket after a short wait for the answer.
    void close(int code = 1000);
    bool isOpen() const { return fd_ >= 0 || tls_ != nullptr; }
    const std::string& url() const { return url_; }
    /// The upgrade response's status line and headers, as received.
    const std::string& responseHead() const { return responseHead_; }

  private:
    // Exactly one of fd_ (a plain TCP socket) and tls_ is set while open. Both report a failure as -1 or 0;
    // callers treat either as "the connection failed".
    int sendSome(const char* data, int len);
    int receiveSome(char* data, int len);
    bool readable(long long timeoutUs);
    void connectTls(const Poco::URI& uri, int timeoutMs, const std::string& tlsFingerprint);
    void connectPlain(const Poco::URI& uri, int timeoutMs);
    void upgrade(const Poco::URI& uri, const std::vector<std::pair<std::string, std::string>>& headers,
                 std::chrono::steady_clock::time_point deadline);
    std::string readResponseHead(std::chrono::steady_clock::time_point deadline);
    void closeSocket();

    int fd_ = -1;
    std::unique_ptr<tls::ClientStream> tls_;
    protocol::WsDecoder decoder_{1ull << 40};
    std::string url_;
    std::string responseHead_;
};

} // namespace openclaw::client
