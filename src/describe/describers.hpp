// kubectl describe's text for one object, as pure functions: a describer for each kind kubectl
// has one for that is built here, and kubectl's generic describer (every field, in key order)
// for every other kind, Karmada's included.
#pragma once

#include "util/json.hpp"

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kctl::describe {

// What the command read about one Service an Ingress sends to: the Service and its EndpointSlices,
// or the error reading each (as kubectl shows them: `services "x" not found`).
struct BackendService {
  Json service = {};
  std::string service_error = {};
  std::vector<Json> endpoint_slices = {};
  std::string slices_error = {};
};

// What the command read about an object besides the object itself.
struct Related {
  // The events about it; nullopt when not asked for (--show-events=false).
  std::optional<std::vector<Json>> events = std::nullopt;
  // A Namespace's ResourceQuotas and LimitRanges; nullopt when the server serves none.
  std::optional<std::vector<Json>> resource_quotas = std::nullopt;
  std::optional<std::vector<Json>> limit_ranges = std::nullopt;
  // A Deployment's namespace's ReplicaSets its selector picks (those it controls are shown).
  std::optional<std::vector<Json>> replica_sets = std::nullopt;
  // The pods the object's spec.selector picks (ReplicaSet, StatefulSet, DaemonSet) or those of its
  // namespace (PersistentVolumeClaim), or, when
  // listing them failed and the kind shows that (ReplicaSet), the error in `pods_error`.
  std::optional<std::vector<Json>> pods = std::nullopt;
  std::string pods_error = {};
  // A Service's EndpointSlices (labelled kubernetes.io/service-name=NAME); none when unread.
  std::optional<std::vector<Json>> endpoint_slices = std::nullopt;
  // A Node's lease in kube-node-lease, or the error reading it (`pods` then holds the pods on
  // the node that have not finished, nullopt when listing them is forbidden).
  std::optional<Json> lease = std::nullopt;
  std::string lease_error = {};
  // An Ingress's backend Services by name.
  std::map<std::string, BackendService> backends = {};
};

// What a kind's describer shows besides the object, so the command reads only that.
struct Needs {
  bool events = true;
  bool quotas_and_limits = false;
  bool replica_sets = false; // the ReplicaSets the object's spec.selector picks
  // The pods the object's spec.selector picks; when `pods_error_shown`, an error listing them is
  // shown in the text (kubectl's ReplicaSet) instead of failing the description.
  bool pods = false;
  bool pods_error_shown = false;
  bool namespace_pods = false;   // every pod of the object's namespace, into Related::pods
  bool endpoint_slices = false;  // a Service's
  bool backend_services = false; // an Ingress's, by name: BackendService
  // A Node's: its lease, the pods on it that have not finished, and its events also by the uid
  // the kubelet gives them (the node's name).
  bool node = false;
  // Events matched by name and namespace (and uid) only, not kind, as kubectl asks for a Pod's; a
  // mirror pod's by the uid in its kubernetes.io/config.mirror annotation.
  bool events_of_pod = false;
};
Needs needs_of(std::string_view group, std::string_view kind);

// The names of the Services an Ingress's default backend and rules send to, each once.
std::vector<std::string> ingress_service_names(const Json& ingress);

// Describes `object` (with its apiVersion and kind) as kubectl does, ages counted to `now`.
std::string describe_object(const Json& object,
                            const Related& related,
                            std::chrono::system_clock::time_point now);

// kubectl's generic describer, whatever the kind.
std::string describe_generic(const Json& object,
                             const Related& related,
                             std::chrono::system_clock::time_point now);

} // namespace kctl::describe
