#include "describe/nodes.hpp"

#include "describe/containers.hpp"
#include "describe/writer.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>

namespace kctl::describe {

namespace {

using NodeClock = std::chrono::system_clock;
using ResourceList = std::map<std::string, Quantity>;

constexpr QuantityInt k_nano = 1000000000;

QuantityInt
power_of(QuantityInt base, int exponent) {
  QuantityInt out = 1;
  for (int i = 0; i < exponent; ++i) {
    out *= base;
  }
  return out;
}

// Rounds up a / b for b > 0.
QuantityInt
ceil_div(QuantityInt a, QuantityInt b) {
  QuantityInt q = a / b;
  return (a % b != 0 && a > 0) ? q + 1 : q;
}

std::string
int_text(QuantityInt value) {
  if (value == 0) {
    return "0";
  }
  bool negative = value < 0;
  std::string digits;
  for (QuantityInt v = negative ? -value : value; v > 0; v /= 10) {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
  }
  return negative ? "-" + digits : digits;
}

// A ResourceList field as quantities (entries that are not quantities are left out).
ResourceList
resource_list(const Json& amounts) {
  ResourceList out;
  if (!amounts.is_object()) {
    return out;
  }
  for (const auto& [name, amount] : amounts.items()) {
    if (amount.is_string()) {
      if (auto q = Quantity::parse(amount.get<std::string>())) {
        out[name] = *q;
      }
    }
  }
  return out;
}

void
add_list(ResourceList& sum, const ResourceList& more) {
  for (const auto& [name, amount] : more) {
    auto found = sum.find(name);
    if (found == sum.end()) {
      sum[name] = amount;
    } else {
      found->second.add(amount);
    }
  }
}

void
max_list(ResourceList& list, const ResourceList& other) {
  for (const auto& [name, amount] : other) {
    auto found = list.find(name);
    if (found == list.end() || amount.nanos > found->second.nanos) {
      list[name] = amount;
    }
  }
}

bool
restartable(const Json& container) {
  return text_field(container, "/restartPolicy") == "Always";
}

// kubectl's requests (`field` "requests") or limits of a pod: its containers added, the largest
// of its init containers (sidecars counted as they run alongside), and the pod overhead.
ResourceList
pod_amounts(const Json& pod, const std::string& field) {
  ResourceList sum;
  const Json& containers = field_at(pod, "/spec/containers");
  if (containers.is_array()) {
    for (const auto& container : containers) {
      add_list(sum, resource_list(field_at(container, "/resources").value(field, Json())));
    }
  }
  ResourceList sidecars;
  ResourceList init_max;
  const Json& init = field_at(pod, "/spec/initContainers");
  if (init.is_array()) {
    for (const auto& container : init) {
      const Json& resources = field_at(container, "/resources");
      ResourceList own =
          resource_list(resources.is_object() ? resources.value(field, Json()) : Json());
      if (restartable(container)) {
        add_list(sum, own);
        add_list(sidecars, own);
        max_list(init_max, sidecars);
      } else {
        ResourceList with_sidecars = own;
        add_list(with_sidecars, sidecars);
        max_list(init_max, with_sidecars);
      }
    }
  }
  max_list(sum, init_max);
  ResourceList overhead = resource_list(field_at(pod, "/spec/overhead"));
  for (const auto& [name, amount] : overhead) {
    auto found = sum.find(name);
    if (field == "requests") {
      add_list(sum, {{name, amount}});
    } else if (found != sum.end() && found->second.nanos != 0) {
      found->second.add(amount);
    }
  }
  return sum;
}

Quantity
amount_in(const ResourceList& list, const std::string& name) {
  auto found = list.find(name);
  return found == list.end() ? Quantity{} : found->second;
}

// Go's int64(float64(part) / float64(whole) * 100); Go gives the lowest int64 for 0/0 and x/0 on
// amd64.
std::int64_t
percent(QuantityInt part, QuantityInt whole) {
  if (whole == 0) {
    return std::numeric_limits<std::int64_t>::min();
  }
  double fraction = static_cast<double>(part) / static_cast<double>(whole) * 100;
  if (!std::isfinite(fraction) || std::fabs(fraction) >= 9.2e18) {
    return std::numeric_limits<std::int64_t>::min();
  }
  return static_cast<std::int64_t>(fraction);
}

std::vector<std::string>
node_roles(const Json& node) {
  std::vector<std::string> roles;
  const Json& labels = field_at(node, "/metadata/labels");
  for (const auto& key : keys_in_order(labels)) {
    const std::string prefix = "node-role.kubernetes.io/";
    std::string value = labels[key].is_string() ? labels[key].get<std::string>() : "";
    if (key.starts_with(prefix) && key.size() > prefix.size()) {
      roles.push_back(key.substr(prefix.size()));
    } else if (key == "kubernetes.io/role" && !value.empty()) {
      roles.push_back(value);
    }
  }
  std::sort(roles.begin(), roles.end());
  roles.erase(std::unique(roles.begin(), roles.end()), roles.end());
  return roles;
}

void
write_taints(Writer& w, const Json& taints) {
  w.write(0, "Taints:\t");
  if (!has_items(taints) || !taints.is_array()) {
    w.write(0, "<none>\n");
    return;
  }
  std::vector<Json> sorted = taints.get<std::vector<Json>>();
  std::stable_sort(sorted.begin(), sorted.end(), [](const Json& a, const Json& b) {
    return text_field(a, "/effect") + "," + text_field(a, "/key") <
           text_field(b, "/effect") + "," + text_field(b, "/key");
  });
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const Json& t = sorted[i];
    std::string text = text_field(t, "/key");
    if (!text_field(t, "/value").empty()) {
      text += "=" + text_field(t, "/value");
    }
    if (!text_field(t, "/effect").empty()) {
      text += ":" + text_field(t, "/effect");
    }
    w.write(0, (i == 0 ? "" : "\t") + text + "\n");
  }
}

void
write_lease(Writer& w, const NodeRelated& related) {
  if (!related.lease) {
    w.write(0, "Lease:\tFailed to get lease: " + related.lease_error + "\n");
    return;
  }
  const Json& spec = field_at(*related.lease, "/spec");
  w.write(0, "Lease:\n");
  const Json& holder = field_at(spec, "/holderIdentity");
  w.write(
      1, "HolderIdentity:\t" + (holder.is_string() ? holder.get<std::string>() : "<unset>") + "\n");
  for (const auto& [field, title] :
       {std::pair{"/acquireTime", "AcquireTime"}, {"/renewTime", "RenewTime"}}) {
    const Json& at = field_at(spec, field);
    w.write(1,
            fmt::format(
                "{}:\t{}\n", title, at.is_string() ? rfc1123z(at.get<std::string>()) : "<unset>"));
  }
}

void
write_node_status(Writer& w, const Json& node) {
  write_timed_conditions(
      w, field_at(node, "/status/conditions"), "LastHeartbeatTime", "/lastHeartbeatTime");
  w.write(0, "Addresses:\n");
  const Json& addresses = field_at(node, "/status/addresses");
  if (addresses.is_array()) {
    for (const auto& address : addresses) {
      w.write(1, text_field(address, "/type") + ":\t" + text_field(address, "/address") + "\n");
    }
  }
  for (const auto& [field, title] :
       {std::pair{"/status/capacity", "Capacity"}, {"/status/allocatable", "Allocatable"}}) {
    const Json& amounts = field_at(node, field);
    if (!has_items(amounts) || !amounts.is_object()) {
      continue;
    }
    w.write(0, std::string(title) + ":\n");
    for (const auto& name : keys_in_order(amounts)) {
      w.write(0, fmt::format("  {}:\t{}\n", name, go_value(amounts[name])));
    }
  }
  const Json& info = field_at(node, "/status/nodeInfo");
  w.write(0, "System Info:\n");
  for (const auto& [title, field] : {std::pair{"Machine ID", "/machineID"},
                                     {"System UUID", "/systemUUID"},
                                     {"Boot ID", "/bootID"},
                                     {"Kernel Version", "/kernelVersion"},
                                     {"OS Image", "/osImage"},
                                     {"Operating System", "/operatingSystem"},
                                     {"Architecture", "/architecture"},
                                     {"Container Runtime Version", "/containerRuntimeVersion"},
                                     {"Kubelet Version", "/kubeletVersion"},
                                     {"Kube-Proxy Version", "/kubeProxyVersion"}}) {
    w.write(0, fmt::format("  {}:\t{}\n", title, text_field(info, field)));
  }
  const Json& spec = field_at(node, "/spec");
  if (!text_field(spec, "/podCIDR").empty()) {
    w.write(0, "PodCIDR:\t" + text_field(spec, "/podCIDR") + "\n");
  }
  if (has_items(field_at(spec, "/podCIDRs")) && field_at(spec, "/podCIDRs").is_array()) {
    std::vector<std::string> cidrs;
    for (const auto& cidr : field_at(spec, "/podCIDRs")) {
      cidrs.push_back(cidr.is_string() ? cidr.get<std::string>() : go_value(cidr));
    }
    w.write(0, fmt::format("PodCIDRs:\t{}\n", fmt::join(cidrs, ",")));
  }
  if (!text_field(spec, "/providerID").empty()) {
    w.write(0, "ProviderID:\t" + text_field(spec, "/providerID") + "\n");
  }
}

std::string
amount_and_percent(const Quantity& amount, QuantityInt part, QuantityInt whole) {
  return fmt::format("{} ({}%)", amount.text(), percent(part, whole));
}

void
write_node_pods(Writer& w,
                const Json& node,
                const std::vector<Json>& pods,
                NodeClock::time_point now) {
  w.write(0, fmt::format("Non-terminated Pods:\t({} in total)\n", pods.size()));
  w.write(1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n");
  w.write(1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n");
  ResourceList allocatable = resource_list(field_at(node, "/status/allocatable"));
  if (allocatable.empty()) {
    allocatable = resource_list(field_at(node, "/status/capacity"));
  }
  Quantity cpu = amount_in(allocatable, "cpu");
  Quantity memory = amount_in(allocatable, "memory");
  ResourceList requests;
  ResourceList limits;
  for (const auto& pod : pods) {
    ResourceList pod_requests = pod_amounts(pod, "requests");
    ResourceList pod_limits = pod_amounts(pod, "limits");
    Quantity cpu_request = amount_in(pod_requests, "cpu");
    Quantity cpu_limit = amount_in(pod_limits, "cpu");
    Quantity memory_request = amount_in(pod_requests, "memory");
    Quantity memory_limit = amount_in(pod_limits, "memory");
    w.write(
        1,
        fmt::format("{}\t{}\t\t{}\t{}\t{}\t{}\t{}\n",
                    text_field(pod, "/metadata/namespace"),
                    text_field(pod, "/metadata/name"),
                    amount_and_percent(cpu_request, cpu_request.milli_value(), cpu.milli_value()),
                    amount_and_percent(cpu_limit, cpu_limit.milli_value(), cpu.milli_value()),
                    amount_and_percent(memory_request, memory_request.value(), memory.value()),
                    amount_and_percent(memory_limit, memory_limit.value(), memory.value()),
                    human_age(field_at(pod, "/metadata/creationTimestamp"), now)));
    add_list(requests, pod_requests);
    add_list(limits, pod_limits);
  }
  w.write(0,
          "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n");
  w.write(1, "Resource\tRequests\tLimits\n");
  w.write(1, "--------\t--------\t------\n");
  auto total_line = [&](const std::string& name, bool milli) {
    Quantity request = amount_in(requests, name);
    Quantity limit = amount_in(limits, name);
    Quantity whole = amount_in(allocatable, name);
    QuantityInt whole_value = milli ? whole.milli_value() : whole.value();
    auto shown = [&](const Quantity& q) {
      return fmt::format(
          "{} ({}%)",
          q.text(),
          whole_value == 0 ? 0 : percent(milli ? q.milli_value() : q.value(), whole_value));
    };
    w.write(1, fmt::format("{}\t{}\t{}\n", name, shown(request), shown(limit)));
  };
  total_line("cpu", true);
  total_line("memory", false);
  total_line("ephemeral-storage", false);
  std::vector<std::string> huge_pages;
  std::vector<std::string> extended;
  for (const auto& [name, amount] : allocatable) {
    if (name.starts_with("hugepages-")) {
      huge_pages.push_back(name);
    } else if (name != "cpu" && name != "memory" && name != "ephemeral-storage" && name != "pods") {
      extended.push_back(name);
    }
  }
  for (const auto& name : huge_pages) {
    total_line(name, false);
  }
  for (const auto& name : extended) {
    w.write(1,
            fmt::format("{}\t{}\t{}\n",
                        name,
                        amount_in(requests, name).text(),
                        amount_in(limits, name).text()));
  }
}

} // namespace

std::optional<Quantity>
Quantity::parse(std::string_view text) {
  Quantity q;
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    negative = text[i] == '-';
    ++i;
  }
  QuantityInt mantissa = 0;
  int fraction_digits = 0;
  bool any_digit = false;
  bool point = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.' && !point) {
      point = true;
    } else if (c >= '0' && c <= '9') {
      if (mantissa > power_of(10, 30)) {
        return std::nullopt; // beyond what describe ever adds
      }
      mantissa = mantissa * 10 + (c - '0');
      fraction_digits += point ? 1 : 0;
      any_digit = true;
    } else {
      break;
    }
  }
  if (!any_digit) {
    return std::nullopt;
  }
  std::string_view suffix = text.substr(i);
  int exponent10 = 0;
  int exponent1024 = 0;
  static const std::array<std::pair<std::string_view, int>, 10> decimal = {{{"n", -9},
                                                                            {"u", -6},
                                                                            {"m", -3},
                                                                            {"", 0},
                                                                            {"k", 3},
                                                                            {"M", 6},
                                                                            {"G", 9},
                                                                            {"T", 12},
                                                                            {"P", 15},
                                                                            {"E", 18}}};
  static const std::array<std::string_view, 6> binary = {"Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
  auto in_decimal = std::find_if(
      decimal.begin(), decimal.end(), [&](const auto& entry) { return entry.first == suffix; });
  auto in_binary = std::find(binary.begin(), binary.end(), suffix);
  if (in_decimal != decimal.end()) {
    exponent10 = in_decimal->second;
  } else if (in_binary != binary.end()) {
    exponent1024 = static_cast<int>(in_binary - binary.begin()) + 1;
    q.format = Format::binary_si;
  } else if (suffix.size() > 1 && (suffix[0] == 'e' || suffix[0] == 'E')) {
    int value = 0;
    std::size_t j = 1;
    bool minus = suffix[j] == '-';
    if (suffix[j] == '-' || suffix[j] == '+') {
      ++j;
    }
    if (j >= suffix.size()) {
      return std::nullopt;
    }
    for (; j < suffix.size(); ++j) {
      if (suffix[j] < '0' || suffix[j] > '9' || value > 100) {
        return std::nullopt;
      }
      value = value * 10 + (suffix[j] - '0');
    }
    exponent10 = minus ? -value : value;
    q.format = Format::decimal_exponent;
  } else {
    return std::nullopt;
  }
  int scale = 9 + exponent10 - fraction_digits; // nanos = mantissa * 1024^k * 10^scale
  if (scale > 27 || scale < -40) {
    return std::nullopt;
  }
  QuantityInt amount = mantissa * power_of(1024, exponent1024);
  q.nanos = scale >= 0 ? amount * power_of(10, scale) : ceil_div(amount, power_of(10, -scale));
  if (negative) {
    q.nanos = -q.nanos;
  }
  return q;
}

void
Quantity::add(const Quantity& other) {
  if (nanos == 0) {
    format = other.format;
  }
  nanos += other.nanos;
}

QuantityInt
Quantity::milli_value() const {
  return ceil_div(nanos, 1000000);
}

QuantityInt
Quantity::value() const {
  return ceil_div(nanos, k_nano);
}

std::string
Quantity::text() const {
  if (nanos == 0) {
    return "0";
  }
  QuantityInt magnitude = nanos < 0 ? -nanos : nanos;
  std::string sign = nanos < 0 ? "-" : "";
  if (format == Format::binary_si && magnitude >= 1024 * k_nano && magnitude % k_nano == 0) {
    QuantityInt units = magnitude / k_nano;
    static const std::array<std::string_view, 7> suffixes = {
        "", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    std::size_t k = 0;
    while (k + 1 < suffixes.size() && units % 1024 == 0) {
      units /= 1024;
      ++k;
    }
    return sign + int_text(units) + std::string(suffixes[k]);
  }
  static const std::array<std::pair<int, std::string_view>, 10> decimal = {{{18, "E"},
                                                                            {15, "P"},
                                                                            {12, "T"},
                                                                            {9, "G"},
                                                                            {6, "M"},
                                                                            {3, "k"},
                                                                            {0, ""},
                                                                            {-3, "m"},
                                                                            {-6, "u"},
                                                                            {-9, "n"}}};
  for (const auto& [exponent, suffix] : decimal) {
    QuantityInt unit = power_of(10, exponent + 9);
    if (magnitude % unit == 0) {
      std::string shown = format == Format::decimal_exponent
                              ? (exponent == 0 ? "" : fmt::format("e{}", exponent))
                              : std::string(suffix);
      return sign + int_text(magnitude / unit) + shown;
    }
  }
  return sign + int_text(magnitude) + "n";
}

std::string
describe_node(const Json& node,
              const NodeRelated& related,
              const std::optional<std::vector<Json>>& events,
              NodeClock::time_point now) {
  Writer w;
  w.write(0, "Name:\t" + text_field(node, "/metadata/name") + "\n");
  std::vector<std::string> roles = node_roles(node);
  w.write(0,
          "Roles:\t" +
              (roles.empty() ? std::string("<none>") : fmt::format("{}", fmt::join(roles, ","))) +
              "\n");
  write_labels(w, "Labels", field_at(node, "/metadata/labels"));
  write_annotations(w, "Annotations", field_at(node, "/metadata/annotations"));
  w.write(
      0, "CreationTimestamp:\t" + rfc1123z(text_field(node, "/metadata/creationTimestamp")) + "\n");
  write_taints(w, field_at(node, "/spec/taints"));
  const Json& unschedulable = field_at(node, "/spec/unschedulable");
  w.write(0,
          std::string("Unschedulable:\t") +
              (unschedulable.is_boolean() && unschedulable.get<bool>() ? "true" : "false") + "\n");
  write_lease(w, related);
  write_node_status(w, node);
  if (related.pods) {
    write_node_pods(w, node, *related.pods, now);
  } else {
    w.write(0, "Pods:\tnot authorized\n");
  }
  if (events) {
    write_events(w, *events, now);
  }
  return w.finish();
}

} // namespace kctl::describe
