#include "QuickAdmit.hpp"

#include <simdjson.h>

#include <string_view>

namespace openclaw::devices {

namespace {

using simdjson::SUCCESS;
namespace od = simdjson::ondemand;

/// What the rule reads of `connect`; `readable` false for anything the tree path should judge.
struct ConnectFacts {
    bool readable = true;
    bool device = false; ///< a `device` object (the last `device` member decides)
    bool node = false;   ///< role "node"
};

ConnectFacts readConnect(od::value value) {
    ConnectFacts facts;
    od::object connect;
    if (value.get_object().get(connect) != SUCCESS) return facts; // not an object: as if absent
    for (auto member : connect) {
        std::string_view key;
        if (member.unescaped_key().get(key) != SUCCESS) return {false};
        if (key != "device" && key != "role") continue;
        od::json_type type;
        if (member.value().type().get(type) != SUCCESS) return {false};
        if (key == "device") {
            facts.device = type == od::json_type::object;
            continue;
        }
        std::string_view role;
        if (type != od::json_type::string) return {false}; // the tree path says what a strange role means
        if (member.value().get_string().get(role) != SUCCESS) return {false};
        facts.node = role == "node";
    }
    return facts;
}

/// credentials.ok; nothing when it is there but not a boolean.
std::optional<bool> readCredentialsOk(od::value value) {
    od::object credentials;
    if (value.get_object().get(credentials) != SUCCESS) return false;
    bool ok = false;
    for (auto member : credentials) {
        std::string_view key;
        if (member.unescaped_key().get(key) != SUCCESS) return std::nullopt;
        if (key != "ok") continue;
        if (member.value().get_bool().get(ok) != SUCCESS) return std::nullopt;
    }
    return ok;
}

} // namespace

std::optional<std::string> passWithoutDevice(const std::string& requestJson) {
    od::parser
        parser; // per call, not thread_local: see readSentSecrets in plugins/common/SharedSecretAuth.hpp
    const simdjson::padded_string padded(requestJson);
    od::document doc;
    od::object root;
    if (parser.iterate(padded).get(doc) != SUCCESS || doc.get_object().get(root) != SUCCESS)
        return std::nullopt;
    ConnectFacts connect{true, false, false};
    bool credentialsOk = false;
    for (auto member : root) {
        std::string_view key;
        if (member.unescaped_key().get(key) != SUCCESS) return std::nullopt;
        if (key == "connect") {
            connect = readConnect(member.value());
            if (!connect.readable) return std::nullopt;
        } else if (key == "credentials") {
            const std::optional<bool> ok = readCredentialsOk(member.value());
            if (!ok) return std::nullopt;
            credentialsOk = *ok;
        }
    }
    if (connect.device || (credentialsOk && connect.node)) return std::nullopt;
    return std::string(R"({"pass":true})");
}

} // namespace openclaw::devices
