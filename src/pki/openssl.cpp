#include "pki/openssl.hpp"

#include <fmt/ranges.h>
#include <openssl/err.h>

#include <algorithm>
#include <climits>
#include <vector>

namespace kctl::pki::ossl {

void
free_extension_stack(STACK_OF(X509_EXTENSION) * stack) {
  sk_X509_EXTENSION_pop_free(stack, X509_EXTENSION_free);
}

void
free_x509_stack(STACK_OF(X509) * stack) {
  sk_X509_pop_free(stack, X509_free);
}

std::string
drain_errors() {
  // OpenSSL 3's decoders queue the same reason once per decoder they tried; say each once.
  std::vector<std::string> reasons;
  while (unsigned long code = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    // The reason string alone reads better than the full "error:0A...:lib::reason" code.
    const char* reason = ERR_reason_error_string(code);
    std::string text = reason != nullptr ? reason : buffer;
    if (std::find(reasons.begin(), reasons.end(), text) == reasons.end()) {
      reasons.push_back(std::move(text));
    }
  }
  return reasons.empty() ? "unknown openssl error" : fmt::format("{}", fmt::join(reasons, "; "));
}

void
clear_errors() {
  ERR_clear_error();
}

std::unexpected<Error>
fail_openssl(std::string_view what) {
  return failf("{}: {}", what, drain_errors());
}

Result<BioPtr>
memory_reader(std::string_view bytes) {
  if (bytes.size() > static_cast<size_t>(INT_MAX)) {
    return fail("input too large");
  }
  BioPtr bio(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
  if (!bio) {
    return fail_openssl("cannot allocate memory buffer");
  }
  return bio;
}

Result<BioPtr>
memory_writer() {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio) {
    return fail_openssl("cannot allocate memory buffer");
  }
  return bio;
}

std::string
memory_contents(BIO* bio) {
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  if (size <= 0 || data == nullptr) {
    return {};
  }
  return std::string(data, static_cast<size_t>(size));
}

} // namespace kctl::pki::ossl
