#include "CoreModule.hpp"

#include <dlfcn.h>

namespace openclaw::devices {

namespace {

CoreModule load() {
    CoreModule m;
    Dl_info self{};
    dladdr(reinterpret_cast<void*>(&load), &self);
    std::string path = self.dli_fname ? self.dli_fname : "";
    path = path.substr(0, path.find_last_of('/') + 1) + "devices-core.so";
    // Never closed: its code is called from any worker for the process's life.
    void* lib = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        const char* why = dlerror();
        m.error = why ? why : path + ": cannot be loaded";
        return m;
    }
    using Entry = const CoreTable* (*)();
    auto entry = reinterpret_cast<Entry>(dlsym(lib, kCoreSymbol));
    m.table = entry ? entry() : nullptr;
    if (!m.table) m.error = path + " has no " + kCoreSymbol;
    return m;
}

} // namespace

const CoreModule& CoreModule::get() {
    static const CoreModule module = load();
    return module;
}

} // namespace openclaw::devices
