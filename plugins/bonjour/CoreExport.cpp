// bonjour-core.so's one export: its table (CoreLibrary.hpp).
#include "CoreLibrary.hpp"
#include "MdnsAdvertiser.hpp"
#include "MdnsBrowser.hpp"
#include "UnicastBrowser.hpp"

namespace {

std::unique_ptr<openclaw::bonjour::Advertiser> newAdvertiser(openclaw::Host host, uint32_t retryMs) {
    return std::make_unique<openclaw::bonjour::MdnsAdvertiser>(host, retryMs);
}

} // namespace

extern "C" __attribute__((visibility("default"))) const openclaw::bonjour::CoreTable*
openclaw_bonjour_core() {
    using namespace openclaw::bonjour;
    static const CoreTable table{&newAdvertiser, &browseMdns, &browseUnicast};
    return &table;
}
