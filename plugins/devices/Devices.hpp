// The devices plugin's state and its three jobs, each in its own file: admitting a connect that carries a
// device (DeviceAdmission.cpp), the device.pair.* and device.token.* methods (PairingMethods.cpp), and what
// it asks of the gateway's sessions (DeviceSessions.cpp). The code and data that cost memory (OpenSSL,
// SQLite, the book) come at the first call that needs them (CoreModule).
#pragma once

#define OPENCLAW_PLUGIN_ABI_MINOR 2u
#include "CoreModule.hpp"
#include "DeviceBook.hpp"
#include "PairingPolicy.hpp"

#include "openclaw/plugin.hpp"

#include <Poco/JSON/Object.h>

#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace openclaw::devices {

/// What the plugin reads of the gateway's config.
struct DevicesConfig {
    bool autoApproveLocal = true; ///< gateway.nodes.pairing.autoApproveLocal
    std::string nativeDir;        ///< <state dir>/native
};

class Devices {
  public:
    Devices(openclaw::Host host, DevicesConfig config) : host_(host), config_(std::move(config)) {}

    /// The admission step (oc_admission_vtable.admit).
    std::string admit(const Poco::JSON::Object::Ptr& request);
    /// device.pair.* and device.token.*.
    std::string call(const openclaw::CallContext& caller, const std::string& method,
                     const Poco::JSON::Object::Ptr& params);

  private:
    // DeviceAdmission.cpp
    std::string admitDevice(const Poco::JSON::Object::Ptr& request, const Poco::JSON::Object::Ptr& connect);
    std::string admitByDeviceToken(const DeviceFacts& facts, const Poco::JSON::Object::Ptr& auth);
    std::string admitPaired(const PairedDevice& device, const DeviceFacts& facts, const std::string& method,
                            long long now);
    std::string approveSilently(PairingReason reason, const DeviceFacts& facts, const std::string& method,
                                long long now);
    std::string holdForApproval(PairingReason reason, const DeviceFacts& facts, long long now);

    // PairingMethods.cpp
    Poco::JSON::Object::Ptr list();
    Poco::JSON::Object::Ptr approve(const openclaw::CallContext& caller, const std::string& requestId);
    Poco::JSON::Object::Ptr reject(const std::string& requestId);
    Poco::JSON::Object::Ptr remove(const openclaw::CallContext& caller, const std::string& deviceId);
    Poco::JSON::Object::Ptr rename(const std::string& deviceId, const std::string& label);
    Poco::JSON::Object::Ptr rotate(const openclaw::CallContext& caller,
                                   const Poco::JSON::Object::Ptr& params);
    Poco::JSON::Object::Ptr revoke(const openclaw::CallContext& caller,
                                   const Poco::JSON::Object::Ptr& params);

    // DeviceSessions.cpp
    std::set<std::string> connectedDevices() const;
    void closeSessionsOf(const std::string& deviceId, const std::string& role) const;
    void broadcast(const std::string& event, const Poco::JSON::Object::Ptr& payload) const;
    void resolved(const std::string& requestId, const std::string& deviceId, const std::string& decision,
                  long long now) const;

    /// The book, created at the first call; throws RpcError UNAVAILABLE when devices-core.so cannot load.
    DeviceBook& book();
    /// The book's lock, the book opened; throws RpcError UNAVAILABLE naming the store when it cannot be.
    std::unique_lock<std::mutex> openBook();
    /// The commit of an edit, or RpcError UNAVAILABLE with the store's words.
    void commitOrThrow(const Edit& edit);

    openclaw::Host host_;
    DevicesConfig config_;
    std::once_flag bookMade_;
    std::unique_ptr<DeviceBook> book_;
};

/// Milliseconds since the epoch.
long long nowMs();

} // namespace openclaw::devices
