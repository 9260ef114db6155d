// A tiny Kubernetes API server in memory, behind FakeTransport, for the flows' unit tests (join,
// unjoin, register): objects by path, so a second run sees what the first wrote.
#pragma once

#include "flow/steps.hpp"
#include "kube/api_error.hpp"
#include "kube/fake_transport.hpp"
#include "util/encoding.hpp"
#include "util/json.hpp"

#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace kctl::test {

// A tiny API server: objects by path. Server-side apply and merge patches store, GET and LIST
// read (a labelSelector of one key selects the objects with that label), DELETE removes at once (no
// finalizers), each new object gets a uid, and the token controller fills every ServiceAccount
// token Secret at once. `refuse` plays a server that forbids a request.
class MemoryServer {
public:
  std::function<bool(const kube::Request&)> refuse = [](const kube::Request&) { return false; };

  void put(const std::string& path, Json object) {
    std::lock_guard lock(m_mutex);
    m_objects[path] = std::move(object);
  }
  bool has(const std::string& path) const {
    std::lock_guard lock(m_mutex);
    return m_objects.contains(path);
  }

  kube::FakeTransport::Handler handler() {
    return [this](const kube::Request& request) { return answer(request); };
  }

private:
  static kube::Response json(int code, const Json& body) {
    return kube::Response{code, body.dump(), {}};
  }

  static kube::Response status(int code, std::string_view reason, std::string_view message) {
    return json(code, kube::make_status(code, reason, message));
  }

  // Every kind join, unjoin and register read or write, served under every group version.
  static Json discovery() {
    Json resources = Json::array();
    for (const auto& [resource, kind, namespaced] :
         std::vector<std::tuple<const char*, const char*, bool>>{
             {"namespaces", "Namespace", false},
             {"secrets", "Secret", true},
             {"serviceaccounts", "ServiceAccount", true},
             {"clusterroles", "ClusterRole", false},
             {"clusterrolebindings", "ClusterRoleBinding", false},
             {"clusters", "Cluster", false},
             {"deployments", "Deployment", true},
             {"roles", "Role", true},
             {"rolebindings", "RoleBinding", true},
         }) {
      resources.push_back({{"name", resource}, {"kind", kind}, {"namespaced", namespaced}});
    }
    return Json{{"resources", resources}};
  }

  Result<kube::Response> answer(const kube::Request& request) {
    if (request.verb == kube::Verb::raw_get || request.ref.resource.empty()) {
      return json(200, discovery());
    }
    if (refuse(request)) {
      return status(403, "Forbidden", "refused by the test");
    }
    std::lock_guard lock(m_mutex);
    std::string path = request.ref.path();
    switch (request.verb) {
    case kube::Verb::get: {
      auto found = m_objects.find(path);
      if (found == m_objects.end()) {
        return status(404, "NotFound", "not found");
      }
      return json(200, found->second);
    }
    case kube::Verb::list: {
      Json items = Json::array();
      std::string label = selected_label(request.path);
      for (const auto& [stored_path, object] : m_objects) {
        if (stored_path.starts_with(path + "/") && has_label(object, label)) {
          items.push_back(object);
        }
      }
      return json(200, {{"kind", "List"}, {"metadata", Json::object()}, {"items", items}});
    }
    case kube::Verb::apply:
      return json(200, store(path, Json::parse(request.body)));
    case kube::Verb::patch: {
      auto found = m_objects.find(path);
      if (found == m_objects.end()) {
        return status(404, "NotFound", "not found");
      }
      found->second.merge_patch(Json::parse(request.body));
      return json(200, found->second);
    }
    case kube::Verb::remove:
      if (m_objects.erase(path) == 0) {
        return status(404, "NotFound", "not found");
      }
      return json(200, kube::make_status(200, "", "deleted"));
    default:
      return status(405, "MethodNotAllowed", "not served by the test");
    }
  }

  // The label key of a "labelSelector=<key>" query (existence only), or "" for none.
  static std::string selected_label(const std::string& path) {
    auto at = path.find("labelSelector=");
    if (at == std::string::npos) {
      return "";
    }
    std::string key = path.substr(at + std::string_view("labelSelector=").size());
    key = key.substr(0, key.find('&'));
    for (auto slash = key.find("%2F"); slash != std::string::npos; slash = key.find("%2F")) {
      key.replace(slash, 3, "/");
    }
    return key;
  }

  static bool has_label(const Json& object, const std::string& key) {
    return key.empty() ||
           object.value("/metadata/labels"_json_pointer, Json::object()).contains(key);
  }

  // Server-side apply, roughly: a new object gets a uid, an existing one takes the fields given.
  Json& store(const std::string& path, const Json& body) {
    auto found = m_objects.find(path);
    if (found == m_objects.end()) {
      Json object = body;
      object["metadata"]["uid"] = "uid-" + std::to_string(++m_uids);
      fill_token(object);
      return m_objects[path] = object;
    }
    found->second.merge_patch(body);
    return found->second;
  }

  static void fill_token(Json& object) {
    if (object.value("type", "") == "kubernetes.io/service-account-token") {
      object["data"] = {
          {"token", encoding::base64_encode("token-of-" + object.at("metadata").value("name", ""))},
          {"ca.crt", encoding::base64_encode("member CA")}};
    }
  }

  mutable std::mutex m_mutex;
  std::map<std::string, Json> m_objects;
  int m_uids = 0;
};

inline const std::string k_cluster_path = "/apis/cluster.karmada.io/v1alpha1/clusters/member1";
inline const std::string k_credentials_path = "/api/v1/namespaces/karmada-cluster/secrets/member1";

// A member with its kube-system namespace (cluster ID member-id), a Karmada with no Cluster, and
// the transports that record what reached them.
struct Clusters {
  MemoryServer member_server;
  MemoryServer karmada_server;
  std::shared_ptr<kube::FakeTransport> member =
      std::make_shared<kube::FakeTransport>(member_server.handler());
  std::shared_ptr<kube::FakeTransport> karmada =
      std::make_shared<kube::FakeTransport>(karmada_server.handler());

  Clusters() {
    member_server.put("/api/v1/namespaces/kube-system",
                      {{"apiVersion", "v1"},
                       {"kind", "Namespace"},
                       {"metadata", {{"name", "kube-system"}, {"uid", "member-id"}}}});
  }
};

// What a flow returned and printed.
struct FlowOutcome {
  Status status;
  std::string progress;
};

// Runs `body` (a flow) with a Progress writing to a temporary file, and keeps what it printed.
inline FlowOutcome
run_flow(const std::function<Status(flow::Progress&)>& body) {
  std::FILE* sink = std::tmpfile();
  FlowOutcome outcome;
  {
    flow::Progress progress(sink, flow::Live::no);
    outcome.status = body(progress);
  }
  std::rewind(sink);
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, sink)) {
    outcome.progress.append(buffer, n);
  }
  std::fclose(sink);
  return outcome;
}

inline std::size_t
writes(const kube::FakeTransport& transport) {
  std::size_t count = 0;
  for (const auto& request : transport.requests()) {
    count += kube::is_write(request.verb) ? 1U : 0U;
  }
  return count;
}

inline bool
contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

} // namespace kctl::test
