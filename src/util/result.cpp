#include "util/result.hpp"

namespace kctl {

Error
Error::with_context(std::string_view context) const {
  Error copy = *this;
  copy.message = fmt::format("{}: {}", context, message);
  return copy;
}

} // namespace kctl
