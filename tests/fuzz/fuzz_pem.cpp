// PEM framing and what is inside: certificates (bundles), private and public keys, CSRs, as read
// from --ca-cert-file, kubeconfig *-data fields, cluster-info and exec plugins.
#include "fuzz_common.hpp"
#include "pki/certificate.hpp"
#include "pki/csr.hpp"
#include "pki/key.hpp"
#include "pki/pem.hpp"
#include "pki/pin.hpp"

extern "C" int
LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input = kctl::fuzz::text(data, size);
  if (auto blocks = kctl::pki::decode_pem(input)) {
    for (const auto& block : *blocks) {
      // Encoding a block and decoding it again gives the same block back.
      auto again = kctl::pki::decode_pem(kctl::pki::encode_pem(block.type, block.der));
      KCTL_FUZZ_CHECK(again.has_value() && again->size() == 1);
      KCTL_FUZZ_CHECK((*again)[0].der == block.der);
    }
  }
  if (auto certs = kctl::pki::parse_certificates_pem(input, "fuzz.crt")) {
    for (const auto& cert : *certs) {
      (void)kctl::pki::inspect(cert);
      (void)kctl::pki::days_until_expiry(cert);
      (void)kctl::pki::is_signed_by(cert, (*certs)[0]);
    }
    (void)kctl::pki::ca_pins(*certs);
    (void)kctl::pki::verify_certificate(certs->back(), *certs);
  }
  if (auto key = kctl::pki::parse_private_key_pem(input, "fuzz.key")) {
    (void)key->public_key().to_der();
    (void)key->to_pem();
  }
  (void)kctl::pki::parse_public_key_pem(input, "fuzz.pub");
  if (auto csr = kctl::pki::parse_csr_pem(input, "fuzz.csr")) {
    (void)kctl::pki::inspect_csr(*csr);
  }
  return 0;
}
