#include "karmada/agent_deployment.hpp"

#include "kube/kubeconfig.hpp"
#include "util/encoding.hpp"

#include <fmt/format.h>

namespace kctl::karmada {

namespace {

// The value of `flag` ("--karmada-kubeconfig=") in a container's command or args; "" when absent.
std::string
flag_value(const Json& container, std::string_view flag) {
  for (const char* field : {"command", "args"}) {
    for (const auto& arg : container.value(field, Json::array())) {
      if (arg.is_string() && arg.get<std::string>().starts_with(flag)) {
        return arg.get<std::string>().substr(flag.size());
      }
    }
  }
  return "";
}

} // namespace

// The Karmada API server as the agent reaches it: the kubeconfig its Deployment mounts from a
// Secret (--karmada-kubeconfig, --karmada-context).
Result<kube::RestConfig>
agent_karmada_config(const kube::Client& member, const Json& deployment) {
  const Json spec = deployment.value("/spec/template/spec"_json_pointer, Json::object());
  for (const auto& container : spec.value("containers", Json::array())) {
    std::string path = flag_value(container, "--karmada-kubeconfig=");
    if (path.empty()) {
      continue;
    }
    std::string context = flag_value(container, "--karmada-context=");
    for (const auto& mount : container.value("volumeMounts", Json::array())) {
      std::string mount_path = mount.value("mountPath", "");
      if (mount_path.empty() || !path.starts_with(mount_path + "/")) {
        continue;
      }
      std::string key = path.substr(mount_path.size() + 1);
      for (const auto& volume : spec.value("volumes", Json::array())) {
        if (volume.value("name", "") != mount.value("name", "") || !volume.contains("secret")) {
          continue;
        }
        std::string secret_name = volume["secret"].value("secretName", "");
        std::string ns = deployment.value("/metadata/namespace"_json_pointer, "");
        KCTL_TRY_ASSIGN(std::optional<Json> secret,
                        member.get(kube::core("secrets").in(ns).with_name(secret_name)));
        if (!secret) {
          return failf("the agent's kubeconfig Secret {}/{} does not exist", ns, secret_name);
        }
        std::string encoded = (*secret).value(Json::json_pointer("/data/" + key), "");
        KCTL_TRY_ASSIGN(std::string text, encoding::base64_decode(encoded));
        KCTL_TRY_ASSIGN(kube::Kubeconfig config,
                        kube::parse_kubeconfig(text, fmt::format("Secret {}/{}", ns, secret_name)));
        std::string context_name = context.empty() ? config.current_context : context;
        auto ctx = config.contexts.find(context_name);
        if (ctx == config.contexts.end() || !config.clusters.contains(ctx->second.cluster) ||
            !config.users.contains(ctx->second.user)) {
          return failf("the agent's kubeconfig (Secret {}/{}) has no usable context {:?}",
                       ns,
                       secret_name,
                       context_name);
        }
        const auto& cluster = config.clusters.at(ctx->second.cluster);
        const auto& user = config.users.at(ctx->second.user);
        kube::RestConfig rest;
        rest.server = cluster.server;
        rest.tls.ca_pem = cluster.certificate_authority_data;
        rest.tls.client_certificate_pem = user.client_certificate_data;
        rest.tls.client_key_pem = user.client_key_data;
        rest.auth.token = user.token;
        rest.origin = fmt::format("the agent's kubeconfig (Secret {}/{})", ns, secret_name);
        return rest;
      }
    }
  }
  return fail("the karmada-agent Deployment mounts no kubeconfig from a Secret; give the "
              "Karmada API server with --karmada-config");
}

} // namespace kctl::karmada
