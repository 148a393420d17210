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
    // A scalar alone is a JSON text (RFC 8259, JSON.parse).
    for (const char* scalar : {"0", "-0.5e-3", "\"\"", "true", "null"}) {
        EXPECT_TRUE(json::isValid(scalar)) << scalar;
        EXPECT_NO_THROW(json::parse(scalar)) << scalar;
    }
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

TEST(RawJson, TreesTypeNumbersAndKeepKeyOrderAsBefore) {
    const json::Var v =
        json::parse(R"({"b":1,"a":[9223372036854775807,9223372036854775808,-9223372036854775808,
                                         -0,1.0,1e2,0.1,"x\u0000y",true,null],"b":3})");
    json::ObjectPtr o = json::asObject(v);
    ASSERT_TRUE(o);
    std::vector<std::string> names;
    o->getNames(names);
    EXPECT_EQ(names, (std::vector<std::string>{"b", "a"})); // a repeated key: first place, last value
    EXPECT_EQ(json::getInt(o, "b"), 3);
    json::ArrayPtr a = json::getArray(o, "a");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->get(0).type(), typeid(Poco::Int64));
    EXPECT_EQ(a->get(1).type(), typeid(Poco::UInt64));
    EXPECT_EQ(a->get(2).type(), typeid(Poco::Int64));
    EXPECT_EQ(a->get(3).type(), typeid(Poco::Int64));
    EXPECT_EQ(a->get(4).type(), typeid(double));
    EXPECT_EQ(
        json::stringify(a),
        R"([9223372036854775807,9223372036854775808,-9223372036854775808,0,1,100,0.1,"x\u0000y",true,null])");
    // Exact where POCO went through a double, refused where it wrapped.
    EXPECT_EQ(json::stringify(json::parse("[-44440400000066666]")), "[-44440400000066666]");
    EXPECT_THROW(json::parse("[18446744073709551616]"), std::invalid_argument);
    EXPECT_THROW(json::parse("[-9223372036854775809]"), std::invalid_argument);
}

TEST(RawJson, ParseErrorsSayWhatIsWrong) {
    try {
        json::parse(R"({"a":[1,,2]})");
        FAIL() << "accepted";
    } catch (const std::invalid_argument& e) {
        EXPECT_EQ(std::string(e.what()).rfind("not valid JSON: ", 0), 0u) << e.what();
        EXPECT_GT(std::string(e.what()).size(), 20u) << e.what();
    }
}
