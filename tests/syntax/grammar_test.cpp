// The grammar itself: no rule can loop without consuming input, and the
// normative grammar/kpi.peg and the PEGTL grammar name the same rules.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include <tao/pegtl/contrib/analyze.hpp>

#include "syntax/grammar.hpp"

namespace {

std::string read(const std::string& path) {
  std::ifstream in(path);
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("the grammar has no rule that can loop without consuming input", "[syntax][grammar]") {
  CHECK(tao::pegtl::analyze<kpilint::syntax::grammar::file>(-1) == 0);
}

TEST_CASE("grammar/kpi.peg and grammar.hpp define the same rules", "[syntax][grammar]") {
  const std::string peg = read(KPILINT_SOURCE_DIR "/grammar/kpi.peg");
  const std::string hpp = read(KPILINT_SOURCE_DIR "/src/syntax/grammar.hpp");

  std::set<std::string> peg_rules;
  const std::regex peg_rule(R"(^([a-z_][a-z0-9_]*)\s*<-)", std::regex::multiline);
  for (auto it = std::sregex_iterator(peg.begin(), peg.end(), peg_rule); it != std::sregex_iterator(); ++it) {
    peg_rules.insert((*it)[1].str());
  }
  std::set<std::string> hpp_rules;
  const std::regex hpp_rule(R"(^struct ([a-z_][a-z0-9_]*)\s*:)", std::regex::multiline);
  for (auto it = std::sregex_iterator(hpp.begin(), hpp.end(), hpp_rule); it != std::sregex_iterator(); ++it) {
    hpp_rules.insert((*it)[1].str());
  }
  CHECK(peg_rules.size() > 50);
  for (const auto& r : peg_rules) {
    INFO("kpi.peg rule without a struct in grammar.hpp: " << r);
    CHECK(hpp_rules.count(r) == 1);
  }
  for (const auto& r : hpp_rules) {
    INFO("grammar.hpp struct without a rule in kpi.peg: " << r);
    CHECK(peg_rules.count(r) == 1);
  }
}

TEST_CASE("every PEG rule reference names a defined rule", "[syntax][grammar]") {
  const std::string peg = read(KPILINT_SOURCE_DIR "/grammar/kpi.peg");
  std::set<std::string> defined;
  const std::regex rule(R"(^([a-z_][a-z0-9_]*)\s*<-)", std::regex::multiline);
  for (auto it = std::sregex_iterator(peg.begin(), peg.end(), rule); it != std::sregex_iterator(); ++it) {
    defined.insert((*it)[1].str());
  }
  // Strip comments, literals and classes, then every remaining lower-case word is a rule reference.
  std::istringstream lines(peg);
  std::string line;
  const std::regex noise(R"(#.*$|"(\\.|[^"\\])*"|'(\\.|[^'\\])*'|\[(\\.|[^\]\\])*\])");
  const std::regex word(R"(\b[a-z_][a-z0-9_]*\b)");
  while (std::getline(lines, line)) {
    const std::string code = std::regex_replace(line, noise, " ");
    for (auto it = std::sregex_iterator(code.begin(), code.end(), word); it != std::sregex_iterator(); ++it) {
      const std::string name = (*it)[0].str();
      if (name == "try") continue;
      INFO(line);
      CHECK(defined.count(name) == 1);
    }
  }
}
