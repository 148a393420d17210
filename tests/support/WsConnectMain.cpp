// Test helper: opens a WebSocket to a gateway with the request headers given, sends `connect` (with the
// auth object given, if any), and prints the gateway's answer frame (one JSON line) or "closed".
// TailscaleStandInTest runs it as another user (setpriv) to forge identity headers from an unprivileged
// process; scripts/test-sdk.sh uses WS_CONNECT_SCOPES (a JSON array, default ["operator.read"]) and
// WS_CONNECT_CALL (a method, called after hello-ok with WS_CONNECT_PARAMS; its answer is printed instead).
//   usage: ws_connect URL AUTH_JSON|- [NAME=VALUE header]...
#include "client/WsConnection.h"
#include "protocol/WsCodec.h"

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

namespace {
std::string env(const char* name, const std::string& fallback) {
    const char* v = std::getenv(name);
    return v && *v ? v : fallback;
}
} // namespace

int main(int argc, char** argv) {
    using namespace openclaw;
    if (argc < 3) {
        std::cerr << "usage: ws_connect URL AUTH_JSON|- [NAME=VALUE]...\n";
        return 2;
    }
    std::vector<std::pair<std::string, std::string>> headers;
    for (int i = 3; i < argc; ++i) {
        const std::string h = argv[i];
        headers.emplace_back(h.substr(0, h.find('=')), h.substr(h.find('=') + 1));
    }
    const std::string auth = argv[2];
    try {
        client::WsConnection ws;
        ws.open(argv[1], 5000, headers);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        ws.receive(deadline); // connect.challenge
        ws.send(
            protocol::WsOpcode::Text,
            R"({"type":"req","id":"c1","method":"connect","params":{"minProtocol":4,"maxProtocol":4,)"
            R"("client":{"id":"cli","version":"0.0.1","platform":"linux","mode":"cli"},"role":"operator",)"
            R"("scopes":)" +
                env("WS_CONNECT_SCOPES", R"(["operator.read"])") +
                (auth == "-" ? std::string() : ",\"auth\":" + auth) + "}}");
        const std::string method = env("WS_CONNECT_CALL", "");
        bool called = false;
        while (auto f = ws.receive(deadline)) {
            if (f->opcode == protocol::WsOpcode::Close) {
                std::cout << "closed\n";
                return 0;
            }
            if (f->opcode != protocol::WsOpcode::Text) continue;
            if (f->payload.find("\"type\":\"event\"") != std::string::npos) continue; // ticks, presence
            if (!method.empty() && !called && f->payload.find("\"hello-ok\"") != std::string::npos) {
                ws.send(protocol::WsOpcode::Text, R"({"type":"req","id":"m1","method":")" + method +
                                                      R"(","params":)" + env("WS_CONNECT_PARAMS", "{}") +
                                                      "}");
                called = true;
                continue;
            }
            std::cout << f->payload << "\n";
            return 0;
        }
        std::cout << "timeout\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "ws_connect: " << e.what() << "\n";
        return 1;
    }
}
