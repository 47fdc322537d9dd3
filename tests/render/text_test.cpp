// The text format: exact expected output, written out by hand.
#include "fixture.hpp"

namespace kpilint::render::test {
namespace {

using namespace std::string_literals;

std::string text(std::span<const Diagnostic> diagnostics, std::size_t files, bool color = false) {
  RenderOptions options;
  options.color = color;
  return render(Format::Text, diagnostics, summarize(diagnostics, files), options);
}

TEST_CASE("text: carets, gutters, help, notes, fixes, multi-line and Unicode", "[render][text]") {
  const SourceFile growth("kpis/growth.kpi", std::string(kGrowth));
  const SourceFile other("kpis/other.kpi", std::string(kOther));
  const auto diagnostics = growth_diagnostics(growth, &other);

  // Line 19: columns count characters (ç, ã and the emoji are one each: `prent`
  // is at column 19), the carets sit under `prent` on a terminal, where the
  // emoji takes two cells. Line 20: the tab shows as 4 spaces; column 9.
  CHECK(text(diagnostics, 2) == R"(kpis/growth.kpi:4:11: info[KPI118]: objective 'grow_revenue' has no review cadence
  |
4 | objective grow_revenue {
  |           ^^^^^^^^^^^^
  = help: Add `review: monthly` (or quarterly) so someone looks at it.

kpis/growth.kpi:11:5: error[KPI101]: KPI 'total_revenue' has no owner
   |
11 | kpi total_revenue {
   |     ^^^^^^^^^^^^^
   = help: Every KPI needs one accountable owner: add `owner: @someone`.

kpis/growth.kpi:14:11: info[KPI109]: the target of 'total_revenue' states no acceptable variance
   |
14 |   target: 1200000
   |           ^^^^^^^

kpis/growth.kpi:19:19: warning[KPI006]: unknown field 'prent' in kpi 'paid_conversion'
   |
19 |   title: "ç ã 😀", prent: total_revenue
   |                    ^^^^^
   = help: did you mean `parent`?
   = fix: Replace `prent` with `parent`

kpis/growth.kpi:20:9: error[KPI003]: no person or team named 'nobdy'
   |
20 |     owner: @nobdy
   |            ^^^^^^
   = help: did you mean `@nobody`?

kpis/other.kpi:3:5: error[KPI002]: 'total_revenue' is already defined
  |
3 | kpi total_revenue {
  |     ^^^^^^^^^^^^^
  = note: first defined here: kpis/growth.kpi:11:5

Found 3 errors, 1 warning and 2 infos in 2 files.
)");
}

TEST_CASE("text: the caret line under Unicode text, byte for byte", "[render][text]") {
  // The same as above, without trusting an editor's idea of emoji width:
  // 2 spaces, `title:`, space, quote, ç, space, ã, space, the emoji (2 cells),
  // quote, comma, space = 19 cells before the carets.
  const SourceFile growth("kpis/growth.kpi", std::string(kGrowth));
  const auto diagnostics = growth_diagnostics(growth);
  const std::string out = text(std::span(diagnostics).subspan(3, 1), 1);
  CHECK(out.find("\n   | " + std::string(19, ' ') + "^^^^^\n") != std::string::npos);
  CHECK(out.rfind("kpis/growth.kpi:19:19: ", 0) == 0);
}

TEST_CASE("text: colour only when asked", "[render][text]") {
  const SourceFile other("kpis/other.kpi", std::string(kOther));
  const SourceFile growth("kpis/growth.kpi", std::string(kGrowth));
  const auto all = growth_diagnostics(growth, &other);
  const std::span<const Diagnostic> duplicate = std::span(all).subspan(5, 1);
  const std::span<const Diagnostic> info = std::span(all).subspan(0, 1);
  const std::span<const Diagnostic> warning = std::span(all).subspan(3, 1);

  const std::string plain = text(duplicate, 1);
  CHECK(plain.find('\x1b') == std::string::npos);

  const std::string reset = "\x1b[0m", bold = "\x1b[1m", blue = "\x1b[1;34m", red = "\x1b[1;31m";
  CHECK(text(duplicate, 1, true) ==
        bold + "kpis/other.kpi:3:5:" + reset + " " + red + "error[KPI002]" + reset + bold +
            ": 'total_revenue' is already defined" + reset + "\n" +  //
            blue + "  |" + reset + "\n" +                              //
            blue + "3 |" + reset + " kpi total_revenue {\n" +          //
            blue + "  |" + reset + " " + "    " + red + "^^^^^^^^^^^^^" + reset + "\n" +
            blue + "  =" + reset + " " + bold + "note" + reset + ": first defined here: kpis/growth.kpi:11:5\n" +
            "\n" +  //
            "Found 1 error in 1 file.\n");

  CHECK(text(info, 1, true).find("\x1b[1;36minfo[KPI118]\x1b[0m") != std::string::npos);
  CHECK(text(warning, 1, true).find("\x1b[1;33mwarning[KPI006]\x1b[0m") != std::string::npos);
}

TEST_CASE("text: summary line pluralisation", "[render][text]") {
  CHECK(summary_line({3, 0, 0, 0}) == "All checks passed (3 files).");
  CHECK(summary_line({1, 0, 0, 0}) == "All checks passed (1 file).");
  CHECK(summary_line({0, 0, 0, 0}) == "All checks passed (0 files).");
  CHECK(summary_line({1, 1, 0, 0}) == "Found 1 error in 1 file.");
  CHECK(summary_line({2, 0, 2, 0}) == "Found 2 warnings in 2 files.");
  CHECK(summary_line({1, 0, 0, 1}) == "Found 1 info in 1 file.");
  CHECK(summary_line({1, 0, 1, 1}) == "Found 1 warning and 1 info in 1 file.");
  CHECK(summary_line({2, 2, 0, 3}) == "Found 2 errors and 3 infos in 2 files.");
  CHECK(summary_line({2, 3, 1, 2}) == "Found 3 errors, 1 warning and 2 infos in 2 files.");
  CHECK(summary_line({5, 1, 1, 1}) == "Found 1 error, 1 warning and 1 info in 5 files.");
  // A file that could not be read was not checked: never "all checks passed".
  CHECK(summary_line({1, 0, 0, 0, 1}) == "No problems found in 1 file, but 1 file could not be read.");
  CHECK(summary_line({3, 0, 0, 0, 2}) == "No problems found in 3 files, but 2 files could not be read.");
  CHECK(summary_line({1, 2, 0, 0, 1}) == "Found 2 errors in 1 file; 1 file could not be read.");

  CHECK(text({}, 3) == "All checks passed (3 files).\n");
}

TEST_CASE("text: quiet prints the findings only", "[render][text]") {
  const SourceFile other("kpis/other.kpi", std::string(kOther));
  const auto d = make(other, find(other, "total_revenue"), Severity::Error, "KPI101", "missing-owner", "m");
  RenderOptions options;
  options.quiet = true;
  CHECK(render(Format::Text, {}, Summary{3}, options).empty());
  CHECK(render(Format::Text, std::span(&d, 1), summarize(std::span(&d, 1), 1), options) ==
        "kpis/other.kpi:3:5: error[KPI101]: m\n"
        "  |\n"
        "3 | kpi total_revenue {\n"
        "  |     ^^^^^^^^^^^^^\n"
        "\n");
}

TEST_CASE("text: a report of thousands of findings is each finding in order, then the summary", "[render][text]") {
  const SourceFile growth("kpis/growth.kpi", std::string(kGrowth));
  const SourceFile other("kpis/other.kpi", std::string(kOther));
  const auto many = many_diagnostics(growth, other, 3001);
  check_whole_is_each(Format::Text, summary_line(summarize(many, 2)) + "\n");
}

TEST_CASE("text: summarize counts by severity", "[render][text]") {
  const SourceFile growth("kpis/growth.kpi", std::string(kGrowth));
  const SourceFile other("kpis/other.kpi", std::string(kOther));
  const Summary s = summarize(growth_diagnostics(growth, &other), 4);
  CHECK(s.files == 4);
  CHECK(s.errors == 3);
  CHECK(s.warnings == 1);
  CHECK(s.infos == 2);
}

TEST_CASE("text: control characters and invalid UTF-8 never reach the terminal raw", "[render][text]") {
  // ESC, an invalid byte, SOH, DEL, a C1 control (U+0085), a right-to-left override.
  const SourceFile bad("bad.kpi", "kpi x {\x1b[31m \xff\x01\x7f\xc2\x85\u202e bad }\n");
  const auto d = make(bad, find(bad, "bad"), Severity::Error, "KPI001", "syntax-error",
                      "unexpected \x1b[2J\ninput \xfe");
  const std::string out = text(std::span(&d, 1), 1);
  // 7 + ␛ + 4 + space + �␁␡�� + space = 19 characters (and cells) before `bad`.
  CHECK(out == "bad.kpi:1:20: error[KPI001]: unexpected \u241b[2J\u240ainput \ufffd\n"
               "  |\n"
               "1 | kpi x {\u241b[31m \ufffd\u2401\u2421\ufffd\ufffd bad }\n"s
               "  | " + std::string(19, ' ') + "^^^\n"
               "\n"
               "Found 1 error in 1 file.\n");
}

TEST_CASE("text: empty ranges, end of file, lines ending in CRLF", "[render][text]") {
  SECTION("an empty range at the end of a file without a final newline gets one caret past the end") {
    const SourceFile f("eof.kpi", "kpi x {");
    const auto d = make(f, {7, 7}, Severity::Error, "KPI001", "syntax-error", "expected `}`");
    CHECK(text(std::span(&d, 1), 1) ==
          "eof.kpi:1:8: error[KPI001]: expected `}`\n"
          "  |\n"
          "1 | kpi x {\n"
          "  |        ^\n"
          "\n"
          "Found 1 error in 1 file.\n");
  }
  SECTION("CRLF: the carriage return is not shown and a range over it stops at the line's end") {
    const SourceFile f("crlf.kpi", "kpi x {\r\n}\r\n");
    const auto d = make(f, {4, 8}, Severity::Warning, "KPI122", "naming-convention", "m");
    CHECK(text(std::span(&d, 1), 1) ==
          "crlf.kpi:1:5: warning[KPI122]: m\n"
          "  |\n"
          "1 | kpi x {\n"
          "  |     ^^^\n"
          "\n"
          "Found 1 warning in 1 file.\n");
  }
  SECTION("an empty line") {
    const SourceFile f("blank.kpi", "kpi x {}\n\n");
    const auto d = make(f, {9, 9}, Severity::Info, "KPI999", "x", "m");
    CHECK(text(std::span(&d, 1), 1) ==
          "blank.kpi:2:1: info[KPI999]: m\n"
          "  |\n"
          "2 |\n"
          "  | ^\n"
          "\n"
          "Found 1 info in 1 file.\n");
  }
  SECTION("a diagnostic without a file") {
    const Diagnostic d = fileless(Severity::Warning, "KPI008", "unused-suppression", "m", "h");
    CHECK(text(std::span(&d, 1), 0) == "warning[KPI008]: m\n  = help: h\n\nFound 1 warning in 0 files.\n");
  }
}

}  // namespace
}  // namespace kpilint::render::test
