// Hostile input: bad bytes, huge and deeply nested text. parse() must not
// crash, throw, hang or go quadratic.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "syntax/tree.hpp"
#include "syntax_test_util.hpp"

using namespace kpilint;
using namespace kpilint::syntax;
using kpilint::syntax::test::line_col;
using kpilint::syntax::test::slice;

namespace {

#if defined(__OPTIMIZE__) && !defined(__SANITIZE_ADDRESS__)
constexpr std::size_t kBig = 10u << 20;  // 10 MB
constexpr double kBudgetMs = 1000;
#else
constexpr std::size_t kBig = 1u << 20;  // unoptimized builds are ~20x slower: check linearity at 1 MB
constexpr double kBudgetMs = 20000;
#endif

template <typename F>
double time_ms(F&& f) {
  const auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

TEST_CASE("empty text and comments only", "[syntax][bad]") {
  const auto empty = parse("");
  CHECK(empty.decls.empty());
  CHECK(empty.errors.empty());
  const auto ws = parse("  \n\t\n\r\n");
  CHECK(ws.decls.empty());
  CHECK(ws.errors.empty());
  const std::string text = "# one\n   # two\n#";
  const auto comments = parse(text);
  CHECK(comments.errors.empty());
  REQUIRE(comments.comments.size() == 3);
  CHECK(slice(text, comments.comments[2].span) == "#");
}

TEST_CASE("invalid UTF-8 outside strings is an error at that byte", "[syntax][bad]") {
  const std::string text = "kpi x {\n  level: \xFF\n}\nkpi y {}\n";
  const auto tree = parse(text);
  REQUIRE(tree.errors.size() == 1);
  CHECK(tree.errors[0].message == "invalid UTF-8 (byte 0xFF)");
  CHECK(tree.errors[0].span.begin == text.find('\xFF'));
  CHECK(tree.errors[0].span.size() == 1);
  CHECK(tree.decls.size() == 2);

  const std::string top = "\xC3\x28kpi y {}";
  const auto t2 = parse(top);
  REQUIRE(t2.errors.size() == 1);
  CHECK(t2.errors[0].message == "invalid UTF-8 (byte 0xC3)");
  CHECK(t2.errors[0].span.begin == 0);
}

TEST_CASE("invalid UTF-8 inside strings and comments is an error", "[syntax][bad]") {
  {
    const std::string text = "kpi x { a: \"ok \xE2\x28\xA1\" }";
    const auto tree = parse(text);
    REQUIRE(tree.errors.size() == 1);
    CHECK(tree.errors[0].message == "invalid UTF-8 in string");
    CHECK(tree.errors[0].span.begin == text.find('\xE2'));
  }
  {
    // overlong encoding and an encoded surrogate are invalid too
    CHECK(parse("kpi x { a: \"\xC0\xAF\" }").errors.size() == 1);
    CHECK(parse("kpi x { a: \"\xED\xA0\x80\" }").errors.size() == 1);
  }
  {
    const std::string text = "# bad \xFF\n# worse \xFE\nkpi x { a: 1 } # \xC3\n";
    const auto tree = parse(text);
    REQUIRE(tree.errors.size() == 1);  // reported once per file
    CHECK(tree.errors[0].message == "invalid UTF-8 in comment");
    CHECK(tree.errors[0].span.begin == text.find('\xFF'));
    CHECK(tree.comments.size() == 3);
    REQUIRE(tree.decls.size() == 1);
    CHECK_FALSE(tree.decls[0].has_error);
  }
  {
    const auto tree = parse("kpi x { a: \"é ü 😀 João\" }");
    CHECK(tree.errors.empty());
  }
}

TEST_CASE("NUL bytes are errors", "[syntax][bad]") {
  {
    const std::string text("kpi x { a: b \0 }", 16);
    const auto tree = parse(text);
    REQUIRE(tree.errors.size() == 1);
    CHECK(tree.errors[0].message == "unexpected NUL byte");
    CHECK(tree.errors[0].span.begin == 13);
  }
  {
    const std::string text("kpi x { a: \"a\0b\" }", 18);
    const auto tree = parse(text);
    REQUIRE(tree.errors.size() == 1);
    CHECK(tree.errors[0].message == "NUL byte in string");
    CHECK(tree.errors[0].span.begin == 13);
  }
  {
    const auto tree = parse("kpi x { a: \"\\u{0}\" }");
    REQUIRE(tree.errors.size() == 1);
    CHECK(tree.errors[0].message == "NUL character in string");
  }
  {
    const std::string text("# a\0b\n", 6);
    const auto tree = parse(text);
    REQUIRE(tree.errors.size() == 1);
    CHECK(tree.errors[0].message == "NUL byte in comment");
  }
  {
    const std::string text(1000, '\0');
    const auto tree = parse(text);
    CHECK(tree.errors.size() == 1);
  }
}

TEST_CASE("10,000-deep nested lists: one error, no stack overflow", "[syntax][bad]") {
  {
    const std::string text = "kpi x { a: " + std::string(10000, '[') + "\nkpi y { b: 1 }\n";
    const auto tree = parse(text);
    REQUIRE(tree.errors.size() == 1);
    CHECK(tree.errors[0].message == "lists nested too deeply (more than 64 levels)");
    CHECK(tree.errors[0].span.begin == 11 + 64);
    REQUIRE(tree.decls.size() == 2);
    CHECK(tree.decls[0].has_error);
    CHECK_FALSE(tree.decls[1].has_error);
  }
  {
    const std::string text = "kpi x { a: " + std::string(10000, '[') + std::string(10000, ']') + " }";
    CHECK(parse(text).errors.size() == 1);
  }
  {
    const std::string ok = "kpi x { a: " + std::string(64, '[') + std::string(64, ']') + " }";
    CHECK(parse(ok).errors.empty());
  }
  CHECK(parse(std::string(10000, '[')).errors.size() == 1);
  CHECK(parse(std::string(10000, '{')).errors.size() == 1);
}

TEST_CASE("random bytes never crash the parser", "[syntax][bad]") {
  std::uint32_t seed = 12345;
  const auto next = [&] {
    seed = seed * 1664525u + 1013904223u;
    return seed >> 24;
  };
  const std::string alphabet = "kpi use x{}[]:;,@\"\\#\n \t>=<+-%.0123456789QMkB_\xC2\xB1\xFF\r";
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    const std::size_t n = next() % 64;
    for (std::size_t i = 0; i < n; ++i) text += alphabet[next() % alphabet.size()];
    const auto tree = parse(text);
    for (const auto& e : tree.errors) {
      CHECK(e.span.begin <= e.span.end);
      CHECK(e.span.end <= text.size());
      CHECK_FALSE(e.message.empty());
    }
    for (const auto& d : tree.decls) CHECK(d.span.end <= text.size());
  }
}

TEST_CASE("a huge single line parses in linear time", "[syntax][bad][perf]") {
  SECTION("a comment") {
    const std::string text = "# " + std::string(kBig, 'x');
    SyntaxTree tree;
    const double ms = time_ms([&] { tree = parse(text); });
    CHECK(tree.errors.empty());
    CHECK(tree.comments.size() == 1);
    CHECK(ms < kBudgetMs);
  }
  SECTION("a string") {
    std::string text = "kpi x { a: \"";
    while (text.size() < kBig) text += "é";
    text += "\" }";
    SyntaxTree tree;
    const double ms = time_ms([&] { tree = parse(text); });
    CHECK(tree.errors.empty());
    CHECK(ms < kBudgetMs);
  }
  SECTION("many fields") {
    std::string text = "kpi x {";
    for (int i = 0; text.size() < kBig; ++i) text += " f" + std::to_string(i) + ": \"v\"";
    text += " }";
    SyntaxTree tree;
    const double ms = time_ms([&] { tree = parse(text); });
    CHECK(tree.errors.empty());
    CHECK(tree.decls.at(0).fields.size() > kBig / 16);
    CHECK(ms < 3 * kBudgetMs);  // about a million Fields to allocate: allow for a loaded machine
  }
  SECTION("garbage") {
    std::string text;
    while (text.size() < kBig) text += "} ] x 12abc \"";
    SyntaxTree tree;
    const double ms = time_ms([&] { tree = parse(text); });
    CHECK(tree.errors.size() == 1);
    CHECK(ms < kBudgetMs);
  }
  SECTION("an unterminated string") {
    const std::string text = "kpi x { a: \"" + std::string(kBig, 'x');
    SyntaxTree tree;
    const double ms = time_ms([&] { tree = parse(text); });
    REQUIRE(tree.errors.size() == 1);
    CHECK(tree.errors[0].message == "unterminated string");
    CHECK(ms < kBudgetMs);
  }
  SECTION("many broken lines") {
    std::string text = "kpi x {\n";
    while (text.size() < kBig) text += "  a: ]\n";
    SyntaxTree tree;
    const double ms = time_ms([&] { tree = parse(text); });
    CHECK(tree.errors.size() == 1);
    CHECK(ms < kBudgetMs);
  }
}
