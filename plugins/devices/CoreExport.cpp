// devices-core.so's one export: its table (CoreLibrary.hpp).
#include "CoreLibrary.hpp"
#include "TokenMint.hpp"

extern "C" __attribute__((visibility("default"))) const openclaw::devices::CoreTable*
openclaw_devices_core() {
    using namespace openclaw::devices;
    static const CoreTable table{&verifyDeviceProof,  &mintToken,           &randomBytes, &sameSecret,
                                 &sha256Hex,          &rawPublicKey,        &base64Url,   &openSqliteStore,
                                 &loadOrCreateSecret, &readReferencePairing};
    return &table;
}
