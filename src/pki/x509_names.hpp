// Subject names and subject alternative names, shared by certificates and CSRs. Internal to
// src/pki.
#pragma once

#include "pki/certificate.hpp"
#include "pki/openssl.hpp"
#include "util/result.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace kctl::pki::detail {

// Builds a subject with O attributes first, then CN, the order Go's pkix.Name produces. Several
// organizations share one multi-valued RDN, again as Go encodes them (DER then sorts them).
Result<ossl::NamePtr> make_name(std::string_view common_name,
                                const std::vector<std::string>& organizations);

// All values of attribute `nid` in `name`, in order.
std::vector<std::string> name_entries(const X509_NAME* name, int nid);

// `name` in RFC 2253 form ("CN=x,O=y").
std::string name_to_string(const X509_NAME* name);

// Encodes `alt_names` as GeneralNames; fails when an IP address does not parse.
Result<ossl::GeneralNamesPtr> make_general_names(const AltNames& alt_names);

// Decodes the DNS and IP entries of `names`; other kinds are ignored.
AltNames read_general_names(const GENERAL_NAMES* names);

// Parses `text` as an IPv4 or IPv6 address and returns it in canonical text form.
Result<std::string> canonical_ip(std::string_view text);

} // namespace kctl::pki::detail
