#include "util/json.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace kctl {

Json
with_sorted_keys(const Json& value) {
  if (value.is_array()) {
    Json out = Json::array();
    for (const auto& item : value) {
      out.push_back(with_sorted_keys(item));
    }
    return out;
  }
  if (!value.is_object()) {
    return value;
  }
  std::vector<std::string> keys;
  keys.reserve(value.size());
  for (const auto& [key, _] : value.items()) {
    keys.push_back(key);
  }
  std::sort(keys.begin(), keys.end());
  Json out = Json::object();
  for (const auto& key : keys) {
    out[key] = with_sorted_keys(value.at(key));
  }
  return out;
}

} // namespace kctl
