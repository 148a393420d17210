// json::readObject / json::isValid: JSON read without a tree, as strict as json::parse.
#include "json/RawJson.h"
#include "json/Json.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace openclaw;

TEST(RawJson, VisitsEachMemberWithItsRawTextAndUnescapedString) {
    std::vector<std::string> seen;
    ASSERT_TRUE(json::readObject(
        R"( {"a\n": "x\"y" , "b":{"c":[true, null]}, "n":-1.5E2,"t":false} )", [&](const json::RawMember& m) {
            seen.push_back(std::string(m.key) + "=" + std::string(m.raw) + "|" + std::string(m.text));
        }));
    EXPECT_EQ(seen, (std::vector<std::string>{"a\n=\"x\\\"y\"|x\"y", R"(b={"c":[true, null]}|)", "n=-1.5E2|",
                                              "t=false|"}));
}

TEST(RawJson, VisitsNothingOfADocumentItRefuses) {
    int visits = 0;
    auto count = [&](const json::RawMember&) { ++visits; };
    EXPECT_FALSE(json::readObject(R"({"a":1,"b":[1,}})", count));
    EXPECT_FALSE(json::readObject(R"({"a":1} 2)", count));
    EXPECT_FALSE(json::readObject(R"([{"a":1}])", count));
    EXPECT_EQ(visits, 0);
}

TEST(RawJson, ValidatesAnyKindOfValueAsStrictlyAsJsonParse) {
    for (const char* good : {"{}", "[]", " [1,{\"a\":[\"\\u00e9\"]}] ", "[0,-0.5e-3,\"\",true,null]"}) {
        EXPECT_TRUE(json::isValid(good)) << good;
        EXPECT_NO_THROW(json::parse(good)) << good;
    }
    // A scalar alone is a JSON text (RFC 8259, JSON.parse), although POCO's parser takes only a container.
    for (const char* scalar : {"0", "-0.5e-3", "\"\"", "true", "null"})
        EXPECT_TRUE(json::isValid(scalar)) << scalar;
    for (const char* bad :
         {"", " ", "1 2", "[1]]", "1],[2", "{\"a\"}", "01", "1.", ".5", "1e400",
          "123456789012345678901234567890", "\"\\ud800\"", "\"\xff\"", "nul", "[1,]", "{,}"}) {
        EXPECT_FALSE(json::isValid(bad)) << bad;
        EXPECT_THROW(json::parse(bad), std::invalid_argument) << bad;
    }
}

TEST(RawJson, LargeDocumentsReadLikeSmallOnes) {
    // Above the size a thread keeps buffers for: read with a parser of its own.
    std::string big = "{\"a\":\"" + std::string(3 << 20, 'x') + "\",\"b\":[1]}";
    size_t members = 0;
    EXPECT_TRUE(json::readObject(big, [&](const json::RawMember&) { ++members; }));
    EXPECT_EQ(members, 2u);
    EXPECT_TRUE(json::isValid("[" + std::string(2 << 20, '1') + "]") == false); // one number too long
    EXPECT_TRUE(json::readObject(R"({"small":1})", [](const json::RawMember&) {}));
}

TEST(RawJson, TrimsJsonWhitespaceOnly) {
    EXPECT_EQ(json::trimWhitespace(" \t\r\n{} \n"), "{}");
    EXPECT_EQ(json::trimWhitespace("\v1"), "\v1");
}
