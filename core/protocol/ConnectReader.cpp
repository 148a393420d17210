// The connect params read without a tree: every connect comes through here, and a POCO tree of them (a node,
// a holder and a string per member) was most of what the core still allocated per handshake. Only a connect
// that parseConnect would accept as it is gets read here; for anything else the reader gives up and the tree
// path decides, with its messages in its order. The rules stay the tree path's: this reader only recognises
// a connect that keeps them all (the frame fuzzer checks that both agree on every connect it reads).
#include "protocol/Connect.h"

#include "json/OnDemand.h"
#include "json/RawJson.h"

#include <algorithm>
#include <initializer_list>

namespace openclaw::protocol {

namespace {

namespace od = simdjson::ondemand;
using simdjson::error_code;

/// What the reader answers for anything it leaves to the tree path (any code but SUCCESS would do).
constexpr error_code kNotPlain = simdjson::INCORRECT_TYPE;

/// The members read, one bit each, so a repeated one is seen (the tree keeps the last; the reader gives up).
enum Member : unsigned {
    MinProtocol = 1U << 0,
    MaxProtocol = 1U << 1,
    Client = 1U << 2,
    Caps = 1U << 3,
    Commands = 1U << 4,
    Permissions = 1U << 5,
    Role = 1U << 6,
    Scopes = 1U << 7,
    Auth = 1U << 8,
    ClientId = 1U << 9,
    ClientVersion = 1U << 10,
    ClientPlatform = 1U << 11,
    ClientMode = 1U << 12,
    DeviceFamily = 1U << 13,
    InstanceId = 1U << 14,
    DisplayName = 1U << 15,
};

/// Marks `bit` in `seen`; false when it was there already.
bool firstTime(unsigned& seen, unsigned bit) {
    if ((seen & bit) != 0) return false;
    seen |= bit;
    return true;
}

/// Calls `visit(key, value)` for each member of `o` in document order; the first error stops it. The key is
/// read before its value, so `visit` compares it before reading the value (or copies it first).
template <typename Visit> error_code forEachMember(od::object o, Visit visit) {
    for (auto member : o) {
        od::field f;
        SIMDJSON_TRY(std::move(member).get(f));
        std::string_view key;
        SIMDJSON_TRY(f.unescaped_key().get(key));
        SIMDJSON_TRY(visit(key, f.value()));
    }
    return simdjson::SUCCESS;
}

bool oneOf(const std::string& s, const std::vector<std::string>& allowed) {
    return std::find(allowed.begin(), allowed.end(), s) != allowed.end();
}

error_code readString(od::value v, std::string& out) {
    std::string_view text;
    SIMDJSON_TRY(v.get_string().get(text));
    out.assign(text);
    return simdjson::SUCCESS;
}

/// A protocol number written as a plain integer from 1 to 999 999 999 (the tree path clamps at 1e9 and takes
/// 4.0 or 4e0 too: those go to it).
error_code readProtocol(od::value v, int& out) {
    const std::string_view token = json::trimWhitespace(v.raw_json_token());
    if (token.empty() || token.size() > 9 || token.find_first_not_of("0123456789") != std::string_view::npos)
        return kNotPlain;
    uint64_t n = 0;
    SIMDJSON_TRY(v.get_uint64().get(n));
    if (n < 1) return kNotPlain;
    out = static_cast<int>(n);
    return simdjson::SUCCESS;
}

error_code readStrings(od::value v, std::vector<std::string>& out) {
    od::array a;
    SIMDJSON_TRY(v.get_array().get(a));
    for (auto element : a) {
        od::value item;
        SIMDJSON_TRY(element.get(item));
        std::string_view text;
        SIMDJSON_TRY(item.get_string().get(text));
        out.emplace_back(text);
    }
    return simdjson::SUCCESS;
}

error_code readPermissions(od::value v, std::vector<std::pair<std::string, bool>>& out) {
    od::object o;
    SIMDJSON_TRY(v.get_object().get(o));
    return forEachMember(o, [&out](std::string_view name, od::value granted) {
        const bool repeated =
            std::any_of(out.begin(), out.end(), [&](const auto& p) { return p.first == name; });
        if (repeated) return kNotPlain;
        out.emplace_back(std::string(name), false);
        return granted.get_bool().get(out.back().second);
    });
}

error_code readClientMember(std::string_view key, od::value v, unsigned& seen, ClientInfo& c) {
    const std::initializer_list<std::pair<std::string_view, std::pair<unsigned, std::string*>>> fields = {
        {"id", {ClientId, &c.id}},
        {"version", {ClientVersion, &c.version}},
        {"platform", {ClientPlatform, &c.platform}},
        {"mode", {ClientMode, &c.mode}},
        {"deviceFamily", {DeviceFamily, &c.deviceFamily}},
        {"instanceId", {InstanceId, &c.instanceId}},
        {"displayName", {DisplayName, &c.displayName}}};
    for (const auto& [name, slot] : fields)
        if (key == name) return firstTime(seen, slot.first) ? readString(v, *slot.second) : kNotPlain;
    return simdjson::SUCCESS; // another member: the schema lets it be
}

error_code readClient(od::value v, unsigned& seen, ClientInfo& c) {
    od::object o;
    SIMDJSON_TRY(v.get_object().get(o));
    SIMDJSON_TRY(forEachMember(
        o, [&](std::string_view key, od::value value) { return readClientMember(key, value, seen, c); }));
    const unsigned required = ClientId | ClientVersion | ClientPlatform | ClientMode;
    if ((seen & required) != required || !oneOf(c.id, clientIds()) || !oneOf(c.mode, clientModes()))
        return kNotPlain;
    return simdjson::SUCCESS;
}

/// `auth`: an object whose secrets are strings, no member repeated; its text is kept as written (from its
/// first byte to where the document stands after it).
error_code readAuth(od::document& doc, od::value v, ConnectParams& c) {
    const char* start = v.raw_json_token().data();
    od::object o;
    SIMDJSON_TRY(v.get_object().get(o));
    std::vector<std::string> names;
    SIMDJSON_TRY(forEachMember(o, [&names](std::string_view key, od::value value) {
        if (std::find(names.begin(), names.end(), key) != names.end()) return kNotPlain;
        names.emplace_back(key);
        const bool secret =
            key == "token" || key == "password" || key == "deviceToken" || key == "bootstrapToken";
        od::json_type type{};
        if (secret && (value.type().get(type) != simdjson::SUCCESS || type != od::json_type::string))
            return kNotPlain;
        return simdjson::SUCCESS;
    }));
    const char* end = nullptr;
    SIMDJSON_TRY(doc.current_location().get(end));
    c.authJson = std::string(json::trimWhitespace(std::string_view(start, static_cast<size_t>(end - start))));
    const auto sent = [&names](const char* name) {
        return std::find(names.begin(), names.end(), name) != names.end();
    };
    c.providedAuth = sent("password") ? "password" : sent("token") ? "token" : "none";
    return simdjson::SUCCESS;
}

error_code readMember(od::document& doc, std::string_view key, od::value v, unsigned& seen,
                      ConnectParams& c) {
    const auto once = [&seen](unsigned bit) { return firstTime(seen, bit); };
    if (key == "minProtocol") return once(MinProtocol) ? readProtocol(v, c.minProtocol) : kNotPlain;
    if (key == "maxProtocol") return once(MaxProtocol) ? readProtocol(v, c.maxProtocol) : kNotPlain;
    if (key == "client") return once(Client) ? readClient(v, seen, c.client) : kNotPlain;
    if (key == "caps") return once(Caps) ? readStrings(v, c.caps) : kNotPlain;
    if (key == "commands") return once(Commands) ? readStrings(v, c.commands) : kNotPlain;
    if (key == "scopes") return once(Scopes) ? readStrings(v, c.scopes) : kNotPlain;
    if (key == "permissions") return once(Permissions) ? readPermissions(v, c.permissions) : kNotPlain;
    if (key == "role") return once(Role) ? readString(v, c.role) : kNotPlain;
    if (key == "auth") return once(Auth) ? readAuth(doc, v, c) : kNotPlain;
    if (key == "device") return kNotPlain; // its proof is the devices plugin's; its shape the tree path's
    return simdjson::SUCCESS;              // another member: the schema lets it be
}

error_code readParams(od::document& doc, ConnectParams& c) {
    od::object root;
    SIMDJSON_TRY(doc.get_object().get(root));
    unsigned seen = 0;
    SIMDJSON_TRY(forEachMember(
        root, [&](std::string_view key, od::value value) { return readMember(doc, key, value, seen, c); }));
    const unsigned required = MinProtocol | MaxProtocol | Client;
    const bool knownRole = c.role == "operator" || c.role == "node" || c.role == "worker";
    if ((seen & required) != required || !knownRole) return kNotPlain;
    if (c.minProtocol > kProtocolVersion || c.maxProtocol < kProtocolVersion) return kNotPlain;
    return simdjson::SUCCESS;
}

} // namespace

std::optional<ConnectParams> readPlainConnect(std::string_view paramsJson) {
    ConnectParams c;
    if (json::readDocument(paramsJson, [&c](od::document& doc) { return readParams(doc, c); }) !=
        simdjson::SUCCESS)
        return std::nullopt;
    return c;
}

std::variant<ConnectParams, HandshakeError> parseConnectText(const std::string& paramsJson) {
    if (!paramsJson.empty())
        if (std::optional<ConnectParams> plain = readPlainConnect(paramsJson)) return std::move(*plain);
    return parseConnect(paramsJson.empty() ? json::Var() : json::parse(paramsJson));
}

} // namespace openclaw::protocol
