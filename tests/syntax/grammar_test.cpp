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

// string_run scans 16 bytes at a time; it must match exactly what its byte
// class in kpi.peg matches (the base class, run byte by byte), at every
// length and offset around the 16-byte steps, for every byte value.
TEST_CASE("string_run: the bulk scan matches the byte class of kpi.peg", "[syntax][grammar]") {
  namespace g = kpilint::syntax::grammar;
  namespace p = tao::pegtl;
  using byte_class = p::plus<p::ranges<'\x01', '\t', '\x0B', '\x0C', '\x0E', '!', '#', '[', ']', '\x7F'>>;
  const auto consumed = [](auto rule, const std::string& text) {
    p::memory_input<p::tracking_mode::lazy, p::eol::lf_crlf> in(text.data(), text.data() + text.size(), "");
    const bool ok = p::parse<decltype(rule)>(in);
    return ok ? static_cast<long>(in.current() - text.data()) : -1L;
  };
  std::uint32_t seed = 12345;
  const auto next = [&] { return seed = seed * 1664525u + 1013904223u; };
  for (int round = 0; round < 4000; ++round) {
    const std::size_t length = next() % 48;
    std::string text(length, 'a');
    for (char& c : text) c = static_cast<char>('a' + next() % 26);
    // One byte from outside the class at a random place (or none), of any value.
    if (length > 0 && next() % 4 != 0) text[next() % length] = static_cast<char>(next() % 256);
    INFO("round " << round << ", length " << length);
    CHECK(consumed(g::string_run{}, text) == consumed(byte_class{}, text));
  }
  for (int byte = 0; byte < 256; ++byte) {
    for (std::size_t at : {0u, 1u, 15u, 16u, 17u, 31u, 32u, 40u}) {
      std::string text(41, 'x');
      text[at] = static_cast<char>(byte);
      INFO("byte " << byte << " at " << at);
      CHECK(consumed(g::string_run{}, text) == consumed(byte_class{}, text));
    }
  }
}

// identifier matches with a byte table; it must match what its rule in
// kpi.peg (ident_first ident_other*, run rule by rule) matches.
TEST_CASE("identifier: the table scan matches ident_first ident_other*", "[syntax][grammar]") {
  namespace g = kpilint::syntax::grammar;
  namespace p = tao::pegtl;
  using by_rules = p::seq<g::ident_first, p::star<g::ident_other>>;
  const auto consumed = [](auto rule, const std::string& text) {
    p::memory_input<p::tracking_mode::lazy, p::eol::lf_crlf> in(text.data(), text.data() + text.size(), "");
    const bool ok = p::parse<decltype(rule)>(in);
    return ok ? static_cast<long>(in.current() - text.data()) : -1L;
  };
  const std::string alphabet = "az AZ09_-.:@\n\x80\xff";
  std::uint32_t seed = 777;
  const auto next = [&] { return seed = seed * 1664525u + 1013904223u; };
  for (int round = 0; round < 4000; ++round) {
    std::string text(next() % 12, ' ');
    for (char& c : text) c = next() % 3 == 0 ? alphabet[next() % alphabet.size()] : static_cast<char>(next() % 256);
    INFO("round " << round);
    CHECK(consumed(g::identifier{}, text) == consumed(by_rules{}, text));
  }
  for (int byte = 0; byte < 256; ++byte) {
    for (const std::string& text : {std::string(1, static_cast<char>(byte)) + "ab", "ab" + std::string(1, static_cast<char>(byte)) + "c"}) {
      INFO("byte " << byte);
      CHECK(consumed(g::identifier{}, text) == consumed(by_rules{}, text));
    }
  }
}

// value goes straight to `words` on a word's first byte; on any input it
// must do what the plain ordered choice of kpi.peg does: match the same
// bytes, or raise at the same place.
TEST_CASE("value: the dispatch on the first byte matches the ordered choice", "[syntax][grammar]") {
  namespace g = kpilint::syntax::grammar;
  namespace p = tao::pegtl;
  using plain = p::sor<g::target, g::string, g::date, g::quarter, g::number, g::at_ref, g::list, g::words>;
  const auto outcome = [](auto rule, const std::string& text) {
    p::memory_input<p::tracking_mode::lazy, p::eol::lf_crlf> in(text.data(), text.data() + text.size(), "");
    try {
      const bool ok = p::parse<decltype(rule)>(in);
      return ok ? static_cast<long>(in.current() - text.data()) : -1L;
    } catch (const p::parse_error& e) {
      return -1000L - static_cast<long>(e.positions().front().byte);
    }
  };
  const std::vector<std::string> pieces = {"business", "sum monthly", ">= 12 USD by 2026-Q4 ± 5%", "\"a\"", "2026-12-31",
                                           "2026-Q3", "-4.5k", "@ana", "[@a, @b]", "x: y", "_a1", "9z", " ", "\n",
                                           "\"", "[", ">", "@", "by", "±", ","};
  std::uint32_t seed = 4242;
  const auto next = [&] { return seed = seed * 1664525u + 1013904223u; };
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    for (std::size_t n = 1 + next() % 3; n > 0; --n) text += pieces[next() % pieces.size()];
    INFO("text: " << text);
    CHECK(outcome(g::value{}, text) == outcome(plain{}, text));
  }
}
