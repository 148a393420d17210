#include "GatewayFacts.hpp"

#include <Poco/JSON/Parser.h>

namespace openclaw::tailscale {

using Poco::JSON::Object;

Object::Ptr parseObject(const std::string& text) {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var v = parser.parse(text.empty() ? "{}" : text);
    return v.type() == typeid(Object::Ptr) ? v.extract<Object::Ptr>() : Object::Ptr(new Object);
}

GatewayFacts readGateway(const Host& host) {
    GatewayFacts g;
    Object::Ptr gw = parseObject(host.config("gateway"));
    Object::Ptr auth = gw->getObject("auth");
    g.allowTailscale = auth && auth->optValue("allowTailscale", false);
    g.tailnetBind = gw->optValue<std::string>("bind", "") == "tailnet";
    return g;
}

} // namespace openclaw::tailscale
