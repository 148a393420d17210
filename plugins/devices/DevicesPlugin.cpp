// The bundled devices plugin (ABI 1.2, admission): verifies the signed device identity a connect carries, as
// the reference does (DeviceProof, in devices-proof.so: loaded at the first device connect), after the
// credentials were decided. So far it admits a device whose proof
// holds with its verified id (pairing, device tokens and the node relay are the devices-and-nodes issue's
// next steps) and refuses a node without a device identity. Built on the public SDK only, with POCO's JSON
// parser.
#define OPENCLAW_PLUGIN_ABI_MINOR 2u
#include "ProofLibrary.hpp"

#include "openclaw/plugin.hpp"

#include <dlfcn.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <chrono>
#include <mutex>
#include <sstream>

namespace {

using openclaw::devices::DeviceClaim;
using openclaw::devices::SignedContext;
using Poco::JSON::Object;

Object::Ptr objectIn(const Object::Ptr& o, const std::string& key) {
    return o && o->has(key) && o->isObject(key) ? o->getObject(key) : Object::Ptr();
}

std::string text(const Object::Ptr& o, const std::string& key) {
    return o && o->has(key) && o->get(key).isString() ? o->getValue<std::string>(key) : std::string();
}

long long nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

/// auth.token ?? auth.deviceToken ?? auth.bootstrapToken ?? "" (the first present, as sent).
std::string signedToken(const Object::Ptr& auth) {
    for (const char* key : {"token", "deviceToken", "bootstrapToken"})
        if (auth && auth->has(key) && auth->get(key).isString()) return auth->getValue<std::string>(key);
    return "";
}

/// The claim and what it was signed over, from the admission request.
std::pair<DeviceClaim, SignedContext> proofOf(const Object::Ptr& connect, const Object::Ptr& device,
                                              const Object::Ptr& challenge) {
    DeviceClaim claim;
    claim.id = text(device, "id");
    claim.publicKey = text(device, "publicKey");
    claim.signature = text(device, "signature");
    claim.signedAt = device->optValue<Poco::Int64>("signedAt", 0);
    claim.nonce = text(device, "nonce");
    SignedContext ctx;
    ctx.challengeNonce = text(challenge, "nonce");
    const Object::Ptr client = objectIn(connect, "client");
    ctx.clientId = text(client, "id");
    ctx.clientMode = text(client, "mode");
    ctx.platform = text(client, "platform");
    ctx.deviceFamily = text(client, "deviceFamily");
    ctx.role = connect->has("role") ? text(connect, "role") : "operator";
    if (connect->has("scopes") && connect->isArray("scopes"))
        for (const auto& s : *connect->getArray("scopes"))
            ctx.scopes.push_back(s.toString());
    ctx.token = signedToken(objectIn(connect, "auth"));
    return {claim, ctx};
}

std::string refusal(const std::string& code, const std::string& message, const Object::Ptr& details) {
    Object out;
    out.set("ok", false);
    out.set("code", code);
    out.set("message", message);
    out.set("details", details);
    out.set("closeCode", 1008);
    out.set("closeReason", message);
    std::ostringstream s;
    out.stringify(s);
    return s.str();
}

/// devices-proof.so from this plugin's folder, loaded once, at the first device connect; its table, or the
/// reason it could not be loaded.
struct ProofModule {
    const openclaw::devices::ProofTable* table = nullptr;
    std::string error;

    static const ProofModule& get() {
        static const ProofModule module = load();
        return module;
    }

  private:
    static ProofModule load() {
        ProofModule m;
        Dl_info self{};
        dladdr(reinterpret_cast<void*>(&ProofModule::load), &self);
        std::string path = self.dli_fname ? self.dli_fname : "";
        path = path.substr(0, path.find_last_of('/') + 1) + "devices-proof.so";
        // Kept for the process's life: the table's code is called from any worker.
        void* lib = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!lib) {
            const char* why = dlerror();
            m.error = why ? why : path + ": cannot be loaded";
            return m;
        }
        using Entry = const openclaw::devices::ProofTable* (*)();
        auto entry = reinterpret_cast<Entry>(dlsym(lib, openclaw::devices::kProofSymbol));
        m.table = entry ? entry() : nullptr;
        if (!m.table) m.error = path + " has no " + openclaw::devices::kProofSymbol;
        return m;
    }
};

class DevicesPlugin : public openclaw::Plugin {
  public:
    explicit DevicesPlugin(openclaw::Host host) : Plugin(host) {}

    std::string admit(const std::string& requestJson) override {
        const Object::Ptr req = Poco::JSON::Parser().parse(requestJson).extract<Object::Ptr>();
        const Object::Ptr credentials = objectIn(req, "credentials");
        // A refusal of the credentials stands (the reference checks the device only after them).
        if (!credentials || !credentials->optValue<bool>("ok", false)) return R"({"pass":true})";
        const Object::Ptr connect = objectIn(req, "connect");
        const Object::Ptr device = objectIn(connect, "device");
        if (!device) {
            if (text(connect, "role") != "node") return R"({"pass":true})";
            Object::Ptr details = new Object;
            details->set("code", std::string("DEVICE_IDENTITY_REQUIRED"));
            return refusal("NOT_PAIRED", "device identity required", details);
        }
        const ProofModule& proof = ProofModule::get();
        if (!proof.table) {
            // Loud, and the connect is refused: a device claim that cannot be checked is not admitted.
            std::call_once(loggedMissing_, [&] {
                host().log(OC_LOG_ERROR, "devices", "device proofs cannot be checked: " + proof.error);
            });
            Object::Ptr details = new Object;
            details->set("code", std::string("DEVICE_AUTH_UNAVAILABLE"));
            return refusal("UNAVAILABLE", "device identity cannot be checked by this gateway", details);
        }
        const auto [claim, ctx] = proofOf(connect, device, objectIn(req, "challenge"));
        if (auto failed = proof.table->verify(claim, ctx, nowMs())) {
            Object::Ptr details = new Object;
            details->set("code", failed->code);
            details->set("reason", failed->reason);
            return refusal("INVALID_REQUEST", failed->message, details);
        }
        return R"({"ok":true,"deviceId":)" + openclaw::jsonQuote(claim.id) + "}";
    }

  private:
    std::once_flag loggedMissing_;
};

} // namespace

OPENCLAW_PLUGIN(DevicesPlugin, "devices", "Devices and nodes", "0.1.0", OC_CAP_ADMISSION)
