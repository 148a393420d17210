#include "client/WsConnection.h"
#include "protocol/RandomId.h"

#include "net/Socket.h"
#include "tls/TlsModule.h"

#include <Poco/Base64Encoder.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <sstream>
#include <sys/socket.h>
#include <unistd.h>

namespace openclaw::client {

namespace {

GatewayError transport(const std::string& url, const std::string& code, const std::string& reason) {
    return GatewayError(GatewayError::Kind::Transport, "Gateway not reachable at " + url + " (" + code + ").",
                        reason);
}

} // namespace

void WsConnection::open(const std::string& url, int timeoutMs,
                        const std::vector<std::pair<std::string, std::string>>& headers,
                        const std::string& tlsFingerprint) {
    url_ = url;
    decoder_ = protocol::WsDecoder(1ull << 40);
    Poco::URI uri;
    try {
        uri = Poco::URI(url);
    } catch (const Poco::Exception& e) {
        throw GatewayError(GatewayError::Kind::Transport, "invalid gateway URL " + url + ": " + e.message());
    }
    const bool secure = uri.getScheme() == "wss";
    if (uri.getScheme() != "ws" && !secure)
        throw GatewayError(GatewayError::Kind::Transport,
                           "gateway URL must start with ws:// or wss:// (got " + url + ")");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    if (secure)
        connectTls(uri, timeoutMs, tlsFingerprint);
    else
        connectPlain(uri, timeoutMs);
    upgrade(uri, headers, deadline);
}

void WsConnection::connectTls(const Poco::URI& uri, int timeoutMs, const std::string& tlsFingerprint) {
    const std::string hostPort = uri.getHost() + ":" + std::to_string(uri.getPort());
    tls::ClientResult r;
    try {
        r = tls::module().connect(uri.getHost(), uri.getPort(), timeoutMs,
                                  tls::normalizeFingerprint(tlsFingerprint));
    } catch (const std::runtime_error& e) {
        throw GatewayError(GatewayError::Kind::Transport, e.what(), "tls");
    }
    switch (r.error) {
    case tls::ConnectError::None:
        tls_ = std::move(r.stream);
        return;
    case tls::ConnectError::PinMismatch:
        throw GatewayError(GatewayError::Kind::Transport,
                           "TLS fingerprint mismatch for " + url_ + ": expected sha256 " +
                               tls::normalizeFingerprint(tlsFingerprint) + ", the gateway presented " +
                               r.presented + " (check gateway.remote.tlsFingerprint or --tls-fingerprint)",
                           "tls fingerprint mismatch");
    case tls::ConnectError::Tls:
        throw GatewayError(
            GatewayError::Kind::Transport,
            "TLS handshake with " + url_ + " failed: " + r.message +
                " (for a self-signed gateway certificate, pin it with --tls-fingerprint <sha256>)",
            "tls");
    case tls::ConnectError::Refused:
        throw transport(url_, "ECONNREFUSED", "connect ECONNREFUSED " + hostPort);
    case tls::ConnectError::Timeout:
        throw transport(url_, "ETIMEDOUT", "connect ETIMEDOUT " + hostPort);
    case tls::ConnectError::HostNotFound:
        throw transport(url_, "ENOTFOUND", "getaddrinfo ENOTFOUND " + uri.getHost());
    case tls::ConnectError::Other:
        throw transport(url_, "ECONNRESET", r.message);
    }
}

void WsConnection::connectPlain(const Poco::URI& uri, int timeoutMs) {
    const std::string hostPort = uri.getHost() + ":" + std::to_string(uri.getPort());
    net::SocketAddress addr;
    switch (net::resolve(uri.getHost(), uri.getPort(), addr)) {
    case net::ResolveError::None:
        break;
    case net::ResolveError::NotFound:
        throw transport(url_, "ENOTFOUND", "getaddrinfo ENOTFOUND " + uri.getHost());
    case net::ResolveError::TryAgain:
        throw transport(url_, "EAI_AGAIN", "getaddrinfo EAI_AGAIN " + uri.getHost());
    }
    fd_ = net::connectTcp(addr, timeoutMs);
    if (fd_ >= 0) return;
    const int err = errno;
    if (err == ECONNREFUSED) throw transport(url_, "ECONNREFUSED", "connect ECONNREFUSED " + hostPort);
    if (err == ETIMEDOUT) throw transport(url_, "ETIMEDOUT", "connect ETIMEDOUT " + hostPort);
    throw transport(url_, "ECONNRESET", "connect " + hostPort + ": " + std::strerror(err));
}

std::string WsConnection::readResponseHead(std::chrono::steady_clock::time_point deadline) {
    std::string head;
    char buf[4096];
    while (head.find("\r\n\r\n") == std::string::npos) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
                                                                          std::chrono::steady_clock::now());
        if (left.count() <= 0 || !readable(left.count() * 1000))
            throw GatewayError(GatewayError::Kind::Timeout, "gateway timeout during the WebSocket upgrade",
                               "timeout");
        int n = receiveSome(buf, sizeof buf);
        if (n <= 0) throw transport(url_, "ECONNRESET", "socket hang up");
        head.append(buf, static_cast<size_t>(n));
        if (head.size() > 65536) throw transport(url_, "EPROTO", "oversized upgrade response");
    }
    return head;
}

void WsConnection::upgrade(const Poco::URI& uri,
                           const std::vector<std::pair<std::string, std::string>>& headers,
                           std::chrono::steady_clock::time_point deadline) {
    // The upgrade by hand: bytes that arrive together with the 101 response stay in our decoder.
    std::string key = protocol::randomUuid().substr(0, 16);
    {
        std::ostringstream ss;
        Poco::Base64Encoder enc(ss);
        enc << key;
        enc.close();
        key = ss.str();
    }
    const std::string path = uri.getPathEtc().empty() ? "/" : uri.getPathEtc();
    std::string request = "GET " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" +
                          std::to_string(uri.getPort()) +
                          "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key +
                          "\r\nSec-WebSocket-Version: 13\r\n";
    for (const auto& [name, value] : headers)
        request += name + ": " + value + "\r\n";
    request += "\r\n";
    if (sendSome(request.data(), static_cast<int>(request.size())) <= 0)
        throw transport(url_, "ECONNRESET", "socket hang up");
    const std::string head = readResponseHead(deadline);
    const size_t endOfHead = head.find("\r\n\r\n") + 4;
    const std::string status = head.substr(0, head.find("\r\n"));
    if (status.find(" 101 ") == std::string::npos)
        throw GatewayError(GatewayError::Kind::Transport,
                           "Unexpected server response: " + status.substr(status.find(' ') + 1),
                           "upgrade refused");
    const std::string lower = Poco::toLower(head.substr(0, endOfHead));
    if (lower.find(Poco::toLower("sec-websocket-accept: " + protocol::wsAcceptKey(key))) == std::string::npos)
        throw GatewayError(GatewayError::Kind::Transport, "invalid Sec-WebSocket-Accept from gateway",
                           "protocol");
    responseHead_ = head.substr(0, endOfHead);
    decoder_.feed(head.data() + endOfHead, head.size() - endOfHead);
}

void WsConnection::send(protocol::WsOpcode op, const std::string& payload) {
    static thread_local std::mt19937 rng{std::random_device{}()};
    sendRaw(protocol::encodeWsFrame(op, payload, static_cast<uint32_t>(rng())));
}

void WsConnection::sendRaw(const std::string& bytes) {
    if (!isOpen()) throw GatewayError(GatewayError::Kind::Transport, "not connected", "closed");
    size_t done = 0;
    while (done < bytes.size()) {
        int n = sendSome(bytes.data() + done, static_cast<int>(bytes.size() - done));
        if (n <= 0)
            throw GatewayError(GatewayError::Kind::Transport, "gateway closed the connection", "closed");
        done += static_cast<size_t>(n);
    }
}

std::optional<protocol::WsFrame> WsConnection::receive(Deadline deadline) {
    char buf[16384];
    while (true) {
        if (auto f = decoder_.next()) return f;
        if (!decoder_.error().empty())
            throw GatewayError(GatewayError::Kind::Transport,
                               "invalid frame from gateway: " + decoder_.error(), "protocol");
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
                                                                          std::chrono::steady_clock::now());
        if (left.count() <= 0) return std::nullopt;
        if (!readable(left.count() * 1000)) continue;
        int n = receiveSome(buf, sizeof buf);
        if (n <= 0)
            throw GatewayError(GatewayError::Kind::Transport, "gateway closed the connection", "closed");
        decoder_.feed(buf, static_cast<size_t>(n));
    }
}

void WsConnection::close(int code) {
    if (!isOpen()) return;
    try {
        send(protocol::WsOpcode::Close, protocol::encodeClosePayload(code, ""));
        // Give the server a moment to answer the close; never wait long.
        if (readable(200000)) {
            char buf[512];
            receiveSome(buf, sizeof buf);
        }
    } catch (const std::exception&) {
        // The peer is gone or broke the close handshake: the socket is closed below either way.
    }
    closeSocket();
}

WsConnection::~WsConnection() {
    if (fd_ >= 0) ::close(fd_);
}

int WsConnection::sendSome(const char* data, int len) {
    if (tls_) return tls_->send(data, len);
    ssize_t n;
    do
        n = ::send(fd_, data, static_cast<size_t>(len), MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    return static_cast<int>(n);
}

int WsConnection::receiveSome(char* data, int len) {
    if (tls_) return tls_->receive(data, len);
    ssize_t n;
    do
        n = ::recv(fd_, data, static_cast<size_t>(len), 0);
    while (n < 0 && errno == EINTR);
    return static_cast<int>(n);
}

bool WsConnection::readable(long long timeoutUs) {
    if (tls_) return tls_->readable(timeoutUs);
    return net::waitReadable(fd_, timeoutUs);
}

void WsConnection::closeSocket() {
    if (tls_) tls_->close();
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    tls_.reset();
}

} // namespace openclaw::client
