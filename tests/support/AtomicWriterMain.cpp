// Test helper: rewrites one file with files::writeFileAtomic as fast as it can, alternating two
// contents, until killed. DurabilityTest kills it with SIGKILL at random moments.
#include "files/AtomicFile.h"

#include <iostream>
#include <string>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: atomic_writer FILE\n";
        return 2;
    }
    const std::string a(1 << 20, 'a');
    const std::string b(3 << 19, 'b');
    for (unsigned long i = 0;; ++i)
        openclaw::files::writeFileAtomic(argv[1], i % 2 ? b : a, 0600);
}
