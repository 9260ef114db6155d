// Facts read from Node objects, shared by init (control-plane addresses) and the commands that
// reach Karmada through a host node (deinit, unregister).
#pragma once

#include "util/json.hpp"

#include <string>

namespace kctl::kube {

// The address of `node`: its InternalIP, else its first address, else "".
std::string node_address(const Json& node);

// The address of the first node of a NodeList that has one, else "".
std::string first_node_address(const Json& node_list);

} // namespace kctl::kube
