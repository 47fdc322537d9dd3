// kpilint's command line: option parsing only; the work is in the library.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/fmt_command.hpp"
#include "cli/lsp_command.hpp"

int main(int argc, char** argv) {
  using namespace kpilint::cli;
  CLI::App app{"kpilint: a linter for KPI alignment (.kpi files)", "kpilint"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "kpilint 0.1.0");

  CheckOptions check;
  auto* check_cmd = app.add_subcommand("check", "Lint files or directories (default: the whole workspace)");
  check_cmd->add_option("paths", check.paths, "Files or directories to report on ('-' reads standard input)");
  check_cmd->add_option("--format", check.format, "Output format")
      ->check(CLI::IsMember({"text", "json", "gcc", "sarif", "github"}));
  check_cmd->add_option("--config", check.config, "Use this kpilint.toml");
  check_cmd->add_option("--select", check.select, "Only these rules (codes, names or code prefixes)")->allow_extra_args(false)->delimiter(',');
  check_cmd->add_option("--ignore", check.ignore, "Switch these rules off")->allow_extra_args(false)->delimiter(',');
  check_cmd->add_option("--severity", check.severity, "Change a rule's severity: CODE=error|warning|info|off")
      ->allow_extra_args(false);
  check_cmd->add_option("--max-warnings", check.max_warnings, "Exit 1 when there are more warnings than this")
      ->check(CLI::NonNegativeNumber);
  check_cmd->add_flag("--exit-zero", check.exit_zero, "Exit 0 even when errors are found");
  check_cmd->add_option("--stdin-filename", check.stdin_filename, "Read this file's text from standard input");
  check_cmd->add_option("--lang", check.lang, "Message language")->check(CLI::IsMember({"en", "pt"}));
  check_cmd->add_option("--color", check.color, "Colour output")->check(CLI::IsMember({"auto", "always", "never"}));
  check_cmd->add_flag("-q,--quiet", check.quiet, "Print findings only, no summary");
  check_cmd->add_option("-j,--jobs", check.jobs, "Parser threads (default: all cores)");
  check_cmd->add_flag("--timings", check.timings, "Print the time of each phase to standard error");

  FmtOptions fmt_options;
  auto* fmt_cmd = app.add_subcommand("fmt", "Format .kpi files canonically (comments kept, atomic writes)");
  fmt_cmd->add_option("paths", fmt_options.paths,
                      "Files or directories to format (default: the workspace; '-' formats standard input)");
  fmt_cmd->add_flag("--check", fmt_options.check, "Write nothing; list files that would change and exit 1 if any");
  fmt_cmd->add_flag("--diff", fmt_options.diff, "Write nothing; print a unified diff and exit 1 if any file would change");
  fmt_cmd->add_option("--stdin-filename", fmt_options.stdin_filename,
                      "Format standard input to standard output; F names it in messages");
  fmt_cmd->add_flag("-q,--quiet", fmt_options.quiet, "No summary line");

  auto* lsp_cmd = app.add_subcommand("lsp", "Run the language server over standard input and output");

  app.add_subcommand("rules", "List the rules: code, name, default severity, summary");
  std::string explain_what;
  auto* explain_cmd = app.add_subcommand("explain", "Explain a rule, with a failing and a passing example");
  explain_cmd->add_option("rule", explain_what, "A rule code (KPI110) or name (vanity-metric)")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;  // usage errors are exit 2 (SPEC §5)
  }
  if (check_cmd->parsed()) return run_check(check);
  if (fmt_cmd->parsed()) return run_fmt(fmt_options);
  if (lsp_cmd->parsed()) return run_lsp();
  if (app.got_subcommand("rules")) return run_rules();
  if (explain_cmd->parsed()) return run_explain(explain_what);
  return 2;
}
