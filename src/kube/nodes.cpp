#include "kube/nodes.hpp"

namespace kctl::kube {

std::string
node_address(const Json& node) {
  const Json addresses = node.value("/status/addresses"_json_pointer, Json::array());
  for (const auto& address : addresses) {
    if (address.value("type", "") == "InternalIP") {
      return address.value("address", "");
    }
  }
  return addresses.empty() ? std::string() : addresses[0].value("address", "");
}

std::string
first_node_address(const Json& node_list) {
  for (const auto& node : node_list.value("items", Json::array())) {
    if (std::string address = node_address(node); !address.empty()) {
      return address;
    }
  }
  return {};
}

} // namespace kctl::kube
