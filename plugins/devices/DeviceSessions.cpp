// What the devices plugin asks of the gateway's sessions: which devices are connected, closing a device's
// sessions when its pairing or token goes, and the pairing events (to operators holding operator.pairing).
#include "DeviceJson.hpp"
#include "Devices.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <chrono>

namespace openclaw::devices {

using Poco::JSON::Array;
using Poco::JSON::Object;

long long nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

namespace {

/// The open sessions that carry a device: (session id, device id, role).
struct DeviceSession {
    uint64_t sessionId;
    std::string deviceId, role;
};

std::vector<DeviceSession> deviceSessions(const openclaw::Host& host) {
    std::vector<DeviceSession> out;
    const Array::Ptr sessions = Poco::JSON::Parser().parse(host.listSessions()).extract<Array::Ptr>();
    for (const auto& v : *sessions) {
        const Object::Ptr& s = v.extract<Object::Ptr>();
        const std::string device = s->optValue<std::string>("deviceId", "");
        if (!device.empty())
            out.push_back(
                {s->getValue<Poco::UInt64>("sessionId"), device, s->optValue<std::string>("role", "")});
    }
    return out;
}

} // namespace

std::set<std::string> Devices::connectedDevices(const std::string& role) const {
    std::set<std::string> out;
    for (const DeviceSession& s : deviceSessions(host_))
        if (role.empty() || s.role == role) out.insert(s.deviceId);
    return out;
}

uint64_t Devices::nodeSession(const std::string& nodeId) const {
    for (const DeviceSession& s : deviceSessions(host_))
        if (s.deviceId == nodeId && s.role == "node") return s.sessionId;
    return 0;
}

void Devices::closeSessionsOf(const std::string& deviceId, const std::string& role) const {
    for (const DeviceSession& s : deviceSessions(host_))
        if (s.deviceId == deviceId && (role.empty() || s.role == role))
            host_.closeSession(s.sessionId, 4001, "device removed");
}

void Devices::broadcast(const std::string& event, const Object::Ptr& payload) const {
    host_.broadcast(event, text(payload), OC_ROLE_OPERATOR, "operator.pairing");
}

void Devices::resolved(const std::string& requestId, const std::string& deviceId, const std::string& decision,
                       long long now) const {
    Object::Ptr p = new Object;
    p->set("requestId", requestId);
    p->set("deviceId", deviceId);
    p->set("decision", decision);
    p->set("ts", static_cast<Poco::Int64>(now));
    broadcast("device.pair.resolved", p);
}

DeviceBook& Devices::book() {
    const CoreModule& core = CoreModule::get();
    if (!core.table)
        throw openclaw::RpcError("UNAVAILABLE",
                                 "device pairing is not available on this gateway: " + core.error);
    std::call_once(bookMade_, [&] { book_ = std::make_unique<DeviceBook>(*core.table, config_.nativeDir); });
    return *book_;
}

std::unique_lock<std::mutex> Devices::openBook() {
    DeviceBook& b = book();
    auto held = b.lock();
    if (std::string why = b.ensureOpen(); !why.empty()) {
        host_.log(OC_LOG_ERROR, "devices", why);
        throw openclaw::RpcError("UNAVAILABLE", "device pairing store cannot be used: " + why);
    }
    return held;
}

void Devices::commitOrThrow(const Edit& edit) {
    if (std::string why = book_->commit(edit); !why.empty()) {
        host_.log(OC_LOG_ERROR, "devices", why);
        throw openclaw::RpcError("UNAVAILABLE", "device pairing store failed: " + why);
    }
}

} // namespace openclaw::devices
