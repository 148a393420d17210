// devices-core.so from the plugin's own folder, loaded once, at the first call that needs it.
#pragma once

#include "CoreLibrary.hpp"

#include <string>

namespace openclaw::devices {

struct CoreModule {
    const CoreTable* table = nullptr;
    std::string error; ///< why it could not be loaded

    /// The module, loaded at the first call (thread-safe); kept for the process's life.
    static const CoreModule& get();
};

} // namespace openclaw::devices
