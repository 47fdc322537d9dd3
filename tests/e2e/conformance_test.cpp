// Black-box cases of the contract (tests/conformance/cases/*): each folder is
// a workspace plus expect.txt, in the format of the shared conformance runner:
//   file:line:CODE[:severity]  an error or warning expected exactly there (multiset)
//   infos                      following lines are infos that must be present
//   any:CODE / maybe:CODE      somewhere / ignored
//   col file:line:CODE N       that finding's column (Unicode characters)
//   args A B …                 paths passed to `check`
//   stdin FILE NAME            FILE fed on stdin with --stdin-filename NAME
//   exit N                     expected exit code
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>
#include <sstream>

#include "support.hpp"

namespace fs = std::filesystem;
using kpilint::test::read_file;
using kpilint::test::run_kpilint;
using kpilint::test::source_dir;
using kpilint::test::TempDir;

namespace {

struct Finding {
  std::string file;
  int line = 0;
  std::string code;
  std::string severity;  // empty: any
  bool operator==(const Finding&) const = default;
};

struct Expectation {
  std::vector<Finding> exact, infos;
  std::set<std::string> any, maybe;
  std::vector<std::pair<Finding, int>> columns;
  std::vector<std::string> args;
  std::vector<std::string> stdin_spec;
  std::optional<int> exit_code;
};

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, sep)) parts.push_back(part);
  return parts;
}

Finding parse_finding(const std::string& text) {
  auto parts = split(text, ':');
  Finding f;
  if (const auto& last = parts.back(); last == "error" || last == "warning" || last == "info") {
    f.severity = last;
    parts.pop_back();
  }
  f.code = parts.back();
  f.line = std::stoi(parts[parts.size() - 2]);
  for (std::size_t i = 0; i + 2 < parts.size(); ++i) f.file += (i ? ":" : "") + parts[i];
  return f;
}

Expectation load(const fs::path& path) {
  Expectation e;
  bool infos = false;
  std::istringstream in(read_file(path));
  for (std::string line; std::getline(in, line);) {
    line.erase(0, line.find_first_not_of(" \t"));
    line.erase(line.find_last_not_of(" \t\r") + 1);
    if (line.empty() || line[0] == '#') continue;
    if (line == "infos") {
      infos = true;
      continue;
    }
    const auto space = line.find(' ');
    const std::string head = line.substr(0, space), rest = space == std::string::npos ? "" : line.substr(space + 1);
    if (head == "exit") e.exit_code = std::stoi(rest);
    else if (head == "args") e.args = split(rest, ' ');
    else if (head == "stdin") e.stdin_spec = split(rest, ' ');
    else if (head == "col") {
      const auto parts = split(rest, ' ');
      e.columns.emplace_back(parse_finding(parts[0]), std::stoi(parts[1]));
    } else if (line.rfind("any:", 0) == 0) e.any.insert(line.substr(4));
    else if (line.rfind("maybe:", 0) == 0) e.maybe.insert(line.substr(6));
    else (infos ? e.infos : e.exact).push_back(parse_finding(line));
  }
  return e;
}

void run_case(const fs::path& case_dir) {
  const Expectation expect = load(case_dir / "expect.txt");
  TempDir tmp;
  const fs::path work = tmp.path() / "ws";
  fs::copy(case_dir, work, fs::copy_options::recursive);
  fs::remove(work / "expect.txt");
  std::vector<std::string> args = {"check", "--format", "json", "--color", "never"};
  std::string input;
  if (!expect.stdin_spec.empty()) {
    input = read_file(work / expect.stdin_spec[0]);
    fs::remove(work / expect.stdin_spec[0]);
    args.push_back("--stdin-filename");
    args.push_back(expect.stdin_spec[1]);
  }
  args.insert(args.end(), expect.args.begin(), expect.args.end());
  const auto result = run_kpilint(args, work, input);
  INFO("stdout: " << result.out.substr(0, 4000) << "\nstderr: " << result.err.substr(0, 2000));
  REQUIRE(result.exit_code < 128);
  if (expect.exit_code) CHECK(result.exit_code == *expect.exit_code);
  if (expect.exit_code == 2) {
    CHECK_FALSE(result.err.empty());
    return;
  }
  const auto doc = nlohmann::json::parse(result.out);
  std::vector<Finding> got, got_infos;
  for (const auto& d : doc.at("diagnostics")) {
    const std::string code = d.at("code");
    if (expect.maybe.count(code) || expect.any.count(code)) continue;
    Finding f{d.at("file"), d.at("line"), code, d.at("severity")};
    (f.severity == "info" ? got_infos : got).push_back(f);
  }
  for (const auto& code : expect.any) {
    CHECK(std::any_of(doc.at("diagnostics").begin(), doc.at("diagnostics").end(),
                      [&](const auto& d) { return d.at("code") == code; }));
  }
  std::vector<std::string> missing, unexpected;
  for (const auto& want : expect.exact) {
    auto hit = std::find_if(got.begin(), got.end(), [&](const Finding& g) {
      return g.file == want.file && g.line == want.line && g.code == want.code &&
             (want.severity.empty() || g.severity == want.severity);
    });
    if (hit == got.end()) missing.push_back(want.file + ":" + std::to_string(want.line) + ":" + want.code);
    else got.erase(hit);
  }
  for (const auto& g : got) unexpected.push_back(g.file + ":" + std::to_string(g.line) + ":" + g.code + ":" + g.severity);
  for (const auto& want : expect.infos) {
    const bool found = std::any_of(got_infos.begin(), got_infos.end(), [&](const Finding& g) {
      return g.file == want.file && g.line == want.line && g.code == want.code;
    });
    if (!found) missing.push_back("info " + want.file + ":" + std::to_string(want.line) + ":" + want.code);
  }
  CHECK(missing == std::vector<std::string>{});
  CHECK(unexpected == std::vector<std::string>{});
  for (const auto& [where, column] : expect.columns) {
    std::vector<int> columns;
    for (const auto& d : doc.at("diagnostics")) {
      if (d.at("file") == where.file && d.at("line") == where.line && d.at("code") == where.code) columns.push_back(d.at("column"));
    }
    INFO(where.file << ":" << where.line << ":" << where.code);
    CHECK(std::find(columns.begin(), columns.end(), column) != columns.end());
  }
}

}  // namespace

namespace {
std::vector<fs::path> cases_under(const fs::path& root) {
  std::vector<fs::path> cases;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.path().filename() == "expect.txt") cases.push_back(entry.path().parent_path());
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}
}  // namespace

TEST_CASE("conformance cases hold", "[e2e][conformance]") {
  const auto cases = cases_under(source_dir() / "tests/conformance/cases");
  REQUIRE(cases.size() >= 5);
  for (const auto& dir : cases) {
    DYNAMIC_SECTION(dir.filename().string()) { run_case(dir); }
  }
}

// tests/fixtures/<area>/<case>/: the same format, one folder per rule and
// situation, each with its failing and passing declarations.
TEST_CASE("fixture workspaces give exactly the expected findings", "[e2e][fixtures]") {
  const auto cases = cases_under(source_dir() / "tests/fixtures");
  REQUIRE_FALSE(cases.empty());
  for (const auto& dir : cases) {
    DYNAMIC_SECTION(dir.lexically_relative(source_dir() / "tests/fixtures").generic_string()) { run_case(dir); }
  }
}
