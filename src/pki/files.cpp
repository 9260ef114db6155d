#include "pki/files.hpp"

#include "util/fs.hpp"

namespace kctl::pki {

std::filesystem::path
cert_path(const std::filesystem::path& dir, std::string_view name) {
  return dir / (std::string(name) + ".crt");
}

std::filesystem::path
key_path(const std::filesystem::path& dir, std::string_view name) {
  return dir / (std::string(name) + ".key");
}

Status
write_private_key(const std::filesystem::path& path, const PrivateKey& key) {
  KCTL_TRY_ASSIGN(std::string pem,
                  with_context(key.to_pem(), fmt::format("cannot write {}", path.string())));
  return fs::write_file_atomic(path, pem, fs::k_private_file);
}

Status
write_public_key(const std::filesystem::path& path, const PublicKey& key) {
  KCTL_TRY_ASSIGN(std::string pem,
                  with_context(key.to_pem(), fmt::format("cannot write {}", path.string())));
  return fs::write_file_atomic(path, pem, fs::k_private_file);
}

Status
write_certificates(const std::filesystem::path& path, std::span<const Certificate> certs) {
  KCTL_TRY_ASSIGN(
      std::string pem,
      with_context(encode_certificates_pem(certs), fmt::format("cannot write {}", path.string())));
  return fs::write_file_atomic(path, pem, fs::k_public_file);
}

Status
write_certificate(const std::filesystem::path& path, const Certificate& cert) {
  return write_certificates(path, std::span<const Certificate>(&cert, 1));
}

Status
write_cert_key_pair(const std::filesystem::path& dir,
                    std::string_view name,
                    const CertKeyPair& pair) {
  KCTL_TRY(fs::ensure_dir(dir, fs::k_private_dir));
  // Key first: a certificate on disk without its key is the worse half-state to be left in.
  KCTL_TRY(write_private_key(key_path(dir, name), pair.key));
  return write_certificate(cert_path(dir, name), pair.cert);
}

Result<PrivateKey>
read_private_key(const std::filesystem::path& path) {
  KCTL_TRY_ASSIGN(std::string pem, fs::read_file(path, fs::k_max_pem_file_bytes, "a key file"));
  return parse_private_key_pem(pem, path.string());
}

Result<PublicKey>
read_public_key(const std::filesystem::path& path) {
  KCTL_TRY_ASSIGN(std::string pem, fs::read_file(path, fs::k_max_pem_file_bytes, "a key file"));
  return parse_public_key_pem(pem, path.string());
}

Result<Certificate>
read_certificate(const std::filesystem::path& path) {
  KCTL_TRY_ASSIGN(std::string pem,
                  fs::read_file(path, fs::k_max_pem_file_bytes, "a certificate file"));
  return parse_certificate_pem(pem, path.string());
}

Result<std::vector<Certificate>>
read_certificates(const std::filesystem::path& path) {
  KCTL_TRY_ASSIGN(std::string pem,
                  fs::read_file(path, fs::k_max_pem_file_bytes, "a certificate file"));
  return parse_certificates_pem(pem, path.string());
}

Result<CertKeyPair>
read_cert_key_pair(const std::filesystem::path& dir, std::string_view name) {
  KCTL_TRY_ASSIGN(Certificate cert, read_certificate(cert_path(dir, name)));
  KCTL_TRY_ASSIGN(PrivateKey key, read_private_key(key_path(dir, name)));
  if (!matches_key(cert, key)) {
    return failf(
        "{} does not belong to {}", key_path(dir, name).string(), cert_path(dir, name).string());
  }
  return CertKeyPair{std::move(cert), std::move(key)};
}

} // namespace kctl::pki
