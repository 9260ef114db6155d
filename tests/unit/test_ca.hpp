// A certificate authority for tests that need real client certificates (register's agent
// kubeconfig): ECDSA keys, so that making one takes a millisecond.
#pragma once

#include "karmada/agent_csr.hpp"
#include "pki/certificate.hpp"
#include "pki/key.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <string>

namespace kctl::test {

class TestCa {
public:
  explicit TestCa(const std::string& name = "karmada")
      : m_key(must(pki::generate_ecdsa_p256_key())),
        m_cert(must(
            pki::create_self_signed_certificate(pki::ca_config(name, pki::Clock::now()), m_key))),
        m_pem(must(m_cert.to_pem())) {}

  const std::string& pem() const { return m_pem; }

  // A client certificate for `common_name`, valid for `days`, with its new key.
  karmada::IssuedCertificate issue(const std::string& common_name, int days = 365) const {
    pki::PrivateKey key = must(pki::generate_ecdsa_p256_key());
    pki::CertConfig config;
    config.common_name = common_name;
    config.ext_key_usages = {pki::ExtKeyUsage::client_auth};
    config.not_before = pki::Clock::now() - std::chrono::minutes(1);
    config.not_after = pki::Clock::now() + std::chrono::hours(24 * days);
    pki::Certificate cert = must(pki::sign_certificate(config, key.public_key(), m_cert, m_key));
    return {must(cert.to_pem()), must(key.to_pem())};
  }

private:
  template <typename T> static T must(Result<T> result) {
    REQUIRE(result.has_value());
    return std::move(*result);
  }

  pki::PrivateKey m_key;
  pki::Certificate m_cert;
  std::string m_pem;
};

} // namespace kctl::test
