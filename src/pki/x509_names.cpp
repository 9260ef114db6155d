#include "pki/x509_names.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <climits>

namespace kctl::pki::detail {

namespace {

// Raw bytes of an IPv4 (4) or IPv6 (16) address, or an error when `text` is neither.
Result<std::string>
ip_bytes(std::string_view text) {
  std::string input(text);
  std::array<unsigned char, 16> buffer{};
  if (inet_pton(AF_INET, input.c_str(), buffer.data()) == 1) {
    return std::string(reinterpret_cast<const char*>(buffer.data()), 4);
  }
  if (inet_pton(AF_INET6, input.c_str(), buffer.data()) == 1) {
    return std::string(reinterpret_cast<const char*>(buffer.data()), 16);
  }
  return failf("invalid IP address \"{}\"", text);
}

std::string
ip_text(const unsigned char* bytes, int length) {
  char buffer[INET6_ADDRSTRLEN] = {};
  int family = length == 4 ? AF_INET : length == 16 ? AF_INET6 : 0;
  if (family == 0 || inet_ntop(family, bytes, buffer, sizeof buffer) == nullptr) {
    return "<invalid IP>";
  }
  return buffer;
}

// Go's asn1 marshals a string as PrintableString when every byte is in that set, else UTF8String.
bool
is_printable_string(std::string_view value) {
  constexpr std::string_view k_extra = " '()+,-./:=?";
  return std::all_of(value.begin(), value.end(), [&](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           k_extra.find(c) != std::string_view::npos;
  });
}

Status
add_entry(X509_NAME* name, int nid, std::string_view value, int set) {
  if (value.size() > static_cast<size_t>(INT_MAX)) {
    return fail("name attribute too long");
  }
  // An explicit string type (not MBSTRING_*) skips OpenSSL's X.520 length table, which would
  // refuse the empty O upstream puts into the apiserver certificate. A one-byte dummy pointer keeps
  // OpenSSL from calling strlen() on an empty value.
  static const unsigned char empty = 0;
  const auto* bytes = value.empty() ? &empty : reinterpret_cast<const unsigned char*>(value.data());
  int type = is_printable_string(value) ? V_ASN1_PRINTABLESTRING : V_ASN1_UTF8STRING;
  if (X509_NAME_add_entry_by_NID(name, nid, type, bytes, static_cast<int>(value.size()), -1, set) !=
      1) {
    return ossl::fail_openssl(fmt::format("cannot add \"{}\" to the subject", value));
  }
  return {};
}

Result<ossl::GeneralNamePtr>
general_name(int type, std::string_view value) {
  ossl::GeneralNamePtr name(GENERAL_NAME_new());
  ossl::OctetStringPtr string(ASN1_OCTET_STRING_new());
  if (!name || !string) {
    return ossl::fail_openssl("cannot allocate subject alternative name");
  }
  if (ASN1_OCTET_STRING_set(string.get(),
                            reinterpret_cast<const unsigned char*>(value.data()),
                            static_cast<int>(value.size())) != 1) {
    return ossl::fail_openssl("cannot set subject alternative name");
  }
  // An IA5STRING (DNS) and an OCTET STRING (IP) share one representation in OpenSSL.
  GENERAL_NAME_set0_value(name.get(), type, string.release());
  return name;
}

Status
push_name(GENERAL_NAMES* names, ossl::GeneralNamePtr name) {
  if (sk_GENERAL_NAME_push(names, name.get()) <= 0) {
    return ossl::fail_openssl("cannot add subject alternative name");
  }
  name.release();
  return {};
}

} // namespace

Result<ossl::NamePtr>
make_name(std::string_view common_name, const std::vector<std::string>& organizations) {
  ossl::NamePtr name(X509_NAME_new());
  if (!name) {
    return ossl::fail_openssl("cannot allocate subject name");
  }
  for (size_t i = 0; i < organizations.size(); ++i) {
    KCTL_TRY(add_entry(name.get(), NID_organizationName, organizations[i], i == 0 ? 0 : -1));
  }
  if (!common_name.empty()) {
    KCTL_TRY(add_entry(name.get(), NID_commonName, common_name, 0));
  }
  return name;
}

std::vector<std::string>
name_entries(const X509_NAME* name, int nid) {
  std::vector<std::string> values;
  for (int at = X509_NAME_get_index_by_NID(name, nid, -1); at >= 0;
       at = X509_NAME_get_index_by_NID(name, nid, at)) {
    const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, at));
    unsigned char* utf8 = nullptr;
    int length = ASN1_STRING_to_UTF8(&utf8, data);
    if (length < 0) {
      ossl::clear_errors();
      continue;
    }
    values.emplace_back(reinterpret_cast<const char*>(utf8), static_cast<size_t>(length));
    OPENSSL_free(utf8);
  }
  return values;
}

std::string
name_to_string(const X509_NAME* name) {
  auto bio = ossl::memory_writer();
  if (!bio) {
    return {};
  }
  X509_NAME_print_ex(bio->get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  return ossl::memory_contents(bio->get());
}

Result<ossl::GeneralNamesPtr>
make_general_names(const AltNames& alt_names) {
  ossl::GeneralNamesPtr names(GENERAL_NAMES_new());
  if (!names) {
    return ossl::fail_openssl("cannot allocate subject alternative names");
  }
  for (const std::string& dns : alt_names.dns_names) {
    KCTL_TRY_ASSIGN(ossl::GeneralNamePtr name, general_name(GEN_DNS, dns));
    KCTL_TRY(push_name(names.get(), std::move(name)));
  }
  for (const std::string& ip : alt_names.ip_addresses) {
    KCTL_TRY_ASSIGN(std::string bytes, ip_bytes(ip));
    KCTL_TRY_ASSIGN(ossl::GeneralNamePtr name, general_name(GEN_IPADD, bytes));
    KCTL_TRY(push_name(names.get(), std::move(name)));
  }
  return names;
}

AltNames
read_general_names(const GENERAL_NAMES* names) {
  AltNames result;
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    int type = 0;
    const auto* value = static_cast<const ASN1_STRING*>(GENERAL_NAME_get0_value(name, &type));
    if (type == GEN_DNS) {
      result.dns_names.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(value)),
                                    static_cast<size_t>(ASN1_STRING_length(value)));
    } else if (type == GEN_IPADD) {
      result.ip_addresses.push_back(
          ip_text(ASN1_STRING_get0_data(value), ASN1_STRING_length(value)));
    }
  }
  return result;
}

Result<std::string>
canonical_ip(std::string_view text) {
  KCTL_TRY_ASSIGN(std::string bytes, ip_bytes(text));
  return ip_text(reinterpret_cast<const unsigned char*>(bytes.data()),
                 static_cast<int>(bytes.size()));
}

} // namespace kctl::pki::detail
