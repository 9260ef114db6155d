#include "pki/certificate.hpp"

#include "pki/openssl.hpp"
#include "pki/pem.hpp"
#include "pki/x509_names.hpp"
#include "util/time.hpp"

#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <ctime>

namespace kctl::pki {

namespace {

constexpr int k_serial_bytes = 16;

std::shared_ptr<X509>
share(ossl::X509Ptr x509) {
  return std::shared_ptr<X509>(std::move(x509));
}

// A random positive serial: 16 random bytes with the top bit cleared (so DER keeps it positive
// without a padding byte) and never zero. RFC 5280 allows up to 20 octets.
Result<ossl::Asn1IntegerPtr>
random_serial() {
  unsigned char bytes[k_serial_bytes];
  if (RAND_bytes(bytes, k_serial_bytes) != 1) {
    return ossl::fail_openssl("cannot generate serial number");
  }
  bytes[0] &= 0x7f;
  bytes[k_serial_bytes - 1] |= 0x01;
  ossl::BignumPtr number(BN_bin2bn(bytes, k_serial_bytes, nullptr));
  ossl::Asn1IntegerPtr serial(number ? BN_to_ASN1_INTEGER(number.get(), nullptr) : nullptr);
  if (!serial) {
    return ossl::fail_openssl("cannot encode serial number");
  }
  return serial;
}

// Whole seconds, which hold any year an ASN1_TIME can write; the epoch when unreadable.
std::chrono::sys_seconds
to_seconds(const ASN1_TIME* time) {
  std::tm tm{};
  if (ASN1_TIME_to_tm(time, &tm) != 1) {
    ossl::clear_errors();
    return {};
  }
  return std::chrono::sys_seconds(std::chrono::seconds(timegm(&tm)));
}

// notAfter 9999-12-31 (RFC 5280's "no expiration") is past the nanosecond clock's end: clamped.
TimePoint
to_time_point(const ASN1_TIME* time) {
  return to_system_clock(to_seconds(time));
}

Status
set_time(ASN1_TIME* field, TimePoint when) {
  // ASN1_TIME_set picks UTCTime before 2050 and GeneralizedTime after, as RFC 5280 (and Go) do.
  if (ASN1_TIME_set(field, Clock::to_time_t(when)) == nullptr) {
    return ossl::fail_openssl("cannot set validity");
  }
  return {};
}

Status
validate(const CertConfig& config) {
  if (config.not_after <= config.not_before) {
    return failf("certificate \"{}\": not-after must be later than not-before", config.common_name);
  }
  return {};
}

std::string
key_usage_text(const std::vector<KeyUsage>& usages) {
  std::string text = "critical";
  for (KeyUsage usage : usages) {
    switch (usage) {
    case KeyUsage::digital_signature:
      text += ",digitalSignature";
      break;
    case KeyUsage::key_encipherment:
      text += ",keyEncipherment";
      break;
    case KeyUsage::cert_sign:
      text += ",keyCertSign";
      break;
    case KeyUsage::crl_sign:
      text += ",cRLSign";
      break;
    }
  }
  return text;
}

std::string
ext_key_usage_text(const std::vector<ExtKeyUsage>& usages) {
  std::string text;
  for (ExtKeyUsage usage : usages) {
    text += text.empty() ? "" : ",";
    text += usage == ExtKeyUsage::server_auth ? "serverAuth" : "clientAuth";
  }
  return text;
}

// Adds one extension given in OpenSSL's config syntax, e.g. "critical,CA:TRUE".
Status
add_conf_extension(X509* cert, X509V3_CTX* context, int nid, const std::string& value) {
  ossl::ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, context, nid, value.c_str()));
  if (!extension || X509_add_ext(cert, extension.get(), -1) != 1) {
    return ossl::fail_openssl(fmt::format("cannot add extension {}", OBJ_nid2sn(nid)));
  }
  return {};
}

Status
add_alt_names(X509* cert, const AltNames& alt_names) {
  if (alt_names.dns_names.empty() && alt_names.ip_addresses.empty()) {
    return {};
  }
  KCTL_TRY_ASSIGN(ossl::GeneralNamesPtr names, detail::make_general_names(alt_names));
  if (X509_add1_ext_i2d(cert, NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT) != 1) {
    return ossl::fail_openssl("cannot add subject alternative names");
  }
  return {};
}

// Adds the v3 extensions Go's x509.CreateCertificate emits for such a template: basic
// constraints, key usage, extended key usage, subject key id, authority key id (when signed by
// another certificate) and SANs.
Status
add_extensions(X509* cert, X509* issuer, const CertConfig& config) {
  X509V3_CTX context;
  X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
  bool is_ca = config.kind == CertKind::ca;
  KCTL_TRY(add_conf_extension(
      cert, &context, NID_basic_constraints, is_ca ? "critical,CA:TRUE" : "critical,CA:FALSE"));
  if (!config.key_usages.empty()) {
    KCTL_TRY(add_conf_extension(cert, &context, NID_key_usage, key_usage_text(config.key_usages)));
  }
  if (!config.ext_key_usages.empty()) {
    KCTL_TRY(add_conf_extension(
        cert, &context, NID_ext_key_usage, ext_key_usage_text(config.ext_key_usages)));
  }
  KCTL_TRY(add_conf_extension(cert, &context, NID_subject_key_identifier, "hash"));
  // Like Go: name the issuer's key id only when the issuer has one (a user-supplied CA may not).
  if (issuer != cert && X509_get0_subject_key_id(issuer) != nullptr) {
    KCTL_TRY(add_conf_extension(cert, &context, NID_authority_key_identifier, "keyid:always"));
  }
  return add_alt_names(cert, config.alt_names);
}

// Fills everything but the issuer, extensions and signature.
Result<ossl::X509Ptr>
new_certificate(const CertConfig& config, EVP_PKEY* subject_key) {
  KCTL_TRY(validate(config));
  ossl::X509Ptr cert(X509_new());
  if (!cert) {
    return ossl::fail_openssl("cannot allocate certificate");
  }
  KCTL_TRY_ASSIGN(ossl::Asn1IntegerPtr serial, random_serial());
  KCTL_TRY_ASSIGN(ossl::NamePtr subject,
                  detail::make_name(config.common_name, config.organizations));
  if (X509_set_version(cert.get(), X509_VERSION_3) != 1 ||
      X509_set_serialNumber(cert.get(), serial.get()) != 1 ||
      X509_set_subject_name(cert.get(), subject.get()) != 1 ||
      X509_set_pubkey(cert.get(), subject_key) != 1) {
    return ossl::fail_openssl("cannot fill certificate");
  }
  KCTL_TRY(set_time(X509_getm_notBefore(cert.get()), config.not_before));
  KCTL_TRY(set_time(X509_getm_notAfter(cert.get()), config.not_after));
  return cert;
}

Status
sign(X509* cert, const PrivateKey& signer) {
  // SHA-256 for both RSA and ECDSA P-256 keys, as Go chooses for them.
  if (X509_sign(cert, signer.native(), EVP_sha256()) <= 0) {
    return ossl::fail_openssl("cannot sign certificate");
  }
  return {};
}

Result<Certificate>
issue(const CertConfig& config, EVP_PKEY* subject_key, X509* issuer, const PrivateKey& signer) {
  KCTL_TRY_ASSIGN(ossl::X509Ptr cert, new_certificate(config, subject_key));
  X509* issuer_cert = issuer != nullptr ? issuer : cert.get();
  if (X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer_cert)) != 1) {
    return ossl::fail_openssl("cannot set issuer");
  }
  KCTL_TRY(add_extensions(cert.get(), issuer_cert, config));
  KCTL_TRY(sign(cert.get(), signer));
  return Certificate(share(std::move(cert)));
}

bool
is_ca_certificate(X509* cert) {
  return (X509_get_extension_flags(cert) & EXFLAG_CA) != 0;
}

std::vector<KeyUsage>
read_key_usages(X509* cert) {
  std::vector<KeyUsage> usages;
  if ((X509_get_extension_flags(cert) & EXFLAG_KUSAGE) == 0) {
    return usages;
  }
  uint32_t bits = X509_get_key_usage(cert);
  const std::pair<uint32_t, KeyUsage> table[] = {
      {KU_DIGITAL_SIGNATURE, KeyUsage::digital_signature},
      {KU_KEY_ENCIPHERMENT, KeyUsage::key_encipherment},
      {KU_KEY_CERT_SIGN, KeyUsage::cert_sign},
      {KU_CRL_SIGN, KeyUsage::crl_sign}};
  for (const auto& [bit, usage] : table) {
    if ((bits & bit) != 0) {
      usages.push_back(usage);
    }
  }
  return usages;
}

std::vector<ExtKeyUsage>
read_ext_key_usages(X509* cert) {
  std::vector<ExtKeyUsage> usages;
  if ((X509_get_extension_flags(cert) & EXFLAG_XKUSAGE) == 0) {
    return usages;
  }
  uint32_t bits = X509_get_extended_key_usage(cert);
  if ((bits & XKU_SSL_SERVER) != 0) {
    usages.push_back(ExtKeyUsage::server_auth);
  }
  if ((bits & XKU_SSL_CLIENT) != 0) {
    usages.push_back(ExtKeyUsage::client_auth);
  }
  return usages;
}

AltNames
read_alt_names(X509* cert) {
  ossl::GeneralNamesPtr names(
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  return names ? detail::read_general_names(names.get()) : AltNames{};
}

std::string
serial_hex(X509* cert) {
  ossl::BignumPtr number(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr));
  char* hex = number ? BN_bn2hex(number.get()) : nullptr;
  if (hex == nullptr) {
    ossl::clear_errors();
    return {};
  }
  std::string text = hex;
  OPENSSL_free(hex);
  return text;
}

std::string
first_or_empty(const std::vector<std::string>& values) {
  return values.empty() ? std::string() : values.front();
}

Result<ossl::X509StackPtr>
to_stack(std::span<const Certificate> certs) {
  ossl::X509StackPtr stack(sk_X509_new_null());
  if (!stack) {
    return ossl::fail_openssl("cannot allocate certificate list");
  }
  for (const Certificate& cert : certs) {
    if (X509_add_cert(stack.get(), cert.native(), X509_ADD_FLAG_UP_REF) != 1) {
      return ossl::fail_openssl("cannot build certificate list");
    }
  }
  return stack;
}

Result<ossl::StorePtr>
make_store(std::span<const Certificate> roots) {
  ossl::StorePtr store(X509_STORE_new());
  if (!store) {
    return ossl::fail_openssl("cannot allocate certificate store");
  }
  for (const Certificate& root : roots) {
    if (X509_STORE_add_cert(store.get(), root.native()) != 1) {
      return ossl::fail_openssl("cannot add trusted certificate");
    }
  }
  // Like Go's x509 roots pool, a trusted certificate is an anchor even when it is an
  // intermediate rather than a self-signed root.
  X509_STORE_set_flags(store.get(), X509_V_FLAG_PARTIAL_CHAIN);
  return store;
}

Result<std::vector<Certificate>>
parse_certificate_blocks(std::string_view pem) {
  KCTL_TRY_ASSIGN(std::vector<PemBlock> blocks, decode_pem(pem));
  std::vector<Certificate> certs;
  for (const PemBlock& block : blocks) {
    if (block.type != "CERTIFICATE") {
      continue;
    }
    const auto* p = reinterpret_cast<const unsigned char*>(block.der.data());
    ossl::X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(block.der.size())));
    if (!cert) {
      return ossl::fail_openssl(fmt::format("invalid CERTIFICATE (block {})", certs.size() + 1));
    }
    // Later code relies on a decodable public key; an unknown algorithm is refused here.
    if (X509_get0_pubkey(cert.get()) == nullptr) {
      return ossl::fail_openssl(
          fmt::format("unsupported public key in CERTIFICATE (block {})", certs.size() + 1));
    }
    certs.emplace_back(share(std::move(cert)));
  }
  if (certs.empty()) {
    return fail(blocks.empty() ? "no PEM data found" : "no CERTIFICATE PEM block found");
  }
  return certs;
}

} // namespace

Certificate::Certificate(std::shared_ptr<X509> x509) : m_x509(std::move(x509)) {}

Result<std::string>
Certificate::to_der() const {
  unsigned char* out = nullptr;
  int length = i2d_X509(m_x509.get(), &out);
  if (length <= 0 || out == nullptr) {
    return ossl::fail_openssl("cannot encode certificate");
  }
  std::string der(reinterpret_cast<const char*>(out), static_cast<size_t>(length));
  OPENSSL_free(out);
  return der;
}

Result<std::string>
Certificate::to_pem() const {
  KCTL_TRY_ASSIGN(std::string der, to_der());
  return encode_pem("CERTIFICATE", der);
}

PublicKey
Certificate::public_key() const {
  // X509_get_pubkey returns a new reference, which the shared_ptr then owns.
  return PublicKey(std::shared_ptr<EVP_PKEY>(X509_get_pubkey(m_x509.get()), EVP_PKEY_free));
}

CertConfig
ca_config(std::string common_name, TimePoint now, std::chrono::seconds validity) {
  CertConfig config;
  config.alt_names.dns_names = {common_name};
  config.common_name = std::move(common_name);
  config.key_usages = {
      KeyUsage::digital_signature, KeyUsage::key_encipherment, KeyUsage::cert_sign};
  config.kind = CertKind::ca;
  config.not_before = now;
  config.not_after = now + validity;
  return config;
}

Result<Certificate>
create_self_signed_certificate(const CertConfig& config, const PrivateKey& key) {
  return issue(config, key.native(), nullptr, key);
}

Result<Certificate>
sign_certificate(const CertConfig& config,
                 const PublicKey& subject_key,
                 const Certificate& ca_cert,
                 const PrivateKey& ca_key) {
  if (!is_ca_certificate(ca_cert.native())) {
    return failf("certificate \"{}\": the issuer is not a CA", config.common_name);
  }
  if (!matches_key(ca_cert, ca_key)) {
    return failf("certificate \"{}\": the CA key does not match the CA certificate",
                 config.common_name);
  }
  return issue(config, subject_key.native(), ca_cert.native(), ca_key);
}

Result<Certificate>
parse_certificate_pem(std::string_view pem, std::string_view source) {
  KCTL_TRY_ASSIGN(std::vector<Certificate> certs, parse_certificates_pem(pem, source));
  return certs.front();
}

Result<std::vector<Certificate>>
parse_certificates_pem(std::string_view pem, std::string_view source) {
  return with_context(parse_certificate_blocks(pem),
                      fmt::format("cannot parse certificate from {}", source));
}

Result<std::string>
encode_certificates_pem(std::span<const Certificate> certs) {
  std::string pem;
  for (const Certificate& cert : certs) {
    KCTL_TRY_ASSIGN(std::string one, cert.to_pem());
    pem += one;
  }
  return pem;
}

CertInfo
inspect(const Certificate& certificate) {
  X509* cert = certificate.native();
  CertInfo info;
  const X509_NAME* subject = X509_get_subject_name(cert);
  const X509_NAME* issuer = X509_get_issuer_name(cert);
  info.subject = detail::name_to_string(subject);
  info.common_name = first_or_empty(detail::name_entries(subject, NID_commonName));
  info.organizations = detail::name_entries(subject, NID_organizationName);
  info.issuer = detail::name_to_string(issuer);
  info.issuer_common_name = first_or_empty(detail::name_entries(issuer, NID_commonName));
  info.serial_hex = serial_hex(cert);
  info.alt_names = read_alt_names(cert);
  info.not_before = to_time_point(X509_get0_notBefore(cert));
  info.not_after = to_time_point(X509_get0_notAfter(cert));
  info.is_ca = is_ca_certificate(cert);
  info.key_usages = read_key_usages(cert);
  info.ext_key_usages = read_ext_key_usages(cert);
  return info;
}

long
days_until_expiry(const Certificate& cert, TimePoint now) {
  auto left = seconds_until(to_seconds(X509_get0_notAfter(cert.native())), now);
  return static_cast<long>(std::chrono::floor<std::chrono::days>(left).count());
}

bool
matches_key(const Certificate& cert, const PrivateKey& key) {
  bool match = X509_check_private_key(cert.native(), key.native()) == 1;
  // A mismatch is an answer, not an error: leave nothing queued.
  ossl::clear_errors();
  return match;
}

bool
is_signed_by(const Certificate& cert, const Certificate& ca) {
  bool names_match =
      X509_NAME_cmp(X509_get_issuer_name(cert.native()), X509_get_subject_name(ca.native())) == 0;
  bool signature_ok = names_match && X509_verify(cert.native(), X509_get0_pubkey(ca.native())) == 1;
  // A bad signature is an answer, not an error: leave nothing queued.
  ossl::clear_errors();
  return signature_ok;
}

Status
verify_certificate(const Certificate& cert,
                   std::span<const Certificate> roots,
                   std::span<const Certificate> intermediates,
                   std::optional<TimePoint> at) {
  KCTL_TRY_ASSIGN(ossl::StorePtr store, make_store(roots));
  KCTL_TRY_ASSIGN(ossl::X509StackPtr chain, to_stack(intermediates));
  ossl::StoreCtxPtr context(X509_STORE_CTX_new());
  if (!context ||
      X509_STORE_CTX_init(context.get(), store.get(), cert.native(), chain.get()) != 1) {
    return ossl::fail_openssl("cannot set up certificate verification");
  }
  if (at) {
    X509_STORE_CTX_set_time(context.get(), 0, Clock::to_time_t(*at));
  }
  if (X509_verify_cert(context.get()) != 1) {
    int code = X509_STORE_CTX_get_error(context.get());
    ossl::clear_errors();
    return failf("certificate verification failed: {}", X509_verify_cert_error_string(code));
  }
  return {};
}

std::string_view
to_string(KeyUsage usage) {
  switch (usage) {
  case KeyUsage::digital_signature:
    return "digital signature";
  case KeyUsage::key_encipherment:
    return "key encipherment";
  case KeyUsage::cert_sign:
    return "cert sign";
  case KeyUsage::crl_sign:
    return "crl sign";
  }
  return "unknown";
}

std::string_view
to_string(ExtKeyUsage usage) {
  return usage == ExtKeyUsage::server_auth ? "server auth" : "client auth";
}

} // namespace kctl::pki
