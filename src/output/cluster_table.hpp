// The Cluster columns of `get clusters`, computed locally the way Karmada's server-side printer
// does (NAME VERSION MODE READY AGE; wide: ZONES REGION PROVIDER API-ENDPOINT PROXY-URL), so
// watches and tests print rows without asking the server for a Table.
#pragma once

#include "output/printer.hpp"
#include "util/json.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace kctl::output {

// The columns of a Cluster table.
std::vector<Column> cluster_columns();

// The cells of `cluster` for `cluster_columns()`; READY is the Ready condition's status, or
// "Unknown".
std::vector<std::string> cluster_cells(const Json& cluster,
                                       std::chrono::system_clock::time_point now);

} // namespace kctl::output
