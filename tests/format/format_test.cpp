// The formatter: layout, comments, blank lines, values, line endings, and the
// two properties (idempotent, meaning kept) on hand-written and corpus files.
#include <filesystem>
#include <string>

#include <catch2/catch.hpp>

#include "format/format.hpp"
#include "format_test_util.hpp"
#include "support.hpp"

using kpilint::format::format_text;
using kpilint::format::test::check_properties;

namespace {

// Formats and checks the properties; the formatted text must be `expected`.
void expect_format(const std::string& input, const std::string& expected) {
  INFO("input:\n" << input);
  const std::string output = check_properties(input);
  CHECK(output == expected);
}

}  // namespace

TEST_CASE("fmt: canonical layout of declarations and fields", "[format]") {
  expect_format(
      "use   std.marketing\n"
      "person joao { name: \"João Pereira\"  function: marketing_support }\n"
      "kpi   x   {\n"
      "      title:\"X\"\n"
      "level :   business\n"
      "}\n"
      "kpi empty{ }\n"
      "team t {}",
      "use std.marketing\n"
      "\n"
      "person joao {\n"
      "  name: \"João Pereira\"\n"
      "  function: marketing_support\n"
      "}\n"
      "\n"
      "kpi x {\n"
      "  title: \"X\"\n"
      "  level: business\n"
      "}\n"
      "\n"
      "kpi empty {}\n"
      "\n"
      "team t {}\n");
}

TEST_CASE("fmt: separators and several fields on one line", "[format]") {
  expect_format("kpi a { title: \"A\"; level: business;; owner: @x\n unit: USD owner: @y ; }\n",
                "kpi a {\n"
                "  title: \"A\"\n"
                "  level: business\n"
                "  owner: @x\n"
                "  unit: USD\n"
                "  owner: @y\n"
                "}\n");
}

TEST_CASE("fmt: values are re-printed token by token", "[format]") {
  expect_format(
      "kpi v {\n"
      "  a: avg\t  monthly\n"
      "  b: [ x,y ,  [1_200_000 , 4.5M],@p, ]\n"
      "  c: [ ]\n"
      "  d: >=18%   by   2026-12-31   +-   1%\n"
      "  e: <= 1_200_000 USD by 2026-Q4 \xC2\xB1 5 points\n"
      "  f: >  high\n"
      "  g: = \"yes\"  +- 2\n"
      "  h: -0.35\n"
      "  i: 2026-02-30\n"
      "  j: [>= 5 by 2026-Q1, < 3%]\n"
      "}\n",
      "kpi v {\n"
      "  a: avg monthly\n"
      "  b: [x, y, [1_200_000, 4.5M], @p]\n"
      "  c: []\n"
      "  d: >= 18% by 2026-12-31 \xC2\xB1 1%\n"
      "  e: <= 1_200_000 USD by 2026-Q4 \xC2\xB1 5 points\n"
      "  f: > high\n"
      "  g: = \"yes\" \xC2\xB1 2\n"
      "  h: -0.35\n"
      "  i: 2026-02-30\n"
      "  j: [>= 5 by 2026-Q1, < 3%]\n"
      "}\n");
}

TEST_CASE("fmt: strings are kept exactly as written", "[format]") {
  expect_format(
      "person p { name: \"Reduzir o custo por lead \\u{1F45F}\"  email: \"a\\\"b\\\\c\\n\\td\"  function: \"日本語 ✓\" }",
      "person p {\n"
      "  name: \"Reduzir o custo por lead \\u{1F45F}\"\n"
      "  email: \"a\\\"b\\\\c\\n\\td\"\n"
      "  function: \"日本語 ✓\"\n"
      "}\n");
}

TEST_CASE("fmt: comments stay where they are", "[format]") {
  expect_format(
      "# file header\n"
      "\n"
      "# about the use\n"
      "use std.marketing   # trailing use\n"
      "# before kpi\n"
      "kpi a {   # after the brace\n"
      "  # before title\n"
      "      # and more\n"
      "  title: \"A\"     # trailing title\n"
      "  level: business; owner: @x # trailing owner\n"
      "# before the close, at column 0\n"
      "}  # after the close\n"
      "kpi b { } # after an empty body\n"
      "kpi c { # header only\n"
      "}\n"
      "kpi d { # header\n"
      "} # close\n"
      "kpi e {\n"
      "  # only a comment\n"
      "}\n"
      "# the end\n"
      "  # really\n",
      "# file header\n"
      "\n"
      "# about the use\n"
      "use std.marketing  # trailing use\n"
      "\n"
      "# before kpi\n"
      "kpi a {  # after the brace\n"
      "  # before title\n"
      "  # and more\n"
      "  title: \"A\"  # trailing title\n"
      "  level: business\n"
      "  owner: @x  # trailing owner\n"
      "  # before the close, at column 0\n"
      "}  # after the close\n"
      "\n"
      "kpi b {}  # after an empty body\n"
      "\n"
      "kpi c {}  # header only\n"
      "\n"
      "kpi d {  # header\n"
      "}  # close\n"
      "\n"
      "kpi e {\n"
      "  # only a comment\n"
      "}\n"
      "# the end\n"
      "# really\n");
}

TEST_CASE("fmt: comments between the name and the brace", "[format]") {
  expect_format(
      "kpi a   # on the name\n"
      "# own line before the brace\n"
      "{ # on the brace\n"
      "  title: \"A\"\n"
      "}\n",
      "kpi a {  # on the name\n"
      "  # own line before the brace\n"
      "  # on the brace\n"
      "  title: \"A\"\n"
      "}\n");
}

TEST_CASE("fmt: a list with a comment inside is kept verbatim", "[format]") {
  expect_format(
      "team t {\n"
      "      members: [@a,   # the lead\n"
      "         @b]   # after\n"
      "  name:   \"T\"\n"
      "}\n",
      "team t {\n"
      "  members: [@a,   # the lead\n"
      "         @b]  # after\n"
      "  name: \"T\"\n"
      "}\n");
}

TEST_CASE("fmt: blank lines", "[format]") {
  // One between block declarations whatever the author did; between `use`
  // lines, fields and comment groups one is kept where there were any.
  expect_format(
      "\n\n\nuse std.a\nuse std.b\n\n\n\nuse std.c\nkpi a {\n\n\n  title: \"A\"\n\n\n\n  level: business\n"
      "  owner: @x\n\n  # group\n\n  unit: USD\n\n\n}\n\n\n\nkpi b {}\nkpi c {}\n\n\n# end\n\n\n",
      "use std.a\n"
      "use std.b\n"
      "\n"
      "use std.c\n"
      "\n"
      "kpi a {\n"
      "  title: \"A\"\n"
      "\n"
      "  level: business\n"
      "  owner: @x\n"
      "\n"
      "  # group\n"
      "\n"
      "  unit: USD\n"
      "}\n"
      "\n"
      "kpi b {}\n"
      "\n"
      "kpi c {}\n"
      "\n"
      "# end\n");
}

TEST_CASE("fmt: empty files and files with only comments", "[format]") {
  expect_format("", "");
  expect_format("\n\n  \n", "");
  expect_format("# just a note", "# just a note\n");
  expect_format("  # one   \n\n\n# two\n", "# one\n\n# two\n");
}

TEST_CASE("fmt: CRLF line endings are kept", "[format]") {
  expect_format("# c\r\nkpi a { title: \"A\" # t\r\n  level: business }\r\nuse std.x\r\n",
                "# c\r\nkpi a {\r\n  title: \"A\"  # t\r\n  level: business\r\n}\r\n\r\nuse std.x\r\n");
  // A list kept verbatim does not get doubled CRs.
  expect_format("team t {\r\n  members: [@a, # x\r\n  @b]\r\n}\r\n",
                "team t {\r\n  members: [@a, # x\r\n  @b]\r\n}\r\n");
}

TEST_CASE("fmt: a byte order mark is kept", "[format]") {
  expect_format("\xEF\xBB\xBFkpi a {   }", "\xEF\xBB\xBFkpi a {}\n");
}

TEST_CASE("fmt: a file with syntax errors is left alone", "[format]") {
  const std::string text = "kpi a {\n  title: \"A\"\n  level: : business\n}\n";
  const auto result = format_text(text);
  CHECK_FALSE(result.ok);
  CHECK(result.output == text);
  CHECK(result.error_line == 3);
  CHECK(result.error_column == 10);
  CHECK_FALSE(result.error_message.empty());

  const auto unterminated = format_text("person p { name: \"Jo\xC3\xA3o }\n");
  CHECK_FALSE(unterminated.ok);
  CHECK(unterminated.error_line == 1);

  const auto bad_comment = format_text("# bad \xFF byte\nkpi a {}\n");
  CHECK_FALSE(bad_comment.ok);
}

TEST_CASE("fmt: tricky inputs keep their meaning and are idempotent", "[format]") {
  const char* cases[] = {
      "use std.marketing kpi a { title: \"A\" } use std.business",
      "kpi a{title:\"x\";level:business}kpi b{}",
      "kpi a {\n  target: >= 5 USD\n  by: 2026-Q1\n}\n",
      "kpi a { aggregation: sum weekly unit: USD }",
      "kpi a { kpi: x\n metric: kpi }\n",
      "experiment e { kpi: k owner: @o stop: \"after 4 weeks\" }",
      "kpi a { set_by: [[a, [b, [c]]], \"d\", 2026-Q1, 2026-01-01, -3, 4k] }",
      "kpi a { target: >=18% by 2026-12-31\xC2\xB1 1% }",
      "kpi a { target: < \"soon\" target: = x y }",
      "kpi a { t: [ # c1\n  a, # c2\n  [b, # c3\n c] # c4\n ] # c5\n}",
      "kpi a {\n\t# tab comment\t\n\ttitle: \"x\"\t# t\n}\n# end\r",
      "#\n#\n\n#\nkpi a {#\n#\n}#\n#",
      "kpi a { title: \"\" }\r\n\r\n\r\nkpi b {}\r\n",
      "kpi a\n\n{\n\n}\n",
      "use a.b.c # x\n# y\nuse d\n\n# z\n",
      "kpi a { t: \"\\u{48}\\u{10FFFF}\" }",
  };
  for (const char* text : cases) {
    INFO("input:\n" << text);
    const auto result = format_text(text);
    CHECK(result.ok);
    check_properties(text);
  }
}

TEST_CASE("fmt: every .kpi file of the repository keeps its meaning and is idempotent", "[format]") {
  namespace fs = std::filesystem;
  const fs::path root = KPILINT_SOURCE_DIR;
  std::size_t files = 0, formatted = 0;
  for (const char* dir : {"tests", "examples", "stdlib"}) {
    for (auto it = fs::recursive_directory_iterator(root / dir); it != fs::recursive_directory_iterator(); ++it) {
      const auto& entry = *it;
      // tests/bench holds generated corpora (git-ignored, a million lines), not repository files.
      if (entry.is_directory() && entry.path() == root / "tests" / "bench") {
        it.disable_recursion_pending();
        continue;
      }
      if (!entry.is_regular_file() || entry.path().extension() != ".kpi") continue;
      ++files;
      const std::string text = kpilint::test::read_file(entry.path());
      INFO(entry.path().string());
      check_properties(text);
      formatted += format_text(text).ok;
      // The same file with CRLF line ends formats to the same text, with CRLFs.
      std::string crlf;
      for (const char c : text) {
        if (c == '\n') crlf += '\r';
        crlf += c;
      }
      const std::string out = check_properties(crlf);
      const auto lf = format_text(text);
      if (lf.ok) {
        std::string expected;
        for (const char c : lf.output) {
          if (c == '\n') expected += '\r';
          expected += c;
        }
        CHECK(out == expected);
      }
    }
  }
  CHECK(files >= 10);
  CHECK(formatted >= 5);
}

TEST_CASE("fmt: golden files", "[format]") {
  namespace fs = std::filesystem;
  const fs::path golden = fs::path(KPILINT_SOURCE_DIR) / "tests" / "format" / "golden";
  std::size_t pairs = 0;
  for (const auto& entry : fs::directory_iterator(golden)) {
    if (entry.path().extension() != ".in") continue;
    fs::path expected_path = entry.path();
    expected_path.replace_extension(".out");
    INFO(entry.path().string());
    const std::string input = kpilint::test::read_file(entry.path());
    const std::string expected = kpilint::test::read_file(expected_path);
    REQUIRE_FALSE(expected.empty());
    CHECK(check_properties(input) == expected);
    CHECK(check_properties(expected) == expected);
    ++pairs;
  }
  CHECK(pairs >= 1);
}
