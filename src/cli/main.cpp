#include <malloc.h>
// kpilint's command line: option parsing only; the work is in the library.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstring>
#include <iostream>

#include "base/i18n.hpp"
#include "cli/commands.hpp"
#include "cli/fmt_command.hpp"
#include "cli/lsp_command.hpp"

namespace {

namespace i18n = kpilint::i18n;

std::string tr(std::string_view id) { return std::string(i18n::text(id)); }

// The message language, known before the options are declared so that --help
// is translated too: `--lang X` (after any subcommand), else the environment.
i18n::Language early_language(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--") == 0) break;
    if (std::strcmp(argv[i], "--lang") == 0 && i + 1 < argc) {
      if (const auto language = i18n::parse_language(argv[i + 1])) return *language;
    } else if (std::strncmp(argv[i], "--lang=", 7) == 0) {
      if (const auto language = i18n::parse_language(argv[i] + 7)) return *language;
    }
  }
  return i18n::language_from_environment();
}

// CLI11's own headings, in Portuguese (its error messages stay English).
void translate_help(CLI::App& app) {
  if (i18n::language() == i18n::Language::En) return;
  auto formatter = app.get_formatter();
  formatter->label("Usage", tr("cli.label.usage"));
  formatter->label("OPTIONS", tr("cli.label.options-upper"));
  formatter->label("SUBCOMMAND", tr("cli.label.subcommand-upper"));
  formatter->label("Positionals", tr("cli.label.positionals"));
  formatter->label("REQUIRED", tr("cli.label.required"));
  app.option_defaults()->group(tr("cli.label.options"));
  app.group(tr("cli.label.subcommands"));  // inherited by the subcommands: their group heading
  if (CLI::Option* help = app.get_help_ptr()) help->group(tr("cli.label.options"));
}

}  // namespace

int main(int argc, char** argv) {
  using namespace kpilint::cli;
  // A large workspace allocates a few hundred MB in small pieces: grow the
  // heap in big steps and never hand memory back before exit.
  mallopt(M_TOP_PAD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  i18n::set_language(early_language(argc, argv));
  CLI::App app{tr("cli.help.app"), "kpilint"};
  translate_help(app);
  app.set_help_flag("-h,--help", tr("cli.help.help"));
  app.require_subcommand(1);
  app.set_version_flag("--version", "kpilint 0.1.0", tr("cli.help.version"));

  std::string lang;  // --lang of any subcommand
  const auto add_lang = [&](CLI::App* command) {
    command->add_option("--lang", lang, tr("cli.help.lang"))->check(CLI::IsMember({"en", "pt"}));
  };

  CheckOptions check;
  auto* check_cmd = app.add_subcommand("check", tr("cli.help.check"));
  check_cmd->add_option("paths", check.paths, tr("cli.help.check.paths"));
  check_cmd->add_option("--format", check.format, tr("cli.help.check.format"))
      ->check(CLI::IsMember({"text", "json", "gcc", "sarif", "github"}));
  check_cmd->add_option("--config", check.config, tr("cli.help.check.config"));
  check_cmd->add_option("--select", check.select, tr("cli.help.check.select"))->allow_extra_args(false)->delimiter(',');
  check_cmd->add_option("--ignore", check.ignore, tr("cli.help.check.ignore"))->allow_extra_args(false)->delimiter(',');
  check_cmd->add_option("--severity", check.severity, tr("cli.help.check.severity"))->allow_extra_args(false);
  check_cmd->add_option("--max-warnings", check.max_warnings, tr("cli.help.check.max-warnings"))
      ->check(CLI::NonNegativeNumber);
  check_cmd->add_flag("--exit-zero", check.exit_zero, tr("cli.help.check.exit-zero"));
  check_cmd->add_option("--stdin-filename", check.stdin_filename, tr("cli.help.check.stdin-filename"));
  add_lang(check_cmd);
  check_cmd->add_option("--color", check.color, tr("cli.help.check.color"))
      ->check(CLI::IsMember({"auto", "always", "never"}));
  check_cmd->add_flag("-q,--quiet", check.quiet, tr("cli.help.check.quiet"));
  check_cmd->add_option("-j,--jobs", check.jobs, tr("cli.help.check.jobs"));
  check_cmd->add_flag("--timings", check.timings, tr("cli.help.check.timings"));
  check_cmd->add_flag("--syntax-only", check.syntax_only, tr("cli.help.check.syntax-only"));

  FmtOptions fmt_options;
  auto* fmt_cmd = app.add_subcommand("fmt", tr("cli.help.fmt"));
  fmt_cmd->add_option("paths", fmt_options.paths, tr("cli.help.fmt.paths"));
  fmt_cmd->add_flag("--check", fmt_options.check, tr("cli.help.fmt.check"));
  fmt_cmd->add_flag("--diff", fmt_options.diff, tr("cli.help.fmt.diff"));
  fmt_cmd->add_option("--stdin-filename", fmt_options.stdin_filename, tr("cli.help.fmt.stdin-filename"));
  fmt_cmd->add_flag("-q,--quiet", fmt_options.quiet, tr("cli.help.fmt.quiet"));
  add_lang(fmt_cmd);

  GraphOptions graph;
  auto* graph_cmd = app.add_subcommand("graph", tr("cli.help.graph"));
  graph_cmd->add_option("paths", graph.paths, tr("cli.help.graph.paths"));
  graph_cmd->add_option("--format", graph.format, tr("cli.help.graph.format"))->check(CLI::IsMember({"dot", "mermaid"}));
  graph_cmd->add_option("--config", graph.config, tr("cli.help.check.config"));
  add_lang(graph_cmd);

  ReportOptions report;
  auto* report_cmd = app.add_subcommand("report", tr("cli.help.report"));
  report_cmd->add_option("--html", report.html, tr("cli.help.report.html"))->required();
  report_cmd->add_option("paths", report.paths, tr("cli.help.report.paths"));
  report_cmd->add_option("--config", report.config, tr("cli.help.check.config"));
  add_lang(report_cmd);

  auto* lsp_cmd = app.add_subcommand("lsp", tr("cli.help.lsp"));
  add_lang(lsp_cmd);

  auto* rules_cmd = app.add_subcommand("rules", tr("cli.help.rules"));
  add_lang(rules_cmd);
  std::string explain_what;
  auto* explain_cmd = app.add_subcommand("explain", tr("cli.help.explain"));
  explain_cmd->add_option("rule", explain_what, tr("cli.help.explain.rule"))->required();
  add_lang(explain_cmd);

  if (i18n::language() != i18n::Language::En) {
    for (CLI::App* command : {check_cmd, fmt_cmd, graph_cmd, report_cmd, lsp_cmd, rules_cmd, explain_cmd}) {
      if (CLI::Option* help = command->get_help_ptr()) help->group(tr("cli.label.options"));
    }
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;  // usage errors are exit 2 (SPEC §5)
  }
  if (!lang.empty()) i18n::set_language(*i18n::parse_language(lang));  // --lang wins over the environment
  check.lang = std::string(i18n::code(i18n::language()));
  if (check_cmd->parsed()) return run_check(check);
  if (fmt_cmd->parsed()) return run_fmt(fmt_options);
  if (graph_cmd->parsed()) return run_graph(graph);
  if (report_cmd->parsed()) return run_report(report);
  if (lsp_cmd->parsed()) return run_lsp(!lang.empty());
  if (rules_cmd->parsed()) return run_rules();
  if (explain_cmd->parsed()) return run_explain(explain_what);
  return 2;
}
