// Shared-secret auth (token or password) for the auth-token and auth-password plugins.
// Plugin-side code: depends on the SDK, POCO (JSON, and Foundation's SHA-256) and simdjson (the per-connect
// read), never on the core.
// Not OpenSSL: the gateway is already mapping POCO, and leaving libcrypto out keeps a gateway
// without TLS smaller and quicker to start (docs/performance.md).
//
// The secret is the gateway's effective one (the host resolves CLI flag > config > environment);
// when the host has none, the plugin falls back to the environment variable itself.
// Comparison hashes both sides with SHA-256 and compares the digests in constant time,
// so neither the content nor the length of the secret leaks through timing.
#pragma once

#include "openclaw/plugin.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <Poco/SHA2Engine.h>

#include <simdjson.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

namespace openclaw::auth {

/// Which secret a plugin checks.
struct SecretKind {
    const char* mode;        ///< "token" | "password"
    const char* field;       ///< key in connect.params.auth
    const char* envVar;      ///< OPENCLAW_GATEWAY_TOKEN | OPENCLAW_GATEWAY_PASSWORD
    const char* detailsCode; ///< AUTH_TOKEN_MISMATCH | AUTH_PASSWORD_MISMATCH
    const char* authReason;  ///< token_mismatch | password_mismatch
    const char* message;     ///< the reference's message
};

/// True when a and b are equal; time depends on neither content nor length.
inline bool secretsEqual(const std::string& a, const std::string& b) {
    Poco::SHA2Engine ha(Poco::SHA2Engine::SHA_256);
    Poco::SHA2Engine hb(Poco::SHA2Engine::SHA_256);
    ha.update(a);
    hb.update(b);
    const Poco::DigestEngine::Digest& da = ha.digest();
    const Poco::DigestEngine::Digest& db = hb.digest();
    // Every byte is looked at whatever the earlier ones were; volatile keeps the compiler from
    // turning the loop into an early-exit comparison.
    volatile unsigned char diff = 0;
    for (size_t i = 0; i < da.size() && i < db.size(); ++i)
        diff = static_cast<unsigned char>(diff | (da[i] ^ db[i]));
    return diff == 0 && da.size() == db.size();
}

/// What a connect sent in `auth`: each of token and password when it is a string.
struct SentSecrets {
    std::optional<std::string> token;
    std::optional<std::string> password;
};

/// `auth.token` and `auth.password` of a verify request, read without a tree (simdjson On-Demand): this runs
/// for every connect, on the connection's thread. Nothing when the request does not read as expected (the
/// caller then takes the tree path, whose answer for such a request stands).
inline std::optional<SentSecrets> readSentSecrets(const std::string& requestJson) {
    // One parser per call, not a thread_local: a thread_local with a destructor in a plugin (a dlopen'ed
    // module) is destroyed by the exiting thread in memory the loader frees later, which ThreadSanitizer
    // reports, and it would pin the module. Its buffers are a few small allocations for a request this size.
    simdjson::ondemand::parser parser;
    const simdjson::padded_string padded(requestJson);
    simdjson::ondemand::document doc;
    simdjson::ondemand::object root;
    if (parser.iterate(padded).get(doc) != simdjson::SUCCESS ||
        doc.get_object().get(root) != simdjson::SUCCESS)
        return std::nullopt;
    SentSecrets sent;
    for (auto member : root) {
        std::string_view key;
        if (member.unescaped_key().get(key) != simdjson::SUCCESS) return std::nullopt;
        if (key != "auth") continue;
        sent = SentSecrets{}; // a later "auth" replaces an earlier one, as in a tree
        simdjson::ondemand::object auth;
        if (member.value().get_object().get(auth) != simdjson::SUCCESS) continue; // not an object: none sent
        for (auto field : auth) {
            std::string_view name;
            if (field.unescaped_key().get(name) != simdjson::SUCCESS) return std::nullopt;
            std::optional<std::string>* slot = name == "token"      ? &sent.token
                                               : name == "password" ? &sent.password
                                                                    : nullptr;
            if (!slot) continue;
            simdjson::ondemand::value value = field.value();
            simdjson::ondemand::json_type type;
            if (value.type().get(type) != simdjson::SUCCESS) return std::nullopt;
            std::string_view text;
            if (type != simdjson::ondemand::json_type::string) {
                slot->reset();
            } else if (value.get_string().get(text) == simdjson::SUCCESS) {
                *slot = std::string(text);
            } else {
                return std::nullopt;
            }
        }
    }
    return sent;
}

/// The same through a tree, for a request readSentSecrets() did not take (throws on one that is not JSON).
inline SentSecrets sentSecretsFromTree(const std::string& requestJson) {
    Poco::JSON::Parser parser;
    Poco::JSON::Object::Ptr req = parser.parse(requestJson).extract<Poco::JSON::Object::Ptr>();
    Poco::JSON::Object::Ptr auth = req->has("auth") ? req->getObject("auth") : nullptr;
    SentSecrets sent;
    for (auto [name, slot] : {std::pair{"token", &sent.token}, std::pair{"password", &sent.password}})
        if (auth && auth->has(name) && auth->get(name).isString()) *slot = auth->getValue<std::string>(name);
    return sent;
}

/// The auth plugin body shared by token and password modes.
class SharedSecretAuth : public Plugin {
  public:
    SharedSecretAuth(Host host, const SecretKind& kind) : Plugin(host), kind_(kind) {
        secret_ = resolveSecret();
        // Only the plugin serving the configured mode has a reason to complain.
        if (!secret_ && activeMode() == kind_.mode)
            host.warn("auth", std::string("no gateway ") + kind_.mode + " configured (set gateway.auth." +
                                  kind_.mode + " or " + kind_.envVar + ")");
    }

    /// A hash of two short strings: cheap enough for the connection's own thread (no worker round trip).
    static uint32_t authFlags() { return OC_AUTH_NEVER_BLOCKS; }

    std::string verifyAuth(const std::string& requestJson) override {
        const std::optional<SentSecrets> read = readSentSecrets(requestJson);
        const SentSecrets sent = read ? *read : sentSecretsFromTree(requestJson);
        if (!sent.token && !sent.password) {
            // What the reference answers when no shared secret and no device identity came.
            return R"({"ok":false,"code":"NOT_PAIRED","message":"device identity required",)"
                   R"("details":{"code":"DEVICE_IDENTITY_REQUIRED"}})";
        }
        const std::optional<std::string>& provided =
            std::string_view(kind_.field) == "token" ? sent.token : sent.password;
        // A secret of the other kind counts as a mismatch of ours (as the reference reports it).
        if (secret_ && provided && secretsEqual(*provided, *secret_)) return R"({"ok":true})";
        return std::string(R"({"ok":false,"code":"INVALID_REQUEST","message":)") + jsonQuote(kind_.message) +
               R"(,"details":{"code":)" + jsonQuote(kind_.detailsCode) + R"(,"authReason":)" +
               jsonQuote(kind_.authReason) +
               R"(,"canRetryWithDeviceToken":false,"recommendedNextStep":"update_auth_credentials"}})";
    }

  private:
    std::string activeMode() const {
        try {
            Poco::JSON::Parser parser;
            auto gw = parser.parse(host().config("gateway")).extract<Poco::JSON::Object::Ptr>();
            auto auth = gw->has("auth") ? gw->getObject("auth") : nullptr;
            return auth && auth->has("mode") ? auth->getValue<std::string>("mode") : "";
        } catch (...) {
            return "";
        }
    }

    std::optional<std::string> resolveSecret() const {
        try {
            Poco::JSON::Parser parser;
            auto gw = parser.parse(host().config("gateway")).extract<Poco::JSON::Object::Ptr>();
            auto auth = gw->has("auth") ? gw->getObject("auth") : nullptr;
            if (auth && auth->has(kind_.mode) && auth->get(kind_.mode).isString()) {
                std::string s = auth->getValue<std::string>(kind_.mode);
                if (!s.empty()) return s;
            }
        } catch (...) {
            // fall through to the environment
        }
        if (const char* env = std::getenv(kind_.envVar); env && *env) return std::string(env);
        return std::nullopt;
    }

    SecretKind kind_;
    std::optional<std::string> secret_;
};

} // namespace openclaw::auth
