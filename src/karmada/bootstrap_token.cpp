#include "karmada/bootstrap_token.hpp"

#include "karmada/namespaces.hpp"
#include "pki/random.hpp"
#include "util/encoding.hpp"
#include "util/strings.hpp"
#include "util/terminal.hpp"
#include "util/time.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace kctl::karmada {

namespace {

constexpr std::string_view k_token_chars = "0123456789abcdefghijklmnopqrstuvwxyz";
constexpr std::string_view k_known_usages[] = {"signing", "authentication"};

bool
is_token_chars(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  });
}

// `n` characters of [a-z0-9], uniform: bytes >= 252 (7*36) are rejected.
Result<std::string>
random_token_chars(size_t n) {
  std::string out;
  unsigned char buffer[64];
  while (out.size() < n) {
    if (auto read = pki::random_bytes(buffer); !read) {
      return std::unexpected(read.error().with_context("cannot generate a token"));
    }
    for (unsigned char b : buffer) {
      if (b < 252 && out.size() < n) {
        out.push_back(k_token_chars[b % k_token_chars.size()]);
      }
    }
  }
  return out;
}

bool
valid_group(std::string_view group) {
  constexpr std::string_view prefix = "system:bootstrappers:";
  if (!group.starts_with(prefix)) {
    return false;
  }
  std::string_view rest = group.substr(prefix.size());
  if (rest.empty() || rest.size() > 256) {
    return false;
  }
  char last = rest.back();
  if (!((last >= 'a' && last <= 'z') || (last >= '0' && last <= '9'))) {
    return false;
  }
  return std::all_of(rest.begin(), rest.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ':' || c == '-';
  });
}

} // namespace

Result<BootstrapToken>
generate_token() {
  KCTL_TRY_ASSIGN(std::string chars, random_token_chars(22));
  return BootstrapToken{chars.substr(0, 6), chars.substr(6)};
}

bool
is_token_id(std::string_view text) {
  return text.size() == 6 && is_token_chars(text);
}

Result<BootstrapToken>
parse_token(std::string_view text) {
  size_t dot = text.find('.');
  if (dot == 6 && text.size() == 23 && is_token_chars(text.substr(0, 6)) &&
      is_token_chars(text.substr(7))) {
    return BootstrapToken{std::string(text.substr(0, 6)), std::string(text.substr(7))};
  }
  return fail_usage("the token does not have the form [a-z0-9]{6}.[a-z0-9]{16} (as printed by "
                    "\"token create\")");
}

Result<std::string>
token_id_of(std::string_view text) {
  if (is_token_id(text)) {
    return std::string(text);
  }
  auto token = parse_token(text);
  if (!token) {
    return fail_usage(
        fmt::format("{:?} is neither a token id ([a-z0-9]{{6}}) nor a token "
                    "([a-z0-9]{{6}}.[a-z0-9]{{16}})",
                    text.size() > 6 ? std::string(text.substr(0, 6)) + "..." : std::string(text)));
  }
  return token->id;
}

Status
validate_groups(const std::vector<std::string>& groups) {
  for (const auto& group : groups) {
    if (!valid_group(group)) {
      return fail_usage(fmt::format(
          "--groups: {:?} must match \\Asystem:bootstrappers:[a-z0-9:-]{{0,255}}[a-z0-9]\\z",
          group));
    }
  }
  return {};
}

Status
validate_usages(const std::vector<std::string>& usages) {
  for (const auto& usage : usages) {
    if (std::find(std::begin(k_known_usages), std::end(k_known_usages), usage) ==
        std::end(k_known_usages)) {
      return fail_usage(fmt::format(
          "--usages: invalid bootstrap token usage {:?}, valid usages: signing,authentication",
          usage));
    }
  }
  return {};
}

kube::ResourceRef
token_secret_ref(std::string id) {
  return {"",
          "v1",
          "secrets",
          std::string(k_kube_system),
          id.empty() ? std::string() : std::string(k_bootstrap_token_prefix) + id,
          ""};
}

Json
token_secret(const TokenSpec& spec, std::chrono::system_clock::time_point now) {
  using encoding::base64_encode;
  Json data = Json::object();
  data["token-id"] = base64_encode(spec.token.id);
  data["token-secret"] = base64_encode(spec.token.secret);
  if (!spec.description.empty()) {
    data["description"] = base64_encode(spec.description);
  }
  if (spec.ttl.count() > 0) {
    // In seconds: now plus the longest Go duration (292 years) is past system_clock's end (2262).
    auto expires = std::chrono::floor<std::chrono::seconds>(now) +
                   std::chrono::duration_cast<std::chrono::seconds>(spec.ttl);
    data["expiration"] = base64_encode(format_rfc3339(expires));
  }
  for (const auto& usage : spec.usages) {
    data["usage-bootstrap-" + usage] = base64_encode("true");
  }
  if (!spec.groups.empty()) {
    data["auth-extra-groups"] = base64_encode(strings::join(spec.groups, ","));
  }
  return {{"apiVersion", "v1"},
          {"kind", "Secret"},
          {"metadata",
           {{"name", std::string(k_bootstrap_token_prefix) + spec.token.id},
            {"namespace", k_kube_system}}},
          {"type", k_bootstrap_token_type},
          {"data", data}};
}

Result<TokenInfo>
parse_token_secret(const Json& secret) {
  std::string name = secret.value("/metadata/name"_json_pointer, "");
  auto field = [&](const std::string& key) -> Result<std::optional<std::string>> {
    const Json data = secret.value("data", Json::object());
    if (!data.contains(key) || !data[key].is_string()) {
      return std::optional<std::string>();
    }
    auto decoded = encoding::base64_decode(data[key].get<std::string>());
    if (!decoded) {
      return failf("Secret kube-system/{}: data.{} is not base64", name, key);
    }
    return std::optional<std::string>(std::move(*decoded));
  };
  KCTL_TRY_ASSIGN(std::optional<std::string> id, field("token-id"));
  KCTL_TRY_ASSIGN(std::optional<std::string> value, field("token-secret"));
  if (!id || !is_token_id(*id)) {
    return failf("Secret kube-system/{}: no valid token-id", name);
  }
  if (name != std::string(k_bootstrap_token_prefix) + *id) {
    return failf(
        "Secret kube-system/{}: its name does not match its token-id {:?}", name, std::string(*id));
  }
  if (!value || value->size() != 16 || !is_token_chars(*value)) {
    return failf("Secret kube-system/{}: no valid token-secret", name);
  }
  TokenInfo info;
  info.token = {*id, *value};
  KCTL_TRY_ASSIGN(std::optional<std::string> description, field("description"));
  info.description = description.value_or("");
  KCTL_TRY_ASSIGN(std::optional<std::string> expiration, field("expiration"));
  if (expiration && !expiration->empty()) {
    auto expires = parse_rfc3339(*expiration);
    if (!expires) {
      return failf("Secret kube-system/{}: expiration {:?} is not an RFC 3339 time",
                   name,
                   std::string(*expiration));
    }
    info.expires = *expires;
  }
  const Json all_data = secret.value("data", Json::object());
  for (const auto& [key, unused] : all_data.items()) {
    constexpr std::string_view usage_prefix = "usage-bootstrap-";
    if (!key.starts_with(usage_prefix)) {
      continue;
    }
    KCTL_TRY_ASSIGN(std::optional<std::string> flag, field(key));
    if (flag && *flag == "true") {
      info.usages.push_back(key.substr(usage_prefix.size()));
    }
  }
  std::sort(info.usages.begin(), info.usages.end());
  KCTL_TRY_ASSIGN(std::optional<std::string> groups, field("auth-extra-groups"));
  if (groups) {
    info.groups = strings::split_list(*groups);
  }
  return info;
}

std::string
short_human_duration(std::chrono::seconds d) {
  auto seconds = d.count();
  if (seconds < -1) {
    return "<invalid>";
  }
  if (seconds < 0) {
    return "0s";
  }
  if (seconds < 60) {
    return fmt::format("{}s", seconds);
  }
  auto minutes = seconds / 60;
  if (minutes < 60) {
    return fmt::format("{}m", minutes);
  }
  auto hours = minutes / 60;
  if (hours < 48) {
    return fmt::format("{}h", hours);
  }
  if (hours < 24 * 365) {
    return fmt::format("{}d", hours / 24);
  }
  return fmt::format("{}y", hours / 24 / 365);
}

std::vector<std::string>
token_table_header() {
  return {"TOKEN", "TTL", "EXPIRES", "USAGES", "DESCRIPTION", "EXTRA GROUPS"};
}

std::vector<std::string>
token_table_row(const TokenInfo& info, std::chrono::system_clock::time_point now) {
  std::string ttl = "<forever>";
  std::string expires = "<never>";
  if (info.expires) {
    ttl = short_human_duration(seconds_until(*info.expires, now));
    expires = format_rfc3339(*info.expires);
  }
  auto or_none = [](std::string text) { return text.empty() ? std::string("<none>") : text; };
  return {info.token.full(),
          ttl,
          expires,
          or_none(strings::join(info.usages, ",")),
          or_none(info.description),
          or_none(strings::join(info.groups, ","))};
}

Json
token_output_object(const TokenInfo& info, std::chrono::system_clock::time_point now) {
  Json out = {{"kind", "BootstrapToken"},
              {"apiVersion", "output.kubeadm.k8s.io/v1alpha3"},
              {"token", info.token.full()}};
  if (!info.description.empty()) {
    out["description"] = info.description;
  }
  if (info.expires) {
    out["ttl"] = short_human_duration(seconds_until(*info.expires, now));
    out["expires"] = format_rfc3339(*info.expires);
  }
  out["usages"] = info.usages;
  out["groups"] = info.groups;
  return out;
}

std::string
render_table(const std::vector<std::vector<std::string>>& cells) {
  // A token's description and groups are read from its Secret: escaped as table cells (issue 20).
  std::vector<std::vector<std::string>> rows;
  for (const auto& line : cells) {
    auto& row = rows.emplace_back();
    for (const auto& cell : line) {
      row.push_back(terminal::escape_cell(cell));
    }
  }
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()), 0);
    for (size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], row[i].size());
    }
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) {
        line += std::string(widths[i] - row[i].size() + 3, ' ');
      }
    }
    out += line + "\n";
  }
  return out;
}

std::string
register_command(std::string_view program,
                 std::string_view server,
                 const BootstrapToken& token,
                 const std::vector<std::string>& ca_pins) {
  std::string_view endpoint = server;
  if (endpoint.starts_with("https://")) {
    endpoint.remove_prefix(8);
  }
  while (endpoint.ends_with('/')) {
    endpoint.remove_suffix(1);
  }
  return fmt::format("{} register {} --token {} --discovery-token-ca-cert-hash {}",
                     program,
                     endpoint,
                     token.full(),
                     strings::join(ca_pins, ","));
}

} // namespace kctl::karmada
