// kill -9 at any moment leaves the old file or the new one, never a torn one (files::writeFileAtomic,
// which every file the project writes goes through), and secret files stay 0600.
#include "Process.h"

#include <gtest/gtest.h>

#include <csignal>
#include <random>
#include <sys/stat.h>
#include <thread>

using namespace openclaw::test;

TEST(Durability, KillNineDuringRewritesNeverLeavesATornFile) {
    TempDir dir;
    const std::string file = dir.path() + "/state/openclaw.json";
    const std::string a(1 << 20, 'a');
    const std::string b(3 << 19, 'b');
    std::mt19937 rng(20261126);
    int sawA = 0, sawB = 0;
    for (int round = 0; round < 40; ++round) {
        ChildProcess writer({OPENCLAW_TEST_ATOMIC_WRITER, file}, {});
        // Wait until at least one write has landed, then kill at a random moment.
        for (int i = 0; i < 500 && readFile(file).empty(); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        // Up to 100 ms: many rewrites (each fsyncs), even on a loaded machine or under a sanitizer.
        std::this_thread::sleep_for(std::chrono::microseconds(rng() % 100000));
        writer.signal(SIGKILL);
        EXPECT_EQ(writer.wait(5000), 128 + SIGKILL);
        const std::string now = readFile(file);
        ASSERT_TRUE(now == a || now == b) << "round " << round << ": torn file of " << now.size() << " bytes";
        (now == a ? sawA : sawB)++;
        struct stat st {};
        ASSERT_EQ(::stat(file.c_str(), &st), 0);
        EXPECT_EQ(st.st_mode & 0777, 0600u);
    }
    // Both contents were seen: the kills did land in the middle of a stream of rewrites.
    EXPECT_GT(sawA, 0);
    EXPECT_GT(sawB, 0);
}
