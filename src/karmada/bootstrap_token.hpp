// Bootstrap tokens as kubeadm and upstream karmadactl write them: "<id>.<secret>" tokens, the
// kube-system/bootstrap-token-<id> Secret, its parsing back and the rows of `token list`. Pure
// functions (plus the random generator); the commands do the I/O.
#pragma once

#include "kube/resource.hpp"
#include "util/json.hpp"
#include "util/result.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kctl::karmada {

inline constexpr std::string_view k_bootstrap_token_type = "bootstrap.kubernetes.io/token";
inline constexpr std::string_view k_bootstrap_token_prefix = "bootstrap-token-";
inline constexpr std::string_view k_default_token_group =
    "system:bootstrappers:karmada:default-cluster-token";
inline constexpr std::chrono::hours k_default_token_ttl{24};

// A token "<id>.<secret>": id 6 and secret 16 characters of [a-z0-9].
struct BootstrapToken {
  std::string id;
  std::string secret;

  // "<id>.<secret>". Never log it.
  std::string full() const { return id + "." + secret; }
};

// A new token from the system's cryptographic random source (uniform over [a-z0-9]).
Result<BootstrapToken> generate_token();

// Parses "<id>.<secret>"; the error says the expected format (a usage error).
Result<BootstrapToken> parse_token(std::string_view text);

// True for a token id: 6 characters of [a-z0-9].
bool is_token_id(std::string_view text);

// The token id of `text`, which is an id or a full token (what `token delete` accepts).
Result<std::string> token_id_of(std::string_view text);

// Checks extra groups against kubeadm's rule \Asystem:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]\z.
Status validate_groups(const std::vector<std::string>& groups);

// Checks usages: each one of "signing" and "authentication".
Status validate_usages(const std::vector<std::string>& usages);

// What `token create` makes.
struct TokenSpec {
  BootstrapToken token;
  std::chrono::nanoseconds ttl = k_default_token_ttl; // zero: never expires
  std::string description;
  std::vector<std::string> usages = {"signing", "authentication"};
  std::vector<std::string> groups = {std::string(k_default_token_group)};
};

// The ref of the Secret holding token `id` ("" for the collection).
kube::ResourceRef token_secret_ref(std::string id = {});

// The Secret kube-system/bootstrap-token-<id> for `spec`, as kubeadm writes it (`data`, base64):
// token-id, token-secret, [description], [expiration = now + ttl], usage-bootstrap-<usage> =
// "true", auth-extra-groups = the groups joined by ",".
Json token_secret(const TokenSpec& spec, std::chrono::system_clock::time_point now);

// A token read back from its Secret.
struct TokenInfo {
  BootstrapToken token;
  std::string description;
  std::optional<std::chrono::sys_seconds> expires; // nullopt: never (any year up to 9999)
  std::vector<std::string> usages;                 // sorted, as kubeadm lists them
  std::vector<std::string> groups;
};

// Parses a bootstrap token Secret; the error says what is malformed (the secret's value is never
// in it).
Result<TokenInfo> parse_token_secret(const Json& secret);

// kubectl's short human duration ("45s", "10m", "23h", "6d", "2y"; "<invalid>" when past).
std::string short_human_duration(std::chrono::seconds d);

// The header of `token list`.
std::vector<std::string> token_table_header();
// One row of `token list`: TOKEN TTL EXPIRES USAGES DESCRIPTION EXTRA GROUPS.
std::vector<std::string> token_table_row(const TokenInfo& info,
                                         std::chrono::system_clock::time_point now);
// One token as `token list -o json|yaml` prints it (kubeadm's output.kubeadm.k8s.io
// BootstrapToken shape).
Json token_output_object(const TokenInfo& info, std::chrono::system_clock::time_point now);

// Renders rows as a kubectl-style table: columns padded, three spaces between them.
std::string render_table(const std::vector<std::vector<std::string>>& rows);

// The line `token create --print-register-command` prints:
// "<program> register <server without https://> --token <token> --discovery-token-ca-cert-hash
// <pin>[,<pin>...]".
std::string register_command(std::string_view program,
                             std::string_view server,
                             const BootstrapToken& token,
                             const std::vector<std::string>& ca_pins);

} // namespace kctl::karmada
