#include "config/Redact.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace openclaw::config {

namespace {

bool isSecretKey(std::string key) {
    std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
    for (const char* s : {"token", "password", "secret", "apikey", "api_key", "privatekey", "credential"})
        if (key.find(s) != std::string::npos) return true;
    return false;
}

} // namespace

json::Var redactSecrets(const json::Var& v) {
    if (json::ObjectPtr o = json::asObject(v)) {
        json::ObjectPtr out = json::makeObject();
        for (const auto& k : o->getNames()) {
            json::Var child = o->get(k);
            if (isSecretKey(k) && (json::isString(child) || json::asObject(child)))
                out->set(k, std::string("__OPENCLAW_REDACTED__"));
            else
                out->set(k, redactSecrets(child));
        }
        return out;
    }
    if (json::ArrayPtr a = json::asArray(v)) {
        json::ArrayPtr out = json::makeArray();
        for (size_t i = 0; i < a->size(); ++i)
            out->add(redactSecrets(a->get(static_cast<unsigned>(i))));
        return out;
    }
    return v;
}

} // namespace openclaw::config
