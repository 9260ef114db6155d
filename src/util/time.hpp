// RFC 3339 timestamps, the one parser and printer of the project: object ages, bootstrap-token
// expirations, ExecCredential expiries, taints' timeAdded.
//
// Parsed times are whole seconds (std::chrono::sys_seconds, 64-bit), which span every year RFC 3339
// can write (0000-9999) without overflow. system_clock counts nanoseconds and ends in 2262, so a
// server's "9999-12-31T23:59:59Z" must not be converted to it unchecked: to_system_clock() clamps.
#pragma once

#include "util/result.hpp"

#include <chrono>
#include <string>
#include <string_view>

namespace kctl {

// Parses "YYYY-MM-DDTHH:MM:SS[.fraction](Z|±hh:mm)" ('t' and 'z' accepted, as Go's parser does).
// Impossible dates and fields out of range are refused; the fraction is dropped.
Result<std::chrono::sys_seconds> parse_rfc3339(std::string_view text);

// "2026-01-02T03:04:05Z", as Go's time.RFC3339 prints UTC times.
std::string format_rfc3339(std::chrono::sys_seconds time);
// Same for a clock reading, rounded down to the second.
std::string format_rfc3339(std::chrono::system_clock::time_point time);

// The current time as format_rfc3339 prints it.
std::string now_rfc3339();

// `time` on the system clock, clamped to the span it can hold (about 1677 to 2262): later times
// are time_point::max() ("never"), earlier ones time_point::min().
std::chrono::system_clock::time_point to_system_clock(std::chrono::sys_seconds time);

// Whole seconds from `now` until `time` (negative when it has passed); never overflows.
std::chrono::seconds seconds_until(std::chrono::sys_seconds time,
                                   std::chrono::system_clock::time_point now);

} // namespace kctl
