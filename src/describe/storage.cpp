#include "describe/storage.hpp"

#include "describe/containers.hpp"
#include "describe/writer.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace kctl::describe {

namespace {

// kubectl's short access modes ("RWO,ROX,RWX,RWOP", in that order, each once).
std::string
short_access_modes(const Json& modes) {
  auto has = [&](std::string_view mode) {
    if (!modes.is_array()) {
      return false;
    }
    return std::any_of(modes.begin(), modes.end(), [&](const Json& m) {
      return m.is_string() && m.get<std::string>() == mode;
    });
  };
  std::vector<std::string> out;
  for (const auto& [mode, text] : {std::pair{"ReadWriteOnce", "RWO"},
                                   {"ReadOnlyMany", "ROX"},
                                   {"ReadWriteMany", "RWX"},
                                   {"ReadWriteOncePod", "RWOP"}}) {
    if (has(mode)) {
      out.emplace_back(text);
    }
  }
  return fmt::format("{}", fmt::join(out, ","));
}

// The claim's StorageClass: the beta annotation first, then spec.storageClassName.
std::string
claim_class(const Json& claim) {
  const Json& beta =
      field_at(claim, "/metadata/annotations/volume.beta.kubernetes.io~1storage-class");
  return beta.is_string() ? beta.get<std::string>() : text_field(claim, "/spec/storageClassName");
}

void
write_claim_storage(Writer& w, const Json& claim) {
  std::string capacity;
  std::string modes;
  if (!text_field(claim, "/spec/volumeName").empty()) {
    modes = short_access_modes(field_at(claim, "/status/accessModes"));
    const Json& storage = field_at(claim, "/status/capacity/storage");
    capacity = storage.is_null() ? "0" : go_value(storage);
  }
  w.write(0, "Capacity:\t" + capacity + "\n");
  w.write(0, "Access Modes:\t" + modes + "\n");
  if (field_at(claim, "/spec/volumeMode").is_string()) {
    w.write(0, "VolumeMode:\t" + text_field(claim, "/spec/volumeMode") + "\n");
  }
  const Json& source = field_at(claim, "/spec/dataSource");
  if (source.is_object()) {
    w.write(0, "DataSource:\n");
    if (field_at(source, "/apiGroup").is_string()) {
      w.write(1, "APIGroup:\t" + text_field(source, "/apiGroup") + "\n");
    }
    w.write(1, "Kind:\t" + text_field(source, "/kind") + "\n");
    w.write(1, "Name:\t" + text_field(source, "/name") + "\n");
  }
}

void
write_claim_conditions(Writer& w, const Json& claim) {
  write_timed_conditions(
      w, field_at(claim, "/status/conditions"), "LastProbeTime", "/lastProbeTime");
}

} // namespace

std::vector<std::string>
claim_users(const Json& claim, const std::vector<Json>& pods) {
  std::string name = text_field(claim, "/metadata/name");
  std::vector<const Json*> users;
  for (const auto& pod : pods) {
    const Json& volumes = field_at(pod, "/spec/volumes");
    if (!volumes.is_array()) {
      continue;
    }
    for (const auto& volume : volumes) {
      if (field_at(volume, "/persistentVolumeClaim").is_object() &&
          text_field(volume, "/persistentVolumeClaim/claimName") == name) {
        users.push_back(&pod);
      }
    }
  }
  const Json& owners = field_at(claim, "/metadata/ownerReferences");
  if (owners.is_array()) {
    for (const auto& owner : owners) {
      if (text_field(owner, "/kind") != "Pod") {
        continue;
      }
      std::string uid = text_field(owner, "/uid");
      auto owning = std::find_if(pods.begin(), pods.end(), [&](const Json& pod) {
        return text_field(pod, "/metadata/uid") == uid;
      });
      if (owning == pods.end()) {
        continue; // the pod may have been deleted
      }
      bool listed = std::any_of(users.begin(), users.end(), [&](const Json* pod) {
        return text_field(*pod, "/metadata/uid") == uid;
      });
      if (!listed) {
        users.push_back(&*owning);
      }
    }
  }
  std::vector<std::string> names;
  for (const Json* pod : users) {
    names.push_back(text_field(*pod, "/metadata/name"));
  }
  std::stable_sort(names.begin(), names.end());
  return names;
}

std::string
describe_persistent_volume_claim(const Json& claim,
                                 const std::vector<Json>& pods,
                                 const std::optional<std::vector<Json>>& events,
                                 std::chrono::system_clock::time_point now) {
  Writer w;
  w.write(0, "Name:\t" + text_field(claim, "/metadata/name") + "\n");
  w.write(0, "Namespace:\t" + text_field(claim, "/metadata/namespace") + "\n");
  w.write(0, "StorageClass:\t" + claim_class(claim) + "\n");
  if (field_at(claim, "/metadata/deletionTimestamp").is_string()) {
    w.write(0,
            "Status:\tTerminating (lasts " +
                human_age(field_at(claim, "/metadata/deletionTimestamp"), now) + ")\n");
  } else {
    w.write(0, "Status:\t" + text_field(claim, "/status/phase") + "\n");
  }
  w.write(0, "Volume:\t" + text_field(claim, "/spec/volumeName") + "\n");
  write_labels(w, "Labels", field_at(claim, "/metadata/labels"));
  write_annotations(w, "Annotations", field_at(claim, "/metadata/annotations"));
  const Json& finalizers = field_at(claim, "/metadata/finalizers");
  w.write(0, "Finalizers:\t" + (finalizers.is_array() ? go_value(finalizers) : "[]") + "\n");
  write_claim_storage(w, claim);
  std::vector<std::string> users = claim_users(claim, pods);
  w.write(0, "Used By:\t");
  if (users.empty()) {
    w.write(0, "<none>\n");
  }
  for (std::size_t i = 0; i < users.size(); ++i) {
    w.write(0, (i == 0 ? "" : "\t") + users[i] + "\n");
  }
  write_claim_conditions(w, claim);
  if (events) {
    write_events(w, *events, now);
  }
  return w.finish();
}

} // namespace kctl::describe
