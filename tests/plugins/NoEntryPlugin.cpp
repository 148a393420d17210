// Test fixture: a shared object without the entry point.
extern "C" __attribute__((visibility("default"))) int not_the_entry_point() {
    return 42;
}
