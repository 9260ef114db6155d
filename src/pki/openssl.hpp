// RAII owners for OpenSSL handles, and the bridge from OpenSSL's error queue to kctl::Error.
// Internal to src/pki: callers of the PKI library never see a raw OpenSSL pointer they must free.
#pragma once

#include "util/result.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>
#include <string_view>

namespace kctl::pki::ossl {

// A deleter that calls OpenSSL's free function `F`.
template <auto F> struct Deleter {
  template <class T> void operator()(T* handle) const noexcept { F(handle); }
};

using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using ReqPtr = std::unique_ptr<X509_REQ, Deleter<X509_REQ_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using StorePtr = std::unique_ptr<X509_STORE, Deleter<X509_STORE_free>>;
using StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX_free>>;
using NamePtr = std::unique_ptr<X509_NAME, Deleter<X509_NAME_free>>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, Deleter<GENERAL_NAMES_free>>;
using GeneralNamePtr = std::unique_ptr<GENERAL_NAME, Deleter<GENERAL_NAME_free>>;
using BignumPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using Asn1IntegerPtr = std::unique_ptr<ASN1_INTEGER, Deleter<ASN1_INTEGER_free>>;
using OctetStringPtr = std::unique_ptr<ASN1_OCTET_STRING, Deleter<ASN1_OCTET_STRING_free>>;
using Pkcs8Ptr = std::unique_ptr<PKCS8_PRIV_KEY_INFO, Deleter<PKCS8_PRIV_KEY_INFO_free>>;

// Stacks own their elements; these free both.
void free_extension_stack(STACK_OF(X509_EXTENSION) * stack);
void free_x509_stack(STACK_OF(X509) * stack);
using ExtensionStackPtr = std::unique_ptr<STACK_OF(X509_EXTENSION), Deleter<free_extension_stack>>;
using X509StackPtr = std::unique_ptr<STACK_OF(X509), Deleter<free_x509_stack>>;

// Drains OpenSSL's thread-local error queue into one line ("a; b"), or "unknown openssl error"
// when it is empty. Every failure path calls it, so a stale queue never leaks into a later error.
std::string drain_errors();

// Discards whatever OpenSSL has queued, for calls whose failure is an expected outcome.
void clear_errors();

// Makes an error "<what>: <openssl error text>" and clears the queue.
std::unexpected<Error> fail_openssl(std::string_view what);

// A read-only memory BIO over `bytes`; the bytes must outlive the BIO.
Result<BioPtr> memory_reader(std::string_view bytes);

// An empty growable memory BIO for writing.
Result<BioPtr> memory_writer();

// Returns everything written so far into the memory BIO `bio`.
std::string memory_contents(BIO* bio);

} // namespace kctl::pki::ossl
