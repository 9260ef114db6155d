// Go-style durations ("30s", "2m", "1h30m", "8760h0m0s"), the format of every duration flag
// upstream.
#pragma once

#include "util/result.hpp"

#include <chrono>
#include <string>
#include <string_view>

namespace kctl {

// Parses a Go duration (units ns, us, µs, ms, s, m, h; a bare "0" is allowed; sign allowed).
Result<std::chrono::nanoseconds> parse_duration(std::string_view text);

// Formats like Go's time.Duration.String(): "1h0m0s", "1m30s", "500ms", "0s".
std::string format_duration(std::chrono::nanoseconds duration);

} // namespace kctl
