// The auth plugins' reader of what a connect sent (plugins/common/SharedSecretAuth.hpp): the tree-free
// reader and the tree agree on every request, and it gives up (for the tree to answer) on what it cannot
// read.
#include "SharedSecretAuth.hpp"

#include <gtest/gtest.h>

namespace {

using openclaw::auth::readSentSecrets;
using openclaw::auth::SentSecrets;
using openclaw::auth::sentSecretsFromTree;

std::string show(const SentSecrets& s) {
    return "token=" + s.token.value_or("<none>") + " password=" + s.password.value_or("<none>");
}

TEST(SharedSecretAuth, TheReaderAndTheTreeAgreeOnWhatWasSent) {
    const char* const requests[] = {
        R"({"mode":"token","auth":{"token":"T0k3n"},"client":{"id":"cli"}})",
        R"({"mode":"password","auth":{"password":"pw \"quoted\" \u00e9"},"isLoopback":true})",
        R"({"mode":"token","auth":{"token":"a","password":"b"}})",
        R"({"mode":"token","auth":{}})",
        R"({"mode":"token","client":{"auth":{"token":"nested, not ours"}}})",
        R"({"mode":"token","auth":{"token":42,"password":null}})",
        R"({"mode":"token","auth":"T0k3n"})",
        R"({"auth":{"token":"first"},"mode":"token","auth":{"password":"second"}})",
        R"({"auth":{"token":"x","token":"y"}})",
        R"({"headers":{"auth":"no"},"auth":{"deviceToken":"d","token":"t"}})",
    };
    for (const char* request : requests) {
        const std::optional<SentSecrets> read = readSentSecrets(request);
        ASSERT_TRUE(read) << request;
        EXPECT_EQ(show(*read), show(sentSecretsFromTree(request))) << request;
    }
    EXPECT_EQ(readSentSecrets(R"({"auth":{"token":"T0k3n"}})")->token, "T0k3n");
}

TEST(SharedSecretAuth, TheReaderGivesUpOnWhatIsNotAnObject) {
    for (const char* request : {"[1,2]", "\"auth\"", "", "{\"auth\":{\"token\":\"unterminated}}"})
        EXPECT_FALSE(readSentSecrets(request)) << request;
}

} // namespace
