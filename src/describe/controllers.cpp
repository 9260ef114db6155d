// kubectl's describers of the controllers of pods: ReplicaSet, StatefulSet, DaemonSet (with the
// pods they control counted by phase), Job and CronJob.
#include "describe/containers.hpp"
#include "describe/pods.hpp"
#include "describe/workloads.hpp"
#include "describe/writer.hpp"
#include "output/printer.hpp"
#include "util/time.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace kctl::describe {

namespace {

using ControllerClock = std::chrono::system_clock;

void
write_controller_events(Writer& w,
                        const std::optional<std::vector<Json>>& events,
                        ControllerClock::time_point now) {
  if (events) {
    write_events(w, *events, now);
  }
}

// Go's labels.FormatLabels: "k=v,k2=v2" sorted, "<none>" when empty.
std::string
format_labels(const Json& labels) {
  std::vector<std::string> pairs;
  for (const auto& key : keys_in_order(labels)) {
    pairs.push_back(key + "=" + go_value(labels[key]));
  }
  return pairs.empty() ? "<none>" : fmt::format("{}", fmt::join(pairs, ","));
}

// kubectl's labels block with an indentation before the title and before each further line.
void
write_indented_labels(Writer& w, std::string_view indent, std::string_view title, const Json& map) {
  w.write(0, fmt::format("{}{}:\t", indent, title));
  auto keys = keys_in_order(map);
  if (keys.empty()) {
    w.write(0, "<none>\n");
    return;
  }
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (i != 0) {
      w.write(0, fmt::format("{}\t", indent));
    }
    w.write(0, fmt::format("{}={}\n", keys[i], go_value(map[keys[i]])));
  }
}

void
write_volume_claim_templates(Writer& w, const Json& templates) {
  if (!has_items(templates) || !templates.is_array()) {
    w.write(0, "Volume Claims:\t<none>\n");
    return;
  }
  w.write(0, "Volume Claims:\n");
  for (const auto& claim : templates) {
    w.write(1, "Name:\t" + text_field(claim, "/metadata/name") + "\n");
    const Json& beta_class =
        field_at(claim, "/metadata/annotations/volume.beta.kubernetes.io~1storage-class");
    std::string storage_class = beta_class.is_string()
                                    ? beta_class.get<std::string>()
                                    : text_field(claim, "/spec/storageClassName");
    w.write(1, "StorageClass:\t" + storage_class + "\n");
    write_indented_labels(w, "  ", "Labels", field_at(claim, "/metadata/labels"));
    write_indented_labels(w, "  ", "Annotations", field_at(claim, "/metadata/annotations"));
    const Json& capacity = field_at(claim, "/spec/resources/requests/storage");
    w.write(1, "Capacity:\t" + (capacity.is_null() ? "<default>" : go_value(capacity)) + "\n");
    const Json& modes = field_at(claim, "/spec/accessModes");
    w.write(1, "Access Modes:\t" + (modes.is_array() ? go_value(modes) : "[]") + "\n");
  }
}

// An optional integer field as kubectl prints a pointer: its value, or `unset`.
std::string
optional_number(const Json& object, const char* pointer, std::string_view unset = "<unset>") {
  const Json& value = field_at(object, pointer);
  return value.is_number_integer() ? std::to_string(value.get<std::int64_t>()) : std::string(unset);
}

// kubectl's "1,2,3,..." of a Job's completed indexes, cut after the first comma past `limit`.
std::string
capped_indexes(const std::string& indexes, std::size_t limit) {
  if (indexes.empty()) {
    return "<none>";
  }
  std::size_t at = limit;
  while (at < indexes.size() && indexes[at] != ',') {
    ++at;
  }
  return at >= indexes.size() ? indexes : indexes.substr(0, at + 1) + "...";
}

void
write_job_timing(Writer& w, const Json& job) {
  const Json& started = field_at(job, "/status/startTime");
  const Json& completed = field_at(job, "/status/completionTime");
  if (started.is_string()) {
    w.write(0, "Start Time:\t" + rfc1123z(started.get<std::string>()) + "\n");
  }
  if (completed.is_string()) {
    w.write(0, "Completed At:\t" + rfc1123z(completed.get<std::string>()) + "\n");
  }
  if (started.is_string() && completed.is_string()) {
    auto from = parse_rfc3339(started.get<std::string>());
    auto to = parse_rfc3339(completed.get<std::string>());
    if (from && to) {
      w.write(0, "Duration:\t" + output::human_duration(*to - *from) + "\n");
    }
  }
}

void
write_job_template(Writer& w, const Json& spec) {
  w.write(0,
          "Selector:\t" +
              (field_at(spec, "/selector").is_object()
                   ? label_selector_text(field_at(spec, "/selector"))
                   : std::string("<unset>")) +
              "\n");
  w.write(0, "Parallelism:\t" + optional_number(spec, "/parallelism") + "\n");
  w.write(0, "Completions:\t" + optional_number(spec, "/completions") + "\n");
  if (field_at(spec, "/activeDeadlineSeconds").is_number_integer()) {
    w.write(0,
            fmt::format("Active Deadline Seconds:\t{}s\n",
                        integer_field(spec, "/activeDeadlineSeconds")));
  }
  write_pod_template(w, field_at(spec, "/template"));
}

} // namespace

std::string
describe_replica_set(const Json& set,
                     const std::vector<Json>& pods,
                     const std::string& pods_error,
                     const std::optional<std::vector<Json>>& events,
                     ControllerClock::time_point now) {
  Writer w;
  w.write(0, "Name:\t" + text_field(set, "/metadata/name") + "\n");
  w.write(0, "Namespace:\t" + text_field(set, "/metadata/namespace") + "\n");
  std::string selector = label_selector_text(field_at(set, "/spec/selector"));
  w.write(0, "Selector:\t" + (selector.empty() ? "<none>" : selector) + "\n");
  write_labels(w, "Labels", field_at(set, "/metadata/labels"));
  write_annotations(w, "Annotations", field_at(set, "/metadata/annotations"));
  if (std::string controller = controller_of(set); !controller.empty()) {
    w.write(0, "Controlled By:\t" + controller + "\n");
  }
  w.write(0,
          fmt::format("Replicas:\t{} current / {} desired\n",
                      integer_field(set, "/status/replicas"),
                      integer_field(set, "/spec/replicas")));
  w.write(0,
          "Pods Status:\t" +
              (pods_error.empty() ? pods_status_text(set, pods)
                                  : "error in fetching pods: " + pods_error) +
              "\n");
  write_pod_template(w, field_at(set, "/spec/template"));
  write_controller_conditions(w, field_at(set, "/status/conditions"));
  write_controller_events(w, events, now);
  return w.finish();
}

std::string
describe_stateful_set(const Json& set,
                      const std::vector<Json>& pods,
                      const std::optional<std::vector<Json>>& events,
                      ControllerClock::time_point now) {
  Writer w;
  w.write(0, "Name:\t" + text_field(set, "/metadata/name") + "\n");
  w.write(0, "Namespace:\t" + text_field(set, "/metadata/namespace") + "\n");
  w.write(0,
          "CreationTimestamp:\t" + rfc1123z(text_field(set, "/metadata/creationTimestamp")) + "\n");
  w.write(0, "Selector:\t" + label_selector_text(field_at(set, "/spec/selector")) + "\n");
  write_labels(w, "Labels", field_at(set, "/metadata/labels"));
  write_annotations(w, "Annotations", field_at(set, "/metadata/annotations"));
  w.write(0,
          fmt::format("Replicas:\t{} desired | {} total\n",
                      integer_field(set, "/spec/replicas"),
                      integer_field(set, "/status/replicas")));
  w.write(0, "Update Strategy:\t" + text_field(set, "/spec/updateStrategy/type") + "\n");
  const Json& rolling = field_at(set, "/spec/updateStrategy/rollingUpdate");
  if (rolling.is_object() && field_at(rolling, "/partition").is_number_integer()) {
    w.write(1, fmt::format("Partition:\t{}\n", integer_field(rolling, "/partition")));
    if (!field_at(rolling, "/maxUnavailable").is_null()) {
      w.write(1, "MaxUnavailable:\t" + int_or_string(field_at(rolling, "/maxUnavailable")) + "\n");
    }
  }
  w.write(0, "Pods Status:\t" + pods_status_text(set, pods) + "\n");
  write_pod_template(w, field_at(set, "/spec/template"));
  write_volume_claim_templates(w, field_at(set, "/spec/volumeClaimTemplates"));
  write_controller_events(w, events, now);
  return w.finish();
}

std::string
describe_daemon_set(const Json& set,
                    const std::vector<Json>& pods,
                    const std::optional<std::vector<Json>>& events,
                    ControllerClock::time_point now) {
  Writer w;
  w.write(0, "Name:\t" + text_field(set, "/metadata/name") + "\n");
  w.write(0, "Namespace:\t" + text_field(set, "/metadata/namespace") + "\n");
  w.write(0, "Selector:\t" + label_selector_text(field_at(set, "/spec/selector")) + "\n");
  w.write(0,
          "Node-Selector:\t" + format_labels(field_at(set, "/spec/template/spec/nodeSelector")) +
              "\n");
  write_labels(w, "Labels", field_at(set, "/metadata/labels"));
  write_annotations(w, "Annotations", field_at(set, "/metadata/annotations"));
  for (const auto& [title, field] :
       {std::pair{"Desired Number of Nodes Scheduled", "/status/desiredNumberScheduled"},
        {"Current Number of Nodes Scheduled", "/status/currentNumberScheduled"},
        {"Number of Nodes Scheduled with Up-to-date Pods", "/status/updatedNumberScheduled"},
        {"Number of Nodes Scheduled with Available Pods", "/status/numberAvailable"},
        {"Number of Nodes Misscheduled", "/status/numberMisscheduled"}}) {
    w.write(0, fmt::format("{}: {}\n", title, integer_field(set, field)));
  }
  w.write(0, "Pods Status:\t" + pods_status_text(set, pods) + "\n");
  write_pod_template(w, field_at(set, "/spec/template"));
  write_controller_events(w, events, now);
  return w.finish();
}

std::string
describe_job(const Json& job,
             const std::optional<std::vector<Json>>& events,
             ControllerClock::time_point now) {
  Writer w;
  const Json& spec = field_at(job, "/spec");
  w.write(0, "Name:\t" + text_field(job, "/metadata/name") + "\n");
  w.write(0, "Namespace:\t" + text_field(job, "/metadata/namespace") + "\n");
  w.write(0, "Selector:\t" + label_selector_text(field_at(spec, "/selector")) + "\n");
  write_labels(w, "Labels", field_at(job, "/metadata/labels"));
  write_annotations(w, "Annotations", field_at(job, "/metadata/annotations"));
  if (std::string controller = controller_of(job); !controller.empty()) {
    w.write(0, "Controlled By:\t" + controller + "\n");
  }
  if (field_at(spec, "/parallelism").is_number_integer()) {
    w.write(0, "Parallelism:\t" + optional_number(spec, "/parallelism") + "\n");
  }
  w.write(0, "Completions:\t" + optional_number(spec, "/completions") + "\n");
  if (field_at(spec, "/completionMode").is_string()) {
    w.write(0, "Completion Mode:\t" + text_field(spec, "/completionMode") + "\n");
  }
  if (field_at(spec, "/suspend").is_boolean()) {
    w.write(0, "Suspend:\t" + go_value(field_at(spec, "/suspend")) + "\n");
  }
  if (field_at(spec, "/backoffLimit").is_number_integer()) {
    w.write(0, "Backoff Limit:\t" + optional_number(spec, "/backoffLimit") + "\n");
  }
  if (field_at(spec, "/ttlSecondsAfterFinished").is_number_integer()) {
    w.write(0,
            "TTL Seconds After Finished:\t" + optional_number(spec, "/ttlSecondsAfterFinished") +
                "\n");
  }
  write_job_timing(w, job);
  if (field_at(spec, "/activeDeadlineSeconds").is_number_integer()) {
    w.write(0,
            fmt::format("Active Deadline Seconds:\t{}s\n",
                        integer_field(spec, "/activeDeadlineSeconds")));
  }
  if (field_at(job, "/status/ready").is_number_integer()) {
    w.write(0,
            fmt::format("Pods Statuses:\t{} Active ({} Ready) / {} Succeeded / {} Failed\n",
                        integer_field(job, "/status/active"),
                        integer_field(job, "/status/ready"),
                        integer_field(job, "/status/succeeded"),
                        integer_field(job, "/status/failed")));
  } else {
    w.write(0,
            fmt::format("Pods Statuses:\t{} Active / {} Succeeded / {} Failed\n",
                        integer_field(job, "/status/active"),
                        integer_field(job, "/status/succeeded"),
                        integer_field(job, "/status/failed")));
  }
  if (text_field(spec, "/completionMode") == "Indexed") {
    w.write(0,
            "Completed Indexes:\t" +
                capped_indexes(text_field(job, "/status/completedIndexes"), 50) + "\n");
  }
  write_pod_template(w, field_at(spec, "/template"));
  write_controller_events(w, events, now);
  return w.finish();
}

std::string
describe_cron_job(const Json& cron_job,
                  const std::optional<std::vector<Json>>& events,
                  ControllerClock::time_point now) {
  Writer w;
  const Json& spec = field_at(cron_job, "/spec");
  w.write(0, "Name:\t" + text_field(cron_job, "/metadata/name") + "\n");
  w.write(0, "Namespace:\t" + text_field(cron_job, "/metadata/namespace") + "\n");
  write_labels(w, "Labels", field_at(cron_job, "/metadata/labels"));
  write_annotations(w, "Annotations", field_at(cron_job, "/metadata/annotations"));
  w.write(0, "Schedule:\t" + text_field(spec, "/schedule") + "\n");
  w.write(0, "Concurrency Policy:\t" + text_field(spec, "/concurrencyPolicy") + "\n");
  const Json& suspend = field_at(spec, "/suspend");
  w.write(0, "Suspend:\t" + (suspend.is_boolean() ? bool_word(suspend) : "<unset>") + "\n");
  w.write(0,
          "Successful Job History Limit:\t" + optional_number(spec, "/successfulJobsHistoryLimit") +
              "\n");
  w.write(0,
          "Failed Job History Limit:\t" + optional_number(spec, "/failedJobsHistoryLimit") + "\n");
  const Json& deadline = field_at(spec, "/startingDeadlineSeconds");
  w.write(0,
          "Starting Deadline Seconds:\t" +
              (deadline.is_number_integer()
                   ? optional_number(spec, "/startingDeadlineSeconds") + "s"
                   : std::string("<unset>")) +
              "\n");
  write_job_template(w, field_at(spec, "/jobTemplate/spec"));
  const Json& last = field_at(cron_job, "/status/lastScheduleTime");
  w.write(0,
          "Last Schedule Time:\t" +
              (last.is_string() ? rfc1123z(last.get<std::string>()) : std::string("<unset>")) +
              "\n");
  std::vector<std::string> active;
  const Json& jobs = field_at(cron_job, "/status/active");
  if (jobs.is_array()) {
    for (const auto& job : jobs) {
      active.push_back(text_field(job, "/name"));
    }
  }
  w.write(
      0,
      "Active Jobs:\t" +
          (active.empty() ? std::string("<none>") : fmt::format("{}", fmt::join(active, ", "))) +
          "\n");
  write_controller_events(w, events, now);
  return w.finish();
}

} // namespace kctl::describe
