// YAML lives only at the edges (reading user files, printing -o yaml); inside, everything is Json.
#pragma once

#include "util/json.hpp"
#include "util/result.hpp"

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace kctl::yaml {

// Parses one YAML (or JSON) document. Plain scalars become booleans, numbers and null the way
// Kubernetes reads them; quoted scalars stay strings. `source` names the input in errors
// ("<source>:<line>:<column>: <problem>").
Result<Json> parse(std::string_view text, std::string_view source);

// Parses a stream of "---"-separated documents, skipping empty ones.
Result<std::vector<Json>> parse_all(std::string_view text, std::string_view source);

// Reads the input file `path` for parsing, refusing one larger than `max_bytes` without reading
// the rest: "<path>: larger than <n> MiB, the limit for <what>". Works for pipes too
// (--kubeconfig <(...)).
Result<std::string>
read_input(const std::filesystem::path& path, std::size_t max_bytes, std::string_view what);

// Renders `value` as block-style YAML; strings that would read back as another type are quoted.
std::string dump(const Json& value);

} // namespace kctl::yaml
