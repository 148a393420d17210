// The LAN beacon: one DNS-SD registration through dns_sd.h (Avahi's compatibility library), its socket
// watched on the host's plugin I/O thread. A name conflict is renamed by the daemon and logged; a lost
// daemon (avahi-daemon stopped or restarted) is retried every retryMs until it answers again, warning once;
// a new beacon for the same name and port replaces the TXT record in place (no withdraw, no re-announce).
#pragma once

#include "Beacon.hpp"
#include "CoreLibrary.hpp"

#include "openclaw/plugin.hpp"

#include <dns_sd.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

namespace openclaw::bonjour {

class MdnsAdvertiser final : public Advertiser {
  public:
    MdnsAdvertiser(Host host, uint32_t retryMs);
    ~MdnsAdvertiser() override;
    MdnsAdvertiser(const MdnsAdvertiser&) = delete;
    MdnsAdvertiser& operator=(const MdnsAdvertiser&) = delete;

    /// Publishes (or updates) the beacon under `instance` on `port` with `txt` (wire form).
    void advertise(const std::string& instance, int port, const std::string& txt) override;
    /// Removes the beacon (and stops retrying).
    void withdraw() override;

  private:
    static void DNSSD_API onRegistered(DNSServiceRef ref, DNSServiceFlags flags, DNSServiceErrorType error,
                                       const char* name, const char* type, const char* domain, void* self);
    static void onReadable(void* self, int fd);
    static void onRetry(void* self);
    /// Registers what is wanted; false (and a retry later) when the daemon cannot be reached.
    bool registerWanted();
    struct Taken {
        DNSServiceRef ref = nullptr;
        uint64_t watch = 0;
    };
    /// Takes the registration out of the members (under the lock).
    Taken takeLocked();
    /// Unwatches and deallocates a taken registration (outside the lock, or on the I/O thread's callback).
    void release(const Taken& t);
    void startRetry();

    Host host_;
    uint32_t retryMs_;
    mutable std::mutex mu_;
    bool wanted_ = false;
    std::string instance_;
    int port_ = 0;
    std::string txt_;
    DNSServiceRef ref_ = nullptr;
    int fd_ = -1;
    uint64_t watch_ = 0;
    uint64_t retryTimer_ = 0;
    std::string registered_;
    bool warned_ = false; ///< "avahi-daemon not reachable" said once until it works again
    std::string failure_; ///< set by onRegistered inside DNSServiceProcessResult
    int nameIndex_ = 1;   ///< 1: the instance name; n: "<instance> #n" (names found taken)
};

} // namespace openclaw::bonjour
