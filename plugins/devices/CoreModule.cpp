#include "CoreModule.hpp"

#include "../common/SiblingModule.hpp"

namespace openclaw::devices {

namespace {

CoreModule load() {
    auto loaded =
        plugin_module::loadSibling<CoreTable>(reinterpret_cast<void*>(&load), "devices-core.so", kCoreSymbol);
    return CoreModule{loaded.table, loaded.error};
}

} // namespace

const CoreModule& CoreModule::get() {
    static const CoreModule module = load();
    return module;
}

} // namespace openclaw::devices
