// Transport responses the unit tests' fake servers answer with.
#pragma once

#include "kube/transport.hpp"
#include "util/json.hpp"

namespace kctl::test {

// A response of `status` with `body`, serialized, as its JSON body.
inline kube::Response
json_response(int status, const Json& body) {
  return kube::Response{status, body.dump(), {}};
}

} // namespace kctl::test
