// The hidden `karmadactl __columns`: tab-separated rows on stdin laid out on stdout as get lays out
// its tables (output::render_columns: each column as wide as its widest cell plus three spaces,
// cells escaped). For scripts that print a table beside get's, so both read alike: the demo's
// table of where the replicas landed (hack/guide/lib.sh, guide_print_table).
#pragma once

#include <string_view>

namespace kctl::cli {

inline constexpr std::string_view k_columns_command = "__columns";

// Reads stdin to its end (at most 4 MiB) and prints the table; exit code 0, or 1 when the input is
// too big.
int run_columns_request();

} // namespace kctl::cli
