// The worker pool starts its threads only when work finds every started one busy, up to its limit.
#include "net/WorkerPool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

using namespace openclaw;

namespace {

/// Waits (bounded, to catch a hang) until `done` says so.
template <typename Pred> bool eventually(Pred done) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!done()) {
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

} // namespace

TEST(WorkerPool, NoThreadStartsUntilThereIsWork) {
    net::WorkerPool pool("test", 4);
    EXPECT_EQ(pool.started(), 0u);
    std::promise<std::thread::id> ran;
    ASSERT_TRUE(pool.submit([&] { ran.set_value(std::this_thread::get_id()); }));
    auto id = ran.get_future();
    ASSERT_EQ(id.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    EXPECT_NE(id.get(), std::this_thread::get_id());
    EXPECT_EQ(pool.started(), 1u);
}

TEST(WorkerPool, AnIdleThreadTakesTheNextTaskAndBusyOnesBringMoreUpToTheLimit) {
    net::WorkerPool pool("test", 2);
    std::atomic<int> done{0};
    for (int i = 0; i < 5; ++i) { // one after another: the one thread is idle each time
        ASSERT_TRUE(pool.submit([&] { ++done; }));
        ASSERT_TRUE(eventually([&] { return done.load() == i + 1; }));
    }
    ASSERT_TRUE(eventually([&] { return pool.started() == 1u; }));

    std::promise<void> release;
    std::shared_future<void> gate = release.get_future().share();
    std::atomic<int> blocked{0};
    for (int i = 0; i < 4; ++i)
        ASSERT_TRUE(pool.submit([&, gate] {
            ++blocked;
            gate.wait();
        }));
    ASSERT_TRUE(eventually([&] { return blocked.load() == 2; })); // both threads busy, two tasks queued
    EXPECT_EQ(pool.started(), 2u);
    release.set_value();
    EXPECT_TRUE(eventually([&] { return blocked.load() == 4; }));
    EXPECT_EQ(pool.started(), 2u);
}

TEST(WorkerPool, NothingIsTakenAfterStop) {
    net::WorkerPool pool("test", 2);
    pool.stop();
    EXPECT_FALSE(pool.submit([] {}));
    EXPECT_EQ(pool.started(), 0u);
}
