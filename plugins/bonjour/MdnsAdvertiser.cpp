#include "MdnsAdvertiser.hpp"

#include <arpa/inet.h>

namespace openclaw::bonjour {

MdnsAdvertiser::MdnsAdvertiser(Host host, uint32_t retryMs) : host_(host), retryMs_(retryMs) {}

MdnsAdvertiser::~MdnsAdvertiser() {
    withdraw();
}

void MdnsAdvertiser::advertise(const std::string& instance, int port, const std::string& txt) {
    Taken old;
    {
        std::lock_guard<std::mutex> lock(mu_);
        const bool same = wanted_ && instance == instance_ && port == port_;
        if (instance != instance_) nameIndex_ = 1;
        wanted_ = true;
        instance_ = instance;
        port_ = port;
        txt_ = txt;
        if (same && ref_) {
            // Same name and port: only the TXT changes, in place (a reload must not withdraw the beacon).
            const DNSServiceErrorType e =
                DNSServiceUpdateRecord(ref_, nullptr, 0, static_cast<uint16_t>(txt.size()), txt.data(), 0);
            if (e == kDNSServiceErr_NoError) return;
            host_.warn("bonjour",
                       "TXT update refused (dns_sd error " + std::to_string(e) + "); registering again");
        }
        old = takeLocked();
    }
    release(old); // outside the lock: unwatching waits for a running callback, which takes the lock
    if (!registerWanted()) startRetry();
}

MdnsAdvertiser::Taken MdnsAdvertiser::takeLocked() {
    Taken t{ref_, watch_};
    ref_ = nullptr;
    watch_ = 0;
    fd_ = -1;
    registered_.clear();
    return t;
}

void MdnsAdvertiser::release(const Taken& t) {
    if (t.watch) host_.unwatchFd(t.watch);
    if (t.ref) DNSServiceRefDeallocate(t.ref);
}

bool MdnsAdvertiser::registerWanted() {
    DNSServiceRef ref = nullptr;
    int fd = -1;
    {
        std::lock_guard<std::mutex> lock(mu_);
        if (!wanted_ || ref_) return true;
        // Avahi's compatibility layer reports a name taken on this link at once, and does not rename: the
        // names tried are the daemon's own alternatives ("<name> #2", "#3", …).
        DNSServiceErrorType e = kDNSServiceErr_NameConflict;
        std::string name;
        for (int n = nameIndex_; n <= 32 && e == kDNSServiceErr_NameConflict; ++n) {
            nameIndex_ = n;
            name = n == 1 ? instance_ : instance_ + " #" + std::to_string(n);
            e = DNSServiceRegister(&ref, 0, 0, name.c_str(), kServiceType, nullptr, nullptr,
                                   htons(static_cast<uint16_t>(port_)), static_cast<uint16_t>(txt_.size()),
                                   txt_.data(), &MdnsAdvertiser::onRegistered, this);
        }
        if (e != kDNSServiceErr_NoError || !ref) {
            if (!warned_)
                host_.warn("bonjour",
                           "cannot advertise on the LAN: avahi-daemon is not reachable (dns_sd error " +
                               std::to_string(e) + "); the gateway serves without a beacon and retries");
            warned_ = true;
            return false;
        }
        ref_ = ref;
        fd = fd_ = DNSServiceRefSockFD(ref);
    }
    // Watched outside the lock: the watch waits for the I/O thread, whose callback takes the lock.
    uint64_t watch = 0;
    try {
        watch = host_.watchFd(fd, &MdnsAdvertiser::onReadable, this);
    } catch (const std::exception& e) {
        host_.warn("bonjour", std::string("cannot watch the dns_sd socket: ") + e.what());
    }
    std::lock_guard<std::mutex> lock(mu_);
    if (ref_ == ref && fd_ == fd) {
        watch_ = watch;
        return true;
    }
    if (watch) host_.unwatchFd(watch); // withdrawn meanwhile
    return true;
}

void MdnsAdvertiser::onReadable(void* self, int fd) {
    auto* a = static_cast<MdnsAdvertiser*>(self);
    std::lock_guard<std::mutex> lock(a->mu_);
    if (!a->ref_ || fd != a->fd_) return; // withdrawn or replaced meanwhile
    a->failure_.clear();
    const DNSServiceErrorType e = DNSServiceProcessResult(a->ref_);
    if (e != kDNSServiceErr_NoError) a->failure_ = "the daemon connection failed (" + std::to_string(e) + ")";
    if (!a->failure_.empty()) {
        a->host_.warn("bonjour",
                      "beacon lost: " + a->failure_ + "; advertising again when avahi-daemon answers");
        a->release(a->takeLocked()); // on the I/O thread's own callback: unwatching does not wait
    }
    if (!a->ref_ && a->wanted_ && !a->retryTimer_)
        a->retryTimer_ = a->host_.addTimer(a->retryMs_, true, &MdnsAdvertiser::onRetry, a);
}

void DNSSD_API MdnsAdvertiser::onRegistered(DNSServiceRef, DNSServiceFlags, DNSServiceErrorType error,
                                            const char* name, const char*, const char*, void* self) {
    // Runs inside DNSServiceProcessResult, with mu_ held by onReadable.
    auto* a = static_cast<MdnsAdvertiser*>(self);
    if (error == kDNSServiceErr_NameConflict) ++a->nameIndex_; // found taken later: the next alternative then
    if (error != kDNSServiceErr_NoError) {
        a->failure_ =
            "registration failed (dns_sd error " + std::to_string(error) + ")"; // dropped by onReadable
        return;
    }
    const std::string got = name ? name : "";
    if (got != a->registered_) {
        if (got != a->instance_)
            a->host_.info("bonjour", "name conflict: \"" + a->instance_ +
                                         "\" is taken on the LAN; advertising as \"" + got + "\"");
        else
            a->host_.info("bonjour", "advertising \"" + got + "\" (" + kServiceType + " port " +
                                         std::to_string(a->port_) + ")");
    }
    a->registered_ = got;
    a->warned_ = false;
}

void MdnsAdvertiser::startRetry() {
    std::lock_guard<std::mutex> lock(mu_);
    if (!retryTimer_ && wanted_) retryTimer_ = host_.addTimer(retryMs_, true, &MdnsAdvertiser::onRetry, this);
}

void MdnsAdvertiser::onRetry(void* self) {
    auto* a = static_cast<MdnsAdvertiser*>(self);
    // A timer callback must not block long: registering is a local D-Bus round trip.
    if (!a->registerWanted()) return;
    std::lock_guard<std::mutex> lock(a->mu_);
    if (a->ref_ && a->retryTimer_) {
        a->host_.cancelTimer(a->retryTimer_); // from its own callback: does not wait
        a->retryTimer_ = 0;
    }
}

void MdnsAdvertiser::withdraw() {
    Taken taken;
    uint64_t timer = 0;
    {
        std::lock_guard<std::mutex> lock(mu_);
        wanted_ = false;
        timer = retryTimer_;
        retryTimer_ = 0;
        taken = takeLocked();
    }
    // Outside the lock: both wait for a running callback, which takes the lock.
    if (timer) host_.cancelTimer(timer);
    release(taken);
}

} // namespace openclaw::bonjour
