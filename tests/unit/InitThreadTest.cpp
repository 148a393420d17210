// Plugins' create() calls run one after another on one thread; a call that overruns keeps its thread and
// the next call gets another.
#include "plugins/InitThread.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <memory>
#include <thread>
#include <vector>

using namespace openclaw;

namespace {

/// Posts a call that reports its thread; returns the future of that id.
std::future<std::thread::id> whereItRuns(plugins::InitThread& init) {
    auto done = std::make_shared<std::promise<std::thread::id>>();
    std::future<std::thread::id> id = done->get_future();
    init.post([done] { done->set_value(std::this_thread::get_id()); });
    return id;
}

std::thread::id get(std::future<std::thread::id>& f) {
    EXPECT_EQ(f.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    return f.get();
}

} // namespace

TEST(InitThread, CallsRunInOrderOnOneThreadThatIsNotTheCallers) {
    plugins::InitThread init;
    std::vector<std::future<std::thread::id>> ids;
    for (int i = 0; i < 4; ++i)
        ids.push_back(whereItRuns(init));
    const std::thread::id first = get(ids[0]);
    EXPECT_NE(first, std::this_thread::get_id());
    for (size_t i = 1; i < ids.size(); ++i)
        EXPECT_EQ(get(ids[i]), first);
}

TEST(InitThread, AfterAnAbandonedCallTheNextRunsOnAnotherThread) {
    std::promise<void> release;
    std::shared_future<void> gate = release.get_future().share();
    auto stuck = std::make_shared<std::promise<std::thread::id>>();
    std::future<std::thread::id> stuckId = stuck->get_future();
    {
        plugins::InitThread init;
        init.post([stuck, gate] {
            stuck->set_value(std::this_thread::get_id());
            gate.wait(); // a create() that hangs
        });
        const std::thread::id hung = get(stuckId);
        init.abandon();
        auto next = whereItRuns(init);
        EXPECT_NE(get(next), hung);
    }                    // joins the new thread; the abandoned one is still inside its call
    release.set_value(); // it returns and its thread ends on its own
}
