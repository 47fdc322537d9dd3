// `kpilint check`: load the workspace, lint it, render, choose the exit code.
#include <unistd.h>

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <thread>
#include <memory>
#include <optional>
#include <type_traits>
#include <vector>

#include "base/i18n.hpp"
#include "cli/commands.hpp"
#include "model/loader.hpp"
#include "model/model.hpp"
#include "render/graph.hpp"
#include "render/html_report.hpp"
#include "render/render.hpp"
#include "rules/linter.hpp"
#include "rules/rule_pack.hpp"

namespace kpilint::cli {

namespace fs = std::filesystem;

namespace {

void print_error(const std::string& message) { fmt::print(stderr, "{}\n", i18n::format("cli.error", i18n::arg("message", message))); }

bool use_color(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* term = std::getenv("TERM");
  return ::isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr && !(term && std::string_view(term) == "dumb");
}

// SARIF URIs and annotations are read against the repository checkout (GitHub
// code scanning ignores uriBaseId), so they are relative to the git top level
// when there is one, else to the workspace root.
fs::path report_root(const fs::path& workspace_root) {
  std::error_code ec;
  for (fs::path at = workspace_root;; at = at.parent_path()) {
    if (fs::exists(at / ".git", ec)) return at;
    if (at == at.root_path() || at.empty()) return workspace_root;
  }
}

// Freeing a million-line workspace node by node costs more than rendering it,
// and the process is about to exit anyway: park the objects in a global
// (reachable, so LeakSanitizer stays quiet) and let exit return the memory,
// as clang's -disable-free does.
template <typename T>
void keep_until_exit(T&& value) {
  static auto* kept = new std::vector<std::shared_ptr<void>>();  // never destroyed, on purpose
  kept->push_back(std::make_shared<std::decay_t<T>>(std::forward<T>(value)));
}

void write_all(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

}  // namespace

int run_check(const CheckOptions& options) {
  using Clock = std::chrono::steady_clock;
  const auto started = Clock::now();
  const auto ms_since = [](Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); };
  model::LoadOptions load;
  load.cwd = fs::current_path();
  load.jobs = options.jobs;
  if (options.config) load.config_file = *options.config;

  // Standard input stands in for one file: --stdin-filename F, or the path '-'.
  std::optional<std::string> stdin_name = options.stdin_filename;
  std::vector<std::string> paths;
  for (const auto& path : options.paths) {
    if (path == "-") {
      if (!stdin_name) stdin_name = "stdin.kpi";
    } else {
      paths.push_back(path);
    }
  }
  if (stdin_name) {
    std::string text(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>{});
    const fs::path absolute = (load.cwd / *stdin_name).lexically_normal();
    load.overlays.emplace(absolute, std::move(text));
    if (paths.empty()) paths.push_back(*stdin_name);
  }
  for (const auto& path : paths) load.paths.emplace_back(path);

  // The built-in rule pack and the stdlib compile on a second core while the
  // workspace loads: on a pre-commit sized workspace that is a fifth of the run.
  std::thread warm_up([] {
    rules::RulePack::builtin();
    model::Stdlib::instance();
  });
  model::LoadedWorkspace loaded = model::load_workspace(load);
  warm_up.join();
  for (const auto& error : loaded.errors) print_error(error);
  if (!loaded.errors.empty()) return 2;

  rules::LintSettings settings;
  settings.select = options.select;
  settings.ignore = options.ignore;
  settings.navigation = false;
  settings.syntax_only = options.syntax_only;
  for (const auto& assignment : options.severity) {
    const auto eq = assignment.find('=');
    if (eq == std::string::npos) {
      print_error(i18n::format("cli.severity-syntax", i18n::arg("value", assignment)));
      return 2;
    }
    settings.severity.emplace_back(assignment.substr(0, eq), assignment.substr(eq + 1));
  }
  rules::LintResult result = rules::lint(loaded, settings);
  for (const auto& error : result.errors) print_error(error);
  if (!result.errors.empty()) return 2;
  // Nothing named could be read: there is no report to show, only the errors.
  if (result.files == 0 && !loaded.file_errors.empty()) {
    for (const auto& error : loaded.file_errors) print_error(error);
    return 2;
  }

  render::Summary summary = render::summarize(result.diagnostics, result.files);
  summary.unreadable = loaded.file_errors.size();
  render::RenderOptions render_options;
  render_options.color = use_color(options.color);
  render_options.cwd = load.cwd;
  render_options.workspace_root = report_root(loaded.workspace->root);
  render_options.rules = result.pack->infos();
  render_options.quiet = options.quiet;
  const auto render_start = Clock::now();
  write_all(render::render(*render::parse_format(options.format), result.diagnostics, summary, render_options));
  if (options.timings) {
    const auto& l = loaded.timings;
    const auto& r = result.timings;
    fmt::print(stderr,
               "timings (ms): discover {:.1f} | read {:.1f} + parse {:.1f} (summed over threads; wall {:.1f}) | "
               "rule pack {:.1f} | resolve {:.1f} | rules {:.1f} | finish {:.1f} | render {:.1f} | total {:.1f}\n",
               l.discover, l.read, l.parse, l.files, r.pack, r.resolve, r.rules, r.finish, ms_since(render_start),
               ms_since(started));
  }

  for (const auto& error : loaded.file_errors) print_error(error);
  const bool io_error = !loaded.file_errors.empty();
  keep_until_exit(std::move(result));
  keep_until_exit(std::move(loaded));
  if (io_error) return 2;
  if (options.exit_zero) return 0;
  if (summary.errors > 0) return 1;
  if (options.max_warnings && summary.warnings > static_cast<std::size_t>(*options.max_warnings)) return 1;
  return 0;
}

namespace {

// The model `check` builds, for the commands that show it (graph, report):
// the workspace around `paths`, linted, errors printed. nullopt means exit 2.
struct Linted {
  model::LoadedWorkspace loaded;
  rules::LintResult result;
};

std::optional<Linted> lint_workspace(const std::vector<std::string>& paths, const std::optional<std::string>& config) {
  model::LoadOptions load;
  load.cwd = fs::current_path();
  if (config) load.config_file = *config;
  for (const auto& path : paths) load.paths.emplace_back(path);
  Linted linted{model::load_workspace(load), {}};
  for (const auto& error : linted.loaded.errors) print_error(error);
  if (!linted.loaded.errors.empty()) return std::nullopt;
  rules::LintSettings settings;
  settings.navigation = false;
  linted.result = rules::lint(linted.loaded, settings);
  for (const auto& error : linted.result.errors) print_error(error);
  if (!linted.result.errors.empty() || !linted.result.model) return std::nullopt;
  return linted;
}

// Files that could not be read were left out of what was shown: exit 2.
int file_errors_exit(const model::LoadedWorkspace& loaded) {
  for (const auto& error : loaded.file_errors) print_error(error);
  return loaded.file_errors.empty() ? 0 : 2;
}

}  // namespace

int run_graph(const GraphOptions& options) {
  const auto linted = lint_workspace(options.paths, options.config);
  if (!linted) return 2;
  write_all(render::render_graph(*linted->result.model, *render::parse_graph_format(options.format)));
  return file_errors_exit(linted->loaded);
}

int run_report(const ReportOptions& options) {
  const auto linted = lint_workspace(options.paths, options.config);
  if (!linted) return 2;
  const rules::LintResult& result = linted->result;
  const render::Summary summary = render::summarize(result.diagnostics, result.files);
  const std::string html = render::render_html_report(*result.model, result.diagnostics, summary);
  std::ofstream out(options.html, std::ios::binary | std::ios::trunc);
  if (out) out.write(html.data(), static_cast<std::streamsize>(html.size()));
  if (!out || !out.flush()) {
    print_error(i18n::format("cli.fmt.cannot-write", i18n::arg("path", options.html), i18n::arg("error", std::strerror(errno))));
    return 2;
  }
  return file_errors_exit(linted->loaded);
}

int run_rules() {
  write_all(rules::format_rule_list(rules::RulePack::builtin()));
  return 0;
}

int run_explain(const std::string& code_or_name) {
  const auto& pack = rules::RulePack::builtin();
  if (const rules::RuleInfo* info = pack.find(code_or_name)) {
    write_all(rules::format_explanation(*info));
    return 0;
  }
  print_error(i18n::format("cli.unknown-rule", i18n::arg("rule", code_or_name)));
  return 2;
}

}  // namespace kpilint::cli
