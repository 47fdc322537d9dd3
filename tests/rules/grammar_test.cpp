// The normative grammar (grammar/rules.peg) and the PEGTL grammar mirror each
// other rule for rule, and the PEGTL grammar has no rule that can loop
// without consuming input.
#include <catch2/catch.hpp>

#include <regex>
#include <set>

#include <tao/pegtl/contrib/analyze.hpp>

#include "rules/rule_grammar.hpp"
#include "support.hpp"

namespace {

std::set<std::string> matches(const std::string& text, const std::regex& re) {
  std::set<std::string> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it) {
    out.insert((*it)[1].str());
  }
  return out;
}

}  // namespace

TEST_CASE("grammar/rules.peg and rule_grammar.hpp define the same rules") {
  const std::string peg = kpilint::test::read_file(kpilint::test::source_dir() / "grammar/rules.peg");
  const std::string hpp = kpilint::test::read_file(kpilint::test::source_dir() / "src/rules/rule_grammar.hpp");
  const auto peg_rules = matches(peg, std::regex(R"(\n([a-z_][a-z0-9_]*)\s*<-)"));
  const auto hpp_rules = matches(hpp, std::regex(R"(\nstruct ([a-z_][a-z0-9_]*)\s*[:;])"));
  REQUIRE(peg_rules.size() > 50);
  std::set<std::string> only_peg, only_hpp;
  for (const auto& r : peg_rules) {
    if (!hpp_rules.count(r)) only_peg.insert(r);
  }
  for (const auto& r : hpp_rules) {
    if (!peg_rules.count(r)) only_hpp.insert(r);
  }
  CHECK(only_peg.empty());
  CHECK(only_hpp.empty());
}

TEST_CASE("the rule grammar has no rule that loops without consuming") {
  CHECK(tao::pegtl::analyze<kpilint::rules::grammar::file>(0) == 0);
}
