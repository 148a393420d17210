// devices-proof.so's one export: the device proof's table (ProofLibrary.hpp).
#include "ProofLibrary.hpp"

extern "C" __attribute__((visibility("default"))) const openclaw::devices::ProofTable*
openclaw_devices_proof() {
    static const openclaw::devices::ProofTable table{&openclaw::devices::verifyDeviceProof};
    return &table;
}
