#include "output/stream.hpp"

#include "kube/resource.hpp"
#include "output/printer.hpp"
#include "util/terminal.hpp"
#include "util/yaml.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace kctl::output {

ObjectStream::ObjectStream(std::string_view format)
    : m_kind(format == "json"   ? Kind::json
             : format == "name" ? Kind::name
                                : Kind::yaml) {}

std::string
ObjectStream::add(Json object) {
  ++m_count;
  switch (m_kind) {
  case Kind::yaml:
    // kubectl's separator: between documents, not before the first.
    return (m_count > 1 ? "---\n" : "") + yaml::dump(object);
  case Kind::name:
    return terminal::escape_line(qualified_name(object)) + "\n";
  case Kind::json:
    m_held.push_back(std::move(object));
    return {};
  }
  return {};
}

std::string
ObjectStream::finish() {
  if (m_kind != Kind::json || m_held.empty()) {
    return {};
  }
  Json shown = m_held.size() == 1 ? std::move(m_held.front()) : list_of(std::move(m_held));
  m_held.clear();
  return shown.dump(4) + "\n";
}

std::string
render_one(std::string_view format, Json object) {
  ObjectStream stream(format);
  std::string out = stream.add(std::move(object));
  return out + stream.finish();
}

std::string
qualified_name(const Json& object) {
  auto [group, version] = kube::split_api_version(object.value("apiVersion", ""));
  std::string kind = object.value("kind", "");
  std::transform(kind.begin(), kind.end(), kind.begin(), [](unsigned char c) {
    return static_cast<char>(std::tolower(c));
  });
  return fmt::format("{}{}/{}",
                     kind,
                     group.empty() ? "" : "." + group,
                     object.value("/metadata/name"_json_pointer, std::string()));
}

} // namespace kctl::output
