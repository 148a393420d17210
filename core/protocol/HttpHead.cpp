#include "protocol/HttpHead.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace openclaw::protocol {

namespace {

// Bounds a request head must keep (a connection's head is read whole before this runs).
constexpr size_t kMaxLine = 16384;
constexpr size_t kMaxFields = 100;

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string trim(const std::string& s) {
    const size_t b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

/// The next line (without CR LF) from `at`; false at the end of the block.
bool nextLine(const std::string& block, size_t& at, std::string& line) {
    if (at >= block.size()) return false;
    size_t end = block.find('\n', at);
    if (end == std::string::npos) end = block.size();
    line = block.substr(at, end - at);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    at = end + 1;
    return true;
}

/// The path of a request target ("/readyz?x=1" or "http://host/readyz"), percent-decoded; false when
/// malformed.
bool targetPath(const std::string& target, std::string& path) {
    std::string rest = target;
    for (const char* scheme : {"http://", "https://", "ws://", "wss://"}) {
        if (lower(rest.substr(0, std::char_traits<char>::length(scheme))) == scheme) {
            const size_t slash = rest.find('/', std::char_traits<char>::length(scheme));
            rest = slash == std::string::npos ? "/" : rest.substr(slash);
            break;
        }
    }
    rest = rest.substr(0, rest.find_first_of("?#"));
    path.clear();
    for (size_t i = 0; i < rest.size(); ++i) {
        if (rest[i] != '%') {
            path += rest[i];
            continue;
        }
        if (i + 2 >= rest.size() || !std::isxdigit(static_cast<unsigned char>(rest[i + 1])) ||
            !std::isxdigit(static_cast<unsigned char>(rest[i + 2])))
            return false;
        path += static_cast<char>(std::stoi(rest.substr(i + 1, 2), nullptr, 16));
        i += 2;
    }
    return true;
}

} // namespace

HttpHead parseHttpHead(const std::string& block) {
    HttpHead h;
    size_t at = 0;
    std::string line;
    if (!nextLine(block, at, line) || line.size() > kMaxLine) {
        h.error = "no request line";
        return h;
    }
    const size_t sp1 = line.find(' ');
    const size_t sp2 = sp1 == std::string::npos ? std::string::npos : line.find(' ', sp1 + 1);
    if (sp1 == std::string::npos || sp2 == std::string::npos || sp1 == 0 || sp2 == sp1 + 1) {
        h.error = "malformed request line";
        return h;
    }
    const std::string version = trim(line.substr(sp2 + 1));
    if (version != "HTTP/1.1" && version != "HTTP/1.0") {
        h.error = "not an HTTP/1.x request (version \"" + version + "\")";
        return h;
    }
    const std::string target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    if (!targetPath(target, h.path)) {
        h.error = "malformed request target";
        return h;
    }
    if (const size_t q = target.find('?'); q != std::string::npos)
        h.query =
            target.substr(q + 1, target.find('#', q) == std::string::npos ? std::string::npos
                                                                          : target.find('#', q) - q - 1);
    std::map<std::string, std::string> fields; // lower-cased name -> first value
    size_t count = 0;
    while (nextLine(block, at, line) && !line.empty()) {
        const size_t colon = line.find(':');
        if (colon == std::string::npos || colon == 0 || line.size() > kMaxLine || ++count > kMaxFields) {
            h.error = "malformed header field";
            return h;
        }
        fields.emplace(lower(trim(line.substr(0, colon))), trim(line.substr(colon + 1)));
    }
    auto field = [&fields](const char* name) {
        auto it = fields.find(name);
        return it == fields.end() ? std::string() : it->second;
    };
    h.ok = true;
    h.method = block.substr(0, sp1);
    const std::string connection = lower(field("connection"));
    h.keepAlive = connection.empty() ? version == "HTTP/1.1" : connection != "close";
    h.upgradeWebSocket = lower(field("upgrade")) == "websocket";
    h.wsKey = field("sec-websocket-key");
    h.wsVersion = field("sec-websocket-version");
    h.connectionUpgrade = connection.find("upgrade") != std::string::npos;
    h.origin = field("origin");
    // As the reference (the `ws` library default): the first offered subprotocol is echoed.
    const std::string offered = field("sec-websocket-protocol");
    h.firstSubprotocol = trim(offered.substr(0, offered.find(',')));
    h.headers = std::move(fields);
    return h;
}

} // namespace openclaw::protocol
