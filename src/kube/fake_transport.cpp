#include "kube/fake_transport.hpp"

#include "kube/api_error.hpp"

namespace kctl::kube {

FakeTransport::FakeTransport(Handler handler) : m_handler(std::move(handler)) {}

Result<Response>
FakeTransport::send(const Request& request) {
  {
    std::lock_guard lock(m_mutex);
    m_requests.push_back(request);
  }
  if (!m_handler) {
    return Response{404, make_status(404, "NotFound", "not found").dump(), {}};
  }
  return m_handler(request);
}

Result<Response>
FakeTransport::stream(const Request& request, const LineHandler& on_line) {
  KCTL_TRY_ASSIGN(Response response, send(request));
  if (response.status < 200 || response.status >= 300) {
    return response;
  }
  std::string_view rest = response.body;
  while (!rest.empty()) {
    auto newline = rest.find('\n');
    std::string_view line = rest.substr(0, newline);
    if (!line.empty() && on_line(line) == StreamControl::stop) {
      break;
    }
    if (newline == std::string_view::npos) {
      break;
    }
    rest.remove_prefix(newline + 1);
  }
  response.body.clear();
  return response;
}

std::vector<Request>
FakeTransport::requests() const {
  std::lock_guard lock(m_mutex);
  return m_requests;
}

} // namespace kctl::kube
