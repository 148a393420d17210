#include "UnicastBrowser.hpp"

#include <ares.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <sys/select.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>

namespace openclaw::bonjour {

namespace {

using Clock = std::chrono::steady_clock;

/// c-ares needs one library init per process.
bool aresReady() {
    static const bool ok = ares_library_init(ARES_LIB_INIT_ALL) == ARES_SUCCESS;
    return ok;
}

struct Query {
    std::string domain;
    std::map<std::string, FoundBeacon> beacons; ///< by instance name (the PTR target)
    ares_channel channel = nullptr;
    std::string error;
};

struct InstanceQuery {
    Query* q;
    std::string name;
};

std::string instanceOf(const std::string& ptrTarget, const std::string& domain) {
    // "<instance>._openclaw-gw._tcp.<domain>" → "<instance>"
    const std::string tail = std::string(".") + kServiceType + "." + domain;
    std::string t = ptrTarget;
    if (!t.empty() && t.back() != '.') t += '.';
    if (t.size() > tail.size() && t.compare(t.size() - tail.size(), tail.size(), tail) == 0)
        return unescapeLabel(t.substr(0, t.size() - tail.size()));
    return unescapeLabel(ptrTarget);
}

void onSrv(void* arg, int status, int, unsigned char* buf, int len) {
    std::unique_ptr<InstanceQuery> iq(static_cast<InstanceQuery*>(arg));
    if (status != ARES_SUCCESS) return;
    ares_srv_reply* srv = nullptr;
    if (ares_parse_srv_reply(buf, len, &srv) != ARES_SUCCESS || !srv) return;
    FoundBeacon& b = iq->q->beacons[iq->name];
    std::string host = srv->host ? srv->host : "";
    if (!host.empty() && host.back() == '.') host.pop_back();
    b.host = host;
    b.port = srv->port;
    ares_free_data(srv);
}

void onTxt(void* arg, int status, int, unsigned char* buf, int len) {
    std::unique_ptr<InstanceQuery> iq(static_cast<InstanceQuery*>(arg));
    if (status != ARES_SUCCESS) return;
    ares_txt_ext* txt = nullptr;
    if (ares_parse_txt_reply_ext(buf, len, &txt) != ARES_SUCCESS) return;
    std::string wire;
    for (ares_txt_ext* t = txt; t; t = t->next) {
        const size_t n = std::min<size_t>(t->length, 255);
        wire += static_cast<char>(n);
        wire.append(reinterpret_cast<const char*>(t->txt), n);
    }
    ares_free_data(txt);
    FoundBeacon& b = iq->q->beacons[iq->name];
    b.txt = parseTxtRecord(wire, &b.skippedTxt);
}

void onPtr(void* arg, int status, int, unsigned char* buf, int len) {
    auto* q = static_cast<Query*>(arg);
    if (status != ARES_SUCCESS) {
        if (status != ARES_ENOTFOUND && status != ARES_ENODATA) q->error = ares_strerror(status);
        return;
    }
    hostent* host = nullptr;
    if (ares_parse_ptr_reply(buf, len, nullptr, 0, AF_INET, &host) != ARES_SUCCESS || !host) {
        q->error = "malformed PTR answer";
        return;
    }
    for (char** a = host->h_aliases; a && *a && q->beacons.size() < 256; ++a) {
        const std::string target = *a;
        const std::string name = instanceOf(target, q->domain);
        FoundBeacon& b = q->beacons[name];
        b.instanceName = name;
        b.domain = q->domain;
        ares_query(q->channel, target.c_str(), ns_c_in, ns_t_srv, &onSrv, new InstanceQuery{q, name});
        ares_query(q->channel, target.c_str(), ns_c_in, ns_t_txt, &onTxt, new InstanceQuery{q, name});
    }
    ares_free_hostent(host);
}

} // namespace

std::vector<FoundBeacon> browseUnicast(const std::string& domain, const std::string& nameserver,
                                       int timeoutMs, std::string& error) {
    if (!aresReady()) {
        error = "c-ares could not be initialised";
        return {};
    }
    Query q;
    q.domain = domain;
    ares_options opts{};
    opts.timeout = std::max(100, timeoutMs / 2);
    opts.tries = 2;
    if (ares_init_options(&q.channel, &opts, ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES) != ARES_SUCCESS) {
        error = "c-ares could not be initialised";
        return {};
    }
    if (!nameserver.empty() && ares_set_servers_ports_csv(q.channel, nameserver.c_str()) != ARES_SUCCESS) {
        error = "not a nameserver: \"" + nameserver + "\" (use host or host:port)";
        ares_destroy(q.channel);
        return {};
    }
    const std::string ptr = std::string(kServiceType) + "." + domain;
    ares_query(q.channel, ptr.c_str(), ns_c_in, ns_t_ptr, &onPtr, &q);
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
    while (Clock::now() < deadline) {
        fd_set r, w;
        FD_ZERO(&r);
        FD_ZERO(&w);
        const int nfds = ares_fds(q.channel, &r, &w);
        if (nfds == 0) break; // every query answered
        const auto left =
            std::chrono::duration_cast<std::chrono::microseconds>(deadline - Clock::now()).count();
        timeval tv{static_cast<time_t>(left / 1000000), static_cast<suseconds_t>(left % 1000000)};
        timeval* wait = ares_timeout(q.channel, &tv, &tv);
        ::select(nfds, &r, &w, nullptr, wait);
        ares_process(q.channel, &r, &w);
    }
    ares_destroy(q.channel); // pending callbacks run with ARES_EDESTRUCTION and free their state
    error = q.error;
    std::vector<FoundBeacon> out;
    for (auto& [name, b] : q.beacons)
        if (!b.host.empty()) out.push_back(std::move(b));
    return out;
}

} // namespace openclaw::bonjour
