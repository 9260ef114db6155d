// describe's pieces against the facts of kubectl's: Go's tabwriter layout (minwidth 0, padding 2),
// fatih/camelcase labels, Go's %v, the Events table, and whole describers on objects shaped as an
// API server returns them.
#include "describe/describers.hpp"
#include "describe/tabwriter.hpp"
#include "describe/workloads.hpp"
#include "describe/writer.hpp"

#include <doctest/doctest.h>

using namespace kctl;
using namespace kctl::describe;
using namespace std::chrono_literals;

namespace {

const std::chrono::system_clock::time_point k_now =
    std::chrono::sys_days{std::chrono::year{2026} / 12 / 6} + 12h;

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
                           "Cluster"}) {
    CAPTURE(kind);
    Json object = Json::parse(R"({"metadata": {"name": ["x"], "labels": "l", "annotations": 3},
        "spec": {"limits": ["a", 1], "selector": "s", "template": {"metadata": "m",
                 "spec": {"containers": [1, {"ports": "p", "env": [{"valueFrom": 1}],
                          "volumeMounts": [2]}], "volumes": [{"name": 1, "nfs": "x"}],
                          "tolerations": [3]}}},
        "status": {"hard": {"pods": {"n": 1}}, "used": [1], "conditions": "c"},
        "data": {"k": 5}, "binaryData": {"b": 7}, "imagePullSecrets": [{"name": 2}]})");
    object["kind"] = kind;
    object["apiVersion"] = std::string(kind) == "Deployment" ? "apps/v1" : "v1";
    std::vector<Json> odd = {Json("event"), Json::parse(R"({"count": "x", "series": 2})")};
    Related related{.events = odd,
                    .resource_quotas = std::vector<Json>{Json(1), object},
                    .limit_ranges = std::vector<Json>{object},
                    .replica_sets = odd};
    CHECK_NOTHROW((void)describe_object(object, related, k_now));
  }
}
