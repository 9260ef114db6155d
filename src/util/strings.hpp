// Small string helpers shared across layers (one copy, so unity builds see one definition).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kctl::strings {

// "a,b,c" from {"a", "b", "c"} with `separator` between items; "" for none.
std::string join(const std::vector<std::string>& items, std::string_view separator);

} // namespace kctl::strings
