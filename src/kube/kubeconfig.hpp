// Reading kubeconfig files the way kubectl does: one explicit file, or a merged list where the
// first file to define a name wins. Paths inside a file are made absolute against that file.
#pragma once

#include "kube/exec_credential.hpp"
#include "util/json.hpp"
#include "util/result.hpp"

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kctl::kube {

// Whether the server certificate is checked. `skip` only ever comes from configuration.
enum class TlsVerification { verify, skip };

// Whether responses may be compressed (kubeconfig `disable-compression`).
enum class Compression { allowed, disabled };

// A kubeconfig `clusters[].cluster`. File paths are absolute.
struct KubeCluster {
  std::string server;
  std::filesystem::path certificate_authority;
  std::string certificate_authority_data; // PEM, already base64-decoded
  TlsVerification verification = TlsVerification::verify;
  std::string tls_server_name;
  std::string proxy_url;
  Compression compression = Compression::allowed;
  Json exec_extension; // extensions[name=client.authentication.k8s.io/exec].extension, or null
  std::filesystem::path source; // the file that defined it
};

// A kubeconfig `users[].user`. File paths are absolute.
struct KubeUser {
  std::filesystem::path client_certificate;
  std::string client_certificate_data; // PEM
  std::filesystem::path client_key;
  std::string client_key_data; // PEM
  std::string token;
  std::filesystem::path token_file;
  std::string username;
  std::string password;
  std::optional<ExecConfig> exec;
  std::string auth_provider; // name of a legacy auth-provider, which is refused when used
  std::filesystem::path source;
};

// A kubeconfig `contexts[].context`.
struct KubeContext {
  std::string cluster;
  std::string user;
  std::string namespace_name;
  std::filesystem::path source;
};

// One kubeconfig file, or several merged.
struct Kubeconfig {
  std::string current_context;
  std::map<std::string, KubeCluster> clusters;
  std::map<std::string, KubeUser> users;
  std::map<std::string, KubeContext> contexts;
  std::vector<std::filesystem::path> sources; // files read, in order

  // Returns true when no file contributed anything.
  bool empty() const;
  // Returns the source files joined with ':' for messages.
  std::string describe_sources() const;
};

// Parses kubeconfig `text` read from `source` (used for relative paths and in messages). Fails
// with "<source>:<line>:<column>: ..." on bad YAML, and names the file and entry on bad fields
// (for example a *-data field that is not base64).
Result<Kubeconfig> parse_kubeconfig(std::string_view text, const std::filesystem::path& source);

// The largest kubeconfig file read: real ones, even with many clusters and embedded certificates,
// are well under 1 MiB.
inline constexpr std::size_t k_max_kubeconfig_bytes = std::size_t{16} << 20;

// Reads and parses one kubeconfig file; fails if it cannot be read or exceeds
// k_max_kubeconfig_bytes.
Result<Kubeconfig> load_kubeconfig_file(const std::filesystem::path& path);

// Merges `later` into `merged`: names already present win, and the current context is kept if
// set (kubectl's rule for $KUBECONFIG lists).
void merge_kubeconfig(Kubeconfig& merged, Kubeconfig later);

// Reads the files of a $KUBECONFIG list in order, skipping missing ones, and merges them. Fails
// when an existing file cannot be read or parsed.
Result<Kubeconfig> load_kubeconfig_list(const std::vector<std::filesystem::path>& paths);

// Splits a $KUBECONFIG value on ':' and drops empty entries and repeats.
std::vector<std::filesystem::path> split_kubeconfig_env(std::string_view value);

} // namespace kctl::kube
