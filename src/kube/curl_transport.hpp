// The real transport: libcurl with TLS material from memory, a pool of easy handles that keep
// their connections alive between requests (DNS and TLS sessions shared by all), the kubeconfig's
// authentication (refreshing exec credentials on 401), and retries with
// backoff for throttling, unavailability and connection failures.
#pragma once

#include "kube/rest_config.hpp"
#include "kube/transport.hpp"

#include <memory>
#include <string>

namespace kctl::kube {

// Returns "karmadactl/<version> (<os>/<arch>) kubernetes/<short commit>".
std::string default_user_agent();

class CurlTransport final : public Transport {
public:
  // Builds a transport for `config`; fails on a server URL libcurl cannot parse.
  static Result<std::shared_ptr<CurlTransport>> create(const RestConfig& config);

  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  // Sends with retries: 429 and 503 for every verb, other 5xx (not 501) and failures after the
  // request may have reached the server only for idempotent verbs, connection failures before
  // sending for all. Honours Retry-After. A 401 with exec credentials refreshes them and retries
  // once.
  Result<Response> send(const Request& request) override;

  // Streams the body line by line; no retries (the watch loop above resumes instead), except
  // the one retry after refreshing exec credentials on 401.
  Result<Response> stream(const Request& request, const LineHandler& on_line) override;

  struct State; // libcurl handles and caches; defined in the .cpp

private:
  explicit CurlTransport(std::unique_ptr<State> state);
  std::unique_ptr<State> m_state;
};

} // namespace kctl::kube
