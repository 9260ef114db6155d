// An API server in memory for flow tests: objects kept by path, answering get, list, delete and
// server-side apply as a real server would (404 for what is not there), with failures injected by
// verb and path. Every request goes through a FakeTransport, which records them.
#pragma once

#include "kube/client.hpp"
#include "kube/fake_transport.hpp"
#include "util/json.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace kctl::testing {

class FakeStore {
public:
  FakeStore()
      : m_state(std::make_shared<State>()),
        m_transport(std::make_shared<kube::FakeTransport>(
            [state = m_state](const kube::Request& request) { return state->answer(request); })) {}

  // Puts `object` at the path of `ref` (named).
  void put(const kube::ResourceRef& ref, Json object) {
    std::lock_guard lock(m_state->mutex);
    m_state->objects[ref.path()] = std::move(object);
  }
  bool has(const kube::ResourceRef& ref) const {
    std::lock_guard lock(m_state->mutex);
    return m_state->objects.contains(ref.path());
  }
  std::size_t size() const {
    std::lock_guard lock(m_state->mutex);
    return m_state->objects.size();
  }
  // Makes every `verb` request whose path starts with `path_prefix` fail with a 500.
  void fail(kube::Verb verb, std::string path_prefix) {
    std::lock_guard lock(m_state->mutex);
    m_state->failures.emplace_back(verb, std::move(path_prefix));
  }
  kube::Client client() const { return kube::Client(m_transport); }
  // The same store behind a dry-run transport (reads answered here, writes recorded).
  kube::Client dry_run_client() const {
    return kube::Client(std::make_shared<kube::DryRunTransport>(m_transport));
  }
  // Requests that change state (create, update, patch, apply, delete), as "VERB path".
  std::vector<std::string> writes() const {
    std::vector<std::string> out;
    for (const auto& request : m_transport->requests()) {
      if (kube::is_write(request.verb)) {
        out.push_back(std::string(kube::http_method(request.verb)) + " " + request.path);
      }
    }
    return out;
  }

private:
  struct State {
    std::mutex mutex;
    std::map<std::string, Json> objects;
    std::vector<std::pair<kube::Verb, std::string>> failures;

    static kube::Response status(int code, const std::string& reason) {
      Json body = {{"kind", "Status"},
                   {"apiVersion", "v1"},
                   {"status", "Failure"},
                   {"reason", reason},
                   {"message", reason},
                   {"code", code}};
      return kube::Response{code, body.dump(), {}};
    }

    Result<kube::Response> answer(const kube::Request& request) {
      std::lock_guard lock(mutex);
      std::string path = request.path.substr(0, request.path.find('?'));
      for (const auto& [verb, prefix] : failures) {
        if (verb == request.verb && path.starts_with(prefix)) {
          return status(500, "InternalError");
        }
      }
      switch (request.verb) {
      case kube::Verb::get: {
        auto found = objects.find(path);
        return found == objects.end() ? status(404, "NotFound")
                                      : kube::Response{200, found->second.dump(), {}};
      }
      case kube::Verb::list: {
        Json items = Json::array();
        for (const auto& [at, object] : objects) {
          if (at.starts_with(path + "/") && at.find('/', path.size() + 1) == std::string::npos) {
            items.push_back(object);
          }
        }
        Json list = {{"kind", "List"}, {"metadata", Json::object()}, {"items", items}};
        return kube::Response{200, list.dump(), {}};
      }
      case kube::Verb::remove:
        if (objects.erase(path) == 0) {
          return status(404, "NotFound");
        }
        return kube::Response{200, Json{{"kind", "Status"}, {"status", "Success"}}.dump(), {}};
      case kube::Verb::apply:
        objects[path] = Json::parse(request.body);
        return kube::Response{200, request.body, {}};
      default:
        return status(405, "MethodNotAllowed");
      }
    }
  };

  std::shared_ptr<State> m_state;
  std::shared_ptr<kube::FakeTransport> m_transport;
};

} // namespace kctl::testing
