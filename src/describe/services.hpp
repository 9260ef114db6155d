// kubectl's describers of Services, with the endpoints of the EndpointSlices labelled with the
// Service's name, and of Ingresses, with their backend Services' endpoints. Pure.
#pragma once

#include "describe/describers.hpp"
#include "util/json.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace kctl::describe {

// kubectl's "Endpoints:" text of the slices' ready endpoints on the port named `port_name`: up to
// three "address:port", then "+ N more..."; "<none>" when there are no slices.
std::string endpoints_text(const std::vector<Json>& slices, const std::string& port_name);

std::string describe_service(const Json& service,
                             const std::vector<Json>& endpoint_slices,
                             const std::optional<std::vector<Json>>& events,
                             std::chrono::system_clock::time_point now);

// `backends` holds what was read of each Service the Ingress names (a missing entry reads as no
// Service).
std::string describe_ingress(const Json& ingress,
                             const std::map<std::string, BackendService>& backends,
                             const std::optional<std::vector<Json>>& events,
                             std::chrono::system_clock::time_point now);

} // namespace kctl::describe
