#pragma once
// `kpilint graph`: the alignment tree (SPEC §5), objective → business KPI →
// marketing KPI, as Graphviz dot or a Mermaid flowchart. Nodes come in path
// order; an edge points from what is served to what serves it (an objective
// to its business KPIs, a KPI to the KPIs whose parent it is).
//
//   std::string out = render::render_graph(model, render::GraphFormat::Mermaid);
#include <optional>
#include <string>
#include <string_view>

#include "model/model.hpp"

namespace kpilint::render {

enum class GraphFormat { Dot, Mermaid };

std::optional<GraphFormat> parse_graph_format(std::string_view name);

// Objectives and KPIs of the reported documents that parsed (stdlib metrics,
// duplicates and broken declarations are left out), with their titles as labels.
std::string render_graph(const model::Model& model, GraphFormat format);

}  // namespace kpilint::render
