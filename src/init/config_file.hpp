// The --config file: a KarmadaInitConfig (config.karmada.io/v1alpha1), as upstream reads it, plus
// the fields upstream parses and then ignores (resources, nodeSelector, tolerations, affinity,
// service annotations), which are honoured here.
#pragma once

#include "init/options.hpp"
#include "manifests/init_spec.hpp"
#include "util/json.hpp"
#include "util/result.hpp"

#include <string>

namespace kctl::init {

// Reads `path` and overrides the `options` its non-empty values set (upstream's rule: a value in
// the file wins over a flag). Scheduling settings go to the matching components of `scheduling`.
// Unknown fields are errors, so a typo does not silently fall back to a default.
Status
apply_config_file(const std::string& path, InitOptions& options, manifests::InitSpec& scheduling);

// Same, from an already parsed document; `source` names it in errors.
Status apply_config(const Json& document,
                    const std::string& source,
                    InitOptions& options,
                    manifests::InitSpec& scheduling);

// Copies resources, nodeSelector, tolerations, affinity and service annotations from `from` to
// `to`.
void copy_scheduling_settings(const manifests::InitSpec& from, manifests::InitSpec& to);

} // namespace kctl::init
