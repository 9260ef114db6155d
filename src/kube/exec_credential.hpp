// client-go credential plugins ("exec" in a kubeconfig user): run a command that prints an
// ExecCredential (client.authentication.k8s.io/v1 or v1beta1) and use its token or client
// certificate, cached until it expires or the server rejects it.
#pragma once

#include "util/json.hpp"
#include "util/result.hpp"

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kctl::kube {

// When the plugin may talk to the user through stdin (kubeconfig `interactiveMode`).
enum class InteractiveMode { never, if_available, always };

// Whether the plugin gets the cluster in KUBERNETES_EXEC_INFO (kubeconfig `provideClusterInfo`).
enum class ClusterInfo { omit, provide };

// The `exec` stanza of a kubeconfig user.
struct ExecConfig {
  std::string api_version; // client.authentication.k8s.io/v1 or v1beta1
  std::string command;
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;
  std::string install_hint;
  ClusterInfo cluster_info = ClusterInfo::omit;
  InteractiveMode interactive_mode = InteractiveMode::if_available;
  // Directory of the kubeconfig that defined the stanza; a relative command containing a slash
  // is resolved against it, as client-go does.
  std::filesystem::path base_dir;
};

// Credentials printed by a plugin.
struct ExecCredential {
  std::string token;
  std::string client_certificate_pem;
  std::string client_key_pem;
  std::optional<std::chrono::system_clock::time_point> expiry;

  bool operator==(const ExecCredential&) const = default;
};

// The longest an exec plugin may run before it is killed and the command fails. client-go waits
// for ever; a plugin that never exits must not hang the command. Long enough for logins that wait
// for a person: a browser login (kubelogin gives the browser 3 minutes) or a device code.
inline constexpr std::chrono::seconds k_exec_plugin_timeout{300};

// How long one plugin run may take, and what set that bound (for the timeout message).
struct PluginLimit {
  std::chrono::milliseconds duration = k_exec_plugin_timeout;
  std::string_view source = "the limit for exec plugins";
};

// The bound for a plugin run made for requests bounded by `request_timeout` (0: unbounded):
// k_exec_plugin_timeout, or the request timeout when that is shorter (a plugin that runs longer
// than the request may take could only make the request fail later).
PluginLimit plugin_limit(std::chrono::milliseconds request_timeout);

// Runs the plugin of one kubeconfig user and caches its answer. Safe to share between threads;
// concurrent callers wait for one run of the plugin instead of starting several.
class ExecCredentialProvider {
public:
  // `cluster` is the v1 Cluster object passed when `config.cluster_info` is provide.
  ExecCredentialProvider(ExecConfig config, Json cluster);

  // Returns the cached credential while it has not expired, else runs the plugin, for at most
  // plugin_limit(request_timeout). Fails when the binary is missing (the message carries the
  // install hint), exits non-zero, prints an invalid ExecCredential, or runs past the limit (it
  // is then killed, with what it started unless it is interactive).
  Result<ExecCredential> credential(std::chrono::milliseconds request_timeout = {});

  // Drops `rejected` from the cache (after a 401) so the next credential() runs the plugin
  // again; a newer credential cached by another thread in the meantime is kept.
  void invalidate(const ExecCredential& rejected);

  // Returns the configuration, for messages.
  const ExecConfig& config() const { return m_config; }

private:
  Result<ExecCredential> run_plugin(const PluginLimit& limit) const;

  ExecConfig m_config;
  Json m_cluster;
  std::mutex m_mutex;
  std::optional<ExecCredential> m_cached;
};

// The most a plugin may print: an ExecCredential with a client certificate and key is a few KiB.
inline constexpr std::size_t k_max_exec_plugin_output_bytes = std::size_t{1} << 20;

// Parses the plugin's stdout `output` for a plugin configured with `api_version`.
Result<ExecCredential> parse_exec_credential(std::string_view output, std::string_view api_version);

} // namespace kctl::kube
