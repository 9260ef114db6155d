// Helpers shared by the PKI unit tests: shelling out to the `openssl` command line for
// independent cross-checks, and cheap fixtures.
#pragma once

#include "pki/certificate.hpp"
#include "pki/key.hpp"

#include <doctest/doctest.h>

#include <stdio.h>
#include <sys/wait.h>

#include <array>
#include <chrono>
#include <string>

// Own namespace, so these inline helpers cannot clash with other suites' helpers of the same name.
namespace kctl::test::pki {

// Output and exit status of a shell command.
struct CommandOutput {
  int status = -1;
  std::string out;
};

// Runs `command` with /bin/sh and captures its stdout.
inline CommandOutput
run_command(const std::string& command) {
  CommandOutput result;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    return result;
  }
  std::array<char, 4096> buffer{};
  size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
    result.out.append(buffer.data(), n);
  }
  int raw = ::pclose(pipe);
  result.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return result;
}

// Unwraps a Result in a test, failing the test with the error message when it holds an error.
template <class T>
T
must(kctl::Result<T> result) {
  REQUIRE_MESSAGE(result.has_value(), (result ? std::string() : result.error().message));
  return std::move(*result);
}

// A fixed instant (2026-01-01T00:00:00Z) so validity assertions do not depend on the clock.
inline kctl::pki::TimePoint
fixed_now() {
  return kctl::pki::Clock::from_time_t(1767225600);
}

// A self-signed ECDSA CA named `name` (ECDSA keeps the tests fast; RSA is tested separately).
inline kctl::pki::CertKeyPair
make_test_ca(const std::string& name = "test-ca") {
  kctl::pki::PrivateKey key = must(kctl::pki::generate_ecdsa_p256_key());
  kctl::pki::Certificate cert =
      must(kctl::pki::create_self_signed_certificate(kctl::pki::ca_config(name, fixed_now()), key));
  return {cert, key};
}

} // namespace kctl::test::pki
