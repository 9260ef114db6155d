// describe's pieces against the facts of kubectl's: Go's tabwriter layout (minwidth 0, padding 2),
// fatih/camelcase labels, Go's %v, the Events table, and whole describers on objects shaped as an
// API server returns them.
#include "describe/describers.hpp"
#include "describe/nodes.hpp"
#include "describe/pods.hpp"
#include "describe/services.hpp"
#include "describe/tabwriter.hpp"
#include "describe/workloads.hpp"
#include "describe/writer.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <ctime>
#include <optional>

using namespace kctl;
using namespace kctl::describe;
using namespace std::chrono_literals;

namespace {

const std::chrono::system_clock::time_point k_now =
    std::chrono::sys_days{std::chrono::year{2026} / 12 / 6} + 12h;

// Times are printed in the local zone, as kubectl prints them: UTC while a test runs.
class UtcZone {
public:
  UtcZone() {
    if (const char* zone = std::getenv("TZ")) {
      m_saved = zone;
    }
    setenv("TZ", "UTC", 1);
    tzset();
  }
  ~UtcZone() {
    if (m_saved) {
      setenv("TZ", m_saved->c_str(), 1);
    } else {
      unsetenv("TZ");
    }
    tzset();
  }
  UtcZone(const UtcZone&) = delete;
  UtcZone& operator=(const UtcZone&) = delete;

private:
  std::optional<std::string> m_saved;
};

} // namespace

TEST_CASE("tab_layout: columns of a block are as wide as their widest cell plus two") {
  CHECK(tab_layout("Name:\tweb\nNamespace:\tdefault\n") ==
        "Name:       web\nNamespace:  default\n");
  // A line without a tab ends the block: the next block is sized on its own.
  CHECK(tab_layout("a:\t1\nplain\nlonger:\t2\n") == "a:  1\nplain\nlonger:  2\n");
  // An empty leading cell is padded: continuation lines of Labels.
  CHECK(tab_layout("Labels:\ta=1\n\tb=2\n") == "Labels:  a=1\n         b=2\n");
  // Nested columns: the second column spans only the lines that have it.
  CHECK(tab_layout("  Type\tReason\tAge\n  ----\t------\t---\n") ==
        "  Type  Reason  Age\n  ----  ------  ---\n");
  // Trailing cell padding when the text after the last tab is empty.
  CHECK(tab_layout("Namespace:\t\nName:\tx\n") == "Namespace:  \nName:       x\n");
  // Widths count code points, not bytes.
  CHECK(tab_layout("é:\t1\nab:\t2\n") == "é:   1\nab:  2\n");
  CHECK(tab_layout("no newline at end") == "no newline at end");
}

TEST_CASE("tab_layout: a line with more tabs than k_max_columns keeps the rest as one cell") {
  std::string line;
  for (std::size_t i = 0; i < k_max_columns + 10; ++i) {
    line += "x\t";
  }
  std::string out = tab_layout(line + "end\n");
  CHECK(out.ends_with("end\n"));
  CHECK(out.find('\t') != std::string::npos); // the tail beyond the bound is text
}

TEST_CASE("with_cluster_line: the member first, its name in the column of the first value") {
  CHECK(with_cluster_line("Name:                   web\nNamespace:              apps\n",
                          "member1") == "Cluster:                member1\nName:                   "
                                        "web\nNamespace:              apps\n");
  // A narrow first column: the title and two spaces.
  CHECK(with_cluster_line("Name:  x\n", "m") == "Cluster:  m\nName:  x\n");
  // No "key: value" first line: the title and two spaces too.
  CHECK(with_cluster_line("plain\n", "m") == "Cluster:  m\nplain\n");
  CHECK(with_cluster_line("", "m") == "Cluster:  m\n");
}

TEST_CASE("smart_label: kubectl's labels of field names") {
  CHECK(smart_label("creationTimestamp") == "Creation Timestamp");
  CHECK(smart_label("apiVersion") == "API Version");
  CHECK(smart_label("uid") == "UID");
  CHECK(smart_label("apiEndpoint") == "API Endpoint");
  CHECK(smart_label("id") == "Id");
  CHECK(smart_label("HTTPServer") == "Http Server");
  CHECK(smart_label("resourceURL") == "Resource URL");
  CHECK(smart_label("matchLabels") == "Match Labels");
  CHECK(smart_label("cpu") == "Cpu");
  CHECK(smart_label("foo-bar") == "Foo - Bar");
  // Anything but letters and '-': kept as it is.
  CHECK(smart_label("app.kubernetes.io/name") == "app.kubernetes.io/name");
  CHECK(smart_label("v1") == "v1");
  CHECK(smart_label("under_score") == "under_score");
}

TEST_CASE("go_value: Go's %v of decoded JSON") {
  CHECK(go_value(Json(3)) == "3");
  CHECK(go_value(Json(-7)) == "-7");
  CHECK(go_value(Json(1.5)) == "1.5");
  CHECK(go_value(Json(1.0)) == "1");
  CHECK(go_value(Json(1000000.0)) == "1e+06");
  CHECK(go_value(Json(123456.0)) == "123456");
  CHECK(go_value(Json(0.0001)) == "0.0001");
  CHECK(go_value(Json(0.00001)) == "1e-05");
  CHECK(go_value(Json(1.25e-7)) == "1.25e-07");
  CHECK(go_value(Json(true)) == "true");
  CHECK(go_value(Json(nullptr)) == "<nil>");
  CHECK(go_value(Json::parse(R"(["a", 1, true])")) == "[a 1 true]");
  CHECK(go_value(Json::parse(R"({"b": 1, "a": "x"})")) == "map[a:x b:1]");
}

TEST_CASE("write_labels and write_annotations: sorted, <none>, long values on their own lines") {
  Writer w;
  write_labels(w, "Labels", Json::parse(R"({"b": "2", "a": "1"})"));
  write_labels(w, "Empty", Json::object());
  Json annotations = {{"kubectl.kubernetes.io/last-applied-configuration", "{}"},
                      {"short", "v"},
                      {"multi", "line one\nline two\n"}};
  write_annotations(w, "Annotations", annotations);
  CHECK(w.finish() == "Labels:       a=1\n"
                      "              b=2\n"
                      "Empty:        <none>\n"
                      "Annotations:  multi:\n"
                      "                line one\n"
                      "                line two\n"
                      "              short: v\n");
  Writer only_applied;
  write_annotations(
      only_applied, "Annotations", {{"kubectl.kubernetes.io/last-applied-configuration", "{}"}});
  CHECK(only_applied.finish() == "Annotations:  <none>\n");
}

TEST_CASE("write_events: oldest first, counts and series, field paths, <none>") {
  Writer none;
  write_events(none, {}, k_now);
  CHECK(none.finish() == "Events:  <none>\n");

  Json later = Json::parse(R"({"type": "Normal", "reason": "Scheduled", "message": " ok \n",
      "firstTimestamp": "2026-12-06T11:00:00Z", "lastTimestamp": "2026-12-06T11:59:00Z",
      "count": 3, "source": {"component": "scheduler"}})");
  Json earlier = Json::parse(R"({"type": "Warning", "reason": "Failed", "message": "pull",
      "eventTime": "2026-12-06T11:58:00.000000Z", "reportingComponent": "kubelet",
      "involvedObject": {"fieldPath": "spec.containers{web}"}})");
  Writer w;
  write_events(w, {later, earlier}, k_now);
  CHECK(w.finish() ==
        "Events:\n"
        "  Type     Reason     Age                From       Message\n"
        "  ----     ------     ----               ----       -------\n"
        "  Warning  Failed     2m                 kubelet    spec.containers{web}: pull\n"
        "  Normal   Scheduled  60s (x3 over 60m)  scheduler  ok\n");
}

TEST_CASE("describe_generic: every field in key order, metadata's own fields left out") {
  Json object = Json::parse(R"({
    "apiVersion": "policy.karmada.io/v1alpha1", "kind": "PropagationPolicy",
    "metadata": {"name": "web", "namespace": "apps", "uid": "u-1", "labels": {"a": "b"},
                 "managedFields": [{"manager": "x"}], "creationTimestamp": "2026-12-06T11:00:00Z"},
    "spec": {"resourceSelectors": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}],
             "placement": {"clusterAffinity": {"clusterNames": ["member1", "member2"]}},
             "priority": 0, "preemption": "Never"}})");
  CHECK(describe_generic(object, {.events = std::vector<Json>{}}, k_now) ==
        "Name:         web\n"
        "Namespace:    apps\n"
        "Labels:       a=b\n"
        "Annotations:  <none>\n"
        "API Version:  policy.karmada.io/v1alpha1\n"
        "Kind:         PropagationPolicy\n"
        "Metadata:\n"
        "  Creation Timestamp:  2026-12-06T11:00:00Z\n"
        "  UID:                 u-1\n"
        "Spec:\n"
        "  Placement:\n"
        "    Cluster Affinity:\n"
        "      Cluster Names:\n"
        "        member1\n"
        "        member2\n"
        "  Preemption:  Never\n"
        "  Priority:    0\n"
        "  Resource Selectors:\n"
        "    API Version:  apps/v1\n"
        "    Kind:         Deployment\n"
        "    Name:         web\n"
        "Events:           <none>\n");
  // Without events asked for there is no Events section at all.
  CHECK(describe_generic(object, {}, k_now).find("Events") == std::string::npos);
}

TEST_CASE("describe_object: a Secret shows sizes, never values, whatever its type") {
  Json secret = Json::parse(R"({"apiVersion": "v1", "kind": "Secret", "type":
      "kubernetes.io/service-account-token", "metadata": {"name": "t", "namespace": "default"},
      "data": {"token": "c2VjcmV0LXRva2Vu", "ca.crt": "YWI=", "namespace": "ZGVmYXVsdA=="}})");
  std::string text = describe_object(secret, {}, k_now);
  CHECK(text.find("secret-token") == std::string::npos);
  CHECK(text.find("c2VjcmV0LXRva2Vu") == std::string::npos);
  CHECK(text.find("token:      12 bytes\n") != std::string::npos);
  CHECK(text.find("ca.crt:     2 bytes\n") != std::string::npos);
  CHECK(text.find("namespace:  7 bytes\n") != std::string::npos);
  CHECK(text.find("Type:  kubernetes.io/service-account-token\n") != std::string::npos);
}

TEST_CASE("describe_object: ConfigMap data and binary sizes; Namespace quotas") {
  Json config_map = Json::parse(R"({"apiVersion": "v1", "kind": "ConfigMap",
      "metadata": {"name": "c", "namespace": "n"}, "data": {"k": "v"},
      "binaryData": {"blob": "aGVsbG8gd29ybGQ="}})");
  CHECK(describe_object(config_map, {.events = std::vector<Json>{}}, k_now) ==
        "Name:         c\nNamespace:    n\nLabels:       <none>\nAnnotations:  <none>\n\n"
        "Data\n====\nk:\n----\nv\n\n\nBinaryData\n====\nblob: 11 bytes\n\nEvents:  <none>\n");
  Json ns = Json::parse(R"({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "n"},
      "status": {"phase": "Active"}})");
  Json quota = Json::parse(R"({"metadata": {"name": "q"},
      "status": {"hard": {"pods": "10"}, "used": {"pods": "1"}}})");
  CHECK(describe_object(
            ns,
            {.resource_quotas = std::vector<Json>{quota}, .limit_ranges = std::vector<Json>{}},
            k_now) ==
        "Name:         n\nLabels:       <none>\nAnnotations:  <none>\nStatus:       Active\n\n"
        "Resource Quotas\n  Name:     q\n  Resource  Used  Hard\n  --------  ---   ---\n"
        "  pods      1     10\n\nNo LimitRange resource.\n");
}

TEST_CASE("label_selector_text: kubectl's selector string, requirements sorted by key") {
  CHECK(label_selector_text(Json::parse(R"({"matchLabels": {"b": "2", "a": "1"}})")) == "a=1,b=2");
  CHECK(label_selector_text(Json::parse(R"({"matchLabels": {"app": "web"}, "matchExpressions": [
      {"key": "tier", "operator": "In", "values": ["front", "back"]},
      {"key": "legacy", "operator": "DoesNotExist"},
      {"key": "env", "operator": "NotIn", "values": ["dev"]},
      {"key": "zone", "operator": "Exists"}]})")) ==
        "app=web,env notin (dev),!legacy,tier in (back,front),zone");
  CHECK(label_selector_text(Json::object()).empty());
}

TEST_CASE("describe_object: a Deployment, its pod template and its ReplicaSets") {
  Json deployment = Json::parse(R"({"apiVersion": "apps/v1", "kind": "Deployment",
      "metadata": {"name": "web", "namespace": "n", "uid": "d-1",
                   "creationTimestamp": "2026-12-06T11:00:00Z"},
      "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
               "strategy": {"type": "Recreate"},
               "template": {"metadata": {"labels": {"app": "web"}},
                            "spec": {"containers": [{"name": "web", "image": "nginx",
                                     "ports": [{"containerPort": 80, "protocol": "TCP"}]}]}}},
      "status": {"replicas": 2, "updatedReplicas": 2}})");
  auto owned = [](const char* name, const char* created, const char* image) {
    Json set = {
        {"metadata",
         {{"name", name},
          {"creationTimestamp", created},
          {"ownerReferences", Json::array({{{"uid", "d-1"}, {"controller", true}}})}}},
        {"spec",
         {{"replicas", 2},
          {"template",
           {{"metadata", {{"labels", {{"app", "web"}, {"pod-template-hash", "x"}}}}},
            {"spec",
             {{"containers",
               Json::array(
                   {{{"name", "web"},
                     {"image", image},
                     {"ports",
                      Json::array({{{"containerPort", 80}, {"protocol", "TCP"}}})}}})}}}}}}},
        {"status", {{"replicas", 1}}}};
    return set;
  };
  Json stranger = owned("other", "2026-12-06T10:00:00Z", "nginx");
  stranger["metadata"]["ownerReferences"][0]["uid"] = "d-2";
  Related related{.events = std::vector<Json>{},
                  .replica_sets =
                      std::vector<Json>{owned("web-new", "2026-12-06T11:30:00Z", "nginx"),
                                        owned("web-old", "2026-12-06T11:00:00Z", "httpd"),
                                        stranger}};
  std::string text = describe_object(deployment, related, k_now);
  CHECK(text.find("Replicas:           2 desired | 2 updated | 2 total | 0 available | 0 "
                  "unavailable\n") != std::string::npos);
  CHECK(text.find("StrategyType:       Recreate\n") != std::string::npos);
  CHECK(text.find("RollingUpdateStrategy") == std::string::npos);
  CHECK(text.find("   web:\n    Image:         nginx\n    Port:          80/TCP\n") !=
        std::string::npos);
  CHECK(text.find("OldReplicaSets:    web-old (1/2 replicas created)\n") != std::string::npos);
  CHECK(text.find("NewReplicaSet:     web-new (1/2 replicas created)\n") != std::string::npos);
  CHECK(text.find("other") == std::string::npos);
  CHECK(text.ends_with("Events:            <none>\n"));
}

TEST_CASE("describe_object: fields of unexpected types are shown or skipped, never thrown on") {
  for (const char* kind : {"Namespace",
                           "ConfigMap",
                           "Secret",
                           "ServiceAccount",
                           "ResourceQuota",
                           "Deployment",
                           "Cluster",
                           "Pod",
                           "ReplicaSet",
                           "StatefulSet",
                           "DaemonSet",
                           "Job",
                           "CronJob",
                           "Service",
                           "PersistentVolumeClaim",
                           "Ingress",
                           "Node"}) {
    CAPTURE(kind);
    Json object = Json::parse(R"({"metadata": {"name": ["x"], "labels": "l", "annotations": 3},
        "spec": {"limits": ["a", 1], "selector": "s", "template": {"metadata": "m",
                 "spec": {"containers": [1, {"ports": "p", "env": [{"valueFrom": 1}],
                          "volumeMounts": [2]}], "volumes": [{"name": 1, "nfs": "x"}],
                          "tolerations": [3]}}},
        "status": {"hard": {"pods": {"n": 1}}, "used": [1], "conditions": "c"},
        "data": {"k": 5}, "binaryData": {"b": 7}, "imagePullSecrets": [{"name": 2}]})");
    object["kind"] = kind;
    std::string name = kind;
    object["apiVersion"] =
        name == "Deployment" || name == "ReplicaSet" || name == "StatefulSet" || name == "DaemonSet"
            ? "apps/v1"
        : name == "Job" || name == "CronJob" ? "batch/v1"
        : name == "Ingress"                  ? "networking.k8s.io/v1"
                                             : "v1";
    std::vector<Json> odd = {Json("event"), Json::parse(R"({"count": "x", "series": 2})")};
    Related related{.events = odd,
                    .resource_quotas = std::vector<Json>{Json(1), object},
                    .limit_ranges = std::vector<Json>{object},
                    .replica_sets = odd,
                    .pods = odd,
                    .pods_error = "",
                    .endpoint_slices = odd};
    CHECK_NOTHROW((void)describe_object(object, related, k_now));
    // The same with the pod spec's fields, the selectors and the statuses of wrong types.
    Json odd_spec = Json::parse(R"({"metadata": {"ownerReferences": [1, {"controller": "yes"}]},
        "spec": {"containers": {"a": 1}, "volumes": [{"projected": {"sources": [1, {"secret": 2}]}},
                 {"csi": {"volumeAttributes": [1]}}, {"downwardAPI": {"items": "x"}}],
                 "selector": {"matchExpressions": [1]}, "ports": [{"targetPort": [1]}],
                 "rules": [{"http": {"paths": [{"backend": {"service": 1}}]}}],
                 "tls": [{"hosts": "h"}], "defaultBackend": {"service": {"name": 3}},
                 "jobTemplate": 1, "volumeClaimTemplates": [{"spec": 2}],
                 "template": {"spec": {"containers": [{"env": [{"valueFrom": {
                     "resourceFieldRef": {"resource": "limits.cpu", "divisor": "x"}}}]}]}}},
        "status": {"containerStatuses": [1, {"name": 2}], "podIPs": "x",
                   "loadBalancer": {"ingress": [1]}, "active": 3, "conditions": [1]}})");
    odd_spec["kind"] = kind;
    odd_spec["apiVersion"] = object["apiVersion"];
    CHECK_NOTHROW((void)describe_object(odd_spec, related, k_now));
  }
}

TEST_CASE("describe_object: a Pending Pod, its containers, volumes, QoS class and events") {
  Json pod = Json::parse(R"({"apiVersion": "v1", "kind": "Pod",
      "metadata": {"name": "web-1", "namespace": "n", "labels": {"app": "web"},
                   "ownerReferences": [{"kind": "ReplicaSet", "name": "web", "controller": true}]},
      "spec": {"priority": 0, "serviceAccountName": "web",
               "containers": [{"name": "app", "image": "nginx",
                               "ports": [{"containerPort": 80, "protocol": "TCP"}],
                               "resources": {"requests": {"cpu": "100m"}},
                               "env": [{"name": "ME", "valueFrom": {"fieldRef": {
                                          "apiVersion": "v1", "fieldPath": "metadata.name"}}},
                                       {"name": "CPU", "valueFrom": {"resourceFieldRef": {
                                          "resource": "limits.cpu"}}}],
                               "volumeMounts": [{"name": "token", "mountPath": "/var/run"}]}],
               "volumes": [{"name": "token", "projected": {"sources": [
                              {"serviceAccountToken": {"expirationSeconds": 3607}},
                              {"configMap": {"name": "kube-root-ca.crt"}},
                              {"downwardAPI": {}}]}}],
               "tolerations": [{"key": "node.kubernetes.io/not-ready", "operator": "Exists",
                                "effect": "NoExecute", "tolerationSeconds": 300}]},
      "status": {"phase": "Pending"}})");
  std::string text = describe_object(pod, {.events = std::vector<Json>{}}, k_now);
  CHECK(text == "Name:             web-1\n"
                "Namespace:        n\n"
                "Priority:         0\n"
                "Service Account:  web\n"
                "Node:             <none>\n"
                "Labels:           app=web\n"
                "Annotations:      <none>\n"
                "Status:           Pending\n"
                "IP:               \n"
                "IPs:              <none>\n"
                "Controlled By:    ReplicaSet/web\n"
                "Containers:\n"
                "  app:\n"
                "    Image:      nginx\n"
                "    Port:       80/TCP\n"
                "    Host Port:  0/TCP\n"
                "    Requests:\n"
                "      cpu:  100m\n"
                "    Environment:\n"
                "      ME:   web-1 (v1:metadata.name)\n"
                "      CPU:  node allocatable (limits.cpu)\n"
                "    Mounts:\n"
                "      /var/run from token (rw)\n"
                "Volumes:\n"
                "  token:\n"
                "    Type:                    Projected (a volume that contains injected data "
                "from multiple sources)\n"
                "    TokenExpirationSeconds:  3607\n"
                "    ConfigMapName:           kube-root-ca.crt\n"
                "    Optional:                false\n"
                "    DownwardAPI:             true\n"
                "QoS Class:                   Burstable\n"
                "Node-Selectors:              <none>\n"
                "Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists "
                "for 300s\n"
                "Events:                      <none>\n");
}

TEST_CASE("pod_qos_class: recorded, else computed from requests and limits") {
  CHECK(pod_qos_class(Json::parse(R"({"status": {"qosClass": "Guaranteed"}})")) == "Guaranteed");
  CHECK(pod_qos_class(Json::parse(R"({"spec": {"containers": [{"name": "a"}]}})")) == "BestEffort");
  CHECK(pod_qos_class(Json::parse(R"({"spec": {"containers": [{"resources": {
      "limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "1000m", "memory": "1Gi"}}}]}})")) ==
        "Guaranteed");
  CHECK(pod_qos_class(Json::parse(R"({"spec": {"containers": [{"resources": {
      "limits": {"cpu": "1"}, "requests": {"cpu": "1"}}}]}})")) == "Burstable");
}

TEST_CASE("describe_object: a Pod's container statuses and states") {
  Json pod = Json::parse(R"({"apiVersion": "v1", "kind": "Pod",
      "metadata": {"name": "p", "namespace": "n"},
      "spec": {"nodeName": "node-1", "containers": [{"name": "app", "image": "nginx"}]},
      "status": {"phase": "Running", "hostIP": "10.0.0.1", "podIP": "10.1.0.5",
                 "podIPs": [{"ip": "10.1.0.5"}], "qosClass": "BestEffort",
                 "conditions": [{"type": "Ready", "status": "True"}],
                 "containerStatuses": [{"name": "app", "containerID": "containerd://abc",
                     "imageID": "sha256:1", "ready": true, "restartCount": 2,
                     "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                     "lastState": {"terminated": {"exitCode": 1, "reason": "Error"}}}]}})");
  std::string text = describe_object(pod, {}, k_now);
  CHECK(text.find("Node:         node-1/10.0.0.1\n") != std::string::npos);
  CHECK(text.find("IP:           10.1.0.5\nIPs:\n  IP:  10.1.0.5\n") != std::string::npos);
  CHECK(text.find("    Container ID:   containerd://abc\n"
                  "    Image:          nginx\n"
                  "    Image ID:       sha256:1\n"
                  "    Port:           <none>\n"
                  "    Host Port:      <none>\n"
                  "    State:          Waiting\n"
                  "      Reason:       CrashLoopBackOff\n"
                  "    Last State:     Terminated\n"
                  "      Reason:       Error\n"
                  "      Exit Code:    1\n"
                  "      Started:      Mon, 01 Jan 0001 00:00:00 +0000\n"
                  "      Finished:     Mon, 01 Jan 0001 00:00:00 +0000\n"
                  "    Ready:          True\n"
                  "    Restart Count:  2\n") != std::string::npos);
  CHECK(text.find("Conditions:\n  Type           Status\n  Ready          True \n"
                  "Volumes:         <none>\nQoS Class:       BestEffort\n") != std::string::npos);
  CHECK(text.find("Events") == std::string::npos); // not read: --show-events=false
}

TEST_CASE("describe_object: a ReplicaSet counts the pods it controls by phase") {
  Json set = Json::parse(R"({"apiVersion": "apps/v1", "kind": "ReplicaSet",
      "metadata": {"name": "web", "namespace": "n", "uid": "rs-1"},
      "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
               "template": {"metadata": {"labels": {"app": "web"}},
                            "spec": {"containers": [{"name": "web", "image": "nginx"}]}}},
      "status": {"replicas": 2}})");
  auto pod = [](const char* phase, const char* owner) {
    return Json{{"metadata",
                 {{"ownerReferences",
                   Json::array({{{"uid", owner}, {"controller", true}, {"kind", "ReplicaSet"}}})}}},
                {"status", {{"phase", phase}}}};
  };
  Related related{.events = std::vector<Json>{},
                  .pods = std::vector<Json>{pod("Pending", "rs-1"),
                                            pod("Running", "rs-1"),
                                            pod("Running", "rs-2"),
                                            Json{{"status", {{"phase", "Failed"}}}}}};
  CHECK(describe_object(set, related, k_now) ==
        "Name:         web\n"
        "Namespace:    n\n"
        "Selector:     app=web\n"
        "Labels:       <none>\n"
        "Annotations:  <none>\n"
        "Replicas:     2 current / 2 desired\n"
        "Pods Status:  1 Running / 1 Waiting / 0 Succeeded / 0 Failed\n"
        "Pod Template:\n"
        "  Labels:  app=web\n"
        "  Containers:\n"
        "   web:\n"
        "    Image:         nginx\n"
        "    Port:          <none>\n"
        "    Host Port:     <none>\n"
        "    Environment:   <none>\n"
        "    Mounts:        <none>\n"
        "  Volumes:         <none>\n"
        "  Node-Selectors:  <none>\n"
        "  Tolerations:     <none>\n"
        "Events:            <none>\n");
  related.pods_error = "pods is forbidden";
  CHECK(describe_object(set, related, k_now)
            .find("Pods Status:  error in fetching pods: pods is "
                  "forbidden\n") != std::string::npos);
}

TEST_CASE("describe_object: StatefulSet and DaemonSet heads, volume claim templates") {
  Json stateful = Json::parse(R"({"apiVersion": "apps/v1", "kind": "StatefulSet",
      "metadata": {"name": "db", "namespace": "n", "creationTimestamp": "2026-12-06T11:00:00Z"},
      "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "db"}},
               "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}},
               "template": {"spec": {"containers": []}},
               "volumeClaimTemplates": [{"metadata": {"name": "data", "labels": {"a": "1", "b": "2"}},
                   "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "fast",
                            "resources": {"requests": {"storage": "1Gi"}}}}]},
      "status": {"replicas": 1}})");
  std::string text = describe_object(stateful, {.pods = std::vector<Json>{}}, k_now);
  CHECK(text.find("Replicas:           1 desired | 1 total\n"
                  "Update Strategy:    RollingUpdate\n"
                  "  Partition:        0\n"
                  "Pods Status:        0 Running / 0 Waiting / 0 Succeeded / 0 Failed\n") !=
        std::string::npos);
  CHECK(text.ends_with("Volume Claims:\n"
                       "  Name:          data\n"
                       "  StorageClass:  fast\n"
                       "  Labels:        a=1\n"
                       "                 b=2\n"
                       "  Annotations:   <none>\n"
                       "  Capacity:      1Gi\n"
                       "  Access Modes:  [ReadWriteOnce]\n"));
  Json daemon = Json::parse(R"({"apiVersion": "apps/v1", "kind": "DaemonSet",
      "metadata": {"name": "agent", "namespace": "n"},
      "spec": {"selector": {"matchLabels": {"app": "agent"}},
               "template": {"spec": {"nodeSelector": {"disk": "ssd", "zone": "a"}}}},
      "status": {"desiredNumberScheduled": 3, "numberAvailable": 2}})");
  CHECK(describe_object(daemon, {.pods = std::vector<Json>{}}, k_now)
            .starts_with("Name:           agent\n"
                         "Namespace:      n\n"
                         "Selector:       app=agent\n"
                         "Node-Selector:  disk=ssd,zone=a\n"
                         "Labels:         <none>\n"
                         "Annotations:    <none>\n"
                         "Desired Number of Nodes Scheduled: 3\n"
                         "Current Number of Nodes Scheduled: 0\n"
                         "Number of Nodes Scheduled with Up-to-date Pods: 0\n"
                         "Number of Nodes Scheduled with Available Pods: 2\n"
                         "Number of Nodes Misscheduled: 0\n"
                         "Pods Status:  0 Running / 0 Waiting / 0 Succeeded / 0 Failed\n"));
}

TEST_CASE("describe_object: a Job's counts and timing, a CronJob's schedule and active jobs") {
  UtcZone utc;
  Json job = Json::parse(R"({"apiVersion": "batch/v1", "kind": "Job",
      "metadata": {"name": "work", "namespace": "n"},
      "spec": {"parallelism": 1, "completions": 3, "completionMode": "Indexed", "suspend": false,
               "backoffLimit": 6, "selector": {"matchLabels": {"job": "work"}},
               "template": {"spec": {"containers": []}}},
      "status": {"startTime": "2026-12-06T11:00:00Z", "completionTime": "2026-12-06T11:02:30Z",
                 "succeeded": 3, "ready": 0, "completedIndexes": "0-2"}})");
  std::string text = describe_object(job, {}, k_now);
  CHECK(text == "Name:               work\n"
                "Namespace:          n\n"
                "Selector:           job=work\n"
                "Labels:             <none>\n"
                "Annotations:        <none>\n"
                "Parallelism:        1\n"
                "Completions:        3\n"
                "Completion Mode:    Indexed\n"
                "Suspend:            false\n"
                "Backoff Limit:      6\n"
                "Start Time:         Sun, 06 Dec 2026 11:00:00 +0000\n"
                "Completed At:       Sun, 06 Dec 2026 11:02:30 +0000\n"
                "Duration:           2m30s\n"
                "Pods Statuses:      0 Active (0 Ready) / 3 Succeeded / 0 Failed\n"
                "Completed Indexes:  0-2\n"
                "Pod Template:\n"
                "  Labels:  <none>\n"
                "  Containers: <none>\n"
                "  Volumes:         <none>\n"
                "  Node-Selectors:  <none>\n"
                "  Tolerations:     <none>\n");
  Json cron = Json::parse(R"({"apiVersion": "batch/v1", "kind": "CronJob",
      "metadata": {"name": "tick", "namespace": "n"},
      "spec": {"schedule": "*/5 * * * *", "concurrencyPolicy": "Allow", "suspend": false,
               "successfulJobsHistoryLimit": 3,
               "jobTemplate": {"spec": {"template": {"spec": {"containers": []}}}}},
      "status": {"active": [{"name": "tick-1"}, {"name": "tick-2"}]}})");
  text = describe_object(cron, {.events = std::vector<Json>{}}, k_now);
  CHECK(text.starts_with("Name:                          tick\n"
                         "Namespace:                     n\n"
                         "Labels:                        <none>\n"
                         "Annotations:                   <none>\n"
                         "Schedule:                      */5 * * * *\n"
                         "Concurrency Policy:            Allow\n"
                         "Suspend:                       False\n"
                         "Successful Job History Limit:  3\n"
                         "Failed Job History Limit:      <unset>\n"
                         "Starting Deadline Seconds:     <unset>\n"
                         "Selector:                      <unset>\n"
                         "Parallelism:                   <unset>\n"
                         "Completions:                   <unset>\n"
                         "Pod Template:\n"));
  CHECK(text.ends_with("Last Schedule Time:  <unset>\n"
                       "Active Jobs:         tick-1, tick-2\n"
                       "Events:              <none>\n"));
}

TEST_CASE("describe_object: a Service's ports and the ready endpoints of its slices") {
  Json service = Json::parse(R"({"apiVersion": "v1", "kind": "Service",
      "metadata": {"name": "web", "namespace": "n"},
      "spec": {"type": "ClusterIP", "selector": {"app": "web"}, "clusterIP": "10.0.0.10",
               "clusterIPs": ["10.0.0.10"], "ipFamilies": ["IPv4"],
               "ipFamilyPolicy": "SingleStack", "sessionAffinity": "None",
               "internalTrafficPolicy": "Cluster",
               "ports": [{"name": "http", "port": 80, "targetPort": 8080, "protocol": "TCP"},
                         {"port": 9090, "targetPort": "metrics", "protocol": "TCP",
                          "nodePort": 30090}]}})");
  auto endpoint = [](const char* address, bool ready) {
    return Json{{"addresses", Json::array({address})}, {"conditions", {{"ready", ready}}}};
  };
  Json slice = {{"ports", Json::array({{{"name", "http"}, {"port", 8080}}})},
                {"endpoints",
                 Json::array({endpoint("10.1.0.1", true),
                              endpoint("10.1.0.2", false),
                              endpoint("10.1.0.3", true),
                              endpoint("10.1.0.4", true),
                              endpoint("10.1.0.5", true)})}};
  Related related{.endpoint_slices = std::vector<Json>{slice}};
  CHECK(describe_object(service, related, k_now) ==
        "Name:                     web\n"
        "Namespace:                n\n"
        "Labels:                   <none>\n"
        "Annotations:              <none>\n"
        "Selector:                 app=web\n"
        "Type:                     ClusterIP\n"
        "IP Family Policy:         SingleStack\n"
        "IP Families:              IPv4\n"
        "IP:                       10.0.0.10\n"
        "IPs:                      10.0.0.10\n"
        "Port:                     http  80/TCP\n"
        "TargetPort:               8080/TCP\n"
        "Endpoints:                10.1.0.1:8080,10.1.0.3:8080,10.1.0.4:8080 + 1 more...\n"
        "Port:                     <unset>  9090/TCP\n"
        "TargetPort:               metrics/TCP\n"
        "NodePort:                 <unset>  30090/TCP\n"
        "Endpoints:                \n"
        "Session Affinity:         None\n"
        "Internal Traffic Policy:  Cluster\n");
  CHECK(endpoints_text({}, "http") == "<none>");
}

TEST_CASE("describe_object: a PersistentVolumeClaim and the pods that use it") {
  Json claim = Json::parse(R"({"apiVersion": "v1", "kind": "PersistentVolumeClaim",
      "metadata": {"name": "data", "namespace": "n", "finalizers": ["kubernetes.io/pvc-protection"],
                   "ownerReferences": [{"kind": "Pod", "uid": "p-3"}]},
      "spec": {"accessModes": ["ReadWriteOnce"], "volumeName": "pv-1", "volumeMode": "Filesystem",
               "resources": {"requests": {"storage": "1Gi"}}},
      "status": {"phase": "Bound", "accessModes": ["ReadWriteMany", "ReadWriteOnce"],
                 "capacity": {"storage": "2Gi"}}})");
  auto pod = [](const char* name, const char* uid, const char* claim_name) {
    return Json{{"metadata", {{"name", name}, {"uid", uid}}},
                {"spec",
                 {{"volumes",
                   Json::array({{{"name", "v"},
                                 {"persistentVolumeClaim", {{"claimName", claim_name}}}}})}}}};
  };
  Related related{.pods = std::vector<Json>{pod("web-b", "p-1", "data"),
                                            pod("web-a", "p-2", "data"),
                                            pod("owner", "p-3", "other"),
                                            pod("stranger", "p-4", "other")}};
  CHECK(describe_object(claim, related, k_now) == "Name:          data\n"
                                                  "Namespace:     n\n"
                                                  "StorageClass:  \n"
                                                  "Status:        Bound\n"
                                                  "Volume:        pv-1\n"
                                                  "Labels:        <none>\n"
                                                  "Annotations:   <none>\n"
                                                  "Finalizers:    [kubernetes.io/pvc-protection]\n"
                                                  "Capacity:      2Gi\n"
                                                  "Access Modes:  RWO,RWX\n"
                                                  "VolumeMode:    Filesystem\n"
                                                  "Used By:       owner\n"
                                                  "               web-a\n"
                                                  "               web-b\n");
}

TEST_CASE("describe_object: an Ingress's rules, TLS and backends with their endpoints") {
  Json ingress = Json::parse(R"({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
      "metadata": {"name": "web", "namespace": "n"},
      "spec": {"tls": [{"hosts": ["a.example.com"], "secretName": "tls"}],
               "rules": [{"host": "a.example.com", "http": {"paths": [
                   {"path": "/", "backend": {"service": {"name": "web", "port": {"number": 80}}}},
                   {"path": "/x", "backend": {"service": {"name": "gone",
                                                          "port": {"name": "http"}}}}]}}]},
      "status": {"loadBalancer": {"ingress": [{"ip": "1.2.3.4"}, {"hostname": "lb"}]}}})");
  CHECK(ingress_service_names(ingress) == std::vector<std::string>{"web", "gone"});
  BackendService web;
  web.service = Json::parse(R"({"spec": {"ports": [{"name": "http", "port": 80}]}})");
  web.endpoint_slices = {Json::parse(R"({"ports": [{"name": "http", "port": 8080}],
      "endpoints": [{"addresses": ["10.1.0.1"]}]})")};
  BackendService gone;
  gone.service_error = "services \"gone\" not found";
  Related related{.events = std::vector<Json>{}, .backends = {{"web", web}, {"gone", gone}}};
  CHECK(describe_object(ingress, related, k_now) ==
        "Name:             web\n"
        "Labels:           <none>\n"
        "Namespace:        n\n"
        "Address:          1.2.3.4,lb\n"
        "Ingress Class:    <none>\n"
        "Default backend:  <default>\n"
        "TLS:\n"
        "  tls terminates a.example.com\n"
        "Rules:\n"
        "  Host           Path  Backends\n"
        "  ----           ----  --------\n"
        "  a.example.com  \n"
        "                 /    web:80 (10.1.0.1:8080)\n"
        "                 /x   gone:http (<error: services \"gone\" not found>)\n"
        "Annotations:     <none>\n" // one block with the rules: their widest cell
        "Events:          <none>\n");
}

TEST_CASE("Quantity: Go's sums and canonical text of resource quantities") {
  auto sum = [](std::initializer_list<const char*> texts) {
    Quantity total;
    for (const char* text : texts) {
      auto q = Quantity::parse(text);
      REQUIRE(q);
      total.add(*q);
    }
    return total.text();
  };
  CHECK(sum({}) == "0");
  CHECK(sum({"100m", "200m"}) == "300m");
  CHECK(sum({"500m", "500m"}) == "1");
  CHECK(sum({"1", "500m"}) == "1500m");
  CHECK(sum({"64Mi", "1Gi"}) == "1088Mi");
  CHECK(sum({"512Mi", "512Mi"}) == "1Gi");
  CHECK(sum({"1Ki", "512"}) == "1536");
  CHECK(sum({"1000"}) == "1k");
  CHECK(sum({"1500"}) == "1500");
  CHECK(sum({"0.5Gi"}) == "512Mi");
  CHECK(sum({"100", "1Mi"}) == "1048676"); // decimal first: the sum keeps that format
  CHECK(sum({"2e3"}) == "2e3");
  CHECK(Quantity::parse("250m")->milli_value() == 250);
  CHECK(Quantity::parse("1.5")->value() == 2); // rounded up
  CHECK_FALSE(Quantity::parse("abc"));
  CHECK_FALSE(Quantity::parse("1Qi"));
}

TEST_CASE("write_timed_conditions: a Node's and a claim's six columns, nothing without any") {
  UtcZone utc;
  Json conditions = Json::parse(R"([{"type": "Ready", "status": "True",
      "lastHeartbeatTime": "2026-12-06T11:00:00Z", "lastTransitionTime": "2026-12-06T10:00:00Z",
      "reason": "KubeletReady", "message": "kubelet is posting ready status"}])");
  Writer w;
  write_timed_conditions(w, conditions, "LastHeartbeatTime", "/lastHeartbeatTime");
  CHECK(w.finish() == "Conditions:\n"
                      "  Type    Status  LastHeartbeatTime                 LastTransitionTime      "
                      "          Reason         Message\n"
                      "  ----    ------  -----------------                 ------------------      "
                      "          ------         -------\n"
                      "  Ready   True    Sun, 06 Dec 2026 11:00:00 +0000   Sun, 06 Dec 2026 "
                      "10:00:00 +0000   KubeletReady   kubelet is posting ready status\n");
  Writer none;
  write_timed_conditions(none, Json::array(), "LastProbeTime", "/lastProbeTime");
  CHECK(none.finish().empty());
}

TEST_CASE("describe_object: a Node, its lease and the requests of its pods") {
  UtcZone utc;
  Json node = Json::parse(R"({"apiVersion": "v1", "kind": "Node",
      "metadata": {"name": "n1", "creationTimestamp": "2026-12-06T11:00:00Z",
                   "labels": {"node-role.kubernetes.io/control-plane": "",
                              "kubernetes.io/role": "worker"}},
      "spec": {"taints": [{"key": "b", "effect": "NoSchedule"},
                          {"key": "a", "value": "1", "effect": "NoExecute"}],
               "podCIDR": "10.244.0.0/24", "podCIDRs": ["10.244.0.0/24"]},
      "status": {"addresses": [{"type": "InternalIP", "address": "172.18.0.2"}],
                 "capacity": {"cpu": "4", "memory": "8Gi", "pods": "110"},
                 "allocatable": {"cpu": "4", "memory": "8Gi", "pods": "110"},
                 "nodeInfo": {"kubeletVersion": "v1.35.0"}}})");
  Json pod = Json::parse(R"({"metadata": {"namespace": "default", "name": "web",
      "creationTimestamp": "2026-12-06T11:00:00Z"},
      "spec": {"containers": [{"resources": {"requests": {"cpu": "500m", "memory": "1Gi"},
                                             "limits": {"memory": "2Gi"}}},
                              {"resources": {"requests": {"cpu": "500m"}}}],
               "initContainers": [{"resources": {"requests": {"cpu": "2"}}}]}})");
  Related related{.events = std::vector<Json>{},
                  .pods = std::vector<Json>{pod},
                  .lease = Json::parse(R"({"spec": {"holderIdentity": "n1"}})")};
  CHECK(describe_object(node, related, k_now) ==
        "Name:               n1\n"
        "Roles:              control-plane,worker\n"
        "Labels:             kubernetes.io/role=worker\n"
        "                    node-role.kubernetes.io/control-plane=\n"
        "Annotations:        <none>\n"
        "CreationTimestamp:  Sun, 06 Dec 2026 11:00:00 +0000\n"
        "Taints:             a=1:NoExecute\n"
        "                    b:NoSchedule\n"
        "Unschedulable:      false\n"
        "Lease:\n"
        "  HolderIdentity:  n1\n"
        "  AcquireTime:     <unset>\n"
        "  RenewTime:       <unset>\n"
        "Addresses:\n"
        "  InternalIP:  172.18.0.2\n"
        "Capacity:\n"
        "  cpu:     4\n"
        "  memory:  8Gi\n"
        "  pods:    110\n"
        "Allocatable:\n"
        "  cpu:     4\n"
        "  memory:  8Gi\n"
        "  pods:    110\n"
        "System Info:\n"
        "  Machine ID:                 \n"
        "  System UUID:                \n"
        "  Boot ID:                    \n"
        "  Kernel Version:             \n"
        "  OS Image:                   \n"
        "  Operating System:           \n"
        "  Architecture:               \n"
        "  Container Runtime Version:  \n"
        "  Kubelet Version:            v1.35.0\n"
        "  Kube-Proxy Version:         \n"
        "PodCIDR:                      10.244.0.0/24\n"
        "PodCIDRs:                     10.244.0.0/24\n"
        "Non-terminated Pods:          (1 in total)\n"
        "  Namespace                   Name    CPU Requests  CPU Limits  Memory Requests  Memory "
        "Limits  Age\n"
        "  ---------                   ----    ------------  ----------  ---------------  "
        "-------------  ---\n"
        "  default                     web     2 (50%)       0 (0%)      1Gi (12%)        2Gi "
        "(25%)      60m\n"
        "Allocated resources:\n"
        "  (Total limits may be over 100 percent, i.e., overcommitted.)\n"
        "  Resource           Requests   Limits\n"
        "  --------           --------   ------\n"
        "  cpu                2 (50%)    0 (0%)\n"
        "  memory             1Gi (12%)  2Gi (25%)\n"
        "  ephemeral-storage  0 (0%)     0 (0%)\n"
        "Events:              <none>\n");
  related.pods = std::nullopt;
  related.lease = std::nullopt;
  related.lease_error = "leases.coordination.k8s.io \"n1\" not found";
  std::string text = describe_object(node, related, k_now);
  CHECK(text.find("Lease:              Failed to get lease: leases.coordination.k8s.io \"n1\" not "
                  "found\n") != std::string::npos);
  CHECK(text.find("Pods:                         not authorized\n") != std::string::npos);
}
