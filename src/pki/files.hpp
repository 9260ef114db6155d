// Reading and writing PKI files. Keys are written atomically with mode 0600, certificates 0644
// (what upstream karmadactl init uses), in directories created 0700.
#pragma once

#include "pki/certificate.hpp"
#include "pki/key.hpp"
#include "util/result.hpp"

#include <filesystem>
#include <span>
#include <string_view>
#include <vector>

namespace kctl::pki {

// --- Interface ---

// `<dir>/<name>.crt`, upstream's certificate file name.
std::filesystem::path cert_path(const std::filesystem::path& dir, std::string_view name);
// `<dir>/<name>.key`, upstream's key file name.
std::filesystem::path key_path(const std::filesystem::path& dir, std::string_view name);

// Writes `key` to `path` (PKCS#1 or SEC1 PEM) atomically with mode 0600.
Status write_private_key(const std::filesystem::path& path, const PrivateKey& key);
// Writes `key` to `path` as PEM "PUBLIC KEY" atomically with mode 0600 (as kubeadm writes sa.pub).
Status write_public_key(const std::filesystem::path& path, const PublicKey& key);
// Writes `certs` (one or a bundle) to `path` as PEM atomically with mode 0644.
Status write_certificates(const std::filesystem::path& path, std::span<const Certificate> certs);
// Writes `cert` to `path` as PEM atomically with mode 0644.
Status write_certificate(const std::filesystem::path& path, const Certificate& cert);
// Writes `pair` as `<dir>/<name>.crt` and `<dir>/<name>.key`, creating `dir` 0700 if missing.
Status write_cert_key_pair(const std::filesystem::path& dir,
                           std::string_view name,
                           const CertKeyPair& pair);

// Reads a private key file; errors name `path` and the problem.
Result<PrivateKey> read_private_key(const std::filesystem::path& path);
// Reads a "PUBLIC KEY" file; errors name `path`.
Result<PublicKey> read_public_key(const std::filesystem::path& path);
// Reads the first certificate of `path`.
Result<Certificate> read_certificate(const std::filesystem::path& path);
// Reads every certificate of `path` (a bundle).
Result<std::vector<Certificate>> read_certificates(const std::filesystem::path& path);
// Reads `<dir>/<name>.crt` and `.key` and checks that they belong together.
Result<CertKeyPair> read_cert_key_pair(const std::filesystem::path& dir, std::string_view name);

} // namespace kctl::pki
