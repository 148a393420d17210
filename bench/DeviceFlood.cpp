#include "DeviceFlood.h"

#include "DeviceKey.hpp"
#include "NodeInvoke.h"

#include "json/Json.h"

#include <memory>
#include <vector>

namespace openclaw::bench {

namespace {

/// One stranger: a fresh key, connected once and then closed.
struct Stranger {
    devices::DeviceKey key;
    std::unique_ptr<BenchConn> conn;
};

/// Connects every stranger, at most `parallel` in flight; counts admissions and refusals.
void connectAll(BenchLoop& loop, const Target& target, int parallel, FloodFigures& f) {
    std::vector<std::unique_ptr<Stranger>> live;
    int started = 0, finished = 0, inFlight = 0;
    const auto startNext = [&] {
        while (started < f.count && inFlight < parallel) {
            auto s = std::make_unique<Stranger>();
            s->conn = std::make_unique<BenchConn>(loop, target, static_cast<size_t>(started));
            Stranger* raw = s.get();
            raw->conn->connectParams = [raw, &target](const std::string& nonce, long long ts) {
                return nodeConnectParams(raw->key, target, nonce, ts);
            };
            raw->conn->onReady = [&](BenchConn& c) {
                ++f.admitted, ++finished, --inFlight;
                c.close();
            };
            raw->conn->onClosed = [&](BenchConn& c) {
                if (c.phase() == BenchConn::Phase::Ready || c.error() == "closed by us") return;
                ++f.refused, ++finished, --inFlight;
                if (f.firstError.empty()) f.firstError = c.error().substr(0, 200);
            };
            ++started, ++inFlight;
            if (!raw->conn->start()) ++f.refused, ++finished, --inFlight;
            live.push_back(std::move(s));
        }
        // Finished connections are dropped in batches: the flood holds only what is in flight.
        if (live.size() > static_cast<size_t>(parallel) * 4) {
            std::vector<std::unique_ptr<Stranger>> keep;
            for (auto& s : live)
                if (s->conn->phase() != BenchConn::Phase::Closed) keep.push_back(std::move(s));
            live.swap(keep);
        }
    };
    startNext();
    loop.runUntil(
        [&] {
            startNext();
            return finished >= f.count;
        },
        Clock::now() + std::chrono::seconds(600));
}

/// device.pair.list's counts through an admin connection.
void readBook(BenchLoop& loop, const Target& target, FloodFigures& f) {
    Target admin = target;
    admin.scopes = R"(["operator.admin"])";
    BenchConn op(loop, admin, 0);
    json::ObjectPtr answer;
    op.onReady = [&](BenchConn& c) { c.request("l", "device.pair.list"); };
    op.onText = [&](BenchConn&, const std::string& text) {
        if (text.find("\"type\":\"res\"") != std::string::npos) answer = json::asObject(json::parse(text));
    };
    op.onClosed = [&](BenchConn&) { answer = json::makeObject(); };
    if (!op.start()) return;
    loop.runUntil([&] { return answer != nullptr; }, Clock::now() + std::chrono::seconds(30));
    const json::ObjectPtr payload = json::getObject(answer, "payload");
    if (const json::ArrayPtr p = json::getArray(payload, "pending")) f.pending = static_cast<int>(p->size());
    if (const json::ArrayPtr p = json::getArray(payload, "paired")) f.paired = static_cast<int>(p->size());
}

} // namespace

FloodFigures runDeviceFlood(const Target& target, int count, int parallel) {
    FloodFigures f;
    f.count = count;
    BenchLoop loop;
    const auto t0 = Clock::now();
    connectAll(loop, target, parallel, f);
    f.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    readBook(loop, target, f);
    return f;
}

} // namespace openclaw::bench
