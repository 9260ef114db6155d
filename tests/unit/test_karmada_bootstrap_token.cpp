// Bootstrap tokens: generation, parsing, the Secret as kubeadm writes it, and the token list rows.
#include "karmada/bootstrap_token.hpp"
#include "util/encoding.hpp"
#include "util/time.hpp"

#include <doctest/doctest.h>

#include <set>

using namespace kctl;
using namespace kctl::karmada;

namespace {

// 2026-01-01T00:00:00Z
std::chrono::system_clock::time_point
fixed_now() {
  return std::chrono::system_clock::from_time_t(1767225600);
}

std::string
decoded(const Json& secret, const std::string& key) {
  auto text = encoding::base64_decode(secret["data"][key].get<std::string>());
  REQUIRE(text);
  return *text;
}

} // namespace

TEST_SUITE("karmada.bootstrap_token") {

  TEST_CASE("generated tokens have kubeadm's form and differ") {
    std::set<std::string> seen;
    for (int i = 0; i < 50; ++i) {
      auto token = generate_token();
      REQUIRE(token);
      CHECK(token->id.size() == 6);
      CHECK(token->secret.size() == 16);
      auto parsed = parse_token(token->full());
      REQUIRE(parsed);
      CHECK(parsed->id == token->id);
      CHECK(parsed->secret == token->secret);
      seen.insert(token->full());
    }
    CHECK(seen.size() == 50);
  }

  TEST_CASE("parse_token accepts only [a-z0-9]{6}.[a-z0-9]{16}") {
    CHECK(parse_token("abcdef.0123456789abcdef"));
    for (const char* bad : {"abcdef",
                            "abcdef.0123456789abcde",
                            "ABCDEF.0123456789abcdef",
                            "abcde.0123456789abcdefg",
                            "abcdef:0123456789abcdef",
                            ""}) {
      auto token = parse_token(bad);
      REQUIRE_FALSE(token);
      CHECK(token.error().reason == k_reason_usage);
      CHECK(token.error().message.find("0123456789") == std::string::npos);
    }
  }

  TEST_CASE("token_id_of takes an id or a whole token and never echoes a secret") {
    CHECK(token_id_of("abcdef").value() == "abcdef");
    CHECK(token_id_of("abcdef.0123456789abcdef").value() == "abcdef");
    auto bad = token_id_of("abcdef.secretsecretsecre");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.find("secret") == std::string::npos);
  }

  TEST_CASE("groups and usages are validated as kubeadm does") {
    CHECK(validate_groups({"system:bootstrappers:karmada:default-cluster-token"}));
    CHECK(validate_groups({"system:bootstrappers:a"}));
    CHECK_FALSE(validate_groups({"system:bootstrappers:"}));
    CHECK_FALSE(validate_groups({"system:bootstrappers:abc-"}));
    CHECK_FALSE(validate_groups({"system:masters"}));
    CHECK_FALSE(validate_groups({"system:bootstrappers:Upper"}));
    CHECK_FALSE(validate_groups({"system:bootstrappers:" + std::string(257, 'a')}));
    CHECK(validate_groups({"system:bootstrappers:" + std::string(256, 'a')}));
    CHECK(validate_usages({"signing", "authentication"}));
    auto bad = validate_usages({"signing", "kubelet"});
    REQUIRE_FALSE(bad);
    CHECK(bad.error().reason == k_reason_usage);
  }

  TEST_CASE("the Secret is kube-system/bootstrap-token-<id> as kubeadm writes it") {
    TokenSpec spec;
    spec.token = {"abcdef", "0123456789abcdef"};
    spec.description = "for member3";
    Json secret = token_secret(spec, fixed_now());
    CHECK(secret["metadata"]["name"] == "bootstrap-token-abcdef");
    CHECK(secret["metadata"]["namespace"] == "kube-system");
    CHECK(secret["type"] == "bootstrap.kubernetes.io/token");
    CHECK(decoded(secret, "token-id") == "abcdef");
    CHECK(decoded(secret, "token-secret") == "0123456789abcdef");
    CHECK(decoded(secret, "description") == "for member3");
    CHECK(decoded(secret, "expiration") == "2026-01-02T00:00:00Z");
    CHECK(decoded(secret, "usage-bootstrap-signing") == "true");
    CHECK(decoded(secret, "usage-bootstrap-authentication") == "true");
    CHECK(decoded(secret, "auth-extra-groups") ==
          "system:bootstrappers:karmada:default-cluster-token");
    CHECK(secret["data"].size() == 7);

    spec.ttl = std::chrono::nanoseconds(0);
    spec.description.clear();
    Json forever = token_secret(spec, fixed_now());
    CHECK_FALSE(forever["data"].contains("expiration"));
    CHECK_FALSE(forever["data"].contains("description"));
  }

  TEST_CASE("a Secret reads back; malformed ones are reported without their secret") {
    TokenSpec spec;
    spec.token = {"abcdef", "0123456789abcdef"};
    spec.groups = {"system:bootstrappers:a", "system:bootstrappers:b"};
    auto info = parse_token_secret(token_secret(spec, fixed_now()));
    REQUIRE(info);
    CHECK(info->token.full() == "abcdef.0123456789abcdef");
    REQUIRE(info->expires);
    CHECK(format_rfc3339(*info->expires) == "2026-01-02T00:00:00Z");
    CHECK(info->usages == std::vector<std::string>{"authentication", "signing"});
    CHECK(info->groups == spec.groups);

    Json renamed = token_secret(spec, fixed_now());
    renamed["metadata"]["name"] = "bootstrap-token-zzzzzz";
    CHECK_FALSE(parse_token_secret(renamed));
    Json short_secret = token_secret(spec, fixed_now());
    short_secret["data"]["token-secret"] = encoding::base64_encode("0123");
    auto bad = parse_token_secret(short_secret);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.find("0123") == std::string::npos);
  }

  // Issue 21: a year after 2262 overflowed a nanosecond count (undefined behaviour).
  TEST_CASE("a token that expires in 9999 lists with its own date, and the longest --ttl fits") {
    TokenSpec spec;
    spec.token = {"abcdef", "0123456789abcdef"};
    Json secret = token_secret(spec, fixed_now());
    secret["data"]["expiration"] = encoding::base64_encode("9999-12-31T23:59:59Z");
    auto info = parse_token_secret(secret);
    REQUIRE(info);
    auto row = token_table_row(*info, fixed_now());
    CHECK(row[1] == "7979y"); // kubectl counts 365-day years
    CHECK(row[2] == "9999-12-31T23:59:59Z");
    CHECK(token_output_object(*info, fixed_now())["expires"] == "9999-12-31T23:59:59Z");

    spec.ttl = std::chrono::nanoseconds::max(); // 292 years: past system_clock's end
    auto longest = parse_token_secret(token_secret(spec, fixed_now()));
    REQUIRE(longest);
    CHECK(format_rfc3339(*longest->expires).starts_with("2318-"));
  }

  TEST_CASE("token list rows as upstream prints them") {
    CHECK(token_table_header() ==
          std::vector<std::string>{
              "TOKEN", "TTL", "EXPIRES", "USAGES", "DESCRIPTION", "EXTRA GROUPS"});
    TokenInfo info;
    info.token = {"abcdef", "0123456789abcdef"};
    info.expires = std::chrono::floor<std::chrono::seconds>(fixed_now()) + std::chrono::hours(23) +
                   std::chrono::minutes(59);
    info.usages = {"authentication", "signing"};
    info.groups = {"system:bootstrappers:karmada:default-cluster-token"};
    CHECK(token_table_row(info, fixed_now()) ==
          std::vector<std::string>{"abcdef.0123456789abcdef",
                                   "23h",
                                   "2026-01-01T23:59:00Z",
                                   "authentication,signing",
                                   "<none>",
                                   "system:bootstrappers:karmada:default-cluster-token"});
    info.expires.reset();
    info.groups.clear();
    auto forever = token_table_row(info, fixed_now());
    CHECK(forever[1] == "<forever>");
    CHECK(forever[2] == "<never>");
    CHECK(forever[5] == "<none>");
    Json out = token_output_object(info, fixed_now());
    CHECK(out["kind"] == "BootstrapToken");
    CHECK(out["token"] == "abcdef.0123456789abcdef");
  }

  TEST_CASE("short human durations") {
    using namespace std::chrono;
    CHECK(short_human_duration(seconds(45)) == "45s");
    CHECK(short_human_duration(minutes(10)) == "10m");
    CHECK(short_human_duration(hours(47)) == "47h");
    CHECK(short_human_duration(hours(24 * 6)) == "6d");
    CHECK(short_human_duration(hours(24 * 800)) == "2y");
    CHECK(short_human_duration(seconds(-10)) == "<invalid>");
  }

  TEST_CASE("tables have three spaces between padded columns") {
    CHECK(render_table({{"A", "BB"}, {"ccc", "d"}}) == "A     BB\nccc   d\n");
  }

  TEST_CASE("the register command is the line an operator pastes") {
    BootstrapToken token{"abcdef", "0123456789abcdef"};
    CHECK(register_command("karmadactl", "https://10.200.0.1:32443", token, {"sha256:aa"}) ==
          "karmadactl register 10.200.0.1:32443 --token abcdef.0123456789abcdef "
          "--discovery-token-ca-cert-hash sha256:aa");
    CHECK(register_command("kubectl karmada", "https://k:443/", token, {"sha256:a", "sha256:b"}) ==
          "kubectl karmada register k:443 --token abcdef.0123456789abcdef "
          "--discovery-token-ca-cert-hash sha256:a,sha256:b");
  }
}
