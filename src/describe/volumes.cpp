// kubectl's "Volumes:" block of a pod spec: each volume source's own text. Pure.
#include "describe/containers.hpp"

#include <fmt/format.h>

namespace kctl::describe {

namespace {

std::string
optional_word(const Json& source) {
  return optional_flag(source) ? "true" : "false";
}

void
write_projected(Writer& w, const Json& projected) {
  w.write(2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n");
  const Json& sources = field_at(projected, "/sources");
  if (!sources.is_array()) {
    return;
  }
  for (const auto& source : sources) {
    if (field_at(source, "/secret").is_object()) {
      w.write(2,
              fmt::format("SecretName:\t{}\n    Optional:\t{}\n",
                          text_field(source, "/secret/name"),
                          optional_word(field_at(source, "/secret"))));
    } else if (field_at(source, "/downwardAPI").is_object()) {
      w.write(2, "DownwardAPI:\ttrue\n");
    } else if (field_at(source, "/configMap").is_object()) {
      w.write(2,
              fmt::format("ConfigMapName:\t{}\n    Optional:\t{}\n",
                          text_field(source, "/configMap/name"),
                          optional_word(field_at(source, "/configMap"))));
    } else if (field_at(source, "/serviceAccountToken").is_object()) {
      w.write(2,
              fmt::format("TokenExpirationSeconds:\t{}\n",
                          integer_field(source, "/serviceAccountToken/expirationSeconds")));
    }
  }
}

void
write_downward_api(Writer& w, const Json& source) {
  w.write(2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n");
  const Json& items = field_at(source, "/items");
  if (!items.is_array()) {
    return;
  }
  for (const auto& item : items) {
    if (field_at(item, "/fieldRef").is_object()) {
      w.write(3,
              fmt::format("{} -> {}\n",
                          text_field(item, "/fieldRef/fieldPath"),
                          text_field(item, "/path")));
    }
    if (field_at(item, "/resourceFieldRef").is_object()) {
      w.write(3,
              fmt::format("{} -> {}\n",
                          text_field(item, "/resourceFieldRef/resource"),
                          text_field(item, "/path")));
    }
  }
}

void
write_csi(Writer& w, const Json& csi) {
  const Json& read_only = field_at(csi, "/readOnly");
  w.write(2,
          fmt::format("Type:\tCSI (a Container Storage Interface (CSI) volume source)\n"
                      "    Driver:\t{}\n    FSType:\t{}\n    ReadOnly:\t{}\n",
                      text_field(csi, "/driver"),
                      text_field(csi, "/fsType"),
                      read_only.is_boolean() && read_only.get<bool>()));
  w.write(2, "VolumeAttributes:\t");
  const Json& attributes = field_at(csi, "/volumeAttributes");
  auto keys = keys_in_order(attributes);
  if (keys.empty()) {
    w.write(0, "<none>\n");
    return;
  }
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (i != 0) {
      w.write(2, "\t");
    }
    std::string line = keys[i] + "=" + go_value(attributes[keys[i]]);
    if (line.size() > k_max_annotation_line) {
      line.resize(k_max_annotation_line);
      line += "...";
    }
    w.write(2, line + "\n");
  }
}

void
write_volume_source(Writer& w, const Json& volume) {
  if (field_at(volume, "/hostPath").is_object()) {
    std::string type = text_field(volume, "/hostPath/type");
    w.write(2,
            fmt::format("Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    "
                        "HostPathType:\t{}\n",
                        text_field(volume, "/hostPath/path"),
                        field_at(volume, "/hostPath/type").is_string() ? type : "<none>"));
  } else if (field_at(volume, "/emptyDir").is_object()) {
    const Json& limit = field_at(volume, "/emptyDir/sizeLimit");
    w.write(2,
            fmt::format("Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n"
                        "    Medium:\t{}\n    SizeLimit:\t{}\n",
                        text_field(volume, "/emptyDir/medium"),
                        amount_of(limit) > 0 ? go_value(limit) : "<unset>"));
  } else if (field_at(volume, "/secret").is_object()) {
    w.write(2,
            fmt::format("Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{}\n"
                        "    Optional:\t{}\n",
                        text_field(volume, "/secret/secretName"),
                        optional_word(field_at(volume, "/secret"))));
  } else if (field_at(volume, "/configMap").is_object()) {
    w.write(2,
            fmt::format("Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{}\n"
                        "    Optional:\t{}\n",
                        text_field(volume, "/configMap/name"),
                        optional_word(field_at(volume, "/configMap"))));
  } else if (field_at(volume, "/persistentVolumeClaim").is_object()) {
    const Json& read_only = field_at(volume, "/persistentVolumeClaim/readOnly");
    w.write(2,
            fmt::format("Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in "
                        "the same namespace)\n    ClaimName:\t{}\n    ReadOnly:\t{}\n",
                        text_field(volume, "/persistentVolumeClaim/claimName"),
                        read_only.is_boolean() && read_only.get<bool>()));
  } else if (field_at(volume, "/downwardAPI").is_object()) {
    write_downward_api(w, field_at(volume, "/downwardAPI"));
  } else if (field_at(volume, "/projected").is_object()) {
    write_projected(w, field_at(volume, "/projected"));
  } else if (field_at(volume, "/csi").is_object()) {
    write_csi(w, field_at(volume, "/csi"));
  } else if (field_at(volume, "/image").is_object()) {
    w.write(2,
            fmt::format("Type:\tImage (a container image or OCI artifact)\n"
                        "    Reference:\t{}\n    PullPolicy:\t{}\n",
                        text_field(volume, "/image/reference"),
                        text_field(volume, "/image/pullPolicy")));
  } else {
    // The other sources (cloud disks, NFS, ephemeral, ...): their fields, as the generic
    // describer lists them, under the source's name (kubectl has a text for each).
    bool any = false;
    for (const auto& key : keys_in_order(volume)) {
      if (key != "name" && volume[key].is_object()) {
        w.write(2, "Type:\t" + key + "\n");
        write_fields(w, 2, volume[key], "", {});
        any = true;
      }
    }
    if (!any) {
      w.write(1, "<unknown>\n");
    }
  }
}

} // namespace

void
write_volumes(Writer& w, const Json& volumes, std::string_view space) {
  if (!has_items(volumes) || !volumes.is_array()) {
    w.write(0, fmt::format("{}Volumes:\t<none>\n", space));
    return;
  }
  w.write(0, fmt::format("{}Volumes:\n", space));
  for (const auto& volume : volumes) {
    w.write(1, fmt::format("{}{}:\n", space.empty() ? "" : " ", text_field(volume, "/name")));
    write_volume_source(w, volume);
  }
}

} // namespace kctl::describe
