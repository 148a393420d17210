// libFuzzer target: the HTTP request head every connection starts with (routes and the WebSocket
// upgrade, protocol/HttpHead), and the accept key computed from whatever key it yields.
#include "protocol/HttpHead.h"
#include "protocol/WsCodec.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace openclaw;
    const std::string block(reinterpret_cast<const char*>(data), size);
    protocol::HttpHead h = protocol::parseHttpHead(block);
    if (h.ok && h.upgradeWebSocket && !h.wsKey.empty() && protocol::wsAcceptKey(h.wsKey).size() != 28)
        __builtin_trap();
    if (!h.ok && h.error.empty()) __builtin_trap(); // a refusal always says why
    return 0;
}
