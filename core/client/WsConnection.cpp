#include "client/WsConnection.h"

#include "tls/TlsCertificate.h"

#include <Poco/Base64Encoder.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/X509Certificate.h>
#include <Poco/String.h>
#include <Poco/URI.h>
#include <Poco/UUIDGenerator.h>

#include <random>
#include <sstream>

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
        throw GatewayError(GatewayError::Kind::Transport,
                           "invalid gateway URL " + url + ": " + e.displayText());
    }
    const bool secure = uri.getScheme() == "wss";
    if (uri.getScheme() != "ws" && !secure)
        throw GatewayError(GatewayError::Kind::Transport,
                           "gateway URL must start with ws:// or wss:// (got " + url + ")");
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    const std::string hostPort = uri.getHost() + ":" + std::to_string(uri.getPort());
    try {
        Poco::Net::SocketAddress addr(uri.getHost(), uri.getPort());
        if (secure) {
            tls::initialize();
            Poco::Net::Context::Params p;
            // A pin replaces CA verification (gateways use self-signed certificates); without one, verify.
            p.verificationMode =
                tlsFingerprint.empty() ? Poco::Net::Context::VERIFY_RELAXED : Poco::Net::Context::VERIFY_NONE;
            p.loadDefaultCAs = tlsFingerprint.empty();
            Poco::Net::Context::Ptr ctx = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, p);
            auto s = std::make_unique<Poco::Net::SecureStreamSocket>(ctx);
            s->setPeerHostName(uri.getHost());
            s->connect(addr, Poco::Timespan(static_cast<long>(timeoutMs) * 1000));
            s->completeHandshake();
            if (!tlsFingerprint.empty()) {
                std::string got = tls::fingerprintOf(s->peerCertificate().certificate());
                if (got != tls::normalizeFingerprint(tlsFingerprint))
                    throw GatewayError(GatewayError::Kind::Transport,
                                       "TLS fingerprint mismatch for " + url + ": expected sha256 " +
                                           tls::normalizeFingerprint(tlsFingerprint) +
                                           ", the gateway presented " + got +
                                           " (check gateway.remote.tlsFingerprint or --tls-fingerprint)",
                                       "tls fingerprint mismatch");
            }
            socket_ = std::move(s);
        } else {
            socket_ = std::make_unique<Poco::Net::StreamSocket>();
            socket_->connect(addr, Poco::Timespan(static_cast<long>(timeoutMs) * 1000));
        }
        socket_->setNoDelay(true);
    } catch (const GatewayError&) {
        socket_.reset();
        throw;
    } catch (const Poco::Net::SSLException& e) {
        socket_.reset();
        throw GatewayError(
            GatewayError::Kind::Transport,
            "TLS handshake with " + url + " failed: " + e.displayText() +
                " (for a self-signed gateway certificate, pin it with --tls-fingerprint <sha256>)",
            "tls");
    } catch (const Poco::Net::ConnectionRefusedException&) {
        socket_.reset();
        throw transport(url, "ECONNREFUSED", "connect ECONNREFUSED " + hostPort);
    } catch (const Poco::TimeoutException&) {
        socket_.reset();
        throw transport(url, "ETIMEDOUT", "connect ETIMEDOUT " + hostPort);
    } catch (const Poco::Net::HostNotFoundException&) {
        socket_.reset();
        throw transport(url, "ENOTFOUND", "getaddrinfo ENOTFOUND " + uri.getHost());
    } catch (const Poco::Exception& e) {
        socket_.reset();
        throw transport(url, "ECONNRESET", e.displayText());
    }
    // The upgrade by hand: bytes that arrive together with the 101 response stay in our decoder.
    std::string key = Poco::UUIDGenerator::defaultGenerator().createRandom().toString().substr(0, 16);
    {
        std::ostringstream ss;
        Poco::Base64Encoder enc(ss);
        enc << key;
        enc.close();
        key = ss.str();
    }
    std::string path = uri.getPathEtc().empty() ? "/" : uri.getPathEtc();
    std::string request = "GET " + path + " HTTP/1.1\r\nHost: " + hostPort +
                          "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key +
                          "\r\nSec-WebSocket-Version: 13\r\n";
    for (const auto& [name, value] : headers)
        request += name + ": " + value + "\r\n";
    request += "\r\n";
    std::string head;
    try {
        socket_->sendBytes(request.data(), static_cast<int>(request.size()));
        char buf[4096];
        while (head.find("\r\n\r\n") == std::string::npos) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0 ||
                !socket_->poll(Poco::Timespan(left.count() * 1000), Poco::Net::Socket::SELECT_READ))
                throw GatewayError(GatewayError::Kind::Timeout,
                                   "gateway timeout during the WebSocket upgrade", "timeout");
            int n = socket_->receiveBytes(buf, sizeof buf);
            if (n <= 0) throw transport(url, "ECONNRESET", "socket hang up");
            head.append(buf, static_cast<size_t>(n));
            if (head.size() > 65536) throw transport(url, "EPROTO", "oversized upgrade response");
        }
    } catch (const Poco::Exception& e) {
        throw transport(url, "ECONNRESET", e.displayText());
    }
    size_t endOfHead = head.find("\r\n\r\n") + 4;
    std::string status = head.substr(0, head.find("\r\n"));
    if (status.find(" 101 ") == std::string::npos)
        throw GatewayError(GatewayError::Kind::Transport,
                           "Unexpected server response: " + status.substr(status.find(' ') + 1),
                           "upgrade refused");
    std::string lower = Poco::toLower(head.substr(0, endOfHead));
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
    if (!socket_) throw GatewayError(GatewayError::Kind::Transport, "not connected", "closed");
    try {
        size_t done = 0;
        while (done < bytes.size()) {
            int n = socket_->sendBytes(bytes.data() + done, static_cast<int>(bytes.size() - done));
            if (n <= 0)
                throw GatewayError(GatewayError::Kind::Transport, "gateway closed the connection", "closed");
            done += static_cast<size_t>(n);
        }
    } catch (const Poco::Exception& e) {
        throw GatewayError(GatewayError::Kind::Transport, "gateway closed the connection: " + e.displayText(),
                           "closed");
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
        try {
            if (!socket_->poll(Poco::Timespan(left.count() * 1000), Poco::Net::Socket::SELECT_READ)) continue;
            int n = socket_->receiveBytes(buf, sizeof buf);
            if (n <= 0)
                throw GatewayError(GatewayError::Kind::Transport, "gateway closed the connection", "closed");
            decoder_.feed(buf, static_cast<size_t>(n));
        } catch (const Poco::Exception& e) {
            throw GatewayError(GatewayError::Kind::Transport,
                               "gateway closed the connection: " + e.displayText(), "closed");
        }
    }
}

void WsConnection::close(int code) {
    if (!socket_) return;
    try {
        send(protocol::WsOpcode::Close, protocol::encodeClosePayload(code, ""));
        // Give the server a moment to answer the close; never wait long.
        if (socket_->poll(Poco::Timespan(200000), Poco::Net::Socket::SELECT_READ)) {
            char buf[512];
            socket_->receiveBytes(buf, sizeof buf);
        }
    } catch (...) {
    }
    try {
        socket_->close();
    } catch (...) {
    }
    socket_.reset();
}

} // namespace openclaw::client
