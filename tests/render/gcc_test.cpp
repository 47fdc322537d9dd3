// The gcc format: one line per finding, no summary.
#include "fixture.hpp"

namespace kpilint::render::test {
namespace {

std::string gcc(std::span<const Diagnostic> diagnostics) {
  return render(Format::Gcc, diagnostics, summarize(diagnostics, 1), RenderOptions{});
}

TEST_CASE("gcc: one line per finding", "[render][gcc]") {
  const SourceFile growth("kpis/growth.kpi", std::string(kGrowth));
  const SourceFile other("kpis/other.kpi", std::string(kOther));
  CHECK(gcc(growth_diagnostics(growth, &other)) ==
        R"(kpis/growth.kpi:4:11: info: objective 'grow_revenue' has no review cadence [KPI118]
kpis/growth.kpi:11:5: error: KPI 'total_revenue' has no owner [KPI101]
kpis/growth.kpi:14:11: info: the target of 'total_revenue' states no acceptable variance [KPI109]
kpis/growth.kpi:19:19: warning: unknown field 'prent' in kpi 'paid_conversion' [KPI006]
kpis/growth.kpi:20:9: error: no person or team named 'nobdy' [KPI003]
kpis/other.kpi:3:5: error: 'total_revenue' is already defined [KPI002]
)");
  CHECK(gcc({}).empty());
}

TEST_CASE("gcc: a report of thousands of findings is each finding's line, in order", "[render][gcc]") {
  check_whole_is_each(Format::Gcc, "");
}

TEST_CASE("gcc: a message stays on its line", "[render][gcc]") {
  const SourceFile f("a.kpi", "kpi x {}\n");
  const auto d = make(f, {4, 5}, Severity::Error, "KPI001", "syntax-error", "two\nlines\r and \xff");
  CHECK(gcc(std::span(&d, 1)) == "a.kpi:1:5: error: two lines  and \ufffd [KPI001]\n");
}

}  // namespace
}  // namespace kpilint::render::test
