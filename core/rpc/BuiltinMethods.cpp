#include "rpc/BuiltinMethods.h"

#include "config/Redact.h"

#include "protocol/Scopes.h"
#include "protocol/Timestamp.h"
#include "version.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/SHA2Engine.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <set>

namespace openclaw::rpc {

namespace {

RpcFailure invalidParams(const std::string& method, const std::string& detail) {
    return RpcFailure(Registry::invalidRequest("invalid " + method + " params: " + detail));
}

/// Closed-object check: every key of params must be in `allowed`.
json::ObjectPtr closedParams(const std::string& method, const json::Var& params,
                             const std::set<std::string>& allowed) {
    if (params.isEmpty()) return json::makeObject();
    json::ObjectPtr o = json::asObject(params);
    if (!o) throw invalidParams(method, "at root: must be object");
    for (const auto& k : o->getNames())
        if (!allowed.count(k)) throw invalidParams(method, "at root: unexpected property '" + k + "'");
    return o;
}

std::optional<long long> intParam(const std::string& method, const json::ObjectPtr& o, const std::string& key,
                                  long long min, long long max) {
    if (!o->has(key)) return std::nullopt;
    json::Var v = o->get(key);
    if (!json::isInteger(v)) throw invalidParams(method, "at /" + key + ": must be integer");
    const std::optional<long long> fits = json::asInt64(v);
    if (!fits) throw invalidParams(method, "at /" + key + ": must be <= " + std::to_string(max));
    const long long n = *fits;
    if (n < min) throw invalidParams(method, "at /" + key + ": must be >= " + std::to_string(min));
    if (n > max) throw invalidParams(method, "at /" + key + ": must be <= " + std::to_string(max));
    return n;
}

std::string configHash(const json::Var& raw) {
    Poco::SHA2Engine sha;
    sha.update(json::stringify(raw));
    return "sha256:" + Poco::DigestEngine::digestToHex(sha.digest());
}

} // namespace

namespace {

/// Whether a log line is a record written before `cutoff` (ms since the epoch). A line that is not a record
/// (or has an unreadable time) is kept: tail shows it as it is.
bool olderThan(const std::string& line, long long cutoff) {
    try {
        json::ObjectPtr rec = json::asObject(json::parse(line));
        auto t = rec ? json::getString(rec, "time") : std::nullopt;
        if (!t) return false;
        int tz = 0;
        Poco::DateTime dt = Poco::DateTimeParser::parse(Poco::DateTimeFormat::ISO8601_FRAC_FORMAT, *t, tz);
        return dt.timestamp().epochMicroseconds() / 1000 - static_cast<long long>(tz) * 1000 < cutoff;
    } catch (const std::exception&) {
        return false;
    }
}

/// The byte range of the log a tail reads.
struct TailWindow {
    long long size = 0;
    long long start = 0;
    long long end = 0;
    bool reset = false; ///< the cursor was past the end: the file was rotated or truncated
};

TailWindow windowOf(long long size, std::optional<long long> cursor, long long maxBytes) {
    TailWindow w;
    w.size = size;
    if (cursor) {
        w.start = *cursor;
        if (w.start > size) {
            w.reset = true; // start over
            w.start = 0;
        }
    } else {
        w.start = std::max(0LL, size - maxBytes);
    }
    w.end = std::min(size, w.start + maxBytes);
    return w;
}

/// The whole, non-empty lines of data[0, consumed), those older than `sinceMs` left out.
std::vector<std::string> wholeLines(const std::string& data, long long consumed,
                                    std::optional<long long> sinceMs, long long now) {
    std::vector<std::string> lines;
    size_t pos = 0;
    while (pos < static_cast<size_t>(consumed)) {
        size_t nl = data.find('\n', pos);
        std::string line = data.substr(pos, nl - pos);
        pos = nl + 1;
        if (line.empty() || (sinceMs && olderThan(line, now - *sinceMs))) continue;
        lines.push_back(std::move(line));
    }
    return lines;
}

} // namespace

json::ObjectPtr tailLogFile(const std::string& path, const json::Var& params, long long now) {
    const std::string m = "logs.tail";
    json::ObjectPtr p = closedParams(m, params, {"cursor", "limit", "maxBytes", "sinceMs"});
    auto cursor = intParam(m, p, "cursor", 0, 1LL << 50);
    long long limit = intParam(m, p, "limit", 1, 5000).value_or(500);
    long long maxBytes = intParam(m, p, "maxBytes", 1, 1000000).value_or(250000);
    auto sinceMs = intParam(m, p, "sinceMs", 0, 1LL << 50);

    std::ifstream in(path, std::ios::binary);
    if (in) in.seekg(0, std::ios::end);
    const TailWindow w = windowOf(in ? static_cast<long long>(in.tellg()) : 0, cursor, maxBytes);
    bool truncated = cursor && w.end < w.size;
    std::string data;
    if (in && w.end > w.start) {
        data.resize(static_cast<size_t>(w.end - w.start));
        in.seekg(w.start);
        in.read(&data[0], static_cast<std::streamsize>(data.size()));
    }
    long long skipped = 0;
    if (w.start > 0 && !cursor) {
        // Started mid-line: drop the partial first line.
        size_t nl = data.find('\n');
        skipped =
            nl == std::string::npos ? static_cast<long long>(data.size()) : static_cast<long long>(nl + 1);
        data.erase(0, static_cast<size_t>(skipped));
    }
    // Only whole lines; a partial last line is left for the next cursor.
    size_t lastNl = data.rfind('\n');
    long long consumed = lastNl == std::string::npos ? 0 : static_cast<long long>(lastNl + 1);
    std::vector<std::string> lines = wholeLines(data, consumed, sinceMs, now);
    if (static_cast<long long>(lines.size()) > limit) {
        lines.erase(lines.begin(), lines.end() - limit);
        if (cursor) truncated = true;
    }
    json::ObjectPtr out = json::makeObject();
    out->set("file", path);
    json::ArrayPtr arr = json::makeArray();
    for (const auto& l : lines)
        arr->add(l);
    out->set("cursor", static_cast<Poco::Int64>(w.start + skipped + consumed));
    out->set("size", static_cast<Poco::Int64>(w.size));
    out->set("lines", arr);
    if (truncated) out->set("truncated", true);
    if (w.reset) out->set("reset", true);
    if (skipped) out->set("skippedBytes", static_cast<Poco::Int64>(skipped));
    return out;
}

namespace {

/// The `status` payload: the reference's shape, with what this gateway has.
json::ObjectPtr statusOf(GatewayState& state) {
    json::ObjectPtr s = json::makeObject();
    s->set("runtimeVersion", std::string(OPENCLAW_VERSION));
    json::ObjectPtr desk = json::makeObject();
    desk->set("enabled", false);
    desk->set("state", std::string("disabled"));
    desk->set("port", 5900);
    s->set("hostDesktop", desk);
    json::ObjectPtr hb = json::makeObject();
    hb->set("defaultAgentId", std::string("main"));
    hb->set("agents", json::makeArray());
    s->set("heartbeat", hb);
    s->set("channelSummary", json::makeArray());
    s->set("queuedSystemEvents", json::makeArray());
    s->set("degradedSecretOwners", json::makeArray());
    json::ObjectPtr health = state.health();
    json::ObjectPtr plugins = json::getObject(health, "plugins");
    s->set("degradedPlugins", plugins ? plugins->get("errors") : json::Var(json::makeArray()));
    json::ObjectPtr tasks = json::makeObject();
    for (const char* k : {"total", "active", "terminal", "failures"})
        tasks->set(k, 0);
    s->set("tasks", tasks);
    json::ObjectPtr sessions = json::makeObject();
    sessions->set("paths", json::makeArray());
    sessions->set("count", 0);
    sessions->set("recent", json::makeArray());
    sessions->set("byAgent", json::makeArray());
    s->set("sessions", sessions);
    s->set("gateway", state.runtimeStatus());
    return s;
}

/// The `config.get` payload: the file, whether it is valid, its hash, and its content with secrets hidden.
json::ObjectPtr configOf(const config::GatewayConfig& c) {
    json::ObjectPtr out = json::makeObject();
    out->set("path", c.paths.configPath);
    out->set("exists", c.fileExists);
    out->set("valid", true);
    out->set("hash", configHash(c.raw));
    out->set("config", config::redactSecrets(c.raw));
    return out;
}

/// Methods reference clients know that this gateway refuses (admin-only there too).
void registerRefusals(Registry& r) {
    // Writing config is not implemented here yet, so admins get a clear refusal and everyone else the
    // reference's missing-scope answer.
    r.add(
        "config.set", protocol::scope::kAdmin,
        [](const CallContext&, const json::Var&) -> json::Var {
            throw RpcFailure({"UNAVAILABLE",
                              "config.set is not implemented by this gateway yet; edit the config file and "
                              "send SIGUSR1 (or restart) to apply it",
                              json::Var(), false, std::nullopt});
        },
        Runs::Inline);
    // A second connect after hello-ok: admin only, and refused even then.
    r.add(
        "connect", protocol::scope::kAdmin,
        [](const CallContext&, const json::Var&) -> json::Var {
            throw RpcFailure(Registry::invalidRequest("invalid handshake: already connected"));
        },
        Runs::Inline);
}

} // namespace

void registerBuiltins(Registry& r, GatewayState& state) {
    r.addSerialized(
        "health", "",
        [&state](const CallContext&, const json::Var& params) -> std::string {
            json::ObjectPtr p = json::asObject(params);
            if (!params.isEmpty() && !p) throw invalidParams("health", "at root: must be object");
            std::shared_ptr<const std::string> h =
                state.healthJson(p && json::getBool(p, "probe").value_or(false));
            state.healthServed();
            return *h;
        },
        Runs::Inline);
    r.add(
        "status", protocol::scope::kRead,
        [&state](const CallContext&, const json::Var&) -> json::Var { return statusOf(state); },
        Runs::Inline);
    r.add(
        "system-presence", protocol::scope::kRead,
        [&state](const CallContext&, const json::Var&) -> json::Var { return state.presence(); },
        Runs::Inline);
    r.add(
        "config.get", protocol::scope::kRead,
        [&state](const CallContext&, const json::Var& params) -> json::Var {
            closedParams("config.get", params, {});
            return configOf(*state.config());
        },
        Runs::Inline);
    r.add("logs.tail", protocol::scope::kRead,
          [&state](const CallContext&, const json::Var& params) -> json::Var {
              return tailLogFile(state.logFile(), params, protocol::nowMs());
          });
    registerRefusals(r);
    for (const char* e : {"connect.challenge", "presence", "tick", "shutdown", "health", "heartbeat"})
        r.addEvent(e);
}

} // namespace openclaw::rpc
