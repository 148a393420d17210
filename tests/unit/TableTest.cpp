// The CLI's table layout against tables the reference's CLI printed (reference/transcripts/nodes/
// run1-cli-outputs.txt, 120 columns: stdout not a terminal): flexible columns shrink and wrap at break
// characters, and share the room left; fixed ones keep their minimum. And its ages, rounded as the reference.
#include "Table.h"

#include <gtest/gtest.h>

using namespace openclaw::cli;

namespace {

const std::vector<Column> kPaired = {{"Device", 16, true}, {"Device ID", 12, true}, {"Roles", 12, true},
                                     {"Scopes", 12, true}, {"Tokens", 12, true},    {"IP", 12}};

} // namespace

TEST(Table, ALongIdWrapsInItsFlexibleColumnAsTheReferencesDevicesList) {
    const std::string id = "31ae18bc8e6cda23d1c112b4fd48d7c4214ad11dd94b4ae9ff362f1b4bc327a4";
    EXPECT_EQ(
        renderTable(kPaired, {{"Test Node", id, "node", "", "node", ""}}, 120),
        "┌────────────────┬─────────────────────────────────────────────────┬────────────┬────────────┬───"
        "─────────┬────────────┐\n"
        "│ Device         │ Device ID                                       │ Roles      │ Scopes     │ To"
        "kens     │ IP         │\n"
        "├────────────────┼─────────────────────────────────────────────────┼────────────┼────────────┼───"
        "─────────┼────────────┤\n"
        "│ Test Node      │ 31ae18bc8e6cda23d1c112b4fd48d7c4214ad11dd94b4ae │ node       │            │ no"
        "de       │            │\n"
        "│                │ 9ff362f1b4bc327a4                               │            │            │   "
        "         │            │\n"
        "└────────────────┴─────────────────────────────────────────────────┴────────────┴────────────┴───"
        "─────────┴────────────┘\n");
    // A wider Tokens cell ("node (revoked)") takes its room from the widest flexible column.
    const std::string revoked =
        renderTable(kPaired, {{"Test Node", id, "node", "", "node (revoked)", ""}}, 120);
    EXPECT_NE(revoked.find("│ 31ae18bc8e6cda23d1c112b4fd48d7c4214ad11dd94 │"), std::string::npos) << revoked;
    EXPECT_NE(revoked.find("│ b4ae9ff362f1b4bc327a4                       │"), std::string::npos) << revoked;
}

TEST(Table, CellsWrapAtBreakCharactersAndRoomIsSharedAmongFlexibleColumns) {
    const std::string t = renderTable({{"Field", 8}, {"Value", 24, true}},
                                      {{"PATH", "/usr/local/bin:/usr/bin:/bin"}, {"Caps", "system"}}, 40);
    // Field keeps its minimum (8, padding included); Value gives one column of its natural 30 to fit 40.
    EXPECT_EQ(t, "┌────────┬─────────────────────────────┐\n"
                 "│ Field  │ Value                       │\n"
                 "├────────┼─────────────────────────────┤\n"
                 "│ PATH   │ /usr/local/bin:/usr/bin:/   │\n"
                 "│        │ bin                         │\n"
                 "│ Caps   │ system                      │\n"
                 "└────────┴─────────────────────────────┘\n");
    const std::string words = renderTable({{"A", 3, true}, {"B", 3, true}}, {{"one two three", "x"}}, 20);
    EXPECT_NE(words.find("│ one two      │ x │"), std::string::npos) << words;
    EXPECT_NE(words.find("│ three        │   │"), std::string::npos) << words;
}

TEST(Table, AgesRoundAsTheReferences) {
    const long long now = 10'000'000'000;
    EXPECT_EQ(ageOf(now - 29'000, now), "just now");
    EXPECT_EQ(ageOf(now - 30'000, now), "1m ago");
    EXPECT_EQ(ageOf(now - 89'000, now), "1m ago");
    EXPECT_EQ(ageOf(now - 59 * 60'000LL, now), "59m ago");
    EXPECT_EQ(ageOf(now - 47 * 3'600'000LL, now), "47h ago");
    EXPECT_EQ(ageOf(now - 48 * 3'600'000LL, now), "2d ago");
    EXPECT_EQ(ageOf(now + 5'000, now), "just now") << "a clock ahead reads as now";
}

TEST(Table, TheHomeFolderIsShownAsATildeWhereItIsAWholePathOrAPathsStart) {
    EXPECT_EQ(homeShortened("/root/.cargo/bin:/usr/bin", "/root", "~"), "~/.cargo/bin:/usr/bin");
    EXPECT_EQ(homeShortened("/usr/bin:/root/.local/bin", "/root", "~"), "/usr/bin:~/.local/bin");
    EXPECT_EQ(homeShortened("/root", "/root/", "~"), "~");
    EXPECT_EQ(homeShortened("(/root).", "/root", "~"), "(~).");
    EXPECT_EQ(homeShortened("/rootless/bin", "/root", "~"), "/rootless/bin") << "a sibling is not the home";
    EXPECT_EQ(homeShortened("x/root/bin", "/root", "~"), "x/root/bin") << "not at a token's start";
    EXPECT_EQ(homeShortened("/home/me/bin", "/home/me", "$OPENCLAW_HOME"), "$OPENCLAW_HOME/bin");
    EXPECT_EQ(homeShortened("/anything", "/", "~"), "/anything");
}
