// libcrypto, loaded the first time karmadactl calls one of its functions.
//
// Why: Debian links libcrypto.so.3 with BIND_NOW and it carries about 20,000 relocations, which the
// dynamic loader processed at every start, about a third of `karmadactl version`'s start-up (see
// bench/README.md, "Start-up profile"), though only the commands that handle certificates and
// keys call it (libcurl loads it too, when a command first talks to a server). So the binary does
// not link it: each function listed in libcrypto_functions.def gets an entry point in
// crypto_lazy_<arch>.S that jumps through kctl_crypto_slots, and the first call fills every slot
// with dlopen() and dlsym(). The library is the same one libcurl's libssl loads, so there is one
// OpenSSL in the process either way.
//
// Built only where the build defines KCTL_LAZY_CRYPTO (x86-64, and not the portable build, which
// links libcrypto statically); elsewhere the binary links libcrypto as usual.
#ifdef KCTL_LAZY_CRYPTO

#include <fmt/format.h>

#include <dlfcn.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>

namespace {

constexpr const char* k_library = "libcrypto.so.3";
constexpr const char* k_package = "libssl3";

#define KCTL_CRYPTO_FUNCTION(name) #name,
constexpr std::array k_function_names{
#include "util/libcrypto_functions.def"
};
#undef KCTL_CRYPTO_FUNCTION

[[noreturn]] void
die(const std::string& message) {
  // No error can be returned through a libcrypto call that never happened: the caller's code
  // expects the function to exist. This only happens on a broken installation (the package
  // depends on libssl3), so say which library and package, and stop.
  std::fputs(fmt::format("error: {}\n", message).c_str(), stderr);
  std::_Exit(1);
}

} // namespace

// Read by the entry points (crypto_lazy_x86_64.S): one slot per function, null until loaded.
extern "C" __attribute__((visibility("hidden"))) void* kctl_crypto_slots[k_function_names.size()];
void* kctl_crypto_slots[k_function_names.size()] = {};

// Called by the entry points when a slot is empty; fills every slot once, under a lock, so
// threads calling at the same time all see the loaded functions.
extern "C" __attribute__((visibility("hidden"))) void kctl_crypto_load();

void
kctl_crypto_load() {
  static std::once_flag once;
  std::call_once(once, [] {
    void* library = dlopen(k_library, RTLD_NOW | RTLD_LOCAL);
    if (library == nullptr) {
      const char* reason = dlerror();
      die(fmt::format("cannot load {} ({}), which karmadactl needs for certificates and keys: "
                      "install the {} package",
                      k_library,
                      reason != nullptr ? reason : "unknown reason",
                      k_package));
    }
    for (std::size_t i = 0; i < k_function_names.size(); ++i) {
      void* function = dlsym(library, k_function_names[i]);
      if (function == nullptr) {
        die(fmt::format("{} is too old: it lacks {} (upgrade the {} package)",
                        k_library,
                        k_function_names[i],
                        k_package));
      }
      __atomic_store_n(&kctl_crypto_slots[i], function, __ATOMIC_RELEASE);
    }
  });
}

#endif // KCTL_LAZY_CRYPTO
