// openclaw-bench: protocol v4 load against any gateway (ours or the reference). One JSON line of
// figures per run; see docs/performance.md.
#include "BenchClient.h"
#include "DeviceFlood.h"
#include "EchoServer.h"
#include "NodeInvoke.h"
#include "ProcessScenarios.h"
#include "Soak.h"
#include "Stats.h"
#include "Summary.h"

#include "json/Json.h"

#include <cstdlib>
#include <cstring>
#include <deque>
#include <iostream>
#include <map>
#include <sstream>
#include <unordered_map>

using namespace openclaw::bench;

namespace {

struct Options {
    std::string scenario;
    Target target;
    std::string label;
    int pid = 0;
    int count = 0;        ///< handshake / rpc-latency iterations
    int connections = 32; ///< rpc-throughput
    int depth = 8;        ///< rpc-throughput requests in flight per connection
    int batch = 64;       ///< pipelined: requests per write
    int port = 0;         ///< echo-server
    int loops = 0;        ///< echo-server event-loop threads (0: as many as a gateway runs)
    double seconds = 5;   ///< rpc-throughput duration
    int sessions = 1000;  ///< idle-conns / fanout
    int rounds = 5;       ///< fanout
    double holdSeconds = 2;
    std::string method = "health";
    double settleSeconds = 2;
    int runs = 10;
    double restartEvery = 0;
    std::vector<std::string> command; ///< after --
};

const char* kUsage =
    "usage: openclaw-bench <scenario> --url ws://HOST:PORT [--token T | --password P] [--pid PID]\n"
    "                      [--label NAME] [--count N] [--connections C] [--depth D] [--seconds S]\n"
    "                      [--sessions K] [--rounds R] [--hold S] [--method NAME] [--restart-every S]\n"
    "                      [--batch B] [--sources N]\n"
    "       openclaw-bench echo-server [--port P] [--loops N]\n"
    "       openclaw-bench startup --url ws://HOST:PORT [--token T] [--settle S] -- GATEWAY-COMMAND...\n"
    "       openclaw-bench exec [--runs N] -- COMMAND...\n"
    "       openclaw-bench summarize RESULTS.jsonl [--against reference|baseline]\n"
    "scenarios:\n"
    "  handshake       sequential connect -> hello-ok -> close, --count times (default 300)\n"
    "  rpc-latency     one connection, --count sequential calls of --method (default 5000 x health)\n"
    "  rpc-throughput  --connections x --depth calls in flight for --seconds (default 32 x 8 x 5 s)\n"
    "  pipelined       one connection; --count rounds (default 500) of --batch calls (default 64) sent in\n"
    "                  one write, each round waiting for all its answers\n"
    "  echo-server     the raw-echo anchor: a WebSocket echo server on the gateway's event loop, codec and\n"
    "                  output buffer (127.0.0.1, --port or any free port, printed), --loops threads\n"
    "                  (default: as many as the gateway runs here); runs until SIGTERM\n"
    "  echo-latency    rpc-latency against echo-server: one WebSocket round trip of a health-sized frame\n"
    "  echo-throughput rpc-throughput against echo-server (--pid: its CPU time per echoed frame)\n"
    "  echo-fanout     fanout against echo-server: one binary frame, broadcast by it as a text frame the\n"
    "                  size of our `health` event to all --sessions peers\n"
    "  idle-conns      open and authenticate --sessions sessions, hold --hold s, check each with a call\n"
    "  fanout          --sessions sessions; --rounds times one `health` call, timed until every session\n"
    "                  has the `health` event it causes\n"
    "  node-invoke     one operator and one node (a device, silently paired on loopback, its surface\n"
    "                  approved): --count sequential node.invoke system.which round trips (default 2000)\n"
    "  device-flood    --sessions connects (default 1000), each with a fresh device key (node role),\n"
    "                  --connections at a time (default 32); then what device.pair.list holds\n"
    "  startup         spawn the command; ms to /readyz 200 and to the first hello-ok; RSS of its process\n"
    "                  tree after --settle s (default 2); then stops it\n"
    "  exec            run the command --runs times (default 10): wall ms and peak RSS (KiB)\n"
    "  soak            for --seconds: --connections good clients doing sequential calls, churn,\n"
    "                  garbage and bad frames, SIGUSR1 to --pid every --restart-every s; RSS over time\n"
    "  summarize       median and best run per figure from JSON lines labelled ours and reference (or\n"
    "                  baseline: --against baseline), ratios, targets\n"
    "--sources N spreads connections over the loopback addresses 127.0.0.1..N (more than ~28 000 sessions).\n"
    "Figures are one JSON line on stdout; --pid adds the server's RSS (KiB) and, for rpc-throughput and\n"
    "pipelined, the server's CPU time per request (user + system, all threads, from /proc/PID/stat).\n";

[[noreturn]] void usage(const std::string& error) {
    std::cerr << "openclaw-bench: " << error << "\n" << kUsage;
    std::exit(2);
}

double numberOption(const std::string& name, const std::string& v) {
    char* end = nullptr;
    const double d = std::strtod(v.c_str(), &end);
    if (v.empty() || *end) usage(name + ": \"" + v + "\" is not a number");
    return d;
}

void urlOption(Options& o, const std::string& url) {
    if (url.rfind("ws://", 0) != 0) usage("--url must be ws://HOST:PORT (numeric IPv4 host)");
    std::string hp = url.substr(5);
    hp = hp.substr(0, hp.find('/'));
    const size_t colon = hp.rfind(':');
    if (colon == std::string::npos) usage("--url needs a port");
    o.target.host = hp.substr(0, colon);
    o.target.port = std::atoi(hp.c_str() + colon + 1);
}

/// Sets the option `name` from its value; false for an option this tool does not have.
bool setOption(Options& o, const std::string& name, const std::string& v) {
    static const std::map<std::string, int Options::*> ints = {{"--pid", &Options::pid},
                                                               {"--count", &Options::count},
                                                               {"--connections", &Options::connections},
                                                               {"--batch", &Options::batch},
                                                               {"--port", &Options::port},
                                                               {"--loops", &Options::loops},
                                                               {"--depth", &Options::depth},
                                                               {"--sessions", &Options::sessions},
                                                               {"--rounds", &Options::rounds},
                                                               {"--runs", &Options::runs}};
    static const std::map<std::string, double Options::*> reals = {
        {"--seconds", &Options::seconds},
        {"--hold", &Options::holdSeconds},
        {"--restart-every", &Options::restartEvery},
        {"--settle", &Options::settleSeconds}};
    if (auto it = ints.find(name); it != ints.end())
        o.*(it->second) = static_cast<int>(numberOption(name, v));
    else if (auto real = reals.find(name); real != reals.end())
        o.*(real->second) = numberOption(name, v);
    else if (name == "--sources")
        o.target.sources = static_cast<int>(numberOption(name, v));
    else if (name == "--url")
        urlOption(o, v);
    else if (name == "--token")
        o.target.token = v;
    else if (name == "--password")
        o.target.password = v;
    else if (name == "--label")
        o.label = v;
    else if (name == "--method")
        o.method = v;
    else
        return false;
    return true;
}

void checkOptions(Options& o) {
    if ((o.scenario == "startup" || o.scenario == "exec") && o.command.empty())
        usage(o.scenario + " needs a command after --");
    if (o.target.port <= 0 && o.scenario != "exec" && o.scenario != "echo-server") usage("--url is required");
    if (o.scenario.rfind("echo-", 0) == 0) o.target.rawWebSocket = true;
    if (o.target.sources < 1 || o.target.sources > 250) usage("--sources must be 1..250");
    if (o.connections < 1 || o.depth < 1 || o.batch < 1 || o.sessions < 1 || o.rounds < 1 || o.loops < 0)
        usage("counts must be positive");
}

Options parse(int argc, char** argv) {
    Options o;
    if (argc < 2) usage("missing scenario");
    o.scenario = argv[1];
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--") {
            o.command.assign(argv + i + 1, argv + argc);
            break;
        }
        if (a == "-h" || a == "--help") {
            std::cout << kUsage;
            std::exit(0);
        }
        if (i + 1 >= argc) usage(a + " needs a value (or is not an option: see --help)");
        if (!setOption(o, a, argv[++i])) usage("unknown option " + a);
    }
    checkOptions(o);
    return o;
}

double usSince(Clock::time_point t) {
    return std::chrono::duration<double, std::micro>(Clock::now() - t).count();
}

/// The figures line, built field by field.
class Line {
  public:
    Line(const Options& o) {
        add("scenario", o.scenario);
        add("target", "ws://" + o.target.host + ":" + std::to_string(o.target.port));
        if (!o.label.empty()) add("label", o.label);
    }
    Line& add(const std::string& k, const std::string& v) {
        s_ << (first_ ? "{" : ",") << '"' << k << "\":" << openclaw::json::stringify(openclaw::json::Var(v));
        first_ = false;
        return *this;
    }
    Line& num(const std::string& k, double v) {
        s_ << (first_ ? "{" : ",") << '"' << k << "\":" << v;
        first_ = false;
        return *this;
    }
    Line& latency(Samples& s) {
        num("p50_us", s.percentile(0.5));
        num("p99_us", s.percentile(0.99));
        return num("max_us", s.max());
    }
    std::string str() { return s_.str() + "}"; }

  private:
    std::ostringstream s_;
    bool first_ = true;
};

/// Extracts the numeric part of an id "<prefix><n>" from a response frame.
long long responseId(const std::string& text, char prefix) {
    std::string key = std::string("\"id\":\"") + prefix;
    size_t p = text.find(key);
    if (p == std::string::npos) return -1;
    return std::strtoll(text.c_str() + p + key.size(), nullptr, 10);
}

bool isResponse(const std::string& text) {
    return text.find("\"type\":\"res\"") != std::string::npos;
}

/// Opens `n` sessions with at most `parallel` handshakes in flight. Returns how many failed.
int openSessions(BenchLoop& loop, const Options& o, std::vector<std::unique_ptr<BenchConn>>& conns, int n,
                 int parallel, Samples* handshakeUs, std::string& firstError) {
    int started = 0, ready = 0, failed = 0, pending = 0;
    auto startNext = [&]() {
        while (started < n && pending < parallel) {
            auto c = std::make_unique<BenchConn>(loop, o.target, conns.size());
            BenchConn* raw = c.get();
            raw->onReady = [&, raw](BenchConn&) {
                ++ready;
                --pending;
                if (handshakeUs) handshakeUs->add(usSince(raw->startedAt()));
            };
            raw->onClosed = [&, raw](BenchConn&) {
                if (raw->phase() != BenchConn::Phase::Ready && raw->error() != "closed by us") {
                    ++failed;
                    --pending;
                    if (firstError.empty()) firstError = raw->error();
                }
            };
            conns.push_back(std::move(c));
            ++started;
            ++pending;
            if (!raw->start()) {
                // onClosed is not called for a socket that never existed
                ++failed;
                --pending;
                if (firstError.empty()) firstError = raw->error();
            }
        }
    };
    startNext();
    loop.runUntil(
        [&] {
            startNext();
            return ready + failed >= n;
        },
        Clock::now() + std::chrono::seconds(120));
    return failed + (n - ready - failed);
}

/// Closes every connection without counting it as an error.
void closeAll(std::vector<std::unique_ptr<BenchConn>>& conns) {
    for (auto& c : conns) {
        c->onClosed = nullptr;
        c->close();
    }
}

/// One authenticated session in `conns`, or false after saying why it could not be opened.
bool openOne(BenchLoop& loop, const Options& o, std::vector<std::unique_ptr<BenchConn>>& conns) {
    std::string firstError;
    if (openSessions(loop, o, conns, 1, 1, nullptr, firstError) == 0) return true;
    std::cerr << "openclaw-bench: cannot connect: " << firstError << "\n";
    return false;
}

int handshake(const Options& o) {
    BenchLoop loop;
    int n = o.count > 0 ? o.count : 300;
    Samples s;
    int errors = 0;
    std::string firstError;
    auto t0 = Clock::now();
    for (int i = 0; i < n; ++i) {
        std::vector<std::unique_ptr<BenchConn>> one;
        errors += openSessions(loop, o, one, 1, 1, &s, firstError);
        for (auto& c : one)
            c->close();
    }
    double secs = usSince(t0) / 1e6;
    Line l(o);
    l.num("count", n)
        .num("errors", errors)
        .latency(s)
        .num("rate_per_s", n / secs)
        .num("server_rss_kib", rssKib(o.pid));
    if (!firstError.empty()) l.add("first_error", firstError);
    std::cout << l.str() << std::endl;
    return errors ? 1 : 0;
}

int nodeInvoke(const Options& o) {
    NodeInvokeFigures f = runNodeInvoke(o.target, o.count > 0 ? o.count : 2000);
    Line l(o);
    l.num("count", f.count)
        .num("errors", f.errors)
        .latency(f.roundTripUs)
        .num("rate_per_s", f.ratePerSecond)
        .num("server_rss_kib", rssKib(o.pid));
    if (!f.firstError.empty()) l.add("first_error", f.firstError);
    std::cout << l.str() << std::endl;
    return f.errors ? 1 : 0;
}

int deviceFlood(const Options& o) {
    const FloodFigures f = runDeviceFlood(o.target, o.sessions, o.connections);
    Line l(o);
    l.num("count", f.count)
        .num("admitted", f.admitted)
        .num("refused", f.refused)
        .num("pending_after", f.pending)
        .num("paired_after", f.paired)
        .num("seconds", f.seconds)
        .num("server_rss_kib", rssKib(o.pid));
    if (!f.firstError.empty()) l.add("first_refusal", f.firstError);
    std::cout << l.str() << std::endl;
    return f.pending < 0 ? 1 : 0;
}

int rpcLatency(const Options& o) {
    BenchLoop loop;
    std::vector<std::unique_ptr<BenchConn>> conns;
    if (!openOne(loop, o, conns)) return 1;
    BenchConn& c = *conns[0];
    int n = o.count > 0 ? o.count : 5000;
    const int warmup = std::min(500, n / 5);
    Samples s;
    int errors = 0;
    long long next = 0;
    long long answered = -1;
    Clock::time_point sent;
    const bool echo = o.target.rawWebSocket; // the echo anchor sends our own frame back
    c.onText = [&](BenchConn&, const std::string& text) {
        if ((!echo && !isResponse(text)) || responseId(text, 'l') != next) return;
        if (next >= warmup) s.add(usSince(sent));
        if (!echo && text.find("\"ok\":true") == std::string::npos) ++errors;
        answered = next;
    };
    auto t0 = Clock::now();
    for (next = 0; next < n + warmup; ++next) {
        if (next == warmup) t0 = Clock::now();
        sent = Clock::now();
        c.request("l" + std::to_string(next), o.method);
        if (!loop.runUntil([&] { return answered == next || c.phase() == BenchConn::Phase::Closed; },
                           Clock::now() + std::chrono::seconds(10))) {
            ++errors;
            break;
        }
        if (c.phase() == BenchConn::Phase::Closed) {
            ++errors;
            break;
        }
    }
    double secs = usSince(t0) / 1e6;
    Line l(o);
    l.add("method", o.method).num("count", static_cast<double>(s.size())).num("errors", errors).latency(s);
    l.num("rate_per_s", static_cast<double>(s.size()) / secs).num("server_rss_kib", rssKib(o.pid));
    std::cout << l.str() << std::endl;
    c.close();
    return errors ? 1 : 0;
}

int rpcThroughput(const Options& o) {
    BenchLoop loop;
    std::vector<std::unique_ptr<BenchConn>> conns;
    std::string firstError;
    if (int failed = openSessions(loop, o, conns, o.connections, 64, nullptr, firstError)) {
        std::cerr << "openclaw-bench: " << failed << " connections failed: " << firstError << "\n";
        return 1;
    }
    struct PerConn {
        long long nextId = 0;
        std::unordered_map<long long, Clock::time_point> sent;
    };
    std::vector<PerConn> state(conns.size());
    Samples s;
    long long done = 0, errors = 0;
    const bool echo = o.target.rawWebSocket; // the echo anchor sends our own frame back
    bool measuring = false, sending = true;
    auto send = [&](BenchConn& c) {
        PerConn& p = state[c.index()];
        long long id = p.nextId++;
        p.sent.emplace(id, Clock::now());
        c.request("t" + std::to_string(id), o.method);
    };
    for (auto& c : conns) {
        c->onText = [&](BenchConn& conn, const std::string& text) {
            if (!echo && !isResponse(text)) return;
            PerConn& p = state[conn.index()];
            auto it = p.sent.find(responseId(text, 't'));
            if (it == p.sent.end()) return;
            if (measuring) {
                s.add(usSince(it->second));
                ++done;
                if (!echo && text.find("\"ok\":true") == std::string::npos) ++errors;
            }
            p.sent.erase(it);
            if (sending) send(conn);
        };
        c->onClosed = [&](BenchConn&) { ++errors; };
    }
    for (auto& c : conns)
        for (int d = 0; d < o.depth; ++d)
            send(*c);
    // One second of warm-up, then the measured window.
    loop.runUntil([] { return false; }, Clock::now() + std::chrono::seconds(1));
    measuring = true;
    auto t0 = Clock::now();
    const double cpu0 = cpuMicros(o.pid);
    loop.runUntil([] { return false; },
                  t0 + std::chrono::microseconds(static_cast<long long>(o.seconds * 1e6)));
    double secs = usSince(t0) / 1e6;
    const double cpuUs = cpuMicros(o.pid) - cpu0;
    measuring = false;
    sending = false;
    long rss = rssKib(o.pid);
    Line l(o);
    l.add("method", o.method).num("connections", o.connections).num("depth", o.depth).num("seconds", secs);
    l.num("count", static_cast<double>(done)).num("errors", static_cast<double>(errors));
    l.num("rate_per_s", static_cast<double>(done) / secs).latency(s).num("server_rss_kib", rss);
    if (cpu0 >= 0 && done > 0) l.num("server_cpu_us_per_req", cpuUs / static_cast<double>(done));
    std::cout << l.str() << std::endl;
    closeAll(conns);
    return errors ? 1 : 0;
}

/// One masked request frame per call, all of a round in one string: one write, as a pipelining client does.
std::string pipelinedRound(long long round, int batch, const std::string& method) {
    std::string bytes;
    for (int i = 0; i < batch; ++i) {
        const std::string frame = "{\"type\":\"req\",\"id\":\"p" + std::to_string(round * batch + i) +
                                  "\",\"method\":\"" + method + "\",\"params\":{}}";
        openclaw::protocol::appendWsFrame(bytes, openclaw::protocol::WsOpcode::Text, frame.data(),
                                          frame.size(), 0x5a3c9e17u);
    }
    return bytes;
}

int pipelined(const Options& o) {
    BenchLoop loop;
    std::vector<std::unique_ptr<BenchConn>> conns;
    if (!openOne(loop, o, conns)) return 1;
    BenchConn& c = *conns[0];
    const int rounds = o.count > 0 ? o.count : 500, warmup = std::min(50, rounds / 5);
    Samples s;
    int answered = 0, errors = 0;
    c.onText = [&](BenchConn&, const std::string& text) {
        if (!isResponse(text) || responseId(text, 'p') < 0) return;
        if (text.find("\"ok\":true") == std::string::npos) ++errors;
        ++answered;
    };
    auto t0 = Clock::now();
    double cpu0 = -1;
    for (long long r = 0; r < rounds + warmup; ++r) {
        if (r == warmup) {
            t0 = Clock::now();
            cpu0 = cpuMicros(o.pid);
        }
        const Clock::time_point sent = Clock::now();
        answered = 0;
        c.sendRaw(pipelinedRound(r, o.batch, o.method));
        if (!loop.runUntil([&] { return answered >= o.batch || c.phase() == BenchConn::Phase::Closed; },
                           Clock::now() + std::chrono::seconds(10)) ||
            c.phase() == BenchConn::Phase::Closed) {
            ++errors;
            break;
        }
        if (r >= warmup) s.add(usSince(sent));
    }
    const double secs = usSince(t0) / 1e6, cpuUs = cpuMicros(o.pid) - cpu0;
    const double calls = static_cast<double>(s.size()) * o.batch;
    Line l(o);
    l.add("method", o.method).num("batch", o.batch).num("rounds", static_cast<double>(s.size()));
    l.num("errors", errors).latency(s).num("rate_per_s", calls / secs).num("server_rss_kib", rssKib(o.pid));
    if (cpu0 >= 0 && calls > 0) l.num("server_cpu_us_per_req", cpuUs / calls);
    std::cout << l.str() << std::endl;
    c.close();
    return errors ? 1 : 0;
}

/// Enough descriptors for `sessions` connections, or a message saying how to get them.
bool descriptorsFor(int sessions) {
    const long need = sessions + 256L;
    const long have = raiseFileLimit(need);
    if (have >= need) return true;
    std::cerr << "openclaw-bench: " << sessions << " sessions need " << need << " descriptors; the limit is "
              << have << " (run as root, or raise the hard limit: ulimit -Hn " << need << ")\n";
    return false;
}

int idleConns(const Options& o) {
    if (!descriptorsFor(o.sessions)) return 1;
    BenchLoop loop;
    long before = rssKib(o.pid);
    std::vector<std::unique_ptr<BenchConn>> conns;
    conns.reserve(static_cast<size_t>(o.sessions));
    std::string firstError;
    Samples hs;
    auto t0 = Clock::now();
    int failed = openSessions(loop, o, conns, o.sessions, 256, &hs, firstError);
    double openSecs = usSince(t0) / 1e6;
    // Hold: answer pings and take events, nothing else.
    loop.runUntil([] { return false; },
                  Clock::now() + std::chrono::milliseconds(static_cast<long>(o.holdSeconds * 1000)));
    long held = rssKib(o.pid);
    // Check each session with one call (at most 256 in flight).
    size_t next = 0;
    int inflight = 0, ok = 0, bad = 0;
    for (auto& c : conns) {
        c->onText = [&](BenchConn&, const std::string& text) {
            if (!isResponse(text) || responseId(text, 'k') != 0) return;
            --inflight;
            (text.find("\"ok\":true") != std::string::npos ? ok : bad)++;
        };
        c->onClosed = [&](BenchConn& conn) {
            if (conn.error() != "closed by us") ++bad;
        };
    }
    auto pump = [&] {
        while (next < conns.size() && inflight < 256) {
            BenchConn& c = *conns[next++];
            if (c.phase() != BenchConn::Phase::Ready) continue;
            c.request("k0", o.method);
            ++inflight;
        }
        return next >= conns.size() && inflight <= 0;
    };
    loop.runUntil(pump, Clock::now() + std::chrono::seconds(120));
    Line l(o);
    l.num("sessions", o.sessions).num("failed", failed).num("open_seconds", openSecs).latency(hs);
    l.num("checked_ok", ok)
        .num("checked_bad", bad)
        .num("server_rss_kib_before", before)
        .num("server_rss_kib", held);
    if (before > 0 && held > 0 && o.sessions > 0)
        l.num("kib_per_session", static_cast<double>(held - before) / o.sessions);
    if (!firstError.empty()) l.add("first_error", firstError);
    std::cout << l.str() << std::endl;
    closeAll(conns);
    return failed || bad || ok != o.sessions ? 1 : 0;
}

/// The size of our gateway's `health` event as a session receives it (`fanout` prints it as event_bytes).
constexpr size_t kHealthEventBytes = 503;

/// What the echo anchor broadcasts: a text frame shaped and sized like our gateway's `health` event.
std::string echoEvent(int round) {
    const std::string head =
        R"({"type":"event","event":"health","payload":{"round":)" + std::to_string(round) + R"(,"pad":")";
    const std::string tail = R"("},"seq":1})";
    const size_t fixed = head.size() + tail.size();
    return head + std::string(kHealthEventBytes > fixed ? kHealthEventBytes - fixed : 0, 'x') + tail;
}

int fanout(const Options& o) {
    if (!descriptorsFor(o.sessions)) return 1;
    BenchLoop loop;
    std::vector<std::unique_ptr<BenchConn>> conns;
    std::string firstError;
    if (int failed = openSessions(loop, o, conns, o.sessions, 256, nullptr, firstError)) {
        std::cerr << "openclaw-bench: " << failed << " sessions failed: " << firstError << "\n";
        return 1;
    }
    Samples all, each;
    int received = 0, errors = 0;
    size_t eventBytes = 0;
    Clock::time_point sent;
    bool armed = false;
    for (auto& c : conns) {
        c->onText = [&](BenchConn&, const std::string& text) {
            if (!armed || text.find("\"event\":\"health\"") == std::string::npos) return;
            each.add(usSince(sent));
            eventBytes = text.size();
            ++received;
        };
        c->onClosed = [&](BenchConn&) { ++errors; };
    }
    for (int r = 0; r < o.rounds; ++r) {
        // Past the server's 1 s coalescing window, so each call causes exactly one broadcast.
        armed = false;
        loop.runUntil([] { return false; }, Clock::now() + std::chrono::milliseconds(1200));
        received = 0;
        armed = true;
        sent = Clock::now();
        if (o.target.rawWebSocket)
            conns[0]->sendFrame(openclaw::protocol::WsOpcode::Binary, echoEvent(r));
        else
            conns[0]->request("f" + std::to_string(r), "health");
        if (!loop.runUntil([&] { return received >= o.sessions; }, Clock::now() + std::chrono::seconds(30))) {
            ++errors;
            continue;
        }
        all.add(usSince(sent));
    }
    Line l(o);
    l.num("sessions", o.sessions).num("rounds", o.rounds).num("errors", errors);
    l.num("all_delivered_p50_us", all.percentile(0.5)).num("all_delivered_max_us", all.max());
    l.num("per_session_p50_us", each.percentile(0.5)).num("per_session_p99_us", each.percentile(0.99));
    l.num("event_bytes", static_cast<double>(eventBytes));
    l.num("server_rss_kib", rssKib(o.pid));
    std::cout << l.str() << std::endl;
    closeAll(conns);
    return errors ? 1 : 0;
}

} // namespace

int main(int argc, char** argv) {
    if (argc == 3 && std::string(argv[1]) == "summarize") return summarize(argv[2]);
    if (argc == 5 && std::string(argv[1]) == "summarize" && std::string(argv[3]) == "--against")
        return summarize(argv[2], argv[4]);
    Options o = parse(argc, argv);
    if (o.scenario == "handshake") return handshake(o);
    if (o.scenario == "rpc-latency" || o.scenario == "echo-latency") return rpcLatency(o);
    if (o.scenario == "pipelined") return pipelined(o);
    if (o.scenario == "echo-server") return echoServer(o.port, o.loops);
    if (o.scenario == "rpc-throughput" || o.scenario == "echo-throughput") return rpcThroughput(o);
    if (o.scenario == "idle-conns") return idleConns(o);
    if (o.scenario == "fanout" || o.scenario == "echo-fanout") return fanout(o);
    if (o.scenario == "soak") {
        SoakOptions s;
        s.target = o.target;
        s.label = o.label;
        s.pid = o.pid;
        s.seconds = o.seconds;
        s.goodClients = o.connections == 32 ? 8 : o.connections;
        s.restartEvery = o.restartEvery;
        return soakScenario(s);
    }
    if (o.scenario == "node-invoke") return nodeInvoke(o);
    if (o.scenario == "device-flood") return deviceFlood(o);
    if (o.scenario == "startup") return startupScenario(o.target, o.label, o.command, o.settleSeconds);
    if (o.scenario == "exec") return execScenario(o.label, o.command, o.runs);
    usage("unknown scenario \"" + o.scenario + "\"");
}
