// gateway.tls: a generated self-signed certificate, wss:// on the same port, the fingerprint logged,
// handed to plugins (runtime.tls) and pinned by the client.
#include "Process.h"

#include "client/GatewayClient.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <sys/stat.h>
#include <unistd.h>

using namespace openclaw;
using namespace openclaw::test;

TEST(Tls, ServesWssWithAGeneratedCertificateAndPinsItsFingerprint) {
    GatewayUnderTest gw(
        std::string(R"({ gateway: { mode: 'local', auth: { token: 'T0k3n' }, tls: { enabled: true } },
        plugins: { load: { paths: [')") +
            OPENCLAW_TEST_PLUGIN_DIR + R"(/test-good'] } } })",
        {}, {}, false);
    // /readyz is HTTPS now; wait on the log line instead.
    std::smatch m;
    std::string out;
    for (int i = 0; i < 500; ++i) {
        out = gw.process().out();
        if (out.find("] ready") != std::string::npos) break;
        usleep(20000);
    }
    ASSERT_TRUE(std::regex_search(out, m, std::regex("certificate sha256 ([0-9a-f]{64})")))
        << out << gw.process().err();
    const std::string fingerprint = m[1];
    std::string url = "wss://127.0.0.1:" + std::to_string(gw.port());
    EXPECT_NE(out.find("listening on wss://127.0.0.1:"), std::string::npos);

    struct stat st {};
    ASSERT_EQ(::stat((gw.home() + "/.openclaw/gateway/tls/gateway-key.pem").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);

    client::ClientOptions pinned{url, std::string("T0k3n")};
    pinned.tlsFingerprint = fingerprint;
    client::GatewayClient c(pinned);
    ASSERT_NO_THROW(c.connect());
    json::ObjectPtr runtime = json::asObject(c.call("test.runtime"));
    json::ObjectPtr tls = json::getObject(runtime, "tls");
    EXPECT_EQ(json::getBool(tls, "enabled"), true);
    EXPECT_EQ(json::getString(tls, "sha256"), fingerprint);

    client::ClientOptions wrong = pinned;
    wrong.tlsFingerprint = std::string(64, '0');
    client::GatewayClient bad(wrong);
    try {
        bad.connect();
        FAIL() << "a wrong pin was accepted";
    } catch (const client::GatewayError& e) {
        EXPECT_NE(std::string(e.what()).find("TLS fingerprint mismatch"), std::string::npos) << e.what();
    }
    // Our CLI with the pin, over the same port.
    RunResult r = run({openclawBin(), "gateway", "health", "--url", url, "--token", "T0k3n",
                       "--tls-fingerprint", fingerprint},
                      {{"HOME", gw.home()}});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out.rfind("Gateway Health\nOK (", 0), 0u);
}

namespace {

/// Polls the gateway's stdout for the ready line (/readyz speaks HTTPS under TLS).
std::string waitForReadyLine(GatewayUnderTest& gw) {
    std::string out;
    for (int i = 0; i < 750; ++i) {
        out = gw.process().out();
        if (out.find("] ready") != std::string::npos || !gw.process().running()) break;
        usleep(20000);
    }
    return out;
}

} // namespace

TEST(Tls, ServesTheOperatorsOwnCertificateAndKey) {
    TempDir pki;
    const std::string cert = pki.path() + "/cert.pem";
    const std::string key = pki.path() + "/key.pem";
    RunResult made = run({"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                          "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
                          "-subj", "/CN=gateway.test", "-addext", "subjectAltName=IP:127.0.0.1"},
                         {});
    ASSERT_EQ(made.code, 0) << made.err;
    RunResult fp = run({"/usr/bin/openssl", "x509", "-in", cert, "-noout", "-fingerprint", "-sha256"}, {});
    ASSERT_EQ(fp.code, 0) << fp.err;
    std::string expected = fp.out.substr(fp.out.find('=') + 1);
    expected.erase(std::remove(expected.begin(), expected.end(), ':'), expected.end());
    expected.erase(std::remove(expected.begin(), expected.end(), '\n'), expected.end());
    std::transform(expected.begin(), expected.end(), expected.begin(), ::tolower);

    GatewayUnderTest gw(R"({ gateway: { mode: 'local', auth: { token: 'T0k3n' },
        tls: { enabled: true, certPath: ')" +
                            cert + "', keyPath: '" + key + "' } } }",
                        {}, {}, false);
    const std::string out = waitForReadyLine(gw);
    EXPECT_NE(out.find("certificate sha256 " + expected + " (" + cert + ")"), std::string::npos) << out;
    EXPECT_EQ(out.find("generated a self-signed"), std::string::npos) << "the operator's certificate is used";
    RunResult r =
        run({openclawBin(), "gateway", "health", "--url", "wss://127.0.0.1:" + std::to_string(gw.port()),
             "--token", "T0k3n", "--tls-fingerprint", expected},
            {{"HOME", gw.home()}});
    EXPECT_EQ(r.code, 0) << r.err;
}

TEST(Tls, AnUnpinnedSelfSignedCertificateIsRefused) {
    GatewayUnderTest gw(R"({ gateway: { mode: 'local', auth: { token: 'T0k3n' }, tls: { enabled: true } } })",
                        {}, {}, false);
    ASSERT_NE(waitForReadyLine(gw).find("] ready"), std::string::npos);
    const std::string url = "wss://127.0.0.1:" + std::to_string(gw.port());
    client::GatewayClient unpinned({url, std::string("T0k3n")});
    try {
        unpinned.connect();
        FAIL() << "a self-signed certificate was trusted without a pin";
    } catch (const client::GatewayError& e) {
        EXPECT_EQ(e.kind, client::GatewayError::Kind::Transport) << e.what();
    }
    RunResult r =
        run({openclawBin(), "gateway", "health", "--url", url, "--token", "T0k3n"}, {{"HOME", gw.home()}});
    EXPECT_EQ(r.code, 1) << r.out;
    EXPECT_NE(r.err.find("certificate"), std::string::npos) << r.err;
}
