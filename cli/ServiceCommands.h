// What the service commands share with `gateway status`: the service's status as the reference's JSON.
#pragma once

#include "service/ServiceManager.h"
#include "json/Json.h"

namespace openclaw::cli {

/// A service status as the reference's `service` object.
json::ObjectPtr serviceJson(const service::ServiceStatus& s);

} // namespace openclaw::cli
