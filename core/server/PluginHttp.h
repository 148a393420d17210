// A plugin route's request and answer (oc_http_vtable). The request: its body framed by Content-Length only
// (at most kMaxPluginBody bytes) and handed over as text, or base64 when it is not UTF-8. The answer
// ({"status","headers","body"}) as the HTTP response it becomes, checked: a status outside 100–599, a header
// that would break the response, or anything that is not that object becomes a 502 naming what was wrong.
#pragma once

#include "plugins/LoadedPlugin.h"
#include "protocol/HttpHead.h"
#include "server/HttpRoutes.h"

#include <optional>

namespace openclaw::server {

/// The largest request body a plugin route is handed (a larger one is answered 413, unread).
constexpr size_t kMaxPluginBody = size_t{1024} * 1024;

/// What a request's head says about its body: how many bytes follow, or the answer that refuses it
/// (chunked or another transfer coding: 411; a Content-Length that is not a number: 400; too large: 413).
struct BodyFraming {
    size_t length = 0;
    std::optional<HttpResponse> refusal;
};
BodyFraming bodyFraming(const protocol::HttpHead& req);

/// The request JSON handle() gets: method, path, query, lower-cased headers (without Authorization), the body
/// ("body" when it is UTF-8, else "bodyBase64"), the peer.
std::string pluginHttpRequest(const protocol::HttpHead& req, const std::string& body,
                              const std::string& remote, bool loopback);

/// The response for a plugin's answer (or its error).
HttpResponse pluginHttpResponse(const plugins::LoadedPlugin::CallResult& r);

} // namespace openclaw::server
