// The one JSON type of the project. Ordered, so objects built in code print in the order they were
// written, the way hand-written manifests read, and golden files stay stable.
#pragma once

#include <nlohmann/json.hpp>

namespace kctl {
using Json = nlohmann::ordered_json;

// `value` with every object's keys in byte order, as Go prints a map (kubectl's printers print
// objects read from a server so). Recursion as deep as the value: parsed values are bounded.
Json with_sorted_keys(const Json& value);
} // namespace kctl
