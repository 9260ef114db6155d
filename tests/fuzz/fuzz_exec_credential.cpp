// What a client-go credential plugin prints (an ExecCredential in JSON), for both API versions.
#include "fuzz_common.hpp"
#include "kube/exec_credential.hpp"

extern "C" int
LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input = kctl::fuzz::text(data, size);
  (void)kctl::kube::parse_exec_credential(input, "client.authentication.k8s.io/v1");
  (void)kctl::kube::parse_exec_credential(input, "client.authentication.k8s.io/v1beta1");
  return 0;
}
