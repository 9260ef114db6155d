#include "pki/csr.hpp"

#include "pki/openssl.hpp"
#include "pki/pem.hpp"
#include "pki/x509_names.hpp"

#include <openssl/x509v3.h>

namespace kctl::pki {

namespace {

std::shared_ptr<X509_REQ>
share(ossl::ReqPtr request) {
  return std::shared_ptr<X509_REQ>(std::move(request));
}

Status
add_requested_alt_names(X509_REQ* request, const AltNames& alt_names) {
  if (alt_names.dns_names.empty() && alt_names.ip_addresses.empty()) {
    return {};
  }
  KCTL_TRY_ASSIGN(ossl::GeneralNamesPtr names, detail::make_general_names(alt_names));
  ossl::ExtensionStackPtr extensions(sk_X509_EXTENSION_new_null());
  ossl::ExtensionPtr extension(X509V3_EXT_i2d(NID_subject_alt_name, 0, names.get()));
  if (!extensions || !extension || sk_X509_EXTENSION_push(extensions.get(), extension.get()) <= 0) {
    return ossl::fail_openssl("cannot encode requested subject alternative names");
  }
  extension.release();
  if (X509_REQ_add_extensions(request, extensions.get()) != 1) {
    return ossl::fail_openssl("cannot add requested subject alternative names");
  }
  return {};
}

AltNames
read_requested_alt_names(X509_REQ* request) {
  ossl::ExtensionStackPtr extensions(X509_REQ_get_extensions(request));
  ossl::clear_errors();
  if (!extensions) {
    return {};
  }
  ossl::GeneralNamesPtr names(static_cast<GENERAL_NAMES*>(
      X509V3_get_d2i(extensions.get(), NID_subject_alt_name, nullptr, nullptr)));
  return names ? detail::read_general_names(names.get()) : AltNames{};
}

Result<CertificateRequest>
decode_request(const PemBlock& block) {
  const auto* p = reinterpret_cast<const unsigned char*>(block.der.data());
  ossl::ReqPtr request(d2i_X509_REQ(nullptr, &p, static_cast<long>(block.der.size())));
  if (!request) {
    return ossl::fail_openssl("invalid CERTIFICATE REQUEST");
  }
  EVP_PKEY* key = X509_REQ_get0_pubkey(request.get());
  if (key == nullptr || X509_REQ_verify(request.get(), key) != 1) {
    return ossl::fail_openssl("the request's signature does not verify");
  }
  return CertificateRequest(share(std::move(request)));
}

Result<CertificateRequest>
parse_csr_blocks(std::string_view pem) {
  KCTL_TRY_ASSIGN(std::vector<PemBlock> blocks, decode_pem(pem));
  for (const PemBlock& block : blocks) {
    if (block.type == "CERTIFICATE REQUEST" || block.type == "NEW CERTIFICATE REQUEST") {
      return decode_request(block);
    }
  }
  return fail(blocks.empty() ? "no PEM data found" : "no CERTIFICATE REQUEST PEM block found");
}

} // namespace

CertificateRequest::CertificateRequest(std::shared_ptr<X509_REQ> request)
    : m_request(std::move(request)) {}

Result<std::string>
CertificateRequest::to_pem() const {
  unsigned char* out = nullptr;
  int length = i2d_X509_REQ(m_request.get(), &out);
  if (length <= 0 || out == nullptr) {
    return ossl::fail_openssl("cannot encode certificate request");
  }
  std::string der(reinterpret_cast<const char*>(out), static_cast<size_t>(length));
  OPENSSL_free(out);
  return encode_pem("CERTIFICATE REQUEST", der);
}

PublicKey
CertificateRequest::public_key() const {
  return PublicKey(std::shared_ptr<EVP_PKEY>(X509_REQ_get_pubkey(m_request.get()), EVP_PKEY_free));
}

Result<CertificateRequest>
create_csr(const CsrConfig& config, const PrivateKey& key) {
  ossl::ReqPtr request(X509_REQ_new());
  if (!request) {
    return ossl::fail_openssl("cannot allocate certificate request");
  }
  KCTL_TRY_ASSIGN(ossl::NamePtr subject,
                  detail::make_name(config.common_name, config.organizations));
  // Version 1 is encoded as 0, the only version PKCS#10 defines.
  if (X509_REQ_set_version(request.get(), 0) != 1 ||
      X509_REQ_set_subject_name(request.get(), subject.get()) != 1 ||
      X509_REQ_set_pubkey(request.get(), key.native()) != 1) {
    return ossl::fail_openssl("cannot fill certificate request");
  }
  KCTL_TRY(add_requested_alt_names(request.get(), config.alt_names));
  if (X509_REQ_sign(request.get(), key.native(), EVP_sha256()) <= 0) {
    return ossl::fail_openssl("cannot sign certificate request");
  }
  return CertificateRequest(share(std::move(request)));
}

Result<CertificateRequest>
parse_csr_pem(std::string_view pem, std::string_view source) {
  return with_context(parse_csr_blocks(pem),
                      fmt::format("cannot parse certificate request from {}", source));
}

CsrConfig
inspect_csr(const CertificateRequest& request) {
  const X509_NAME* subject = X509_REQ_get_subject_name(request.native());
  CsrConfig config;
  std::vector<std::string> names = detail::name_entries(subject, NID_commonName);
  config.common_name = names.empty() ? std::string() : names.front();
  config.organizations = detail::name_entries(subject, NID_organizationName);
  config.alt_names = read_requested_alt_names(request.native());
  return config;
}

Result<Certificate>
sign_csr(const CertificateRequest& request,
         CertConfig policy,
         const Certificate& ca_cert,
         const PrivateKey& ca_key) {
  CsrConfig asked = inspect_csr(request);
  policy.common_name = std::move(asked.common_name);
  policy.organizations = std::move(asked.organizations);
  policy.alt_names = std::move(asked.alt_names);
  return sign_certificate(policy, request.public_key(), ca_cert, ca_key);
}

} // namespace kctl::pki
