#include "render/graph.hpp"

#include <fmt/format.h>

#include <unordered_set>
#include <vector>

namespace kpilint::render {

namespace {

using model::DeclKind;
using model::Entity;
using model::FieldId;

// Labels may hold any text: quotes and backslashes escaped for dot, quotes as
// an entity for Mermaid, line breaks as spaces for both.
std::string dot_label(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += (c == '\n' || c == '\r') ? ' ' : c;
  }
  return out;
}

std::string mermaid_label(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '"') {
      out += "#quot;";
    } else {
      out += (c == '\n' || c == '\r') ? ' ' : c;
    }
  }
  return out;
}

struct Graph {
  std::vector<const Entity*> nodes;
  std::vector<std::pair<const Entity*, const Entity*>> edges;  // from the served to the serving
};

Graph collect(const model::Model& model) {
  Graph graph;
  std::unordered_set<const Entity*> included;
  for (const auto& entity : model.entities()) {
    const Entity& e = *entity;
    if ((e.kind != DeclKind::Objective && e.kind != DeclKind::Kpi) || !e.checkable()) continue;
    if (e.document == nullptr || !e.document->reported) continue;
    graph.nodes.push_back(&e);
    included.insert(&e);
  }
  for (const Entity* e : graph.nodes) {
    if (e->kind != DeclKind::Kpi) continue;
    for (const FieldId id : {FieldId::Objective, FieldId::Parent}) {
      const Entity* to = e->slot(id).ref;
      if (to != nullptr && included.count(to)) graph.edges.emplace_back(to, e);
    }
  }
  return graph;
}

}  // namespace

std::optional<GraphFormat> parse_graph_format(std::string_view name) {
  if (name == "dot") return GraphFormat::Dot;
  if (name == "mermaid") return GraphFormat::Mermaid;
  return std::nullopt;
}

std::string render_graph(const model::Model& model, GraphFormat format) {
  const Graph graph = collect(model);
  std::string out;
  if (format == GraphFormat::Dot) {
    out += "digraph kpilint {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n";
    for (const Entity* e : graph.nodes) {
      const char* shape = e->kind == DeclKind::Objective ? "box, style=bold" : model::is_business(*e) ? "ellipse, style=bold" : "ellipse";
      out += fmt::format("  \"{}\" [shape={}, label=\"{}\"];\n", e->name, shape, dot_label(model::title_or_name(*e)));
    }
    for (const auto& [from, to] : graph.edges) out += fmt::format("  \"{}\" -> \"{}\";\n", from->name, to->name);
    out += "}\n";
    return out;
  }
  // Mermaid: objectives are rectangles, business KPIs stadiums, marketing KPIs
  // rounded. Ids get a prefix: a KPI may be called `end`, a Mermaid keyword.
  out += "flowchart LR\n";
  for (const Entity* e : graph.nodes) {
    const std::string label = mermaid_label(model::title_or_name(*e));
    if (e->kind == DeclKind::Objective) {
      out += fmt::format("  n_{}[\"{}\"]\n", e->name, label);
    } else if (model::is_business(*e)) {
      out += fmt::format("  n_{}([\"{}\"])\n", e->name, label);
    } else {
      out += fmt::format("  n_{}(\"{}\")\n", e->name, label);
    }
  }
  for (const auto& [from, to] : graph.edges) out += fmt::format("  n_{} --> n_{}\n", from->name, to->name);
  return out;
}

}  // namespace kpilint::render
