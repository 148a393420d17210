#include "RunningPlugins.h"

#include "client/Query.h"

namespace openclaw::cli {

namespace {

void readPluginsPart(const json::ObjectPtr& health, RunningPlugins& out) {
    const json::ObjectPtr plugins = json::getObject(health, "plugins");
    if (json::ArrayPtr loaded = json::getArray(plugins, "loaded"))
        for (size_t i = 0; i < loaded->size(); ++i)
            out.loaded.insert(loaded->get(static_cast<unsigned>(i)).toString());
    if (json::ArrayPtr errors = json::getArray(plugins, "errors"))
        for (size_t i = 0; i < errors->size(); ++i) {
            const json::ObjectPtr e = errors->getObject(static_cast<unsigned>(i));
            if (auto id = json::getString(e, "id"))
                out.errors[*id] = json::getString(e, "error").value_or("");
        }
}

} // namespace

RunningPlugins askRunningGateway(const config::GatewayConfig& cfg, const config::Environment& env,
                                 int timeoutMs) {
    client::QueryTarget target = client::localQueryTarget(cfg, env);
    target.opts.timeoutMs = timeoutMs;
    RunningPlugins out;
    out.url = target.opts.url;
    const client::QueryOutcome q = client::runQuery(target, "health", json::Var(json::makeObject()), false);
    if (q.kind != client::QueryOutcome::Kind::Answered) {
        out.why = q.kind == client::QueryOutcome::Kind::CredentialsRequired
                      ? "it asks for credentials this machine's config does not hold"
                      : (q.error ? q.error->what() : std::string("no answer"));
        return out;
    }
    out.answered = true;
    readPluginsPart(json::asObject(q.payload), out);
    return out;
}

} // namespace openclaw::cli
