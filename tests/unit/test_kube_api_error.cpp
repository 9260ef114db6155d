#include "kube/api_error.hpp"
#include "kube/transport.hpp"

#include <doctest/doctest.h>

using namespace kctl;
using namespace kctl::kube;

TEST_SUITE("kube::api_error") {
  // Found by tests/fuzz/fuzz_json: Json::value threw on a Status whose fields had other types.
  TEST_CASE("a Status body with fields of the wrong type still gives an error, not an exception") {
    Response response;
    response.status = 404;
    response.body = R"({"kind": 404, "reason": ["NotFound"], "message": {"m": 1}})";
    Error error = error_from_response(response);
    CHECK(error.http_status == 404);
    CHECK(error.reason == "NotFound");
    response.body = R"({"kind": "Status", "reason": 7, "message": null, "code": 409})";
    error = error_from_response(response);
    CHECK(error.http_status == 409);
    CHECK(error.reason == "Conflict");
    CHECK_FALSE(error.message.empty());
  }

  TEST_CASE("a body nested deeper than the JSON limit is quoted, not parsed") {
    Response response;
    response.status = 500;
    response.body = std::string(5000, '[');
    Error error = error_from_response(response);
    CHECK(error.http_status == 500);
    CHECK(error.message.find("[[[") != std::string::npos);
  }
}
