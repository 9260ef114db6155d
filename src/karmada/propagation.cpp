#include "karmada/propagation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdint>

namespace kctl::karmada {

namespace {

std::uint32_t
fnv32a(std::string_view bytes) {
  std::uint32_t hash = 2166136261u;
  for (char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 16777619u;
  }
  return hash;
}

// Maps each character to one of 27 consonants and digits that cannot spell words (the encoding
// Kubernetes uses for generated name suffixes).
std::string
safe_encode(std::string_view text) {
  constexpr std::string_view alphabet = "bcdfghjklmnpqrstvwxz2456789";
  std::string out;
  for (char c : text) {
    out += alphabet[static_cast<unsigned char>(c) % alphabet.size()];
  }
  return out;
}

// The Go form of a GroupVersionKind: "apps/v1, Kind=Deployment", "/v1, Kind=ConfigMap".
std::string
gvk_string(std::string_view api_version, std::string_view kind) {
  std::string group_version(api_version);
  if (group_version.find('/') == std::string::npos) {
    group_version = "/" + group_version;
  }
  return fmt::format("{}, Kind={}", group_version, kind);
}

} // namespace

std::string
policy_name(const PolicyTarget& target) {
  // Checked against upstream karmadactl v1.18.2's generated names (see the unit test).
  std::string hashed = target.namespace_name + gvk_string(target.api_version, target.kind);
  std::string name = target.name;
  std::replace(name.begin(), name.end(), ':', '.');
  std::string out = fmt::format("{}-{}", name, safe_encode(std::to_string(fnv32a(hashed))));
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(std::tolower(c));
  });
  return out;
}

Json
propagation_policy_for(const PolicyTarget& target, const std::vector<std::string>& clusters) {
  bool namespaced = !target.namespace_name.empty();
  Json selector = {
      {"apiVersion", target.api_version}, {"kind", target.kind}, {"name", target.name}};
  if (namespaced) {
    selector["namespace"] = target.namespace_name;
  }
  Json metadata = {{"name", policy_name(target)}};
  if (namespaced) {
    metadata["namespace"] = target.namespace_name;
  }
  Json affinity = Json::object();
  if (!clusters.empty()) {
    affinity["clusterNames"] = clusters;
  }
  return {{"apiVersion", "policy.karmada.io/v1alpha1"},
          {"kind", namespaced ? "PropagationPolicy" : "ClusterPropagationPolicy"},
          {"metadata", metadata},
          {"spec",
           {{"resourceSelectors", Json::array({selector})},
            {"placement", {{"clusterAffinity", affinity}}}}}};
}

} // namespace kctl::karmada
