#include "IdentityOverlay.hpp"

#include "TailscaleFacts.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <fstream>
#include <sstream>

namespace openclaw::tailscale {

namespace {

using Poco::JSON::Object;

std::string stringIn(const Object::Ptr& o, const std::string& key) {
    if (!o || !o->has(key)) return "";
    const Poco::Dynamic::Var v = o->get(key);
    return v.isString() ? v.extract<std::string>() : "";
}

/// "[::1]" → "::1"
std::string bare(std::string ip) {
    if (ip.size() >= 2 && ip.front() == '[' && ip.back() == ']') ip = ip.substr(1, ip.size() - 2);
    return ip;
}

std::string readWhole(const char* path) {
    std::ifstream in(path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

const char* messageFor(const std::string& reason) {
    if (reason == "tailscale_user_missing")
        return "unauthorized: tailscale identity missing (use Tailscale Serve auth or gateway "
               "token/password)";
    if (reason == "tailscale_proxy_missing")
        return "unauthorized: tailscale proxy headers missing (use Tailscale Serve or gateway "
               "token/password)";
    if (reason == "tailscale_whois_failed")
        return "unauthorized: tailscale identity check failed (use Tailscale Serve auth or gateway "
               "token/password)";
    return "unauthorized: tailscale identity mismatch (use Tailscale Serve auth or gateway token/password)";
}

const char* codeFor(const std::string& reason) {
    if (reason == "tailscale_user_missing") return "AUTH_TAILSCALE_IDENTITY_MISSING";
    if (reason == "tailscale_proxy_missing") return "AUTH_TAILSCALE_PROXY_MISSING";
    if (reason == "tailscale_whois_failed") return "AUTH_TAILSCALE_WHOIS_FAILED";
    return "AUTH_TAILSCALE_IDENTITY_MISMATCH";
}

} // namespace

struct IdentityOverlay::WhoisJob {
    std::shared_ptr<State> state;
    uint64_t call = 0;
    IdentityClaim claim;
    bool credentials = false;
};

IdentityOverlay::IdentityOverlay(Host host, std::shared_ptr<TailscaleCli> cli, unsigned tailscaledUid)
    : state_(std::make_shared<State>(host, std::move(cli))) {
    state_->tailscaledUid = tailscaledUid;
}

std::string IdentityOverlay::deferVerdict() {
    return R"({"defer":true})";
}

std::string IdentityOverlay::acceptVerdict(const std::string& login) {
    return R"({"ok":true,"user":)" + jsonQuote(login) + "}";
}

std::string IdentityOverlay::refusal(const std::string& reason) {
    return std::string(R"({"ok":false,"code":"INVALID_REQUEST","message":)") + jsonQuote(messageFor(reason)) +
           R"(,"details":{"code":)" + jsonQuote(codeFor(reason)) + R"(,"authReason":)" + jsonQuote(reason) +
           R"(,"canRetryWithDeviceToken":false,"recommendedNextStep":"update_auth_credentials"}})";
}

bool IdentityOverlay::fromTailscaled(const std::string& peerIp, int peerPort, const std::string& ourIp,
                                     int ourPort) {
    // The peer's socket: its local end is the connection's remote end, and the other way round.
    std::optional<unsigned> owner;
    for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"})
        if (!owner) owner = socketOwner(readWhole(table), peerIp, peerPort, ourIp, ourPort);
    if (owner && *owner == state_->tailscaledUid) return true;
    if (!state_->warnedForeignPeer.exchange(true))
        state_->host.warn("tailscale",
                          "ignored tailscale identity headers from a local process " +
                              (owner ? "of uid " + std::to_string(*owner) : std::string("of unknown owner")) +
                              ", not tailscaled's user (uid " + std::to_string(state_->tailscaledUid.load()) +
                              "; plugins.entries.tailscale.config.tailscaledUser)");
    return false;
}

std::string IdentityOverlay::decide(const IdentityClaim& claim, const WhoisCache::Entry& answer,
                                    bool credentials) {
    if (answer.ok && lowered(answer.login) == lowered(claim.login)) return acceptVerdict(answer.login);
    // A token or password may still let the client in; without one, say why the identity did not hold.
    if (credentials) return deferVerdict();
    return refusal(answer.ok ? "tailscale_user_mismatch" : "tailscale_whois_failed");
}

std::string IdentityOverlay::verify(const std::string& requestJson) {
    if (!state_->enabled) return deferVerdict();
    Poco::JSON::Parser parser;
    Object::Ptr req = parser.parse(requestJson).extract<Object::Ptr>();
    if (!req->optValue("isLoopback", false)) return deferVerdict(); // headers from elsewhere mean nothing
    std::map<std::string, std::string> headers;
    if (Object::Ptr h = req->getObject("headers"))
        for (const auto& [name, value] : *h)
            if (value.isString()) headers[name] = value.extract<std::string>();
    const IdentityClaim claim = readClaim(headers);
    if (claim.kind == IdentityClaim::Kind::None || claim.kind == IdentityClaim::Kind::IdentityMissing)
        return deferVerdict();
    Object::Ptr auth = req->getObject("auth");
    const bool credentials = !stringIn(auth, "token").empty() || !stringIn(auth, "password").empty();
    if (!fromTailscaled(bare(stringIn(req, "remoteAddress")), req->optValue("remotePort", 0),
                        bare(stringIn(req, "localAddress")), req->optValue("localPort", 0)))
        return deferVerdict();
    if (claim.kind == IdentityClaim::Kind::ProxyMissing)
        return credentials ? deferVerdict() : refusal("tailscale_proxy_missing");
    if (std::optional<WhoisCache::Entry> known = state_->cache.find(claim.clientIp))
        return decide(claim, *known, credentials);
    auto* job = new WhoisJob{state_, state_->host.defer(), claim, credentials};
    try {
        state_->host.postWork(&IdentityOverlay::runWhois, job);
    } catch (...) {
        delete job;
        throw;
    }
    throw Pending{};
}

void IdentityOverlay::runWhois(void* raw) {
    std::unique_ptr<WhoisJob> job(static_cast<WhoisJob*>(raw));
    State& s = *job->state;
    WhoisCache::Entry answer;
    const CliResult r = s.cli->run({"whois", "--json", job->claim.clientIp}, s.cli->timeouts().whois);
    if (std::optional<std::string> login = r.ok() ? parseWhoisLogin(r.out) : std::nullopt) {
        answer.ok = true;
        answer.login = *login;
    } else {
        answer.error = r.ok() ? "whois printed no UserProfile.LoginName" : r.message();
        s.host.warn("tailscale", "whois " + job->claim.clientIp + " failed: " + answer.error);
    }
    s.cache.put(job->claim.clientIp, answer);
    s.host.complete(job->call, decide(job->claim, answer, job->credentials));
}

} // namespace openclaw::tailscale
