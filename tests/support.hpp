#pragma once
// Helpers shared by the tests: temporary workspaces and running the built binary.
#include <filesystem>
#include <string>
#include <vector>

namespace kpilint::test {

// A fresh directory under the system temp dir, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  // Writes `text` to path()/relative, creating directories.
  std::filesystem::path write(const std::string& relative, const std::string& text) const;

 private:
  std::filesystem::path path_;
};

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs the built kpilint binary with `args` in `cwd`, feeding `input` on stdin.
RunResult run_kpilint(const std::vector<std::string>& args, const std::filesystem::path& cwd,
                      const std::string& input = "", const std::vector<std::string>& env = {});

std::string read_file(const std::filesystem::path& path);
std::filesystem::path source_dir();  // the repository root

}  // namespace kpilint::test
