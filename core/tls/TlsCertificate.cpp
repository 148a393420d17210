#include "tls/TlsCertificate.h"

#include "config/AtomicFile.h"
#include "config/Paths.h"

#include <Poco/Net/NetSSL.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cctype>
#include <memory>
#include <mutex>
#include <stdexcept>

namespace openclaw::tls {

namespace {

template <class T, void (*F)(T*)> struct Deleter {
    void operator()(T* p) const { F(p); }
};
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

std::string bioText(BIO* bio) {
    char* data = nullptr;
    long len = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<size_t>(len));
}

X509Ptr readCertificate(const std::string& path) {
    BioPtr bio(BIO_new_file(path.c_str(), "r"));
    if (!bio) throw std::runtime_error("TLS certificate " + path + " cannot be read");
    X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert) throw std::runtime_error("TLS certificate " + path + " is not a PEM certificate");
    return cert;
}

void generate(const std::string& certPath, const std::string& keyPath) {
    KeyPtr key(EVP_EC_gen("P-256"));
    if (!key) throw std::runtime_error("cannot generate a TLS key");
    X509Ptr cert(X509_new());
    X509_set_version(cert.get(), 2);
    unsigned char serial[16];
    RAND_bytes(serial, sizeof serial);
    serial[0] &= 0x7F;
    BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
    BN_free(bn);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3650L * 24 * 3600);
    X509_set_pubkey(cert.get(), key.get());
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("openclaw-gateway"), -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
    X509_EXTENSION* san =
        X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1");
    if (san) {
        X509_add_ext(cert.get(), san, -1);
        X509_EXTENSION_free(san);
    }
    if (!X509_sign(cert.get(), key.get(), EVP_sha256()))
        throw std::runtime_error("cannot sign the TLS certificate");
    BioPtr keyBio(BIO_new(BIO_s_mem()));
    BioPtr certBio(BIO_new(BIO_s_mem()));
    PEM_write_bio_PrivateKey(keyBio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    PEM_write_bio_X509(certBio.get(), cert.get());
    // Key first: a certificate never exists without its key.
    config::writeFileAtomic(keyPath, bioText(keyBio.get()), 0600);
    config::writeFileAtomic(certPath, bioText(certBio.get()), 0644);
}

} // namespace

void initialize() {
    static std::once_flag once;
    std::call_once(once, [] { Poco::Net::initializeSSL(); });
}

std::string fingerprintOf(const X509* cert) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (!cert || !X509_digest(cert, EVP_sha256(), md, &len)) return "";
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned i = 0; i < len; ++i) {
        out += hex[md[i] >> 4];
        out += hex[md[i] & 0xF];
    }
    return out;
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

TlsMaterial ensureCertificate(const config::TlsConfig& tls, const std::string& stateDir) {
    TlsMaterial m;
    m.certPath = tls.certPath.empty() ? stateDir + "/gateway/tls/gateway-cert.pem" : tls.certPath;
    m.keyPath = tls.keyPath.empty() ? stateDir + "/gateway/tls/gateway-key.pem" : tls.keyPath;
    const bool haveCert = config::fileExists(m.certPath);
    const bool haveKey = config::fileExists(m.keyPath);
    if (!haveCert || !haveKey) {
        if (!tls.certPath.empty() || !tls.keyPath.empty())
            throw std::runtime_error(
                "gateway.tls: " + (haveCert ? m.keyPath : m.certPath) +
                " does not exist (fix the path, or remove certPath/keyPath to generate a pair)");
        if (!tls.autoGenerate)
            throw std::runtime_error("gateway.tls is enabled but no certificate exists at " + m.certPath +
                                     " and autoGenerate is false");
        generate(m.certPath, m.keyPath);
        m.generated = true;
    }
    m.sha256 = fingerprintOf(readCertificate(m.certPath).get());
    return m;
}

} // namespace openclaw::tls
