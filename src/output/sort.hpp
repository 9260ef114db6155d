// get --sort-by: rows ordered by the value a JSONPath finds in each row's object, as kubectl's
// sorter compares them: numbers by value, strings that are all resource quantities ("100m",
// "2Gi") by amount, other strings byte by byte (RFC 3339 timestamps thus in time order), rows
// without the field first. Pure.
#pragma once

#include "output/printer.hpp"
#include "util/result.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace kctl::output {

// The amount of a Kubernetes resource quantity ("1.5", "100m", "2Gi", "1e3"), or nullopt.
std::optional<long double> quantity_value(std::string_view text);

// Sorts `rows` (stably) by `field`, a JSONPath as --sort-by takes it (".metadata.name",
// "{.metadata.name}", "metadata.name"). An error when the path is malformed, or when no row has
// the field (kubectl: couldn't find any field with path "{.x}" in the list of objects).
Status sort_rows(std::vector<Row>& rows, std::string_view field);

} // namespace kctl::output
