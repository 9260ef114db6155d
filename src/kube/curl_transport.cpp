#include "kube/curl_transport.hpp"

#include "kube/api_error.hpp"
#include "kube/http_log.hpp"
#include "util/build_info.hpp"
#include "util/curl_api.hpp"
#include "util/encoding.hpp"
#include "util/fs.hpp"
#include "util/log.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <mutex>
#include <random>
#include <string_view>
#include <thread>

namespace kctl::kube {

namespace {

using Clock = std::chrono::steady_clock;

// client-go re-reads token files at most once a minute, so rotated tokens are picked up.
constexpr auto k_token_file_refresh = std::chrono::minutes(1);
// Handles kept for reuse; more threads than this still work, their extra handles are dropped.
constexpr std::size_t k_max_idle_handles = 16;

Error
transport_error(std::string message) {
  return Error{std::move(message), std::string(reason::transport), 0};
}

// The parts of the server URL; `host` has no brackets.
struct ServerUrl {
  std::string scheme;
  std::string host;
  std::string port;
  std::string base_path; // "" or "/prefix"
};

std::string
bracket(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

Result<std::string>
url_part(CURLU* url, CURLUPart part, unsigned int flags) {
  char* value = nullptr;
  if (curl::api().url_get(url, part, &value, flags) != CURLUE_OK || value == nullptr) {
    return fail("missing part");
  }
  std::string out(value);
  curl::api().free(value);
  return out;
}

Result<ServerUrl>
parse_server(const std::string& server) {
  std::unique_ptr<CURLU, decltype(curl::api().url_cleanup)> url(curl::api().url(),
                                                                curl::api().url_cleanup);
  if (curl::api().url_set(url.get(), CURLUPART_URL, server.c_str(), 0) != CURLUE_OK) {
    return failf("invalid server URL \"{}\"", server);
  }
  ServerUrl out;
  KCTL_TRY_ASSIGN(out.scheme, url_part(url.get(), CURLUPART_SCHEME, 0));
  KCTL_TRY_ASSIGN(out.host, url_part(url.get(), CURLUPART_HOST, 0));
  KCTL_TRY_ASSIGN(out.port, url_part(url.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT));
  if (out.scheme != "https" && out.scheme != "http") {
    return failf("invalid server URL \"{}\": the scheme must be https or http", server);
  }
  if (out.host.size() > 2 && out.host.front() == '[') {
    out.host = out.host.substr(1, out.host.size() - 2);
  }
  auto path = url_part(url.get(), CURLUPART_PATH, 0);
  out.base_path = path ? *path : std::string{};
  while (!out.base_path.empty() && out.base_path.back() == '/') {
    out.base_path.pop_back();
  }
  return out;
}

bool
is_loopback(const std::string& host) {
  return host == "localhost" || host.ends_with(".localhost") || host.starts_with("127.") ||
         host == "::1";
}

// client-go's socks5 dialer lets the proxy resolve names; curl does that for socks5h.
std::string
curl_proxy_url(const std::string& proxy_url) {
  if (proxy_url.starts_with("socks5://")) {
    return "socks5h://" + proxy_url.substr(std::string_view("socks5://").size());
  }
  return proxy_url;
}

std::string
trim(std::string text) {
  auto not_space = [](unsigned char c) { return std::isspace(c) == 0; };
  text.erase(text.begin(), std::find_if(text.begin(), text.end(), not_space));
  text.erase(std::find_if(text.rbegin(), text.rend(), not_space).base(), text.end());
  return text;
}

// A bearer token read from a file and re-read now and then.
class TokenFileCache {
public:
  Result<std::string> token(const std::filesystem::path& path) {
    std::lock_guard lock(m_mutex);
    auto now = Clock::now();
    if (m_read_at && now - *m_read_at < k_token_file_refresh) {
      return m_token;
    }
    KCTL_TRY_ASSIGN(std::string text,
                    kctl::fs::read_file(path, kctl::fs::k_max_token_file_bytes, "a token file"));
    m_token = trim(std::move(text));
    m_read_at = now;
    return m_token;
  }

private:
  std::mutex m_mutex;
  std::string m_token;
  std::optional<Clock::time_point> m_read_at;
};

// What one attempt authenticates with.
struct AuthMaterial {
  std::string authorization; // full header value, or empty
  std::string client_certificate_pem;
  std::string client_key_pem;
  std::optional<ExecCredential> exec_used;
};

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl::api().slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

void
append(Slist& list, const std::string& line) {
  curl_slist* grown = curl::api().slist_append(list.get(), line.c_str());
  if (grown != nullptr) {
    (void)list.release();
    list.reset(grown);
  }
}

// Collects the response, or feeds a 2xx body line by line to a stream handler.
struct Sink {
  Response response;
  const LineHandler* on_line = nullptr;
  std::string pending;
  bool stopped = false;
  std::size_t max_bytes = k_max_response_bytes;
  bool too_large = false;
  // A stream's response must start within `idle_timeout`; after that a watch may be quiet.
  bool got_status = false;
  bool no_answer = false;
  Clock::time_point started = Clock::now();
  std::chrono::milliseconds idle_timeout{0};

  bool streaming() const {
    return on_line != nullptr && response.status >= 200 && response.status < 300;
  }
};

std::size_t
on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    sink->got_status = true;
    // A new response starts (after a proxy CONNECT or a 100 Continue): forget the last one.
    sink->response.headers.clear();
    auto space = line.find(' ');
    if (space != std::string_view::npos) {
      sink->response.status = std::atoi(std::string(line.substr(space + 1, 3)).c_str());
    }
    return size * count;
  }
  auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) {
      return static_cast<char>(std::tolower(c));
    });
    sink->response.headers.push_back({name, trim(std::string(line.substr(colon + 1)))});
  }
  return size * count;
}

// Hands complete lines to the handler; returns false when it asked to stop.
bool
deliver_lines(Sink& sink) {
  std::size_t start = 0;
  while (true) {
    auto newline = sink.pending.find('\n', start);
    if (newline == std::string::npos) {
      break;
    }
    std::string_view line(sink.pending.data() + start, newline - start);
    start = newline + 1;
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (!line.empty() && (*sink.on_line)(line) == StreamControl::stop) {
      sink.stopped = true;
      return false;
    }
  }
  sink.pending.erase(0, start);
  return true;
}

std::size_t
on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  std::size_t bytes = size * count;
  std::string& target = sink->streaming() ? sink->pending : sink->response.body;
  if (target.size() + bytes > sink->max_bytes) {
    sink->too_large = true;
    return 0; // 0 makes libcurl abort the transfer
  }
  if (!sink->streaming()) {
    sink->response.body.append(data, bytes);
    return bytes;
  }
  sink->pending.append(data, bytes);
  return deliver_lines(*sink) ? bytes : 0; // 0 makes libcurl abort the transfer
}

int
on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* sink = static_cast<Sink*>(user);
  if (!sink->got_status && sink->idle_timeout.count() > 0 &&
      Clock::now() - sink->started > sink->idle_timeout) {
    sink->no_answer = true;
    return 1; // aborts the transfer
  }
  return 0;
}

std::string
size_text(std::size_t bytes) {
  return bytes % (std::size_t{1} << 20) == 0 ? fmt::format("{} MiB", bytes >> 20)
                                             : fmt::format("{} bytes", bytes);
}

std::string
seconds_text(std::chrono::milliseconds duration) {
  return duration.count() % 1000 == 0 ? fmt::format("{}s", duration.count() / 1000)
                                      : fmt::format("{}ms", duration.count());
}

// How libcurl and OpenSSL word a connection cut during the TLS handshake.
constexpr std::array<std::string_view, 5> k_handshake_cut_signs = {
    "reset by peer", "Connection reset", "unexpected eof", "SSL_ERROR_SYSCALL", "Broken pipe"};

// Where a libcurl failure happened, which decides whether a retry is safe.
enum class FailurePoint { before_send, maybe_sent, final };

FailurePoint
classify(CURLcode code, std::string_view detail) {
  switch (code) {
  case CURLE_SSL_CONNECT_ERROR:
    // The request is sent only after the TLS handshake: a connection reset or closed during the
    // handshake (a restarting server, an overloaded load balancer) sent nothing. Other handshake
    // failures (no common protocol, a rejected client certificate) would fail again.
    for (std::string_view sign : k_handshake_cut_signs) {
      if (detail.find(sign) != std::string_view::npos) {
        return FailurePoint::before_send;
      }
    }
    return FailurePoint::final;
  case CURLE_COULDNT_RESOLVE_PROXY:
  case CURLE_COULDNT_RESOLVE_HOST:
  case CURLE_COULDNT_CONNECT:
    return FailurePoint::before_send;
  case CURLE_SEND_ERROR:
  case CURLE_RECV_ERROR:
  case CURLE_GOT_NOTHING:
  case CURLE_PARTIAL_FILE:
  case CURLE_HTTP2:
  case CURLE_HTTP2_STREAM:
    return FailurePoint::maybe_sent;
  default:
    return FailurePoint::final; // TLS verification, timeouts, bad options: retrying won't help
  }
}

// POST and non-apply PATCH may act twice if repeated; everything else may be repeated.
bool
is_idempotent(Verb verb) {
  return verb != Verb::create && verb != Verb::patch;
}

struct Attempt {
  Result<Response> result;
  FailurePoint failure = FailurePoint::final;
};

} // namespace

struct CurlTransport::State {
  RestConfig config;
  ServerUrl url;
  std::string user_agent;
  CURLSH* share = nullptr;
  std::array<std::mutex, CURL_LOCK_DATA_LAST> locks;
  // Idle easy handles. Each keeps its own live connections between transfers; libcurl does not
  // support sharing one connection cache between concurrent threads, so a handle (and with it
  // its connections) belongs to one transfer at a time, and threads reuse handles from here.
  std::mutex pool_mutex;
  std::vector<CURL*> idle;
  TokenFileCache token_file;
  std::mutex rng_mutex;
  std::mt19937 rng{std::random_device{}()};

  ~State() {
    for (CURL* handle : idle) {
      curl::api().easy_cleanup(handle);
    }
    if (share != nullptr) {
      curl::api().share_cleanup(share);
    }
  }

  CURL* acquire() {
    {
      std::lock_guard lock(pool_mutex);
      if (!idle.empty()) {
        CURL* handle = idle.back();
        idle.pop_back();
        return handle;
      }
    }
    return curl::api().easy_init();
  }

  void release(CURL* handle) {
    curl::api().easy_reset(handle); // forgets the options, keeps the connections
    std::lock_guard lock(pool_mutex);
    if (idle.size() < k_max_idle_handles) {
      idle.push_back(handle);
      return;
    }
    curl::api().easy_cleanup(handle);
  }

  std::string url_for(const Request& request) const {
    const std::string& host = config.tls.server_name.empty() ? url.host : config.tls.server_name;
    return fmt::format(
        "{}://{}:{}{}{}", url.scheme, bracket(host), url.port, url.base_path, request.path);
  }
};

namespace {

void
lock_share(CURL*, curl_lock_data data, curl_lock_access, void* user) {
  auto* state = static_cast<CurlTransport::State*>(user);
  state->locks.at(static_cast<std::size_t>(data)).lock();
}

void
unlock_share(CURL*, curl_lock_data data, void* user) {
  auto* state = static_cast<CurlTransport::State*>(user);
  state->locks.at(static_cast<std::size_t>(data)).unlock();
}

// Returns its easy handle to the pool on every path out of a transfer.
struct PooledHandle {
  CurlTransport::State& state;
  CURL* handle;

  PooledHandle(CurlTransport::State& owner, CURL* taken) : state(owner), handle(taken) {}
  PooledHandle(const PooledHandle&) = delete;
  PooledHandle& operator=(const PooledHandle&) = delete;
  ~PooledHandle() {
    if (handle != nullptr) {
      state.release(handle);
    }
  }
};

Status
init_share(CurlTransport::State& state) {
  state.share = curl::api().share_init();
  if (state.share == nullptr) {
    return fail("curl_share_init failed");
  }
  curl::api().share_setopt(state.share, CURLSHOPT_LOCKFUNC, lock_share);
  curl::api().share_setopt(state.share, CURLSHOPT_UNLOCKFUNC, unlock_share);
  curl::api().share_setopt(state.share, CURLSHOPT_USERDATA, &state);
  // DNS and TLS sessions may be shared between threads; connections may not (see State::idle).
  for (auto data : {CURL_LOCK_DATA_DNS, CURL_LOCK_DATA_SSL_SESSION}) {
    curl::api().share_setopt(state.share, CURLSHOPT_SHARE, data);
  }
  return {};
}

std::string
origin_of(const CurlTransport::State& state) {
  return state.config.origin.empty() ? std::string("the client configuration")
                                     : state.config.origin;
}

// Every credential that becomes a header value passes check_header_value here, with its source.
// An exec plugin run for the request is bounded by `request_timeout` too (0: none).
Result<AuthMaterial>
auth_material(CurlTransport::State& state, std::chrono::milliseconds request_timeout) {
  const AuthConfig& auth = state.config.auth;
  AuthMaterial out;
  out.client_certificate_pem = state.config.tls.client_certificate_pem;
  out.client_key_pem = state.config.tls.client_key_pem;
  if (!auth.token.empty()) {
    KCTL_TRY(
        check_header_value(auth.token, fmt::format("the bearer token of {}", origin_of(state))));
    out.authorization = "Bearer " + auth.token;
  } else if (!auth.token_file.empty()) {
    KCTL_TRY_ASSIGN(
        std::string token,
        with_context(state.token_file.token(auth.token_file), "reading the bearer token file"));
    KCTL_TRY(check_header_value(
        token, fmt::format("the bearer token in token file {}", auth.token_file.string())));
    out.authorization = "Bearer " + token;
  } else if (!auth.username.empty() || !auth.password.empty()) {
    // base64 would hide CR/LF, but a server decodes them back; refuse them like the rest.
    KCTL_TRY(check_header_value(auth.username,
                                fmt::format("the basic-auth username of {}", origin_of(state))));
    KCTL_TRY(check_header_value(auth.password,
                                fmt::format("the basic-auth password of {}", origin_of(state))));
    out.authorization =
        "Basic " + encoding::base64_encode(fmt::format("{}:{}", auth.username, auth.password));
  }
  bool need_token = out.authorization.empty();
  bool need_cert = out.client_certificate_pem.empty();
  if (auth.exec && (need_token || need_cert)) {
    KCTL_TRY_ASSIGN(ExecCredential credential, auth.exec->credential(request_timeout));
    bool used = false;
    if (need_token && !credential.token.empty()) {
      KCTL_TRY(check_header_value(credential.token,
                                  fmt::format("the token printed by exec plugin \"{}\" ({})",
                                              auth.exec->config().command,
                                              origin_of(state))));
      out.authorization = "Bearer " + credential.token;
      used = true;
    }
    if (need_cert && !credential.client_certificate_pem.empty()) {
      out.client_certificate_pem = credential.client_certificate_pem;
      out.client_key_pem = credential.client_key_pem;
      used = true;
    }
    if (used) {
      out.exec_used = std::move(credential);
    }
  }
  return out;
}

void
set_blob(CURL* easy, CURLoption option, const std::string& pem) {
  curl_blob blob{const_cast<char*>(pem.data()), pem.size(), CURL_BLOB_COPY};
  curl::api().easy_setopt(easy, option, &blob);
}

void
setup_tls(CURL* easy, const CurlTransport::State& state, const AuthMaterial& auth) {
  const TlsConfig& tls = state.config.tls;
  bool verify = tls.verification == TlsVerification::verify;
  curl::api().easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, verify ? 1L : 0L);
  curl::api().easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, verify ? 2L : 0L);
  if (!tls.ca_pem.empty()) {
    // Only the configured CA is trusted, like client-go; the system store is switched off.
    set_blob(easy, CURLOPT_CAINFO_BLOB, tls.ca_pem);
    curl::api().easy_setopt(easy, CURLOPT_CAPATH, nullptr);
  }
  if (!auth.client_certificate_pem.empty()) {
    set_blob(easy, CURLOPT_SSLCERT_BLOB, auth.client_certificate_pem);
    curl::api().easy_setopt(easy, CURLOPT_SSLCERTTYPE, "PEM");
    set_blob(easy, CURLOPT_SSLKEY_BLOB, auth.client_key_pem);
    curl::api().easy_setopt(easy, CURLOPT_SSLKEYTYPE, "PEM");
  }
}

void
setup_proxy(CURL* easy, const CurlTransport::State& state) {
  if (!state.config.proxy_url.empty()) {
    curl::api().easy_setopt(easy, CURLOPT_PROXY, curl_proxy_url(state.config.proxy_url).c_str());
    curl::api().easy_setopt(easy, CURLOPT_NOPROXY, ""); // proxy-url applies to every host, as in Go
  } else if (is_loopback(state.url.host)) {
    curl::api().easy_setopt(easy, CURLOPT_NOPROXY, "*"); // Go never proxies loopback addresses
  }
  // Otherwise libcurl reads https_proxy/HTTPS_PROXY and no_proxy/NO_PROXY itself.
}

Slist
request_headers(const Request& request, const AuthMaterial& auth) {
  Slist headers;
  append(headers, "Accept: " + request.accept);
  if (!request.content_type.empty()) {
    append(headers, "Content-Type: " + request.content_type);
  }
  if (!auth.authorization.empty()) {
    append(headers, "Authorization: " + auth.authorization);
  }
  append(headers, "Expect:"); // no 100-continue round trip before bodies
  return headers;
}

std::vector<std::string>
header_lines(const curl_slist* headers, const std::string& user_agent) {
  std::vector<std::string> out{"User-Agent: " + user_agent};
  for (const curl_slist* item = headers; item != nullptr; item = item->next) {
    std::string_view line(item->data);
    if (!line.ends_with(":")) {
      out.emplace_back(line);
    }
  }
  return out;
}

void
setup_request(CURL* easy, const Request& request, std::chrono::milliseconds timeout) {
  std::string_view method = http_method(request.verb);
  if (method == "GET") {
    curl::api().easy_setopt(easy, CURLOPT_HTTPGET, 1L);
  } else {
    curl::api().easy_setopt(easy, CURLOPT_CUSTOMREQUEST, std::string(method).c_str());
  }
  if (!request.body.empty() || method == "POST") {
    curl::api().easy_setopt(
        easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    curl::api().easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.c_str());
  }
  if (timeout.count() > 0) {
    curl::api().easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  }
}

Attempt
perform(CurlTransport::State& state,
        const Request& request,
        const AuthMaterial& auth,
        const LineHandler* on_line) {
  // Declared before the handle so they outlive it: libcurl keeps pointers to them until reset.
  Slist connect_to;
  Slist headers = request_headers(request, auth);
  Sink sink;
  std::array<char, CURL_ERROR_SIZE> error_buffer{};
  PooledHandle easy{state, state.acquire()};
  if (easy.handle == nullptr) {
    return {std::unexpected(transport_error("curl_easy_init failed")), FailurePoint::final};
  }
  std::string url = state.url_for(request);
  CURL* handle = easy.handle;
  curl::api().easy_setopt(handle, CURLOPT_URL, url.c_str());
  curl::api().easy_setopt(handle, CURLOPT_SHARE, state.share);
  curl::api().easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl::api().easy_setopt(handle, CURLOPT_TCP_KEEPALIVE, 1L);
  curl::api().easy_setopt(handle, CURLOPT_USERAGENT, state.user_agent.c_str());
  // Connecting includes the TLS handshake. A server that then sends nothing fails the request
  // after idle_timeout: by the low-speed limit for ordinary requests, by on_progress until a
  // stream's response starts (a watch may be quiet afterwards).
  curl::api().easy_setopt(
      handle, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(state.config.connect_timeout.count()));
  if (state.config.idle_timeout.count() > 0) {
    if (on_line == nullptr) {
      curl::api().easy_setopt(handle, CURLOPT_LOW_SPEED_LIMIT, 1L);
      curl::api().easy_setopt(
          handle,
          CURLOPT_LOW_SPEED_TIME,
          std::max(1L, static_cast<long>(state.config.idle_timeout.count() / 1000)));
    }
    sink.idle_timeout = state.config.idle_timeout;
    curl::api().easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl::api().easy_setopt(handle, CURLOPT_XFERINFODATA, &sink);
    curl::api().easy_setopt(handle, CURLOPT_NOPROGRESS, 0L);
  }
  if (state.config.compression == Compression::allowed) {
    curl::api().easy_setopt(handle, CURLOPT_ACCEPT_ENCODING, "");
  }
  if (!state.config.tls.server_name.empty()) {
    // Verify and send SNI for tls-server-name while connecting to the real host.
    append(connect_to,
           fmt::format("{}:{}:{}:{}",
                       bracket(state.config.tls.server_name),
                       state.url.port,
                       bracket(state.url.host),
                       state.url.port));
    curl::api().easy_setopt(handle, CURLOPT_CONNECT_TO, connect_to.get());
  }
  setup_tls(handle, state, auth);
  setup_proxy(handle, state);
  auto timeout = request.timeout.count() > 0 ? request.timeout
                 : on_line != nullptr        ? std::chrono::milliseconds(0)
                                             : state.config.timeout;
  setup_request(handle, request, timeout);
  curl::api().easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get());
  sink.on_line = on_line;
  sink.max_bytes = state.config.max_response_bytes;
  curl::api().easy_setopt(handle, CURLOPT_HEADERFUNCTION, on_header);
  curl::api().easy_setopt(handle, CURLOPT_HEADERDATA, &sink);
  curl::api().easy_setopt(handle, CURLOPT_WRITEFUNCTION, on_body);
  curl::api().easy_setopt(handle, CURLOPT_WRITEDATA, &sink);
  curl::api().easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer.data());

  log_request(request, url, header_lines(headers.get(), state.user_agent));
  auto started = Clock::now();
  sink.started = started;
  CURLcode code = curl::api().easy_perform(handle);
  auto latency = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  if (code == CURLE_WRITE_ERROR && sink.stopped) {
    code = CURLE_OK; // the handler asked to stop
  }
  if (code == CURLE_WRITE_ERROR && sink.too_large) {
    return {std::unexpected(transport_error(fmt::format(
                "{} {}: the response is larger than {}, the limit for one API {}",
                http_method(request.verb),
                url,
                size_text(sink.max_bytes),
                on_line != nullptr ? "watch event" : "response; list in smaller pages"))),
            FailurePoint::final};
  }
  if (code == CURLE_ABORTED_BY_CALLBACK && sink.no_answer) {
    code = CURLE_OPERATION_TIMEDOUT;
    std::snprintf(error_buffer.data(), error_buffer.size(), "Operation too slow");
  }
  if (code == CURLE_OPERATION_TIMEDOUT) {
    std::string_view detail(error_buffer.data());
    std::string what =
        detail.starts_with("Operation too slow")
            ? fmt::format("the server accepted the connection but sent nothing for {}",
                          seconds_text(state.config.idle_timeout))
        : detail.find("onnection time") != std::string_view::npos ||
                detail.starts_with("Resolving timed out")
            ? fmt::format("could not connect within {} ({})",
                          seconds_text(state.config.connect_timeout),
                          detail)
            : fmt::format("no complete answer within {} (--request-timeout)",
                          seconds_text(timeout));
    KLOG(k_log_urls, "{} {} failed: {}", http_method(request.verb), url, what);
    return {std::unexpected(transport_error(
                fmt::format("{} {}: {}; is the server overloaded, or is it the right address?",
                            http_method(request.verb),
                            url,
                            what))),
            FailurePoint::final};
  }
  if (code != CURLE_OK) {
    std::string detail =
        error_buffer[0] != '\0' ? error_buffer.data() : curl::api().easy_strerror(code);
    KLOG(k_log_urls,
         "{} {} failed in {} milliseconds: {}",
         http_method(request.verb),
         url,
         latency.count(),
         detail);
    return {std::unexpected(
                transport_error(fmt::format("{} {}: {}", http_method(request.verb), url, detail))),
            classify(code, detail)};
  }
  if (sink.streaming() && !sink.stopped && !sink.pending.empty()) {
    sink.pending += '\n'; // a last line without newline still counts
    deliver_lines(sink);
  }
  long status = 0;
  curl::api().easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  sink.response.status = static_cast<int>(status);
  log_response(request, url, sink.response, latency);
  return {std::move(sink.response), FailurePoint::final};
}

std::optional<std::chrono::milliseconds>
retry_after(const Response& response) {
  auto value = response.header("retry-after");
  if (!value || value->empty() || value->find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::chrono::seconds(std::stoll(*value));
}

bool
should_retry_status(const Request& request, int status) {
  if (status == 429 || status == 503) {
    return true; // the server did not process the request
  }
  return status >= 500 && status != 501 && is_idempotent(request.verb);
}

bool
should_retry_failure(const Request& request, FailurePoint point) {
  return point == FailurePoint::before_send ||
         (point == FailurePoint::maybe_sent && is_idempotent(request.verb));
}

std::chrono::milliseconds
backoff(CurlTransport::State& state,
        int attempt,
        std::optional<std::chrono::milliseconds> server_hint) {
  const RetryPolicy& policy = state.config.retry;
  if (server_hint) {
    return std::min(*server_hint, policy.max_retry_after);
  }
  auto exponential = policy.base_delay * (1LL << std::min(attempt - 1, 20));
  auto capped = std::min<std::chrono::milliseconds>(exponential, policy.max_delay);
  std::lock_guard lock(state.rng_mutex);
  // "Equal jitter": half fixed, half random, so many clients do not retry in lockstep.
  std::uniform_int_distribution<long long> jitter(0, capped.count() / 2);
  return std::chrono::milliseconds(capped.count() / 2 + jitter(state.rng));
}

// One attempt, plus one more after refreshing exec credentials the server rejected.
Attempt
perform_authenticated(CurlTransport::State& state,
                      const Request& request,
                      const LineHandler* on_line) {
  if (auto ok = check_header_value(request.accept, "the Accept header of the request"); !ok) {
    return {std::unexpected(ok.error()), FailurePoint::final};
  }
  if (auto ok = check_header_value(request.content_type, "the Content-Type of the request"); !ok) {
    return {std::unexpected(ok.error()), FailurePoint::final};
  }
  for (int round = 0;; ++round) {
    auto auth =
        auth_material(state, request.timeout.count() > 0 ? request.timeout : state.config.timeout);
    if (!auth) {
      return {std::unexpected(auth.error()), FailurePoint::final};
    }
    if (state.url.scheme == "http" && !state.config.allow_http_credentials) {
      std::string what = auth->authorization.starts_with("Basic ") ? "a basic-auth password"
                         : !auth->authorization.empty()            ? "a bearer token"
                         : !auth->client_certificate_pem.empty()   ? "a client certificate"
                                                                   : "";
      if (!what.empty()) {
        return {std::unexpected(transport_error(fmt::format(
                    "refusing to send {} over plain http:// to {} (from {}): anyone on the "
                    "network could read it; use an https:// server, or set {}=1 if the network "
                    "is trusted",
                    what,
                    state.config.server,
                    origin_of(state),
                    k_insecure_http_credentials_env))),
                FailurePoint::final};
      }
    }
    Attempt attempt = perform(state, request, *auth, on_line);
    bool rejected = attempt.result && attempt.result->status == 401;
    if (!rejected || !auth->exec_used || round > 0) {
      return attempt;
    }
    KLOG(4, "the server rejected the exec plugin's credentials; running the plugin again");
    state.config.auth.exec->invalidate(*auth->exec_used);
  }
}

} // namespace

std::string
default_user_agent() {
  std::string_view commit = build_info::k_git_commit.substr(0, 7);
  return fmt::format(
      "karmadactl/{} ({}) kubernetes/{}", build_info::k_version, build_info::k_platform, commit);
}

Result<std::shared_ptr<CurlTransport>>
CurlTransport::create(const RestConfig& config) {
  KCTL_TRY(curl::load());
  auto state = std::make_unique<State>();
  state->config = config;
  KCTL_TRY_ASSIGN(state->url, parse_server(config.server));
  state->user_agent = config.user_agent.empty() ? default_user_agent() : config.user_agent;
  KCTL_TRY(check_header_value(state->user_agent, "the user agent"));
  KCTL_TRY(init_share(*state));
  return std::shared_ptr<CurlTransport>(new CurlTransport(std::move(state)));
}

CurlTransport::CurlTransport(std::unique_ptr<State> state) : m_state(std::move(state)) {}

CurlTransport::~CurlTransport() = default;

Result<Response>
CurlTransport::send(const Request& request) {
  const int max_attempts = std::max(1, m_state->config.retry.max_attempts);
  for (int attempt = 1;; ++attempt) {
    Attempt outcome = perform_authenticated(*m_state, request, nullptr);
    bool retry = outcome.result ? should_retry_status(request, outcome.result->status)
                                : should_retry_failure(request, outcome.failure);
    if (!retry || attempt >= max_attempts) {
      if (outcome.result && retry) {
        outcome.result->gave_up_after = attempt;
      }
      if (!outcome.result) {
        std::string& message = outcome.result.error().message;
        if (retry) {
          message += fmt::format(" (gave up after {} attempts)", attempt);
        } else if (outcome.failure == FailurePoint::maybe_sent) {
          message += fmt::format("; not retried: the {} may have reached the server, so check "
                                 "whether it took effect before running the command again",
                                 http_method(request.verb));
        }
      }
      return std::move(outcome.result);
    }
    auto hint = outcome.result ? retry_after(*outcome.result) : std::nullopt;
    auto delay = backoff(*m_state, attempt, hint);
    KLOG(4,
         "retrying {} {} in {} ms (attempt {} of {}): {}",
         http_method(request.verb),
         request.path,
         delay.count(),
         attempt + 1,
         max_attempts,
         outcome.result ? fmt::format("status {}", outcome.result->status)
                        : outcome.result.error().message);
    std::this_thread::sleep_for(delay);
  }
}

Result<Response>
CurlTransport::stream(const Request& request, const LineHandler& on_line) {
  return std::move(perform_authenticated(*m_state, request, &on_line).result);
}

} // namespace kctl::kube
