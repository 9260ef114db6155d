// Small string helpers shared across layers (one copy, so unity builds see one definition).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kctl::strings {

// "a,b,c" from {"a", "b", "c"} with `separator` between items; "" for none.
std::string join(const std::vector<std::string>& items, std::string_view separator);

// Every part of `text` between separators, empty ones included: "a::b" → {"a", "", "b"}; "" → {""}.
// The views point into `text`.
std::vector<std::string_view> split(std::string_view text, char separator);

// The non-empty parts, as a flag's list is read: "a,,b," → {"a", "b"}; "" → {}.
std::vector<std::string> split_list(std::string_view text, char separator = ',');

} // namespace kctl::strings
