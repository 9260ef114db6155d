// kubectl's describer of Nodes: the node's facts, its lease, the pods on it that have not
// finished and the resources they request, with amounts added as Go's resource.Quantity adds
// and prints them. Pure.
#pragma once

#include "util/json.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kctl::describe {

// A resource quantity as Go keeps it for describe: an exact amount in nanounits and the format
// it is printed in (that of the first non-zero amount added).
__extension__ using QuantityInt = __int128; // exact sums of byte counts in nanounits

struct Quantity {
  enum class Format { decimal_si, binary_si, decimal_exponent };
  QuantityInt nanos = 0;
  Format format = Format::decimal_si;

  // Parses "100m", "1.5Gi", "2e3"; nullopt when `text` is not a quantity.
  static std::optional<Quantity> parse(std::string_view text);
  void add(const Quantity& other);
  // Go's Quantity.String(): "0", "300m", "1088Mi", "2k", "1536".
  std::string text() const;
  // Go's MilliValue() and Value(): rounded up.
  QuantityInt milli_value() const;
  QuantityInt value() const;
};

// What the command read for a Node: its lease in kube-node-lease (or the error reading it), and
// the pods on it that have not finished (nullopt when listing them was forbidden).
struct NodeRelated {
  std::optional<Json> lease;
  std::string lease_error;
  std::optional<std::vector<Json>> pods;
};

std::string describe_node(const Json& node,
                          const NodeRelated& related,
                          const std::optional<std::vector<Json>>& events,
                          std::chrono::system_clock::time_point now);

} // namespace kctl::describe
