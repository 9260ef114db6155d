// The one JSON type of the project. Ordered, so objects built in code print in the order they were
// written, the way hand-written manifests read, and golden files stay stable.
#pragma once

#include <nlohmann/json.hpp>

namespace kctl {
using Json = nlohmann::ordered_json;
} // namespace kctl
