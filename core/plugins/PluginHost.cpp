#include "plugins/PluginHost.h"

#include "plugins/PluginError.h"

#include "plugins/HostApi.h"

#include <chrono>
#include <future>
#include <system_error>
#include <thread>

#include "config/Document.h"
#include "files/AtomicFile.h"
#include "log/Logger.h"
#include "version.h"
#include "json/SchemaValidator.h"

#include <boost/dll/shared_library.hpp>

#include <algorithm>
#include <cstring>
#include <dirent.h>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace openclaw::plugins {

namespace {

bool isDir(const std::string& p) {
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

} // namespace

// ---- PluginHost ----

PluginHost::PluginHost(config::GatewayConfigPtr config, std::vector<std::string> bundledDirs)
    : config_(std::move(config)), bundledDirs_(std::move(bundledDirs)) {}

PluginHost::~PluginHost() {
    unload();
}

std::string PluginHost::defaultBundledDir() {
    if (const char* env = std::getenv("OPENCLAW_BUNDLED_PLUGINS_DIR"); env && *env) return env;
    char buf[4096];
    ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0) return "";
    std::string exe(buf, static_cast<size_t>(n));
    std::string dir = exe.substr(0, exe.find_last_of('/'));
    return dir + "/../lib/openclaw/plugins";
}

void PluginHost::addManifest(const std::string& manifestPath, PluginOrigin origin) {
    Manifest m;
    try {
        m = parseManifest(files::readRequiredFile(manifestPath), manifestPath);
    } catch (const std::exception& e) {
        discoveryErrors_.push_back(e.what());
        return;
    }
    PluginRecord rec;
    rec.manifest = m;
    rec.origin = origin;
    rec.state = PluginState::Discovered;
    // Precedence is the scan order: an id already recorded wins (config paths, bundled, state dir).
    for (const PluginRecord& existing : records_) {
        if (existing.manifest.id == m.id && existing.state != PluginState::Shadowed) {
            rec.state = PluginState::Shadowed;
            rec.enabledReason = "shadowed by " + existing.manifest.manifestPath + " (" +
                                config::nameOf(existing.origin) + ", higher precedence)";
            break;
        }
    }
    records_.push_back(rec);
}

void PluginHost::scanRoot(const std::string& dir, PluginOrigin origin) {
    if (!isDir(dir)) return;
    std::string direct = dir + "/openclaw.plugin.json";
    if (config::fileExists(direct)) {
        addManifest(direct, origin);
        return;
    }
    std::vector<std::string> names;
    if (DIR* d = ::opendir(dir.c_str())) {
        while (dirent* e = ::readdir(d))
            if (e->d_name[0] != '.') names.push_back(e->d_name);
        ::closedir(d);
    }
    std::sort(names.begin(), names.end()); // deterministic order
    for (const std::string& n : names) {
        std::string manifest = dir + "/" + n + "/openclaw.plugin.json";
        if (config::fileExists(manifest)) addManifest(manifest, origin);
    }
}

namespace {

/// Why a plugins.load.paths entry that is not a folder is refused, and what to write instead.
std::string loadPathProblem(const std::string& p) {
    if (!config::fileExists(p)) return p + ": plugins.load.paths entry does not exist (fix or remove it)";
    const size_t slash = p.find_last_of('/');
    const std::string folder = slash == std::string::npos ? "." : p.substr(0, slash);
    return p +
           ": plugins.load.paths entry is a file, not a folder (give the plugin's folder, the one with its "
           "openclaw.plugin.json: " +
           folder + ")";
}

} // namespace

void PluginHost::discover() {
    unload();
    records_.clear();
    discoveryErrors_.clear();
    const config::PluginsConfig& pc = config_->plugins;
    for (const std::string& p : pc.loadPaths) {
        if (!isDir(p)) discoveryErrors_.push_back(loadPathProblem(p));
        scanRoot(p, PluginOrigin::Config);
    }
    for (const std::string& b : bundledDirs_)
        scanRoot(b, PluginOrigin::Bundled);
    if (!config_->paths.stateDir.empty()) scanRoot(config_->paths.pluginDir(), PluginOrigin::State);

    for (PluginRecord& rec : records_) {
        if (rec.state == PluginState::Shadowed) continue;
        const std::string& id = rec.manifest.id;
        auto entry = pc.entries.find(id);
        if (!pc.enabled) {
            rec.enabled = false;
            rec.enabledReason = "all plugins are off (plugins.enabled is false)";
        } else if (contains(pc.deny, id)) {
            rec.enabled = false;
            rec.enabledReason = "denied by plugins.deny";
        } else if (!pc.allow.empty() && !contains(pc.allow, id)) {
            rec.enabled = false;
            rec.enabledReason = "not in plugins.allow";
        } else if (entry != pc.entries.end() && entry->second.enabled) {
            rec.enabled = *entry->second.enabled;
            rec.enabledReason =
                std::string(rec.enabled ? "enabled" : "disabled") + " by plugins.entries." + id + ".enabled";
        } else {
            rec.enabled = rec.manifest.enabledByDefault;
            rec.enabledReason =
                rec.enabled ? "enabled by default"
                            : "disabled by default (enable with plugins.entries." + id + ".enabled: true)";
        }
        if (!rec.enabled) {
            rec.state = PluginState::Disabled;
            continue;
        }
        json::Var cfg = entry != pc.entries.end() && !entry->second.config.isEmpty()
                            ? entry->second.config
                            : json::Var(json::makeObject());
        auto violations = rec.manifest.checkConfig(cfg);
        if (!violations.empty()) {
            std::string msg;
            for (const auto& v : violations) {
                if (!msg.empty()) msg += "; ";
                msg += "plugins.entries." + id + ".config" + (v.path.empty() ? "" : "." + v.path) + " " +
                       v.message;
            }
            rec.state = PluginState::Error;
            rec.error = "invalid config: " + msg;
            continue;
        }
        rec.configJson = json::stringify(cfg);
    }
}

namespace {

std::string joinNames(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v)
        s += (s.empty() ? "" : ",") + x;
    return s.empty() ? std::string("none") : s;
}

/// Why this host cannot run a plugin that needs `need` ("" when it can), naming both versions.
/// `manifest`: set when `need` is what a manifest says (not yet what the binary answered): a typo there is as
/// likely as a binary built for another gateway, so the advice names both.
std::string abiRefusal(const AbiVersion& need, const std::string& who, const std::string& manifest = "") {
    const AbiVersion host = PluginHost::hostAbi();
    const std::string orManifest =
        manifest.empty() ? ""
                         : "; or, if the plugin was built for this gateway, correct \"abi\" in " + manifest +
                               " to the ABI its binary needs";
    if (need.major != host.major)
        return who + " needs plugin ABI " + need.text() + "; this gateway speaks ABI " + host.text() +
               " (rebuild the plugin against this gateway's SDK, or use a gateway of ABI " +
               std::to_string(need.major) + ".x" + orManifest + ")";
    if (need.minor > host.minor)
        return who + " needs plugin ABI " + need.text() + "; this gateway offers ABI " + host.text() +
               " (update the gateway, or use a build of the plugin for ABI " + host.text() + orManifest + ")";
    return "";
}

/// Why a binary's descriptor disagrees with its manifest ("" when it agrees).
std::string manifestDisagreement(const Manifest& m, const oc_plugin_descriptor& d) {
    if (m.id != d.id) return "manifest id \"" + m.id + "\" disagrees with the binary's id \"" + d.id + "\"";
    uint32_t manifestCaps = 0;
    for (const auto& c : m.capabilities)
        manifestCaps |= capabilityBit(c);
    if (manifestCaps != d.capabilities)
        return "manifest capabilities [" + joinNames(m.capabilities) + "] disagree with the binary's [" +
               joinNames(capabilityNames(d.capabilities)) + "]";
    if ((d.capabilities & OC_CAP_AUTH) && !m.authMode.empty() && m.authMode != d.auth->mode)
        return "manifest authMode \"" + m.authMode + "\" disagrees with the binary's \"" + d.auth->mode +
               "\"";
    return "";
}

/// What dlopen said, out of Boost.DLL's wrapping ("boost::dll::shared_library::load() failed (dlerror system
/// message: <what dlopen said>): <an unrelated errno text>"); the text as is when it has no such part.
std::string dlopenReason(const std::string& what) {
    const std::string marker = "dlerror system message: ";
    const size_t start = what.find(marker);
    const size_t end = what.rfind("): ");
    if (start == std::string::npos || end == std::string::npos || end < start) return what;
    return what.substr(start + marker.size(), end - start - marker.size());
}

} // namespace

std::string PluginHost::openInto(PluginRecord& rec, LoadedPlugin& lp) {
    const Manifest& m = rec.manifest;
    const std::string path = m.libraryPath();
    // Judged from the manifest first, so a plugin this host cannot run loads no code.
    if (std::string refusal = abiRefusal(m.abi, m.manifestPath + ": the plugin", m.manifestPath);
        !refusal.empty())
        return refusal;
    try {
        lp.impl_->library.load(path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    } catch (const std::exception& e) {
        return path + ": cannot be loaded: " + dlopenReason(e.what());
    }
    rec.libraryStamp = stampOf(path);
    if (!lp.impl_->library.has(OPENCLAW_PLUGIN_ENTRY_SYMBOL))
        return path + ": missing entry point " + OPENCLAW_PLUGIN_ENTRY_SYMBOL +
               " (build it with OPENCLAW_PLUGIN(...) from openclaw/plugin.hpp)";
    auto entry =
        lp.impl_->library.get<int(const oc_abi_offer*, oc_abi_answer*)>(OPENCLAW_PLUGIN_ENTRY_SYMBOL);
    oc_abi_offer offer;
    oc_abi_answer answer;
    oc_make_offer(&offer, &answer, OPENCLAW_VERSION);
    const int rc = entry(&offer, &answer);
    const AbiVersion binary{answer.abi_version, answer.abi_minor};
    rec.binaryAbi = binary;
    if (std::string refusal = abiRefusal(binary, path + ": the binary"); !refusal.empty()) return refusal;
    if (rc != OC_OK || answer.descriptor == nullptr)
        return path + ": the plugin refused ABI " + hostAbi().text() + " (entry point returned " +
               std::to_string(rc) + ")";
    if (binary != m.abi)
        return path + ": manifest says ABI " + m.abi.text() + " but the binary needs ABI " + binary.text();
    if (std::string problem = lp.adopt(*answer.descriptor); !problem.empty()) return path + ": " + problem;
    if (std::string problem = manifestDisagreement(m, lp.descriptor()); !problem.empty())
        return path + ": " + problem;
    lp.record_ = &rec;
    return "";
}

bool PluginHost::openBinary(PluginRecord& rec, std::unique_ptr<LoadedPlugin>& out) {
    std::unique_ptr<LoadedPlugin> lp(new LoadedPlugin());
    const std::string error = openInto(rec, *lp);
    if (!error.empty()) {
        rec.state = PluginState::Error;
        rec.error = error;
        return false;
    }
    rec.state = PluginState::Ready;
    out = std::move(lp);
    return true;
}

void PluginHost::check(const std::function<std::string(const LoadedPlugin&)>& inspect) {
    for (PluginRecord& rec : records_) {
        if (rec.state != PluginState::Discovered) continue;
        std::unique_ptr<LoadedPlugin> lp;
        if (!openBinary(rec, lp) || !inspect) continue; // the binary is closed again when lp goes
        if (std::string refusal = inspect(*lp); !refusal.empty()) {
            rec.state = PluginState::Error;
            rec.error = refusal;
        }
    }
}

namespace {

/// Waits for a create() to finish: true when it did within limitMs, false past it or once `cancel` is set.
bool waitForInit(std::future<void>& done, int limitMs, const std::atomic<int>* cancel) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(limitMs);
    while (std::chrono::steady_clock::now() < deadline) {
        if (cancel && cancel->load() != 0) return false;
        auto slice = std::min<std::chrono::steady_clock::duration>(
            std::chrono::milliseconds(50), deadline - std::chrono::steady_clock::now());
        if (done.wait_for(slice) == std::future_status::ready) return true;
    }
    return done.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
}

} // namespace

bool LoadFilter::matches(const Manifest& m) const {
    if (!id.empty() && m.id != id) return false;
    if (skipCommandOnly && m.servesOnlyCommands()) return false;
    if (capability == 0) return true;
    for (const auto& c : m.capabilities)
        if (capabilityBit(c) & capability) return true;
    return false;
}

void PluginHost::load(PluginServices* services, const std::atomic<int>* cancel, const LoadFilter& only) {
    auto& log = log::Logger::get();
    for (const std::string& e : discoveryErrors_)
        log.warn("plugins", e);
    InitThread initThread;
    for (PluginRecord& rec : records_) {
        if (rec.state == PluginState::Error) log.warn("plugins", rec.manifest.id + ": " + rec.error);
        if (rec.state != PluginState::Discovered || !only.matches(rec.manifest)) continue;
        if (cancel && cancel->load() != 0) return;
        std::unique_ptr<LoadedPlugin> lp;
        if (!openBinary(rec, lp)) {
            log.warn("plugins", rec.manifest.id + ": " + rec.error + "; continuing without it");
            continue;
        }
        if (auto created = createInstance(rec, std::move(lp), services, cancel, initThread))
            loaded_.push_back(std::move(created));
    }
}

void PluginHost::bindHostApi(const PluginRecord& rec, LoadedPlugin& lp, PluginServices* services) {
    if (!services_) services_ = std::make_shared<HostServices>();
    LoadedPlugin::Impl& impl = *lp.impl_;
    impl.services = services;
    impl.config = config_;
    impl.pluginId = rec.manifest.id;
    impl.configJson = rec.configJson;
    impl.configAccess = rec.manifest.configAccess;
    impl.shared = services_;
    impl.api = makeHostApi(&impl);
}

std::unique_ptr<LoadedPlugin> PluginHost::createInstance(PluginRecord& rec, std::unique_ptr<LoadedPlugin> lp,
                                                         PluginServices* services,
                                                         const std::atomic<int>* cancel,
                                                         InitThread& initThread) {
    auto& log = log::Logger::get();
    bindHostApi(rec, *lp, services);
    LoadedPlugin::Impl& impl = *lp->impl_;
    // create() runs on another thread (initThread) so that a plugin that hangs cannot hold the gateway: past
    // plugins.initTimeoutMs it is disabled; that thread keeps the (retired, harmless) host API it was given.
    struct Init {
        std::string error;
        void* instance = nullptr;
        int rc = OC_ERR;
        /// 0 while create() runs; then 1 when the host gave up first, 2 when create() finished first.
        std::atomic<int> outcome{0};
    };
    auto init = std::make_shared<Init>();
    auto task = std::make_shared<std::packaged_task<void()>>([init, create = lp->descriptor_.create,
                                                              destroy = lp->descriptor_.destroy,
                                                              api = &impl.api, cfg = rec.configJson] {
        oc_sink errSink{&init->error, appendToString};
        try {
            init->rc = create(api, cfg.c_str(), &init->instance, &errSink);
        } catch (...) {
            // A C plugin must not throw; if one does, it is treated as a failed init.
            init->error = "an exception escaped create()";
            init->rc = OC_ERR;
        }
        // Finished after the host gave up on it: nobody will use this instance; its library stays mapped.
        int running = 0;
        if (!init->outcome.compare_exchange_strong(running, 2) && init->rc == OC_OK && init->instance)
            destroy(init->instance);
    });
    std::future<void> done = task->get_future();
    try {
        initThread.post([task] { (*task)(); });
    } catch (const std::system_error& e) {
        rec.state = PluginState::Error;
        rec.error = rec.manifest.libraryPath() + ": cannot start the thread its init runs on: " + e.what();
        log.error("plugins", rec.manifest.id + ": " + rec.error + "; the gateway carries on without it");
        return nullptr;
    }
    const int limitMs = config_->plugins.initTimeoutMs;
    if (!waitForInit(done, limitMs, cancel)) {
        initThread.abandon(); // its thread stays with the overrunning create(); the next plugin gets another
        // Exactly one side owns an instance that create() may still produce: if it finished first, this
        // thread destroys it (through lp); otherwise the create() thread does when it returns.
        int running = 0;
        if (!init->outcome.compare_exchange_strong(running, 1) && init->rc == OC_OK && init->instance)
            lp->instance_ = init->instance;
        const bool cancelled = cancel && cancel->load() != 0;
        rec.state = PluginState::Error;
        rec.error = rec.manifest.libraryPath() +
                    (cancelled ? ": init abandoned (the gateway is stopping)"
                               : ": init did not finish within " + std::to_string(limitMs) +
                                     " ms (plugins.initTimeoutMs)");
        if (!cancelled)
            log.error("plugins", rec.manifest.id + ": " + rec.error + "; the gateway carries on without it");
        return nullptr; // lp's destructor retires the host API; the Impl and library stay for the process
    }
    if (init->rc != OC_OK || init->instance == nullptr) {
        rec.state = PluginState::Error;
        rec.error = rec.manifest.libraryPath() + ": init failed: " + parsePluginError(init->error).text();
        log.warn("plugins", rec.manifest.id + ": " + rec.error + "; continuing without it");
        return nullptr;
    }
    lp->instance_ = init->instance;
    rec.state = PluginState::Loaded;
    log.debug("plugins", "loaded " + rec.manifest.id + " " + rec.manifest.version + " from " +
                             rec.manifest.libraryPath());
    return lp;
}

void PluginHost::closePendingCalls() {
    if (services_) services_->closeCalls();
}

void PluginHost::unload() {
    while (!loaded_.empty()) {
        PluginRecord* rec = loaded_.back()->record_;
        loaded_.pop_back();
        if (rec && rec->state == PluginState::Loaded) rec->state = PluginState::Discovered;
    }
    // After every destroy(): no plugin of this host watches or posts any more.
    if (services_) services_->stop();
    services_.reset();
}

void PluginHost::refuse(LoadedPlugin* plugin, const std::string& reason) {
    auto it =
        std::find_if(loaded_.begin(), loaded_.end(), [plugin](const auto& p) { return p.get() == plugin; });
    if (it == loaded_.end()) return;
    PluginRecord* rec = (*it)->record_;
    log::Logger::get().error("plugins", rec->manifest.id + ": refused: " + reason);
    loaded_.erase(it); // destroyed now: nothing of it is registered anywhere yet
    rec->state = PluginState::Error;
    rec->error = reason;
}

std::vector<LoadedPlugin*> PluginHost::loaded() const {
    std::vector<LoadedPlugin*> out;
    for (const auto& p : loaded_)
        out.push_back(p.get());
    return out;
}

LoadedPlugin* PluginHost::authPlugin(config::AuthMode mode) const {
    const char* name = config::nameOf(mode);
    for (const auto& p : loaded_)
        if (p->descriptor_.auth && !p->record().manifest.authOverlay &&
            std::strcmp(name, p->descriptor_.auth->mode) == 0)
            return p.get();
    return nullptr;
}

std::vector<LoadedPlugin*> PluginHost::authChain(config::AuthMode mode) const {
    std::vector<LoadedPlugin*> chain;
    for (const auto& p : loaded_)
        if (p->descriptor_.auth && p->record().manifest.authOverlay) chain.push_back(p.get());
    if (const auto& order = config_->plugins.authOverlays) {
        // The operator's list: only these, in this order.
        std::vector<LoadedPlugin*> chosen;
        for (const std::string& id : *order)
            for (LoadedPlugin* p : chain)
                if (p->record().manifest.id == id) chosen.push_back(p);
        chain = chosen;
    } else {
        std::stable_sort(chain.begin(), chain.end(), [](LoadedPlugin* a, LoadedPlugin* b) {
            return *a->record().manifest.authOverlay > *b->record().manifest.authOverlay;
        });
    }
    if (LoadedPlugin* served = authPlugin(mode)) chain.push_back(served);
    return chain;
}

LoadedPlugin* PluginHost::withCapability(uint32_t cap) const {
    for (const auto& p : loaded_)
        if (p->descriptor_.capabilities & cap) return p.get();
    return nullptr;
}

const PluginRecord* PluginHost::find(const std::string& id) const {
    for (const auto& r : records_)
        if (r.manifest.id == id && r.state != PluginState::Shadowed) return &r;
    return nullptr;
}

} // namespace openclaw::plugins
