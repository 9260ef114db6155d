// Token discovery's inputs: the kube-public/cluster-info ConfigMap (its kubeconfig and the detached
// JWS "jws-kubeconfig-<id>"), bootstrap tokens and CA pins. Input: the JWS on the first line, the
// kubeconfig after it. Without a valid signature for the fixed token, nothing may verify.
#include "fuzz_common.hpp"
#include "karmada/bootstrap_token.hpp"
#include "karmada/discovery.hpp"
#include "pki/jws.hpp"
#include "pki/pin.hpp"

namespace {
constexpr std::string_view k_token_id = "abcdef";
constexpr std::string_view k_token_secret = "0123456789abcdef";
} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input = kctl::fuzz::text(data, size);
  auto [jws, kubeconfig] = kctl::fuzz::split_first_line(input);
  kctl::Json config_map = {{"apiVersion", "v1"},
                           {"kind", "ConfigMap"},
                           {"data",
                            {{"kubeconfig", std::string(kubeconfig)},
                             {"jws-kubeconfig-" + std::string(k_token_id), std::string(jws)}}}};
  kctl::karmada::BootstrapToken token{std::string(k_token_id), std::string(k_token_secret)};
  kctl::karmada::TrustOptions trust;
  trust.unsafe_skip_ca_verification = true;
  auto verified = kctl::karmada::verify_cluster_info(config_map, token, trust);
  bool valid = kctl::pki::detached_jws_is_valid(jws, kubeconfig, k_token_id, k_token_secret);
  if (verified) {
    KCTL_FUZZ_CHECK(valid);
  }
  (void)kctl::karmada::parse_token(jws);
  (void)kctl::karmada::token_id_of(jws);
  std::vector<std::string> pins = kctl::fuzz::lines(kubeconfig);
  (void)kctl::pki::PinSet::parse(pins);
  return 0;
}
