// Random damage to real files: every fixture and example is a seed; each
// round writes three of them, cut, spliced and sprinkled with troublesome
// bytes and tokens, into a workspace and runs `check` (json and text) and
// `fmt --check` on it. Whatever the input, the answer is exit 0, 1 or 2, no
// sanitizer report, and (for check) a well-formed JSON report. The seed is
// fixed, so a failure reproduces; a crash or hang fails the test (or hits
// CTest's timeout).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "support.hpp"

using kpilint::test::read_file;
using kpilint::test::run_kpilint;
using kpilint::test::TempDir;

namespace {

std::vector<std::string> seed_texts() {
  std::vector<std::filesystem::path> paths;
  for (const char* dir : {"tests/fixtures", "examples"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(kpilint::test::source_dir() / dir)) {
      if (entry.is_regular_file() && entry.path().extension() == ".kpi") paths.push_back(entry.path());
    }
  }
  std::sort(paths.begin(), paths.end());  // directory order is not stable across file systems
  std::vector<std::string> texts;
  for (const auto& path : paths) texts.push_back(read_file(path));
  return texts;
}

std::string mutate(std::string text, std::mt19937& random) {
  static const std::vector<std::string> tokens = {
      "{", "}", "[", "]", "\"", "\\", "@", ":", "\n", "\r", "\r\n", "\xC2\xB1", "\xFF", std::string(1, '\0'),
      "kpi ", "use std.", ">= ", " by 2026-Q4", "2026-13-45", std::string(40, '9'), "# kpilint: ignore ",
      "\\u{110000}", std::string(60, '['), "\t", "\xEF\xBB\xBF", "metric: ", "parent: ", "\xE2\x82"};
  const int edits = 1 + static_cast<int>(random() % 8);
  for (int i = 0; i < edits; ++i) {
    const std::size_t at = text.empty() ? 0 : random() % (text.size() + 1);
    switch (random() % 4) {
      case 0:
        if (!text.empty()) text[std::min(at, text.size() - 1)] = static_cast<char>(random() % 256);
        break;
      case 1: text.insert(at, tokens[random() % tokens.size()]); break;
      case 2: text.erase(at, random() % 30); break;
      default: text.resize(at); break;
    }
  }
  return text;
}

}  // namespace

TEST_CASE("random damage to real files: never a crash, a hang or a sanitizer report", "[e2e][bad-input]") {
  const std::vector<std::string> seeds = seed_texts();
  REQUIRE(seeds.size() > 50);
  std::mt19937 random(20261130);
  for (int round = 0; round < 40; ++round) {
    TempDir dir;
    for (int file = 0; file < 3; ++file) {
      dir.write("f" + std::to_string(file) + ".kpi", mutate(seeds[random() % seeds.size()], random));
    }
    INFO("round " << round);
    for (const std::vector<std::string>& args : {std::vector<std::string>{"check", "--format", "json", "."},
                                                 std::vector<std::string>{"check", "."},
                                                 std::vector<std::string>{"fmt", "--check", "."}}) {
      const auto r = run_kpilint(args, dir.path());
      INFO(args[0] << " " << args[1] << "\n" << r.err.substr(0, 1500));
      REQUIRE((r.exit_code == 0 || r.exit_code == 1 || r.exit_code == 2));
      CHECK(r.err.find("Sanitizer") == std::string::npos);
      CHECK(r.err.find("runtime error") == std::string::npos);
      if (args[1] == "--format" && r.exit_code != 2) CHECK_NOTHROW(nlohmann::json::parse(r.out));
    }
  }
}
