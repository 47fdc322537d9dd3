#pragma once
// The .kpi texts the LSP tests share: three files of a small workspace, and a
// file with Portuguese accents and an emoji before a dangling name.
namespace kpilint::test::fixtures {

inline constexpr const char* kPeople = R"(person ceo { name: "Dana Kim" function: executive }
person joao { name: "João Pereira" function: demand_gen }
team growth_team { name: "Growth" members: [@joao] }
)";

inline constexpr const char* kObjectives = R"(objective growth {
  title: "Crescer a receita"
  owner: @ceo
  horizon: 2026-Q4
  review: quarterly
}
)";

inline constexpr const char* kKpis = R"(use std.marketing

kpi revenue_total {
  title: "Receita total"
  level: business
  objective: growth
  metric: revenue
  owner: @ceo
  source: "erp.revenue"
  aggregation: sum monthly
  target: >= 10M USD by 2026-12-31 ± 5%
}

kpi ecom_sales {
  title: "Vendas online revenue_total"
  level: marketing
  parent: revenue_total
  metric: revenue
  owner: @joao
  source: "shopify.orders"   # revenue_total in a comment
  function: demand_gen
  target: >= 2M USD by 2026-09-30 ± 5%
}
)";

// Line 1 has Portuguese accents and an emoji before the dangling parent.
inline constexpr const char* kAccents = R"(use std.marketing
kpi conversao {
  title: "Conversão da ação 🚀"  parent: revenue_totl
  level: marketing
  metric: revenue
  owner: @joao
  source: "ga4.conversions"
  target: >= 3 percent by 2026-Q4 ± 1
}
)";

}  // namespace kpilint::test::fixtures
