#include "tls/TlsModule.h"

#include "config/Paths.h"
#include "files/AtomicFile.h"

#include <boost/dll/shared_library.hpp>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <mutex>
#include <stdexcept>
#include <unistd.h>

namespace openclaw::tls {

namespace {

std::string modulePath() {
    if (const char* env = std::getenv("OPENCLAW_TLS_MODULE"); env && *env) return env;
    char buf[4096];
    ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0) return "libopenclaw-tls.so";
    std::string exe(buf, static_cast<size_t>(n));
    return exe.substr(0, exe.find_last_of('/')) + "/../lib/openclaw/libopenclaw-tls.so";
}

} // namespace

Module& module() {
    // Loaded once and kept for the life of the process (its objects may live until exit).
    static std::once_flag once;
    static boost::dll::shared_library* library = nullptr;
    static Module* instance = nullptr;
    static std::string failure;
    std::call_once(once, [] {
        const std::string path = modulePath();
        try {
            library = new boost::dll::shared_library(path);
            instance = library->get<Module*()>("openclaw_tls_module")();
        } catch (const std::exception& e) {
            failure = "TLS support is unavailable: cannot load " + path + " (" + e.what() +
                      "); reinstall openclaw or set OPENCLAW_TLS_MODULE";
        }
    });
    if (!instance) throw std::runtime_error(failure);
    return *instance;
}

TlsMaterial ensureCertificate(const config::TlsConfig& tls, const std::string& stateDir) {
    TlsMaterial m;
    m.certPath = tls.certPath.empty() ? stateDir + "/gateway/tls/gateway-cert.pem" : tls.certPath;
    m.keyPath = tls.keyPath.empty() ? stateDir + "/gateway/tls/gateway-key.pem" : tls.keyPath;
    const bool haveCert = config::fileExists(m.certPath);
    const bool haveKey = config::fileExists(m.keyPath);
    std::string error;
    if (!haveCert || !haveKey) {
        if (!tls.certPath.empty() || !tls.keyPath.empty())
            throw std::runtime_error(
                "gateway.tls: " + (haveCert ? m.keyPath : m.certPath) +
                " does not exist (fix the path, or remove certPath/keyPath to generate a pair)");
        if (!tls.autoGenerate)
            throw std::runtime_error("gateway.tls is enabled but no certificate exists at " + m.certPath +
                                     " and autoGenerate is false");
        std::string certPem, keyPem;
        if (!module().generateSelfSigned(certPem, keyPem, error)) throw std::runtime_error(error);
        // Key first: a certificate never exists without its key.
        files::writeFileAtomic(m.keyPath, keyPem, 0600);
        files::writeFileAtomic(m.certPath, certPem, 0644);
        m.generated = true;
    }
    const std::string pem = files::readWholeFile(m.certPath).value_or("");
    if (pem.empty()) throw std::runtime_error("TLS certificate " + m.certPath + " cannot be read");
    if (!module().fingerprint(pem, m.sha256, error))
        throw std::runtime_error("TLS certificate " + m.certPath + ": " + error);
    return m;
}

std::string normalizeFingerprint(const std::string& text) {
    std::string s = text;
    if (s.rfind("sha256:", 0) == 0 || s.rfind("SHA256:", 0) == 0) s = s.substr(7);
    std::string out;
    for (char c : s)
        if (std::isxdigit(static_cast<unsigned char>(c)))
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

} // namespace openclaw::tls
