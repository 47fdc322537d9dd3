#include "lsp_client.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace kpilint::test {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string file_uri(const fs::path& path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "file://";
  for (const char c : path.generic_string()) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out.push_back(c);
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    }
  }
  return out;
}

json default_capabilities() {
  return json::parse(R"({
    "general": {"positionEncodings": ["utf-16"]},
    "textDocument": {
      "synchronization": {"didSave": true},
      "hover": {"contentFormat": ["markdown", "plaintext"]},
      "documentSymbol": {"hierarchicalDocumentSymbolSupport": true},
      "publishDiagnostics": {"relatedInformation": true, "versionSupport": true},
      "rename": {"prepareSupport": true},
      "completion": {"completionItem": {"snippetSupport": false}}
    },
    "workspace": {"workspaceFolders": true}
  })");
}

LspProcess::LspProcess(const fs::path& cwd, std::vector<std::string> args, std::vector<std::string> env) {
  ::signal(SIGPIPE, SIG_IGN);
  static std::atomic<int> counter{0};
  stderr_path_ = fs::temp_directory_path() /
                 ("kpilint-lsp-stderr-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".log");
  int in_pipe[2], out_pipe[2];
  if (::pipe(in_pipe) != 0 || ::pipe(out_pipe) != 0) throw std::runtime_error("pipe failed");
  pid_ = ::fork();
  if (pid_ == 0) {
    const int err = ::open(stderr_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(in_pipe[0], 0);
    ::dup2(out_pipe[1], 1);
    if (err >= 0) ::dup2(err, 2);
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err}) {
      if (fd > 2) ::close(fd);
    }
    if (::chdir(cwd.c_str()) != 0) ::_exit(127);
    ::setenv("LANG", "C.UTF-8", 1);  // English messages unless a test asks otherwise
    ::unsetenv("LC_ALL");
    ::unsetenv("LC_MESSAGES");
    ::unsetenv("LANGUAGE");
    for (const auto& assignment : env) ::putenv(const_cast<char*>(assignment.c_str()));
    static std::string binary = KPILINT_BINARY;
    std::vector<char*> argv{binary.data()};
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    ::execv(binary.c_str(), argv.data());
    ::_exit(127);
  }
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  in_ = in_pipe[1];
  out_ = out_pipe[0];
}

LspProcess::~LspProcess() {
  if (in_ >= 0) ::close(in_);
  if (!status_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  if (out_ >= 0) ::close(out_);
  std::error_code ec;
  fs::remove(stderr_path_, ec);
}

void LspProcess::send_raw(const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(in_, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("cannot write to the server");
    }
    done += static_cast<std::size_t>(n);
  }
}

void LspProcess::send(const json& message) {
  const std::string body = message.dump();
  send_raw("Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
}

void LspProcess::notify(const std::string& method, json params) {
  send({{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}});
}

int LspProcess::send_request(const std::string& method, json params) {
  const int id = next_id_++;
  send({{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}});
  return id;
}

json LspProcess::wait_response(const json& id, int timeout_ms) {
  auto reply = wait_for([&](const json& m) { return m.contains("id") && m["id"] == id && !m.contains("method"); }, timeout_ms);
  if (!reply) throw std::runtime_error("no response to request " + id.dump() + "; stderr: " + stderr_text());
  return *reply;
}

json LspProcess::request(const std::string& method, json params, int timeout_ms) {
  return wait_response(send_request(method, std::move(params)), timeout_ms);
}

bool LspProcess::read_some(int timeout_ms) {
  pollfd fd{out_, POLLIN, 0};
  if (::poll(&fd, 1, timeout_ms) <= 0) return false;
  char chunk[65536];
  const ssize_t n = ::read(out_, chunk, sizeof chunk);
  if (n <= 0) return false;
  buffer_.append(chunk, static_cast<std::size_t>(n));
  return true;
}

// Strict: the stream must be exactly `Content-Length: N\r\n\r\n` + N bytes of JSON, repeated.
bool LspProcess::next_frame(json& out) {
  static const std::string kHeader = "Content-Length: ";
  if (buffer_.empty()) return false;
  if (buffer_.compare(0, std::min(buffer_.size(), kHeader.size()), kHeader, 0, std::min(buffer_.size(), kHeader.size())) != 0) {
    if (framing_error_.empty()) framing_error_ = "stdout is not a frame: " + buffer_.substr(0, 80);
    buffer_.clear();
    return false;
  }
  const std::size_t end = buffer_.find("\r\n\r\n");
  if (end == std::string::npos) return false;
  const std::size_t length = std::stoul(buffer_.substr(kHeader.size(), end - kHeader.size()));
  if (buffer_.size() < end + 4 + length) return false;
  const std::string body = buffer_.substr(end + 4, length);
  buffer_.erase(0, end + 4 + length);
  try {
    out = json::parse(body);
  } catch (const json::exception& e) {
    if (framing_error_.empty()) framing_error_ = std::string("a frame is not JSON: ") + e.what();
    return false;
  }
  return true;
}

std::optional<json> LspProcess::wait_for(const std::function<bool(const json&)>& match, int timeout_ms) {
  for (auto it = inbox_.begin(); it != inbox_.end(); ++it) {
    if (match(*it)) {
      json found = std::move(*it);
      inbox_.erase(it);
      return found;
    }
  }
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    json message;
    while (next_frame(message)) {
      if (match(message)) return message;
      inbox_.push_back(std::move(message));
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return std::nullopt;
    if (!read_some(static_cast<int>(left))) {
      if (Clock::now() >= deadline) return std::nullopt;
      // The pipe closed: nothing more will come.
      pollfd fd{out_, POLLIN, 0};
      if (::poll(&fd, 1, 0) > 0 && (fd.revents & POLLHUP) && !(fd.revents & POLLIN)) return std::nullopt;
    }
  }
}

json LspProcess::wait_diagnostics(const std::string& uri, long long version, int timeout_ms) {
  auto message = wait_for(
      [&](const json& m) {
        return m.value("method", "") == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri &&
               (version < 0 || (m["params"].contains("version") && m["params"]["version"] == version));
      },
      timeout_ms);
  if (!message) throw std::runtime_error("no diagnostics for " + uri + "; stderr: " + stderr_text());
  return (*message)["params"];
}

std::vector<json> LspProcess::drain(int quiet_ms) {
  while (read_some(quiet_ms)) {
  }
  json message;
  while (next_frame(message)) inbox_.push_back(std::move(message));
  std::vector<json> out(inbox_.begin(), inbox_.end());
  inbox_.clear();
  return out;
}

json LspProcess::initialize(const fs::path& root, json capabilities) {
  if (capabilities.is_null()) capabilities = default_capabilities();
  json params{{"processId", nullptr},
              {"rootUri", file_uri(root)},
              {"capabilities", std::move(capabilities)},
              {"workspaceFolders", json::array({{{"uri", file_uri(root)}, {"name", "test"}}})}};
  json reply = request("initialize", std::move(params));
  notify("initialized", json::object());
  return reply;
}

void LspProcess::open(const std::string& uri, const std::string& text, int version) {
  notify("textDocument/didOpen", {{"textDocument", {{"uri", uri}, {"languageId", "kpi"}, {"version", version}, {"text", text}}}});
}

void LspProcess::change(const std::string& uri, int version, json changes) {
  notify("textDocument/didChange", {{"textDocument", {{"uri", uri}, {"version", version}}}, {"contentChanges", std::move(changes)}});
}

void LspProcess::close_input() {
  if (in_ >= 0) ::close(in_);
  in_ = -1;
}

int LspProcess::wait_exit(int timeout_ms) {
  if (status_) return *status_;
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    int status = 0;
    const pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      drain(0);  // keep what it wrote for framing checks
      return *status_;
    }
    if (Clock::now() >= deadline) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

std::string LspProcess::stderr_text() const {
  std::ifstream in(stderr_path_, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::optional<fs::path> find_program(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    if (dir.empty()) continue;
    const fs::path candidate = fs::path(dir) / name;
    if (::access(candidate.c_str(), X_OK) == 0 && !fs::is_directory(candidate)) return candidate;
  }
  return std::nullopt;
}

CommandResult run_command(const std::vector<std::string>& argv, const fs::path& cwd,
                          const std::vector<std::string>& env, int timeout_ms) {
  static std::atomic<int> counter{0};
  const fs::path log = fs::temp_directory_path() /
                       ("kpilint-cmd-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".log");
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::setpgid(0, 0);  // its own process group, so a timeout kills its children too
    const int null_fd = ::open("/dev/null", O_RDONLY);
    const int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(null_fd, 0);
    ::dup2(log_fd, 1);
    ::dup2(log_fd, 2);
    if (::chdir(cwd.c_str()) != 0) ::_exit(127);
    ::setenv("LANG", "C.UTF-8", 1);  // the clients' kpilint speaks English
    ::unsetenv("LC_ALL");
    ::unsetenv("LC_MESSAGES");
    ::unsetenv("LANGUAGE");
    for (const auto& assignment : env) ::putenv(const_cast<char*>(assignment.c_str()));
    std::vector<std::string> copies(argv);
    std::vector<char*> args;
    for (auto& arg : copies) args.push_back(arg.data());
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  CommandResult result;
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      break;
    }
    if (Clock::now() >= deadline) {
      ::kill(-pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::ifstream in(log, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  result.output = text.str();
  std::error_code ec;
  fs::remove(log, ec);
  return result;
}

}  // namespace kpilint::test
