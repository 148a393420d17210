// The ssh-tunnel plugin's pure parts: targets (refused before any process starts), what `ssh -G` prints,
// and ssh's failures turned into messages a person can act on.
#include "SshTarget.hpp"

#include <gtest/gtest.h>

using namespace openclaw::sshtunnel;

namespace {

TEST(SshTarget, TargetsParseAsTheReferenceDoes) {
    SshTarget t = parseTarget("ssh alice@gw.example.com:2222");
    EXPECT_EQ(t.user, "alice");
    EXPECT_EQ(t.host, "gw.example.com");
    EXPECT_EQ(t.port, 2222);
    EXPECT_EQ(t.destination(), "alice@gw.example.com");
    t = parseTarget("gw");
    EXPECT_EQ(t.user, "");
    EXPECT_EQ(t.port, 0);
    EXPECT_EQ(parseTarget("bob@[::1]:22").host, "::1");
}

TEST(SshTarget, DangerousOrBrokenTargetsAreRefusedWithWhatIsWrong) {
    for (const char* bad : {"", "-oProxyCommand=x", "alice@-oProxyCommand=x", "alice@host:99999",
                            "alice@host:x", "alice@", "alice@ho st"}) {
        try {
            parseTarget(bad);
            ADD_FAILURE() << "accepted: " << bad;
        } catch (const std::runtime_error& e) {
            EXPECT_FALSE(std::string(e.what()).empty());
        }
    }
}

TEST(SshTarget, SshGGivesUserHostPortAndTheFirstRealIdentity) {
    const SshConfig c = parseSshG("user root\nhostname 127.0.0.1\nport 2222\nidentityfile none\n"
                                  "identityfile ~/.ssh/id_ed25519\nidentityfile ~/.ssh/id_rsa\n");
    EXPECT_EQ(c.user, "root");
    EXPECT_EQ(c.hostname, "127.0.0.1");
    EXPECT_EQ(c.port, 2222);
    EXPECT_EQ(c.identityFile, "~/.ssh/id_ed25519");
}

TEST(SshTarget, FailuresSayWhatToDo) {
    const SshTarget t = parseTarget("root@gw:2222");
    EXPECT_NE(explainSshFailure("Host key verification failed.\n", 255, t, 2222)
                  .find("ssh-keyscan -p 2222 gw >> ~/.ssh/known_hosts"),
              std::string::npos);
    EXPECT_NE(
        explainSshFailure("root@gw: Permission denied (publickey).", 255, t, 2222).find("--ssh-identity"),
        std::string::npos);
    EXPECT_NE(explainSshFailure("ssh: connect to host gw port 2222: Connection refused", 255, t, 2222)
                  .find("nothing accepts SSH on gw:2222"),
              std::string::npos);
    EXPECT_EQ(explainSshFailure("odd", 3, t, 2222), "ssh exited (3): odd");
}

} // namespace
