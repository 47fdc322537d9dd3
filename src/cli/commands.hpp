#pragma once
// The subcommands. main.cpp declares the options with CLI11 and calls these;
// each returns the process exit code (0 clean, 1 findings, 2 usage/config/I/O).
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kpilint::cli {

struct CheckOptions {
  std::vector<std::string> paths;
  std::string format = "text";
  std::optional<std::string> config;
  std::vector<std::string> select, ignore, severity;  // severity: CODE=LEVEL
  std::optional<int> max_warnings;
  bool exit_zero = false;
  std::optional<std::string> stdin_filename;
  std::string lang;  // "en" or "pt"; main.cpp sets the language before run_check
  std::string color = "auto";
  bool quiet = false;
  unsigned jobs = 0;
  bool timings = false;  // print where the time went to stderr
  bool syntax_only = false;  // --syntax-only: parse, report KPI001 only
};

struct GraphOptions {
  std::vector<std::string> paths;  // the workspace around them; files: only their declarations
  std::string format = "dot";      // dot | mermaid
  std::optional<std::string> config;
};

int run_check(const CheckOptions& options);
int run_graph(const GraphOptions& options);

struct ReportOptions {
  std::string html;                // the file to write
  std::vector<std::string> paths;  // as for check
  std::optional<std::string> config;
};
int run_report(const ReportOptions& options);
int run_rules();
int run_explain(const std::string& code_or_name);

}  // namespace kpilint::cli
