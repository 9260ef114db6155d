// Dry-run at one choke point: wraps the real transport, lets reads through, and answers writes
// locally with what the server would plausibly have said, without sending them. Writes are
// remembered, so a later GET of an object created, changed or deleted in the same run sees it.
#pragma once

#include "kube/transport.hpp"
#include "util/json.hpp"

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kctl::kube {

// A write that was not sent.
struct RecordedWrite {
  Verb verb = Verb::create;
  ResourceRef ref; // with the name filled in from the body for creates
  std::string body;
  std::string content_type;
};

// Returns "[dry-run] would CREATE apps/v1 deployments karmada-system/karmada-apiserver".
std::string describe_write(const RecordedWrite& write);

class DryRunTransport final : public Transport {
public:
  // Called for each suppressed write, in order, from the thread that made it.
  using WriteObserver = std::function<void(const RecordedWrite&)>;

  // Wraps `inner`, which answers reads. `on_write` may be empty.
  explicit DryRunTransport(std::shared_ptr<Transport> inner, WriteObserver on_write = {});

  // Reads: the object as written earlier in this run, else `inner`, whose failures are failures
  // (a dry run that cannot read the cluster makes no plan). Writes: recorded and answered
  // locally, after reading the object (a failed read is the write's error): create → 201 with
  // the object (409 AlreadyExists if it exists), update → 200 with the object, patch/apply → the
  // current object with the patch applied (merge and strategic patches as JSON merge patch, JSON
  // patch as RFC 6902; the patch itself when it cannot be applied), delete → 200 Success Status
  // (404 if absent).
  Result<Response> send(const Request& request) override;

  // Watches pass through to `inner`.
  Result<Response> stream(const Request& request, const LineHandler& on_line) override;

  bool is_dry_run() const override { return true; }

  // Returns the writes suppressed so far.
  std::vector<RecordedWrite> writes() const;

private:
  Result<Response> answer_write(const Request& request, RecordedWrite& record);
  Result<std::optional<Json>> current(const ResourceRef& ref);

  std::shared_ptr<Transport> m_inner;
  WriteObserver m_on_write;
  mutable std::mutex m_mutex;
  std::vector<RecordedWrite> m_writes;
  // Object path → state after this run's writes (nullopt: deleted).
  std::map<std::string, std::optional<Json>> m_overlay;
};

// The group whose server does not honour dryRun: karmada-aggregated-apiserver (v1.18.2) persisted
// a DELETE ...?dryRun=All of a Cluster (its deletionTimestamp was set and the Cluster went).
inline constexpr std::string_view k_unsafe_dry_run_group = "cluster.karmada.io";

// Server-side dry run at the same choke point: every write is sent with dryRun=All (the server
// runs validation and admission and stores nothing), reads and watches pass through unchanged. A
// write to k_unsafe_dry_run_group is refused, never sent.
class ServerDryRunTransport final : public Transport {
public:
  explicit ServerDryRunTransport(std::shared_ptr<Transport> inner);

  Result<Response> send(const Request& request) override;
  Result<Response> stream(const Request& request, const LineHandler& on_line) override;
  bool is_dry_run() const override { return true; }

private:
  std::shared_ptr<Transport> m_inner;
};

} // namespace kctl::kube
