#include "describe/services.hpp"

#include "describe/containers.hpp"
#include "describe/writer.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace kctl::describe {

namespace {

// The strings of an array field joined by `separator` ("" when none).
std::string
joined_texts(const Json& list, std::string_view separator) {
  std::vector<std::string> texts;
  if (list.is_array()) {
    for (const auto& item : list) {
      texts.push_back(item.is_string() ? item.get<std::string>() : go_value(item));
    }
  }
  return fmt::format("{}", fmt::join(texts, separator));
}

// Go's labels.FormatLabels of a Service's selector.
std::string
selector_labels(const Json& selector) {
  std::vector<std::string> pairs;
  for (const auto& key : keys_in_order(selector)) {
    pairs.push_back(key + "=" + go_value(selector[key]));
  }
  return pairs.empty() ? "<none>" : fmt::format("{}", fmt::join(pairs, ","));
}

std::string
load_balancer_ingress(const Json& ingress) {
  std::string out;
  for (std::size_t i = 0; i < ingress.size(); ++i) {
    if (i != 0) {
      out += ", ";
    }
    const Json& entry = ingress[i];
    if (!text_field(entry, "/ip").empty()) {
      out += text_field(entry, "/ip");
      if (field_at(entry, "/ipMode").is_string()) {
        out += " (" + text_field(entry, "/ipMode") + ")";
      }
    } else {
      out += text_field(entry, "/hostname");
    }
  }
  return out;
}

bool
endpoint_ready(const Json& endpoint) {
  const Json& ready = field_at(endpoint, "/conditions/ready");
  return !ready.is_boolean() || ready.get<bool>();
}

std::string
first_address(const Json& endpoint) {
  const Json& addresses = field_at(endpoint, "/addresses");
  return addresses.is_array() && !addresses.empty() && addresses[0].is_string()
             ? addresses[0].get<std::string>()
             : std::string{};
}

// Go's net.JoinHostPort.
std::string
host_port(const std::string& host, std::int64_t port) {
  return host.find(':') != std::string::npos ? fmt::format("[{}]:{}", host, port)
                                             : fmt::format("{}:{}", host, port);
}

void
write_service_ports(Writer& w, const Json& service, const std::vector<Json>& slices) {
  const Json& ports = field_at(service, "/spec/ports");
  if (!ports.is_array()) {
    return;
  }
  for (const auto& port : ports) {
    std::string name = text_field(port, "/name");
    std::string shown = name.empty() ? "<unset>" : name;
    std::string protocol = text_field(port, "/protocol");
    w.write(0, fmt::format("Port:\t{}\t{}/{}\n", shown, integer_field(port, "/port"), protocol));
    w.write(0,
            fmt::format(
                "TargetPort:\t{}/{}\n", int_or_string(field_at(port, "/targetPort")), protocol));
    if (integer_field(port, "/nodePort") != 0) {
      w.write(
          0,
          fmt::format("NodePort:\t{}\t{}/{}\n", shown, integer_field(port, "/nodePort"), protocol));
    }
    w.write(0, "Endpoints:\t" + endpoints_text(slices, name) + "\n");
  }
}

// "service:port" of an Ingress backend's service, the port by number when it has one.
std::string
backend_service_text(const Json& service) {
  std::int64_t number = integer_field(service, "/port/number");
  return fmt::format("{}:{}",
                     text_field(service, "/name"),
                     number != 0 ? std::to_string(number) : text_field(service, "/port/name"));
}

std::string
backend_text(const Json& backend, const std::map<std::string, BackendService>& backends) {
  const Json& service = field_at(backend, "/service");
  if (service.is_object()) {
    std::string shown = backend_service_text(service);
    auto read = backends.find(text_field(service, "/name"));
    static const BackendService k_unread = [] {
      BackendService unread;
      unread.service_error = "not read";
      return unread;
    }();
    const BackendService& found = read == backends.end() ? k_unread : read->second;
    if (!found.slices_error.empty()) {
      return fmt::format("{} (<error: {}>)", shown, found.slices_error);
    }
    if (!found.service_error.empty()) {
      return fmt::format("{} (<error: {}>)", shown, found.service_error);
    }
    // The Service port the backend names (by number or by name); the last that matches.
    std::string port_name;
    std::int64_t number = integer_field(service, "/port/number");
    std::string wanted_name = text_field(service, "/port/name");
    const Json& ports = field_at(found.service, "/spec/ports");
    if (ports.is_array()) {
      for (const auto& port : ports) {
        if ((number != 0 && number == integer_field(port, "/port")) ||
            (!wanted_name.empty() && wanted_name == text_field(port, "/name"))) {
          port_name = text_field(port, "/name");
        }
      }
    }
    return fmt::format("{} ({})", shown, endpoints_text(found.endpoint_slices, port_name));
  }
  const Json& resource = field_at(backend, "/resource");
  if (resource.is_object()) {
    const Json& group = field_at(resource, "/apiGroup");
    return fmt::format("APIGroup: {}, Kind: {}, Name: {}",
                       group.is_string() ? group.get<std::string>() : "<none>",
                       text_field(resource, "/kind"),
                       text_field(resource, "/name"));
  }
  return "";
}

// The Ingress's load-balancer addresses (IPs, else hostnames), sorted and each once.
std::string
ingress_address(const Json& ingress) {
  std::vector<std::string> addresses;
  const Json& entries = field_at(ingress, "/status/loadBalancer/ingress");
  if (entries.is_array()) {
    for (const auto& entry : entries) {
      std::string text = text_field(entry, "/ip");
      if (text.empty()) {
        text = text_field(entry, "/hostname");
      }
      if (!text.empty()) {
        addresses.push_back(std::move(text));
      }
    }
  }
  std::sort(addresses.begin(), addresses.end());
  addresses.erase(std::unique(addresses.begin(), addresses.end()), addresses.end());
  return fmt::format("{}", fmt::join(addresses, ","));
}

void
write_ingress_tls(Writer& w, const Json& tls) {
  if (!has_items(tls) || !tls.is_array()) {
    return;
  }
  w.write(0, "TLS:\n");
  for (const auto& entry : tls) {
    std::string hosts = joined_texts(field_at(entry, "/hosts"), ",");
    std::string secret = text_field(entry, "/secretName");
    w.write(1,
            secret.empty() ? "SNI routes " + hosts + "\n"
                           : fmt::format("{} terminates {}\n", secret, hosts));
  }
}

} // namespace

std::string
endpoints_text(const std::vector<Json>& slices, const std::string& port_name) {
  if (slices.empty()) {
    return "<none>";
  }
  constexpr std::size_t k_shown = 3;
  std::vector<std::string> list;
  bool more = false;
  std::size_t count = 0;
  auto add = [&](const Json& endpoint, const std::string& text) {
    if (list.size() == k_shown) {
      more = true;
    }
    if (!endpoint_ready(endpoint)) {
      return;
    }
    if (!more) {
      list.push_back(text);
    }
    ++count;
  };
  for (const auto& slice : slices) {
    const Json& endpoints = field_at(slice, "/endpoints");
    const Json& ports = field_at(slice, "/ports");
    if (!endpoints.is_array()) {
      continue;
    }
    if (!has_items(ports) || !ports.is_array()) {
      for (const auto& endpoint : endpoints) {
        add(endpoint, first_address(endpoint)); // a headless Service without ports
      }
      continue;
    }
    for (const auto& port : ports) {
      if (text_field(port, "/name") != port_name) {
        continue;
      }
      for (const auto& endpoint : endpoints) {
        add(endpoint, host_port(first_address(endpoint), integer_field(port, "/port")));
      }
    }
  }
  std::string text = fmt::format("{}", fmt::join(list, ","));
  return more ? fmt::format("{} + {} more...", text, count - k_shown) : text;
}

std::string
describe_service(const Json& service,
                 const std::vector<Json>& endpoint_slices,
                 const std::optional<std::vector<Json>>& events,
                 std::chrono::system_clock::time_point now) {
  Writer w;
  const Json& spec = field_at(service, "/spec");
  w.write(0, "Name:\t" + text_field(service, "/metadata/name") + "\n");
  w.write(0, "Namespace:\t" + text_field(service, "/metadata/namespace") + "\n");
  write_labels(w, "Labels", field_at(service, "/metadata/labels"));
  write_annotations(w, "Annotations", field_at(service, "/metadata/annotations"));
  w.write(0, "Selector:\t" + selector_labels(field_at(spec, "/selector")) + "\n");
  w.write(0, "Type:\t" + text_field(spec, "/type") + "\n");
  if (field_at(spec, "/ipFamilyPolicy").is_string()) {
    w.write(0, "IP Family Policy:\t" + text_field(spec, "/ipFamilyPolicy") + "\n");
  }
  std::string families = joined_texts(field_at(spec, "/ipFamilies"), ",");
  w.write(0, "IP Families:\t" + (families.empty() ? "<none>" : families) + "\n");
  w.write(0, "IP:\t" + text_field(spec, "/clusterIP") + "\n");
  std::string ips = joined_texts(field_at(spec, "/clusterIPs"), ",");
  w.write(0, "IPs:\t" + (has_items(field_at(spec, "/clusterIPs")) ? ips : "<none>") + "\n");
  if (has_items(field_at(spec, "/externalIPs"))) {
    w.write(0, "External IPs:\t" + joined_texts(field_at(spec, "/externalIPs"), ",") + "\n");
  }
  if (!text_field(spec, "/loadBalancerIP").empty()) {
    w.write(0, "Desired LoadBalancer IP:\t" + text_field(spec, "/loadBalancerIP") + "\n");
  }
  if (!text_field(spec, "/externalName").empty()) {
    w.write(0, "External Name:\t" + text_field(spec, "/externalName") + "\n");
  }
  const Json& ingress = field_at(service, "/status/loadBalancer/ingress");
  if (has_items(ingress) && ingress.is_array()) {
    w.write(0, "LoadBalancer Ingress:\t" + load_balancer_ingress(ingress) + "\n");
  }
  write_service_ports(w, service, endpoint_slices);
  w.write(0, "Session Affinity:\t" + text_field(spec, "/sessionAffinity") + "\n");
  if (!text_field(spec, "/externalTrafficPolicy").empty()) {
    w.write(0, "External Traffic Policy:\t" + text_field(spec, "/externalTrafficPolicy") + "\n");
  }
  if (field_at(spec, "/internalTrafficPolicy").is_string()) {
    w.write(0, "Internal Traffic Policy:\t" + text_field(spec, "/internalTrafficPolicy") + "\n");
  }
  if (integer_field(spec, "/healthCheckNodePort") != 0) {
    w.write(
        0, fmt::format("HealthCheck NodePort:\t{}\n", integer_field(spec, "/healthCheckNodePort")));
  }
  if (has_items(field_at(spec, "/loadBalancerSourceRanges"))) {
    w.write(0,
            "LoadBalancer Source Ranges:\t" +
                joined_texts(field_at(spec, "/loadBalancerSourceRanges"), ",") + "\n");
  }
  if (field_at(spec, "/trafficDistribution").is_string()) {
    w.write(0, "Traffic Distribution:\t" + text_field(spec, "/trafficDistribution") + "\n");
  }
  if (events) {
    write_events(w, *events, now);
  }
  return w.finish();
}

} // namespace kctl::describe

namespace kctl::describe {

std::string
describe_ingress(const Json& ingress,
                 const std::map<std::string, BackendService>& backends,
                 const std::optional<std::vector<Json>>& events,
                 std::chrono::system_clock::time_point now) {
  Writer w;
  const Json& spec = field_at(ingress, "/spec");
  w.write(0, "Name:\t" + text_field(ingress, "/metadata/name") + "\n");
  write_labels(w, "Labels", field_at(ingress, "/metadata/labels"));
  w.write(0, "Namespace:\t" + text_field(ingress, "/metadata/namespace") + "\n");
  w.write(0, "Address:\t" + ingress_address(ingress) + "\n");
  const Json& class_name = field_at(spec, "/ingressClassName");
  w.write(0,
          "Ingress Class:\t" + (class_name.is_string() ? class_name.get<std::string>() : "<none>") +
              "\n");
  const Json& default_backend = field_at(spec, "/defaultBackend");
  std::string default_text =
      default_backend.is_object() ? backend_text(default_backend, backends) : "<default>";
  w.write(0, "Default backend:\t" + default_text + "\n");
  write_ingress_tls(w, field_at(spec, "/tls"));
  w.write(0, "Rules:\n  Host\tPath\tBackends\n");
  w.write(1, "----\t----\t--------\n");
  int count = 0;
  const Json& rules = field_at(spec, "/rules");
  if (rules.is_array()) {
    for (const auto& rule : rules) {
      if (!field_at(rule, "/http").is_object()) {
        continue;
      }
      ++count;
      std::string host = text_field(rule, "/host");
      w.write(1, (host.empty() ? "*" : host) + "\t\n");
      const Json& paths = field_at(rule, "/http/paths");
      if (!paths.is_array()) {
        continue;
      }
      for (const auto& path : paths) {
        w.write(2,
                fmt::format("\t{} \t{}\n",
                            text_field(path, "/path"),
                            backend_text(field_at(path, "/backend"), backends)));
      }
    }
  }
  if (count == 0) {
    w.write(1, "*\t*\t" + default_text + "\n");
  }
  write_annotations(w, "Annotations", field_at(ingress, "/metadata/annotations"));
  if (events) {
    write_events(w, *events, now);
  }
  return w.finish();
}

} // namespace kctl::describe
