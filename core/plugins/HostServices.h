// What the plugin host shares among its plugins' host-API calls: the plugin I/O thread that watches
// descriptors (oc_host_api.watch_fd) and the worker threads that run posted work (post_work).
#pragma once

#include "net/EventLoop.h"
#include "net/WorkerPool.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <unordered_map>

namespace openclaw::plugins {

/// The plugin I/O loop and workers; started on construction, stopped by stop() or the destructor.
class HostServices {
  public:
    HostServices();
    ~HostServices();
    HostServices(const HostServices&) = delete;
    HostServices& operator=(const HostServices&) = delete;

    /// Calls onReadable on the plugin I/O thread while fd is readable. Returns a non-zero id, 0 on failure.
    uint64_t watch(int fd, std::function<void()> onReadable);
    /// Stops watching; when it returns, the callback is not running (unless called from it).
    void unwatch(uint64_t id);
    /// Runs fn on a worker thread; false once stopping.
    bool post(std::function<void()> fn);
    /// Stops the loop and the workers (idempotent).
    void stop();

  private:
    struct Watch : net::IoHandler {
        int fd = -1;
        std::function<void()> onReadable;
        void onIo(uint32_t) override { onReadable(); }
    };
    void unwatchOnLoop(uint64_t id);

    net::EventLoop loop_;
    net::WorkerPool workers_;
    std::atomic<uint64_t> nextId_{1};
    std::unordered_map<uint64_t, std::shared_ptr<Watch>> watches_; ///< the loop's thread only
};

} // namespace openclaw::plugins
