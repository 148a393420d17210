#include "QueryTarget.h"

#include "RemoteTunnel.h"
#include "TargetOptions.h"

#include <iostream>

namespace openclaw::cli {

/// An explicit URL never picks up credentials from config or environment: --url needs its own.
void requireCredentialsWithUrl(const Args& args, const std::string& configPath) {
    if (!urlOption(args) || args.value("token") || args.value("password")) return;
    std::cerr << "gateway url override requires explicit credentials\n"
              << "Fix: pass --token or --password with --url (or gatewayToken in tools).\n"
              << "For the default local or SSH-tunneled Gateway, remove --url to use the configured target.\n"
              << "Config: " << configPath << "\n";
    throw ExitCode{1};
}

/// The target; with gateway.mode remote over SSH, `tunnel` is opened and the target goes through it.
client::QueryTarget resolveTarget(const Context& ctx, const Args& args,
                                  std::unique_ptr<report::TunnelSession>& tunnel) {
    config::GatewayConfig cfg = ctx.loadConfig(portOverride(args));
    requireCredentialsWithUrl(args, cfg.paths.configPath);
    client::QueryFlags flags;
    flags.url = urlOption(args);
    flags.token = args.value("token");
    flags.password = args.value("password");
    flags.tlsFingerprint = args.value("tls-fingerprint");
    if (args.has("timeout")) flags.timeoutMs = timeoutOption(args, 10000);
    if (usesRemoteTunnel(ctx, cfg, flags.url.has_value())) {
        tunnel = openRemoteTunnel(cfg, flags.timeoutMs.value_or(10000));
        flags.url = tunnel->url();
        // The remote gateway's credentials: flags, else gateway.remote.token/password.
        if (!flags.token && !flags.password) {
            flags.token = cfg.remote.token;
            flags.password = cfg.remote.password;
        }
        client::QueryTarget t = client::resolveQueryTarget(cfg, ctx.env, flags);
        t.urlSource = "ssh tunnel to " + cfg.remote.sshTarget + " (gateway.remote.sshTarget)";
        return t;
    }
    return client::resolveQueryTarget(cfg, ctx.env, flags);
}

} // namespace openclaw::cli
