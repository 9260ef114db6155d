#include "pki/pem.hpp"

#include "pki/openssl.hpp"
#include "util/encoding.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>

namespace kctl::pki {

namespace {

// Takes ownership of the three buffers PEM_read_bio allocates.
PemBlock
adopt_block(char* name, char* header, unsigned char* data, long length) {
  PemBlock block{
      name, header, std::string(reinterpret_cast<const char*>(data), static_cast<size_t>(length))};
  OPENSSL_free(name);
  OPENSSL_free(header);
  OPENSSL_free(data);
  return block;
}

bool
is_end_of_input() {
  unsigned long code = ERR_peek_last_error();
  return ERR_GET_LIB(code) == ERR_LIB_PEM && ERR_GET_REASON(code) == PEM_R_NO_START_LINE;
}

} // namespace

Result<std::vector<PemBlock>>
decode_pem(std::string_view text) {
  KCTL_TRY_ASSIGN(ossl::BioPtr bio, ossl::memory_reader(text));
  std::vector<PemBlock> blocks;
  for (;;) {
    char* name = nullptr;
    char* header = nullptr;
    unsigned char* data = nullptr;
    long length = 0;
    if (PEM_read_bio(bio.get(), &name, &header, &data, &length) == 1) {
      blocks.push_back(adopt_block(name, header, data, length));
      continue;
    }
    // PEM_read_bio reports "no start line" when only trailing text is left: a normal end.
    if (is_end_of_input()) {
      ossl::clear_errors();
      return blocks;
    }
    return ossl::fail_openssl("malformed PEM");
  }
}

std::string
encode_pem(std::string_view type, std::string_view der) {
  // Done by hand rather than with PEM_write_bio: it cannot fail, so callers need no error path.
  constexpr size_t k_line = 64;
  std::string body = encoding::base64_encode(der);
  std::string out = fmt::format("-----BEGIN {}-----\n", type);
  for (size_t at = 0; at < body.size(); at += k_line) {
    out.append(body, at, k_line);
    out += '\n';
  }
  out += fmt::format("-----END {}-----\n", type);
  return out;
}

} // namespace kctl::pki
