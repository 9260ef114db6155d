#include "kube_test_server.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace kctl::test {

namespace {

void
run(const std::string& command) {
  if (std::system((command + " >/dev/null 2>&1").c_str()) != 0) {
    throw std::runtime_error("test PKI: command failed: " + command);
  }
}

void
make_ca(const std::filesystem::path& crt, const std::filesystem::path& key, const char* cn) {
  run(fmt::format("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
                  "-keyout {} -out {} -subj /CN={} -days 2",
                  key.string(),
                  crt.string(),
                  cn));
}

void
make_leaf(const TestPki& pki,
          const std::filesystem::path& crt,
          const std::filesystem::path& key,
          const std::string& subject,
          const std::string& extensions) {
  auto csr = pki.dir / "leaf.csr";
  auto ext = pki.dir / "leaf.ext";
  std::ofstream(ext) << extensions << "\n";
  run(fmt::format("openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
                  "-keyout {} -out {} -subj {}",
                  key.string(),
                  csr.string(),
                  subject));
  run(fmt::format("openssl x509 -req -in {} -CA {} -CAkey {} -CAcreateserial -out {} -days 2 "
                  "-extfile {}",
                  csr.string(),
                  pki.ca_crt.string(),
                  pki.ca_key.string(),
                  crt.string(),
                  ext.string()));
}

TestPki
make_pki() {
  TestPki pki;
  std::string pattern = (std::filesystem::temp_directory_path() / "kctl-kube-pki-XXXXXX").string();
  pki.dir = ::mkdtemp(pattern.data());
  pki.ca_crt = pki.dir / "ca.crt";
  pki.ca_key = pki.dir / "ca.key";
  pki.other_ca_crt = pki.dir / "other-ca.crt";
  pki.server_crt = pki.dir / "server.crt";
  pki.server_key = pki.dir / "server.key";
  pki.client_crt = pki.dir / "client.crt";
  pki.client_key = pki.dir / "client.key";
  make_ca(pki.ca_crt, pki.ca_key, "kube-test-ca");
  make_ca(pki.other_ca_crt, pki.dir / "other-ca.key", "other-test-ca");
  make_leaf(pki,
            pki.server_crt,
            pki.server_key,
            "/CN=apiserver",
            "subjectAltName=DNS:localhost,DNS:apiserver.test\nextendedKeyUsage=serverAuth");
  make_leaf(pki,
            pki.client_crt,
            pki.client_key,
            "/O=system:masters/CN=alice",
            "extendedKeyUsage=clientAuth");
  return pki;
}

// Removes the PKI directory when the test binary exits.
struct PkiHolder {
  TestPki pki = make_pki();
  ~PkiHolder() {
    std::error_code ignored;
    std::filesystem::remove_all(pki.dir, ignored);
  }
};

std::filesystem::path
support_dir() {
  return std::filesystem::path(KCTL_TEST_DATA_DIR).parent_path() / "support";
}

std::size_t
collect(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

} // namespace

std::string
TestPki::read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

const TestPki&
test_pki() {
  static PkiHolder holder;
  return holder.pki;
}

SupportProcess::SupportProcess(const std::string& script, const std::vector<std::string>& args) {
  std::vector<std::string> all{"python3", (support_dir() / script).string()};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& arg : all) {
    argv.push_back(arg.data());
  }
  argv.push_back(nullptr);
  int out[2];
  if (::pipe(out) != 0) {
    throw std::runtime_error("pipe failed");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  int rc = ::posix_spawnp(&m_pid, "python3", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  if (rc != 0) {
    ::close(out[0]);
    throw std::runtime_error("cannot start python3");
  }
  std::string line;
  char c = 0;
  while (::read(out[0], &c, 1) == 1 && c != '\n') {
    line += c;
  }
  ::close(out[0]);
  if (std::sscanf(line.c_str(), "PORT %d", &m_port) != 1) {
    throw std::runtime_error(script + " did not start: " + line);
  }
}

SupportProcess::~SupportProcess() {
  if (m_pid > 0) {
    ::kill(m_pid, SIGTERM);
    int status = 0;
    ::waitpid(m_pid, &status, 0);
  }
}

ConnectProxy::ConnectProxy() {
  std::string pattern = (std::filesystem::temp_directory_path() / "kctl-proxy-XXXXXX").string();
  int fd = ::mkstemp(pattern.data());
  ::close(fd);
  m_log = pattern;
  m_process = std::make_unique<SupportProcess>("connect_proxy.py",
                                               std::vector<std::string>{"--log", m_log.string()});
}

ConnectProxy::~ConnectProxy() {
  m_process.reset();
  std::error_code ignored;
  std::filesystem::remove(m_log, ignored);
}

std::string
ConnectProxy::url() const {
  return fmt::format("http://127.0.0.1:{}", m_process->port());
}

std::vector<std::string>
ConnectProxy::targets() const {
  std::vector<std::string> out;
  std::ifstream in(m_log);
  for (std::string line; std::getline(in, line);) {
    out.push_back(line);
  }
  return out;
}

FakeApiServer::FakeApiServer(ClientCert client_cert) {
  const TestPki& pki = test_pki();
  std::vector<std::string> args{"--cert",
                                pki.server_crt.string(),
                                "--key",
                                pki.server_key.string(),
                                "--client-ca",
                                pki.ca_crt.string()};
  if (client_cert == ClientCert::required) {
    args.emplace_back("--require-client-cert");
  }
  m_process = std::make_unique<SupportProcess>("fake_apiserver.py", args);
}

FakeApiServer::~FakeApiServer() = default;

std::string
FakeApiServer::url(const std::string& host) const {
  return fmt::format("https://{}:{}", host, port());
}

Json
FakeApiServer::control(const std::string& method, const std::string& path, const Json& body) const {
  const TestPki& pki = test_pki();
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> easy(curl_easy_init(), curl_easy_cleanup);
  std::string target = url() + path;
  std::string payload = body.is_null() ? std::string{} : body.dump();
  std::string answer;
  curl_easy_setopt(easy.get(), CURLOPT_URL, target.c_str());
  curl_easy_setopt(easy.get(), CURLOPT_CAINFO, pki.ca_crt.c_str());
  curl_easy_setopt(easy.get(), CURLOPT_SSLCERT, pki.client_crt.c_str());
  curl_easy_setopt(easy.get(), CURLOPT_SSLKEY, pki.client_key.c_str());
  curl_easy_setopt(easy.get(), CURLOPT_NOPROXY, "*");
  curl_easy_setopt(easy.get(), CURLOPT_CUSTOMREQUEST, method.c_str());
  if (method != "GET") {
    curl_easy_setopt(easy.get(), CURLOPT_POSTFIELDS, payload.c_str());
  }
  curl_easy_setopt(easy.get(), CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(easy.get(), CURLOPT_WRITEDATA, &answer);
  if (CURLcode code = curl_easy_perform(easy.get()); code != CURLE_OK) {
    throw std::runtime_error(
        fmt::format("fake apiserver control {}: {}", path, curl_easy_strerror(code)));
  }
  return Json::parse(answer);
}

Json
FakeApiServer::requests() const {
  return control("GET", "/_test/requests", nullptr);
}

int
FakeApiServer::count(const std::string& method) const {
  int total = 0;
  for (const auto& request : requests()) {
    if (request.value("method", "") == method) {
      ++total;
    }
  }
  return total;
}

void
FakeApiServer::fault(const Json& fault) const {
  control("POST", "/_test/faults", fault);
}

void
FakeApiServer::configure(const Json& config) const {
  control("POST", "/_test/config", config);
}

void
FakeApiServer::seed(const std::string& path, const Json& object) const {
  control("POST", "/_test/seed", {{"path", path}, {"object", object}});
}

HostileApiServer::HostileApiServer(const std::string& token_id,
                                   HostileJws jws,
                                   const std::string& token_secret,
                                   const std::vector<std::filesystem::path>& extra_cas) {
  std::string pattern = (std::filesystem::temp_directory_path() / "kctl-hostile-XXXXXX").string();
  int fd = ::mkstemp(pattern.data());
  ::close(fd);
  m_log = pattern;
  std::vector<std::string> args{"--log", m_log.string(), "--token-id", token_id, "--jws"};
  args.emplace_back(jws == HostileJws::none    ? "none"
                    : jws == HostileJws::wrong ? "wrong"
                                               : "valid");
  if (!token_secret.empty()) {
    args.emplace_back("--token-secret");
    args.push_back(token_secret);
  }
  for (const auto& ca : extra_cas) {
    args.emplace_back("--extra-ca");
    args.push_back(ca.string());
  }
  m_process = std::make_unique<SupportProcess>("hostile_apiserver.py", args);
}

HostileApiServer::~HostileApiServer() {
  m_process.reset();
  std::error_code ignored;
  std::filesystem::remove(m_log, ignored);
}

std::string
HostileApiServer::endpoint() const {
  return fmt::format("localhost:{}", m_process->port());
}

Json
HostileApiServer::requests() const {
  Json out = Json::array();
  std::ifstream in(m_log);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) {
      out.push_back(Json::parse(line));
    }
  }
  return out;
}

Json
HostileApiServer::authorized_requests() const {
  Json out = Json::array();
  for (const auto& request : requests()) {
    for (const auto& [name, value] : request["headers"].items()) {
      std::string lower = name;
      for (char& c : lower) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      if (lower == "authorization") {
        out.push_back(request);
      }
    }
  }
  return out;
}

} // namespace kctl::test
