// Records as JSON: the store's form (everything, token generations included) and the wire's form of
// device.pair.list and the pairing events (the reference's fields, no token material).
#pragma once

#include "DeviceRecord.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <optional>
#include <string>
#include <vector>

namespace openclaw::devices {

/// The store's JSON text of a record.
std::string storedJson(const PairedDevice& device);
std::string storedJson(const PendingRequest& request);
/// A record from the store's JSON text; nothing when it is not one (the caller logs and skips the row).
std::optional<PairedDevice> pairedFromStored(const std::string& json);
std::optional<PendingRequest> pendingFromStored(const std::string& json);

/// device.pair.list's `paired` entry (and device.pair.approve's `device`).
Poco::JSON::Object::Ptr pairedOnWire(const PairedDevice& device, bool connected);
/// device.pair.list's `pending` entry, also device.pair.requested's payload.
Poco::JSON::Object::Ptr pendingOnWire(const PendingRequest& request);

/// A node surface (stored and on the wire: the same fields).
Poco::JSON::Object::Ptr surfaceJson(const NodeSurface& surface);
NodeSurface surfaceFrom(const Poco::JSON::Object::Ptr& o);
Poco::JSON::Array::Ptr arrayOf(const std::vector<std::string>& items);

/// The string at `key`; "" when `o` is null or it is absent or not a string.
std::string textIn(const Poco::JSON::Object::Ptr& o, const std::string& key);
/// The strings of the array at `key` (other items and a missing key: none).
std::vector<std::string> stringsIn(const Poco::JSON::Object::Ptr& o, const std::string& key);
/// The object `json` holds; null when it is not JSON or not an object.
Poco::JSON::Object::Ptr parsedObject(const std::string& json);

/// Compact JSON text of an object.
std::string text(const Poco::JSON::Object::Ptr& object);

} // namespace openclaw::devices
