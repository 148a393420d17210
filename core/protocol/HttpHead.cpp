#include "protocol/HttpHead.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <sstream>

namespace openclaw::protocol {

HttpHead parseHttpHead(const std::string& block) {
    HttpHead h;
    Poco::Net::HTTPRequest req;
    try {
        std::istringstream in(block);
        req.read(in);
        h.path = Poco::URI(req.getURI()).getPath();
    } catch (const Poco::Exception& e) {
        h.error = e.displayText();
        return h;
    }
    if (req.getVersion() != "HTTP/1.1" && req.getVersion() != "HTTP/1.0") {
        h.error = "not an HTTP/1.x request (version \"" + req.getVersion() + "\")";
        return h;
    }
    h.ok = true;
    h.method = req.getMethod();
    h.keepAlive = req.getKeepAlive();
    h.upgradeWebSocket = Poco::icompare(req.get("Upgrade", ""), "websocket") == 0;
    h.wsKey = req.get("Sec-WebSocket-Key", "");
    h.wsVersion = req.get("Sec-WebSocket-Version", "");
    h.connectionUpgrade = Poco::toLower(req.get("Connection", "")).find("upgrade") != std::string::npos;
    h.origin = req.get("Origin", "");
    // As the reference (the `ws` library default): the first offered subprotocol is echoed.
    const std::string offered = req.get("Sec-WebSocket-Protocol", "");
    h.firstSubprotocol = Poco::trim(offered.substr(0, offered.find(',')));
    return h;
}

} // namespace openclaw::protocol
