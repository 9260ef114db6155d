// A scripted transport for tests: a handler answers each request and every request is recorded,
// so tests can assert the exact request sequence.
#pragma once

#include "kube/transport.hpp"

#include <functional>
#include <mutex>
#include <vector>

namespace kctl::kube {

class FakeTransport final : public Transport {
public:
  // Answers a request; a returned error plays a transport failure.
  using Handler = std::function<Result<Response>(const Request&)>;

  // Makes a transport answering with `handler`; without one every request gets a 404 Status.
  explicit FakeTransport(Handler handler = {});

  // Records `request` and returns the handler's answer.
  Result<Response> send(const Request& request) override;

  // Records `request`; a 2xx answer's body is fed to `on_line` line by line.
  Result<Response> stream(const Request& request, const LineHandler& on_line) override;

  // Returns the requests seen so far, in order.
  std::vector<Request> requests() const;

private:
  Handler m_handler;
  mutable std::mutex m_mutex;
  std::vector<Request> m_requests;
};

} // namespace kctl::kube
