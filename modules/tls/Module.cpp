// libopenclaw-tls.so: the TLS library the core loads on first use (core/tls/TlsModule.h). POCO NetSSL
// for contexts and client sockets, OpenSSL memory BIOs for the server's reactor sessions.
#include "Certificates.h"
#include "ServerSession.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/X509Certificate.h>

namespace openclaw::tls {

namespace {

class PocoServerContext : public ServerContext {
  public:
    explicit PocoServerContext(Poco::Net::Context::Ptr ctx) : ctx_(std::move(ctx)) {}
    std::unique_ptr<ServerSession> newSession() override {
        return std::make_unique<OpenSslServerSession>(ctx_->sslContext());
    }

  private:
    Poco::Net::Context::Ptr ctx_;
};

class PocoClientStream : public ClientStream {
  public:
    explicit PocoClientStream(const Poco::Net::SecureStreamSocket& s) : socket_(s) {}
    int send(const char* data, int len) override {
        try {
            return socket_.sendBytes(data, len);
        } catch (const Poco::Exception&) {
            return -1;
        }
    }
    int receive(char* data, int len) override {
        try {
            return socket_.receiveBytes(data, len);
        } catch (const Poco::Exception&) {
            return -1;
        }
    }
    bool readable(long long timeoutUs) override {
        try {
            // Decrypted bytes OpenSSL already holds do not show up in poll().
            if (socket_.available() > 0) return true;
            return socket_.poll(Poco::Timespan(timeoutUs), Poco::Net::Socket::SELECT_READ);
        } catch (const Poco::Exception&) {
            return true; // the next receive() reports the failure
        }
    }
    void close() override {
        try {
            socket_.close();
        } catch (const Poco::Exception&) {
        }
    }

  private:
    Poco::Net::SecureStreamSocket socket_;
};

class Library : public Module {
  public:
    Library() { Poco::Net::initializeSSL(); }

    std::unique_ptr<ServerContext> serverContext(const std::string& certPath, const std::string& keyPath,
                                                 std::string& error) override {
        Poco::Net::Context::Params p;
        p.certificateFile = certPath;
        p.privateKeyFile = keyPath;
        p.verificationMode = Poco::Net::Context::VERIFY_NONE; // clients authenticate with the protocol's auth
        p.loadDefaultCAs = false;
        try {
            return std::make_unique<PocoServerContext>(
                new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, p));
        } catch (const Poco::Exception& e) {
            error = "gateway.tls: cannot use " + certPath + " / " + keyPath + ": " + e.displayText();
            return nullptr;
        }
    }

    ClientResult connect(const std::string& host, int port, int timeoutMs,
                         const std::string& pinSha256) override {
        ClientResult r;
        try {
            Poco::Net::Context::Params p;
            // A pin replaces CA verification (gateways use self-signed certificates); without one, verify.
            p.verificationMode =
                pinSha256.empty() ? Poco::Net::Context::VERIFY_RELAXED : Poco::Net::Context::VERIFY_NONE;
            p.loadDefaultCAs = pinSha256.empty();
            Poco::Net::Context::Ptr ctx = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, p);
            Poco::Net::SecureStreamSocket s(ctx);
            s.setPeerHostName(host);
            s.connect(Poco::Net::SocketAddress(host, static_cast<Poco::UInt16>(port)),
                      Poco::Timespan(static_cast<long>(timeoutMs) * 1000));
            s.completeHandshake();
            s.setNoDelay(true);
            if (!pinSha256.empty()) {
                std::string got = fingerprintOf(s.peerCertificate().certificate());
                if (got != pinSha256) {
                    r.error = ConnectError::PinMismatch;
                    r.presented = got;
                    r.message = "TLS fingerprint mismatch";
                    return r;
                }
            }
            r.stream = std::make_unique<PocoClientStream>(std::move(s));
        } catch (const Poco::Net::SSLException& e) {
            r.error = ConnectError::Tls;
            r.message = e.displayText();
        } catch (const Poco::Net::ConnectionRefusedException& e) {
            r.error = ConnectError::Refused;
            r.message = e.displayText();
        } catch (const Poco::TimeoutException& e) {
            r.error = ConnectError::Timeout;
            r.message = e.displayText();
        } catch (const Poco::Net::HostNotFoundException& e) {
            r.error = ConnectError::HostNotFound;
            r.message = e.displayText();
        } catch (const Poco::Exception& e) {
            r.error = ConnectError::Other;
            r.message = e.displayText();
        } catch (const std::exception& e) {
            r.error = ConnectError::Other;
            r.message = e.what();
        }
        return r;
    }

    bool generateSelfSigned(std::string& certPem, std::string& keyPem, std::string& error) override {
        return tls::generateSelfSigned(certPem, keyPem, error);
    }

    bool fingerprint(const std::string& certPem, std::string& sha256, std::string& error) override {
        return fingerprintPem(certPem, sha256, error);
    }
};

} // namespace

} // namespace openclaw::tls

extern "C" __attribute__((visibility("default"))) openclaw::tls::Module* openclaw_tls_module() {
    static openclaw::tls::Library library;
    return &library;
}
