// devices-core.so's one export: its table (CoreLibrary.hpp).
#include "CoreLibrary.hpp"
#include "TokenMint.hpp"

#include <openssl/crypto.h>

extern "C" __attribute__((visibility("default"))) const openclaw::devices::CoreTable*
openclaw_devices_core() {
    using namespace openclaw::devices;
    // Before any other OpenSSL call of ours: nothing here reads OpenSSL's error texts (a failed proof is
    // "invalid", a failed draw an error of our own), and loading them costs ~0.4 MiB of RSS per process.
    // A no-op when something in the process (TLS) initialised OpenSSL first.
    OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS, nullptr);
    static const CoreTable table{&verifyDeviceProof,  &mintToken,           &randomBytes, &sameSecret,
                                 &sha256Hex,          &rawPublicKey,        &base64Url,   &openSqliteStore,
                                 &loadOrCreateSecret, &readReferencePairing};
    return &table;
}
