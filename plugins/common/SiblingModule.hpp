// Loading a plugin's heavy half from its own folder at the first call that needs it: what costs memory (a
// library chain, threads) is mapped only when the plugin serves (devices-core.so, bonjour-core.so). The
// half exports one function returning a table of function pointers; both halves are built from this tree by
// one compiler, so the table is an internal split of one plugin, not an ABI.
#pragma once

#include <dlfcn.h>
#include <string>

namespace openclaw::plugin_module {

/// What a load gave: the table, or why there is none.
template <typename Table> struct Loaded {
    const Table* table = nullptr;
    std::string error;
};

/// Loads `file` from the folder of the library holding `anchor` (a function of the calling plugin) and
/// calls its exported `symbol`. The library is never closed: its code may be called from any thread for
/// the process's life. Not cached here: callers keep the result (in a function-local static).
template <typename Table>
Loaded<Table> loadSibling(void* anchor, const std::string& file, const char* symbol) {
    Loaded<Table> m;
    Dl_info self{};
    dladdr(anchor, &self);
    std::string path = self.dli_fname ? self.dli_fname : "";
    path = path.substr(0, path.find_last_of('/') + 1) + file;
    void* lib = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        const char* why = dlerror();
        m.error = why ? why : path + ": cannot be loaded";
        return m;
    }
    using Entry = const Table* (*)();
    auto entry = reinterpret_cast<Entry>(dlsym(lib, symbol));
    m.table = entry ? entry() : nullptr;
    if (!m.table) m.error = path + " has no " + symbol;
    return m;
}

} // namespace openclaw::plugin_module
