// libcrypto loaded on first call (issue 14, src/util/crypto_lazy.cpp): the binary does not load it
// at start-up, every listed function resolves to libcrypto's own, and threads that make the
// process's first calls at the same moment all get working functions.
#include "pki/key.hpp"
#include "run_binary.hpp"

#include <doctest/doctest.h>

#include <dlfcn.h>
#include <unistd.h>

#include <array>
#include <barrier>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#ifdef KCTL_LAZY_CRYPTO

extern "C" void* kctl_crypto_slots[];

namespace {

#define KCTL_CRYPTO_FUNCTION(name) #name,
constexpr std::array k_names{
#include "util/libcrypto_functions.def"
};
#undef KCTL_CRYPTO_FUNCTION

// Generates a key, writes it as PEM and reads it back: dozens of libcrypto calls, among them a
// variadic one (EVP_PKEY_Q_keygen). (A seven-argument one, X509_NAME_add_entry_by_NID, is in every
// certificate the test_pki_* cases make.)
bool
key_round_trip() {
  auto key = kctl::pki::generate_ecdsa_p256_key();
  if (!key) {
    return false;
  }
  auto pem = key->to_pem();
  if (!pem) {
    return false;
  }
  auto again = kctl::pki::parse_private_key_pem(*pem, "test");
  return again.has_value() && again->to_pem().value_or("") == *pem;
}

} // namespace

TEST_CASE("karmadactl does not load libcrypto at start-up") {
  // What ldd prints: the libraries the dynamic loader maps before main().
  auto result = kctl::test::run_karmadactl("LD_TRACE_LOADED_OBJECTS=1 '" KCTL_BINARY "' version",
                                           "/usr/bin/env");
  REQUIRE(result.exit_code == 0);
  CHECK(result.out.find("libc.so.6") != std::string::npos);
  CHECK(result.out.find("libcrypto") == std::string::npos);
  CHECK(result.out.find("libcurl") == std::string::npos);
}

TEST_CASE("every listed libcrypto function resolves to libcrypto's own") {
  REQUIRE(key_round_trip()); // loads the table if nothing did before
  void* library = dlopen("libcrypto.so.3", RTLD_NOW | RTLD_NOLOAD);
  REQUIRE(library != nullptr);
  for (std::size_t i = 0; i < k_names.size(); ++i) {
    CAPTURE(k_names[i]);
    CHECK(kctl_crypto_slots[i] != nullptr);
    CHECK(kctl_crypto_slots[i] == dlsym(library, k_names[i]));
  }
  dlclose(library);
}

TEST_CASE("threads making the first libcrypto calls at once all succeed") {
  // The first call must happen in a process where nothing called libcrypto yet, so this case runs
  // itself again in a new process (doctest's filter) and checks that process's exit status.
  if (std::getenv("KCTL_TEST_FRESH_PROCESS") == nullptr) {
    std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
    std::string command = "KCTL_TEST_FRESH_PROCESS=1 '" + self +
                          "' --test-case='threads making the first libcrypto calls at once all "
                          "succeed' --no-version=true >/dev/null 2>&1";
    CHECK(std::system(command.c_str()) == 0);
    return;
  }
  REQUIRE(kctl_crypto_slots[0] == nullptr); // nothing was loaded in this process before
  constexpr int k_threads = 8;
  std::barrier start(k_threads);
  std::vector<int> ok(k_threads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < k_threads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      ok[static_cast<std::size_t>(t)] = key_round_trip() ? 1 : 0;
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  for (int t = 0; t < k_threads; ++t) {
    CHECK(ok[static_cast<std::size_t>(t)] == 1);
  }
}

#endif // KCTL_LAZY_CRYPTO
