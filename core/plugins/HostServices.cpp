#include "plugins/HostServices.h"

#include <future>
#include <sys/epoll.h>

namespace openclaw::plugins {

HostServices::HostServices() : loop_("plugin-io"), workers_("plugin-work", 2) {
    loop_.start();
}

HostServices::~HostServices() {
    stop();
}

void HostServices::stop() {
    loop_.stop();
    workers_.stop();
    watches_.clear(); // the loop's thread is gone
}

uint64_t HostServices::watch(int fd, std::function<void()> onReadable) {
    const uint64_t id = nextId_++;
    auto w = std::make_shared<Watch>();
    w->fd = fd;
    w->onReadable = std::move(onReadable);
    auto added = std::make_shared<std::promise<bool>>();
    std::future<bool> result = added->get_future();
    if (!loop_.post([this, id, added, w] {
            try {
                loop_.add(w->fd, EPOLLIN, w.get());
            } catch (const std::exception&) {
                added->set_value(false); // not a descriptor epoll can watch: the caller gets 0
                return;
            }
            watches_[id] = w;
            added->set_value(true);
        }))
        return 0;
    if (loop_.inLoop()) return id; // from a callback on this loop: it is added right after
    added.reset();
    try {
        return result.get() ? id : 0;
    } catch (const std::future_error&) {
        return 0; // the loop stopped before it ran
    }
}

void HostServices::unwatchOnLoop(uint64_t id) {
    auto it = watches_.find(id);
    if (it == watches_.end()) return;
    loop_.remove(it->second->fd);
    watches_.erase(it);
}

void HostServices::unwatch(uint64_t id) {
    if (id == 0) return;
    if (loop_.inLoop()) {
        unwatchOnLoop(id);
        return;
    }
    // The loop runs one thing at a time: once this task has run, no callback of the watch is running.
    auto done = std::make_shared<std::promise<void>>();
    std::future<void> finished = done->get_future();
    if (!loop_.post([this, id, done] {
            unwatchOnLoop(id);
            done->set_value();
        }))
        return;
    done.reset();
    finished.wait();
}

bool HostServices::post(std::function<void()> fn) {
    return workers_.submit(std::move(fn));
}

} // namespace openclaw::plugins
