// The github format: workflow commands, errors then warnings then notices.
#include "fixture.hpp"

namespace kpilint::render::test {
namespace {

std::string github(std::span<const Diagnostic> diagnostics, const RenderOptions& options = {}) {
  return render(Format::Github, diagnostics, summarize(diagnostics, 1), options);
}

TEST_CASE("github: annotations by severity, stable within each", "[render][github]") {
  const SourceFile growth("kpis/growth.kpi", std::string(kGrowth));
  const SourceFile other("kpis/other.kpi", std::string(kOther));
  CHECK(github(growth_diagnostics(growth, &other)) ==
        "::error file=kpis/growth.kpi,line=11,col=5,endLine=11,endColumn=18,title=KPI101 missing-owner::"
        "KPI 'total_revenue' has no owner%0Ahelp: Every KPI needs one accountable owner: add `owner: @someone`.\n"
        "::error file=kpis/growth.kpi,line=20,col=9,endLine=20,endColumn=15,title=KPI003 unresolved-reference::"
        "no person or team named 'nobdy'%0Ahelp: did you mean `@nobody`?\n"
        "::error file=kpis/other.kpi,line=3,col=5,endLine=3,endColumn=18,title=KPI002 duplicate-definition::"
        "'total_revenue' is already defined\n"
        "::warning file=kpis/growth.kpi,line=19,col=19,endLine=19,endColumn=24,title=KPI006 unknown-field::"
        "unknown field 'prent' in kpi 'paid_conversion'%0Ahelp: did you mean `parent`?\n"
        "::notice file=kpis/growth.kpi,line=4,col=11,endLine=4,endColumn=23,title=KPI118 objective-without-review::"
        "objective 'grow_revenue' has no review cadence%0Ahelp: Add `review: monthly` (or quarterly) so someone "
        "looks at it.\n"
        "::notice file=kpis/growth.kpi,line=14,col=11,endLine=15,endColumn=18,title=KPI109 target-without-variance::"
        "the target of 'total_revenue' states no acceptable variance\n");
  CHECK(github({}).empty());
}

TEST_CASE("github: escaping as in @actions/core", "[render][github]") {
  const SourceFile f("kpis/a,b:c%.kpi", "kpi x {}\n");
  const auto d = make(f, {4, 5}, Severity::Warning, "KPI122", "naming-convention",
                "50% of names: a,b\r\nnot snake_case");
  // Message data escapes %, CR and LF only; property values also ':' and ','.
  CHECK(github(std::span(&d, 1)) ==
        "::warning file=kpis/a%2Cb%3Ac%25.kpi,line=1,col=5,endLine=1,endColumn=6,title=KPI122 naming-convention::"
        "50%25 of names: a,b%0D%0Anot snake_case\n");
  // No file, no code: no properties at all.
  const Diagnostic bare = fileless(Severity::Warning, "", "", "m");
  CHECK(github(std::span(&bare, 1)) == "::warning::m\n");
}

TEST_CASE("github: paths are as shown, relative to the current directory", "[render][github]") {
  // GitHub resolves them against the checkout, where the step runs; a kpilint
  // workspace in a subdirectory must not shorten them.
  const SourceFile f("kpis/x.kpi", "kpi x {}\n");
  const auto d = make(f, {4, 5}, Severity::Info, "KPI123", "missing-title", "m");
  RenderOptions options;
  options.cwd = "/repo/sub";
  options.workspace_root = "/repo";
  CHECK(github(std::span(&d, 1), options) ==
        "::notice file=kpis/x.kpi,line=1,col=5,endLine=1,endColumn=6,title=KPI123 missing-title::m\n");
}

}  // namespace
}  // namespace kpilint::render::test
