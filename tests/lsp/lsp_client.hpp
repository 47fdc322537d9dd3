#pragma once
// A minimal LSP client for the transcript tests: runs the built `kpilint lsp`
// over pipes, writes framed JSON (or raw bytes), and reads the replies with a
// strict framing parser — anything on stdout that is not a frame fails the test.
#include <nlohmann/json.hpp>

#include <sys/types.h>

#include <chrono>
#include <deque>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace kpilint::test {

using json = nlohmann::json;

std::string file_uri(const std::filesystem::path& path);  // file:///… with upper-case escapes

class LspProcess {
 public:
  explicit LspProcess(const std::filesystem::path& cwd, std::vector<std::string> args = {"lsp"},
                      std::vector<std::string> env = {});
  ~LspProcess();
  LspProcess(const LspProcess&) = delete;
  LspProcess& operator=(const LspProcess&) = delete;

  void send_raw(const std::string& bytes);
  void send(const json& message);
  void notify(const std::string& method, json params);
  // Sends a request and waits for its response (other messages are kept).
  json request(const std::string& method, json params, int timeout_ms = 10000);
  int send_request(const std::string& method, json params);  // returns the id
  json wait_response(const json& id, int timeout_ms = 10000);

  // The next message matching `match` (earlier unmatched messages are kept).
  std::optional<json> wait_for(const std::function<bool(const json&)>& match, int timeout_ms = 10000);
  // The next publishDiagnostics for `uri` (any version when version < 0).
  json wait_diagnostics(const std::string& uri, long long version = -1, int timeout_ms = 10000);
  // Every message received and not consumed yet.
  std::vector<json> drain(int quiet_ms = 200);

  // initialize (+ initialized) with typical capabilities; returns the result.
  json initialize(const std::filesystem::path& root, json capabilities = nullptr);
  void open(const std::string& uri, const std::string& text, int version = 1);
  void change(const std::string& uri, int version, json changes);

  void close_input();
  // The exit status, or -1 if it did not exit in time (then it is killed).
  int wait_exit(int timeout_ms = 5000);
  std::string stderr_text() const;
  bool framing_ok() const { return framing_error_.empty(); }
  const std::string& framing_error() const { return framing_error_; }

 private:
  bool read_some(int timeout_ms);
  bool next_frame(json& out);

  pid_t pid_ = -1;
  int in_ = -1, out_ = -1;
  std::filesystem::path stderr_path_;
  std::string buffer_;
  std::deque<json> inbox_;
  std::string framing_error_;
  int next_id_ = 1;
  std::optional<int> status_;
};

json default_capabilities();

// The full path of a program on PATH, or nullopt.
std::optional<std::filesystem::path> find_program(const std::string& name);

struct CommandResult {
  int exit_code = -1;  // -1: killed after the timeout
  std::string output;  // stdout and stderr together
};
// Runs argv[0] (a path) with stdin from /dev/null, extra environment
// assignments, and a time limit.
CommandResult run_command(const std::vector<std::string>& argv, const std::filesystem::path& cwd,
                          const std::vector<std::string>& env, int timeout_ms);

}  // namespace kpilint::test
