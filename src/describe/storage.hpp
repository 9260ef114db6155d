// kubectl's describer of PersistentVolumeClaims, with the pods that use each claim. Pure.
#pragma once

#include "util/json.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace kctl::describe {

// The pods of `pods` (a namespace's) that use `claim`: each pod once per volume naming the claim,
// then the pods that own it, as kubectl lists them under "Used By".
std::vector<std::string> claim_users(const Json& claim, const std::vector<Json>& pods);

std::string describe_persistent_volume_claim(const Json& claim,
                                             const std::vector<Json>& pods,
                                             const std::optional<std::vector<Json>>& events,
                                             std::chrono::system_clock::time_point now);

} // namespace kctl::describe
