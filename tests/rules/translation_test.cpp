// Portuguese rule texts: `message.pt`, `help.pt`, `summary.pt` (and
// `rationale.pt`) in the rule language, checked like the English ones, used
// when the language is Portuguese, English otherwise.
#include <catch2/catch.hpp>

#include <functional>
#include <set>

#include "base/i18n.hpp"
#include "rule_test_support.hpp"
#include "rules/rule.hpp"

using namespace kpilint;
using test::rule_errors;
using Errors = std::vector<std::string>;

namespace {

// Sets the message language for one test.
class LanguageScope {
 public:
  explicit LanguageScope(i18n::Language language) : before_(i18n::language()) { i18n::set_language(language); }
  ~LanguageScope() { i18n::set_language(before_); }
  LanguageScope(const LanguageScope&) = delete;
  LanguageScope& operator=(const LanguageScope&) = delete;

 private:
  i18n::Language before_;
};

// The field paths a template reads ("name", "parent.unit", …), through calls and conditions.
std::set<std::string> paths_of(const rules::Rule& rule, const rules::Template& t) {
  std::set<std::string> out;
  std::function<void(rules::ExprId)> walk = [&](rules::ExprId id) {
    const rules::Expr& e = rule.expr(id);
    if (e.op == rules::ExprOp::Path) {
      std::string path;
      for (const auto name : e.names) path += (path.empty() ? "" : ".") + std::string(name);
      out.insert(path);
    }
    for (const rules::ExprId arg : e.args) walk(arg);
  };
  for (const auto& part : t.parts) {
    if (part.expr != rules::kNoExpr) walk(part.expr);
  }
  return out;
}

const char* kRule = R"(rule FIN001 budget-owner {
  severity: warning
  for: kpi
  require: has(owner)
  message: "KPI '{name}' has no budget owner"
  message.pt: "A KPI '{name}' não tem responsável pelo orçamento"
  help: "Ask finance."
  help.pt: "Fale com o financeiro."
  summary: "KPIs have a budget owner"
  summary.pt: "as KPIs têm um responsável pelo orçamento"
}
rule FIN002 english-only {
  severity: info
  for: kpi
  require: has(title)
  message: "KPI '{name}' has no title, says finance"
}
)";

const char* kWorkspace = "kpi revenue { level: business }\n";

}  // namespace

TEST_CASE("every built-in rule has message.pt, help.pt and summary.pt") {
  const auto& pack = rules::RulePack::builtin();
  REQUIRE(pack.rules().size() == 31);
  for (const auto& rule : pack.rules()) {
    INFO(rule->info.code);
    CHECK_FALSE(rule->info.summary_pt.empty());
    CHECK(rule->info.summary_pt != rule->info.summary);
    if (rule->info.builtin_language) continue;
    REQUIRE(rule->message.present);
    CHECK(rule->message_pt.present);
    REQUIRE(rule->help.present);
    CHECK(rule->help_pt.present);
    // The translation speaks of the same fields as the English text.
    CHECK(paths_of(*rule, rule->message_pt) == paths_of(*rule, rule->message));
    CHECK(paths_of(*rule, rule->help_pt) == paths_of(*rule, rule->help));
  }
}

TEST_CASE("findings use message.pt and help.pt in Portuguese - a rule without them falls back to English") {
  rules::RulePack pack = rules::RulePack::builtin();
  std::vector<Diagnostic> errors;
  REQUIRE(pack.add_file("finance.rules", kRule, errors));
  const auto message_of = [&](std::string_view code) {
    const test::Linted linted = test::lint_text(kWorkspace, pack);
    for (const auto& d : linted.findings) {
      if (d.code == code) return d.message + " | " + d.help;
    }
    return std::string("none");
  };
  {
    LanguageScope pt(i18n::Language::Pt);
    CHECK(message_of("FIN001") == "A KPI 'revenue' não tem responsável pelo orçamento | Fale com o financeiro.");
    CHECK(message_of("FIN002") == "KPI 'revenue' has no title, says finance | ");
    CHECK(message_of("KPI101") ==
          "A KPI 'revenue' não tem responsável | Toda KPI precisa de um responsável: adicione `owner: @alguem` (uma "
          "pessoa ou uma equipe).");
    CHECK(pack.find("FIN001")->localized_summary() == "as KPIs têm um responsável pelo orçamento");
    CHECK(pack.find("FIN002")->localized_summary().empty());
  }
  CHECK(message_of("FIN001") == "KPI 'revenue' has no budget owner | Ask finance.");
  CHECK(pack.find("FIN001")->localized_summary() == "KPIs have a budget owner");
}

TEST_CASE("translations in rule files: known languages only, never without the English text, type-checked") {
  const std::string head = "rule FIN001 custom-check {\n  severity: warning\n  for: kpi\n  require: has(owner)\n";
  CHECK(rule_errors(head + "  message: \"x\"\n  message.pt: \"{name}\"\n  rationale.pt: \"\"\"\n    Porque sim.\n  \"\"\"\n"
                           "  rationale: \"because\"\n}\n")
            .empty());
  CHECK(rule_errors(head + "  message: \"x\"\n  message.fr: \"y\"\n}\n") ==
        Errors{"6:11: unknown language `fr` in `message.fr`: `message` itself is English, and `message.pt` its "
               "Portuguese translation"});
  CHECK(rule_errors(head + "  message: \"x\"\n  message.pt: \"y\"\n  message.pt: \"z\"\n}\n") ==
        Errors{"7:3: duplicate property `message.pt` in rule FIN001"});
  CHECK(rule_errors(head + "  message: \"x\"\n  help.pt: \"y\"\n}\n") ==
        Errors{"6:12: `help.pt` translates `help`, which rule FIN001 does not have"});
  CHECK(rule_errors(head + "  message.pt: \"y\"\n}\n") == Errors{"1:13: rule FIN001 has no `message:`"});
  CHECK(rule_errors(head + "  message: \"x\"\n  message.pt: \"{nome}\"\n}\n") ==
        Errors{"6:17: unknown field `nome` for kpi (did you mean `name`?)"});
  CHECK(rule_errors(head + "  message: \"x\"\n  summary.pt: \"{name}\"\n}\n") ==
        Errors{"6:16: `{…}` interpolation is only allowed in message and help, not in summary.pt (write `{{` for a "
               "literal brace)"});
  CHECK(rule_errors(head + "  message: \"x\"\n  message.: \"y\"\n}\n") ==
        Errors{"6:11: expected a language code after the `.`, e.g. `message.pt`"});
}

TEST_CASE("rule-file errors are in the message language too") {
  LanguageScope pt(i18n::Language::Pt);
  const std::string head = "rule FIN001 custom-check {\n  severity: warning\n  for: kpi\n  require: has(owner)\n";
  CHECK(rule_errors(head + "  message: \"x\"\n  message.pt: \"{nome}\"\n}\n") ==
        Errors{"6:17: campo desconhecido `nome` para kpi (você quis dizer `name`?)"});
  CHECK(rule_errors(head + "}\n") == Errors{"1:13: a regra FIN001 não tem `message:`"});
}

TEST_CASE("explain and the rules list in Portuguese - the rule's logic is shown without translations") {
  const auto& pack = rules::RulePack::builtin();
  {
    LanguageScope pt(i18n::Language::Pt);
    const std::string list = rules::format_rule_list(pack);
    CHECK(list.rfind("CÓDIGO  NOME", 0) == 0);
    CHECK(list.find("KPI101  missing-owner                  error      toda KPI tem um responsável\n") !=
          std::string::npos);
    const std::string explanation = rules::format_explanation(*pack.find("KPI101"));
    CHECK(explanation.rfind("KPI101 missing-owner (error)\n\ntoda KPI tem um responsável\n\nPor que importa:\n", 0) == 0);
    CHECK(explanation.find("\nFalha:\n") != std::string::npos);
    CHECK(explanation.find("\nA regra:\n") != std::string::npos);
  }
  const std::string explanation = rules::format_explanation(*pack.find("KPI101"));
  CHECK(explanation.find("message: \"KPI '{name}' has no owner\"") != std::string::npos);
  CHECK(explanation.find(".pt:") == std::string::npos);
}
