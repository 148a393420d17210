// A plugin route's answer (oc_http_vtable: {"status","headers","body"}) as the HTTP response it becomes,
// checked: a status outside 100–599, a header that would break the response, or anything that is not that
// object becomes a 502 naming what was wrong.
#pragma once

#include "plugins/LoadedPlugin.h"
#include "server/HttpRoutes.h"

namespace openclaw::server {

/// The response for a plugin's answer (or its error).
HttpResponse pluginHttpResponse(const plugins::LoadedPlugin::CallResult& r);

} // namespace openclaw::server
