// Tests play devices with the key the bench uses too (plugins/devices/DeviceKey.hpp).
#pragma once

#include "DeviceKey.hpp"

namespace openclaw::test {
using devices::DeviceKey;
} // namespace openclaw::test
