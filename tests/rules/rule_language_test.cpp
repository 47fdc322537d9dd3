// Parsing and type-checking rule files: every error with its exact position.
#include <catch2/catch.hpp>

#include "rule_test_support.hpp"
#include "rules/rule.hpp"

using namespace kpilint;
using test::rule_errors;
using Errors = std::vector<std::string>;

namespace {

// A minimal custom rule around one `require:` expression (line 4, column 12).
std::string with_require(const std::string& expr, const std::string& kinds = "kpi") {
  return "rule FIN001 custom-check {\n"
         "  severity: warning\n"
         "  for: " + kinds + "\n"
         "  require: " + expr + "\n"
         "  message: \"{name}\"\n"
         "}\n";
}

}  // namespace

TEST_CASE("a well-formed custom rule file loads") {
  rules::RulePack pack = rules::RulePack::builtin();
  std::vector<Diagnostic> errors;
  const std::string text = R"(# finance policy
rule FIN001 budget-owner {
  severity: error
  for: kpi where level == business and (metric.category in [outcome, efficiency])
  require: has(owner) and owner.function in [finance, executive]
    or count(children where rollup == sum) >= 2
  at: owner
  message: "business KPI '{name}' is owned by {owner} ({owner.function}); {{finance}} wants it"
  help: """
    Ask finance.
  """
  summary: "finance owns business KPIs"
}

rule FIN002 team-size {
  severity: info
  for: team
  require: count(members) <= option(max_team_size, 8) and not any(owned where target.deadline < 2025-01-01)
  message: "team {name} is large"
}
)";
  REQUIRE(pack.add_file("policy/finance.rules", text, errors));
  CHECK(errors.empty());
  const rules::RuleInfo* info = pack.find("FIN001");
  REQUIRE(info != nullptr);
  CHECK(info->name == "budget-owner");
  CHECK(info->default_severity == Severity::Error);
  CHECK(pack.find("team-size")->code == "FIN002");
  CHECK(pack.infos().back().code == "FIN002");
  CHECK(pack.rule_source("FIN002").substr(0, 21) == "rule FIN002 team-size");
  const rules::Rule* rule = pack.find_rule("FIN001");
  REQUIRE(rule != nullptr);
  CHECK(rule->help.parts.at(0).text == "Ask finance.");
  CHECK(rule->at == model::FieldId::Owner);
  // The built-in pack itself is untouched.
  CHECK(rules::RulePack::builtin().find("FIN001") == nullptr);
}

TEST_CASE("syntax errors point at the first token that does not parse") {
  CHECK(rule_errors("rule FIN001 x {\n  severity warning\n}\n") == Errors{"2:12: expected `:` after the property name"});
  CHECK(rule_errors("rule FIN001 x {\n  severity: warning\n  for kpi\n") ==
        Errors{"3:7: expected `:` after the property name"});
  CHECK(rule_errors("rule FIN001 x {\n  message: \"oops\n}\n") ==
        Errors{"2:17: unterminated string: a string ends with `\"` on its line (use \"\"\"…\"\"\" for text that spans "
               "lines)"});
  CHECK(rule_errors("rule FIN001 x {\n  require: has(owner) and\n}\n") ==
        Errors{"3:1: expected an expression after `and` / `not`"});
  CHECK(rule_errors("rule FIN001 x {\n  require: count(kpis where)\n}\n") == Errors{"2:28: expected an expression"});
  CHECK(rule_errors("rule FIN001 x {\n  message: \"{ }\"\n}\n") ==
        Errors{"2:15: expected an expression after `{` (write `{{` for a literal brace)"});
  CHECK(rule_errors("rule FIN001 x {\n  message: \"a \\q\"\n}\n") ==
        Errors{"2:16: invalid escape: use \\\", \\\\, \\n, \\t, \\{, \\} or \\u{…}"});
  CHECK(rule_errors("rule {\n}\n") ==
        Errors{"1:6: expected a rule code after `rule` (upper-case letters then digits, e.g. `FIN001`)"});
  CHECK(rule_errors("rules FIN001 x {}\n") == Errors{"1:1: expected a rule: `rule CODE name { … }`"});
  CHECK(rule_errors("rule FIN001 x {\n  rationale: \"\"\"\n    never closed\n") ==
        Errors{"4:1: unterminated text block: expected the closing \"\"\""});
}

TEST_CASE("the parser recovers at the next rule and reports each broken rule") {
  const std::string text = "rule FIN001 a {\n  severity warning\n}\n"
                           "rule FIN002 b {\n  severity: warning\n  for: kpi\n  require: has(owner)\n  message: \"m\"\n}\n"
                           "rule FIN003 c {\n  for: kpi where\n}\n";
  CHECK(rule_errors(text) == Errors{"2:12: expected `:` after the property name", "12:1: expected an expression"});
}

TEST_CASE("property errors") {
  CHECK(rule_errors("rule FIN001 x {\n  severty: warning\n}\n") ==
        Errors{"2:3: unknown property `severty` (did you mean `severity`?); a rule has severity, for, require, at, "
               "message, help, summary, rationale, example"});
  CHECK(rule_errors("rule FIN001 x {\n  severity: warning\n  severity: info\n  for: kpi\n  require: has(owner)\n"
                    "  message: \"m\"\n}\n") == Errors{"3:3: duplicate property `severity` in rule FIN001"});
  CHECK(rule_errors("rule FIN001 x {\n  for: kpi\n  require: has(owner)\n}\n") ==
        Errors{"1:13: rule FIN001 has no `severity:` (error, warning or info)", "1:13: rule FIN001 has no `message:`"});
  CHECK(rule_errors("rule FIN001 x {\n  severity: warn\n  for: kpi\n  require: has(owner)\n  message: \"m\"\n}\n") ==
        Errors{"2:13: unknown severity `warn` (did you mean `warning`?); one of error, warning, info"});
  CHECK(rule_errors("rule FIN001 x {\n  severity: info\n  for: kpi\n  require: has(owner)\n  message: \"m\"\n"
                    "  summary: \"{name}\"\n}\n") ==
        Errors{"6:13: `{…}` interpolation is only allowed in message and help, not in summary (write `{{` for a "
               "literal brace)"});
  CHECK(rule_errors("rule FIN001 x {\n  severity: info\n  builtin: true\n  summary: \"s\"\n}\n") ==
        Errors{"1:13: `builtin:` is reserved for kpilint's own language diagnostics"});
}

TEST_CASE("codes and names: well-formed, unique, built-in codes reserved") {
  auto rule = [](const std::string& code, const std::string& name) {
    return "rule " + code + " " + name + " {\n  severity: info\n  for: kpi\n  require: has(owner)\n  message: \"m\"\n}\n";
  };
  CHECK(rule_errors(rule("fin1", "x")) ==
        Errors{"1:6: malformed rule code `fin1`: upper-case letters then digits, e.g. `FIN001`"});
  CHECK(rule_errors(rule("FIN001", "Budget_Owner")) ==
        Errors{"1:13: malformed rule name `Budget_Owner`: lower-case words joined by `-`, e.g. `budget-owner`"});
  CHECK(rule_errors(rule("KPI101", "my-owner")) ==
        Errors{"1:6: rule codes starting with KPI are reserved for kpilint's built-in rules; use a prefix of your own, "
               "e.g. `FIN001`",
               "1:6: duplicate rule code `KPI101`: already used by KPI101 missing-owner (rules/ownership.rules:3:6)"});
  CHECK(rule_errors(rule("FIN001", "missing-owner")) ==
        Errors{"1:13: duplicate rule name `missing-owner`: already used by KPI101 missing-owner "
               "(rules/ownership.rules:3:6)"});
  CHECK(rule_errors(rule("FIN001", "a") + rule("FIN001", "b")) ==
        Errors{"7:6: duplicate rule code `FIN001`: already used by FIN001 a (custom.rules:1:6)"});
}

TEST_CASE("type errors point at the offending name") {
  CHECK(rule_errors(with_require("has(ownr)")) == Errors{"4:16: unknown field `ownr` for kpi (did you mean `owner`?)"});
  CHECK(rule_errors(with_require("level == marketting")) ==
        Errors{"4:21: `marketting` is not a level word (did you mean `marketing`?); one of business, marketing"});
  CHECK(rule_errors(with_require("marketting == level")) ==
        Errors{"4:12: `marketting` is not a level word (did you mean `marketing`?); one of business, marketing"});
  CHECK(rule_errors(with_require("target.deadline == \"soon\"")) == Errors{"4:12: cannot compare a date with a string"});
  CHECK(rule_errors(with_require("target.deadline < 2026-Q1 and title < 3")) ==
        Errors{"4:42: `<`, `<=`, `>` and `>=` compare numbers or dates; this compares a string with a number"});
  CHECK(rule_errors(with_require("hass(owner)")) ==
        Errors{"4:12: unknown function `hass` (did you mean `has`?); functions: has, is_number, matches, same_unit, "
               "option, if, missing, count, any, all"});
  CHECK(rule_errors(with_require("has(owner, source)")) == Errors{"4:12: `has` takes 1 argument, not 2"});
  CHECK(rule_errors(with_require("has(owner)", "kpis")) ==
        Errors{"3:8: unknown declaration kind `kpis` (did you mean `kpi`?); one of person, team, objective, kpi, "
               "metric, experiment"});
  CHECK(rule_errors(with_require("count(kpiz) > 0", "objective")) ==
        Errors{"4:18: unknown relation `kpiz` (did you mean `kpis`?); relations: kpis and tree (objective), children "
               "and descendants (kpi), owned (person, team), members (team)"});
  CHECK(rule_errors(with_require("count(kpis) > 0")) == Errors{"4:18: `kpis` is a relation of objective, not of kpi"});
  CHECK(rule_errors(with_require("parent.levle == business")) ==
        Errors{"4:19: unknown field `levle` for kpi (did you mean `level`?)"});
  CHECK(rule_errors(with_require("target.dedline == 2026-01-01")) ==
        Errors{"4:19: a target has value, unit, deadline and variance, not `dedline` (did you mean `deadline`?)"});
  CHECK(rule_errors(with_require("source.length > 3")) == Errors{"4:19: `source` is a string; it has no `length`"});
  CHECK(rule_errors(with_require("owner")) ==
        Errors{"4:12: `require` needs a condition (true or false); this is a reference to a person or team"});
  CHECK(rule_errors(with_require("kpis", "objective")) ==
        Errors{"4:12: `kpis` is a relation: use it in count(kpis), any(kpis where …) or all(kpis where …)"});
  CHECK(rule_errors(with_require("level == function")) ==
        Errors{"4:12: cannot compare a level word with a marketing function word"});
  CHECK(rule_errors(with_require("matches(name, title)")) ==
        Errors{"4:26: the pattern of `matches` is a string literal or option(name, \"default\")"});
  const auto regex_errors = rule_errors(with_require("matches(name, \"[a-\")"));
  REQUIRE(regex_errors.size() == 1);
  CHECK(regex_errors[0].rfind("4:26: invalid regular expression: ", 0) == 0);
  CHECK(rule_errors(with_require("same_unit(unit, title)")) ==
        Errors{"4:28: `same_unit` compares units (unit, target.unit, parent.unit); this is a string"});
  CHECK(rule_errors(with_require("foo in set_by")) ==
        Errors{"4:12: `foo` is not a stakeholder word; one of executive, finance, sales, marketing, demand_gen, "
               "marketing_support, product, leadership, operations, customer_success, engineering, data, board"});
  CHECK(rule_errors(with_require("level in [business, markting]")) ==
        Errors{"4:32: `markting` is not a level word (did you mean `marketing`?); one of business, marketing"});
}

TEST_CASE("`at:` and interpolated expressions are checked too") {
  const std::string text = "rule FIN001 x {\n  severity: info\n  for: kpi\n  require: has(owner)\n  at: ownr\n"
                           "  message: \"{name} {levl}\"\n}\n";
  CHECK(rule_errors(text) == Errors{"5:7: `at:` names a field of kpi; `ownr` is not one (did you mean `owner`?)",
                                    "6:21: unknown field `levl` for kpi (did you mean `level`?)"});
}

TEST_CASE("bare words: enum words, declaration names, fields") {
  // An enum word on the other side of an enum field; a reference compared with a name.
  CHECK(rule_errors(with_require("level == business and metric == roas and owner.function != sales")).empty());
  CHECK(rule_errors(with_require("kind == kpi and name != legacy_kpi")).empty());
  CHECK(rule_errors(with_require("kind == kpis")) == Errors{"4:20: `kpis` is not a declaration kind (did you mean `kpi`?)"});
  // Two fields of the same type compare.
  CHECK(rule_errors(with_require("owner == parent.owner and unit == target.unit")).empty());
  CHECK(rule_errors(with_require("aggregation.method == sum and aggregation.period != daily")).empty());
  CHECK(rule_errors(with_require("aggregation.method == weekly")) ==
        Errors{"4:34: `weekly` is not an aggregation method word; one of sum, avg, min, max, last, count, ratio"});
}
