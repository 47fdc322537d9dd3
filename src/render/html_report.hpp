#pragma once
// `kpilint report --html FILE`: one self-contained HTML page (inline CSS, no
// scripts, no external resources) with the counts, the alignment tree with
// each declaration's findings, the KPIs that reach no objective, and every
// finding. Texts come from the message catalogue of the current language.
#include <span>
#include <string>

#include "base/diagnostic.hpp"
#include "model/model.hpp"
#include "render/render.hpp"

namespace kpilint::render {

std::string render_html_report(const model::Model& model, std::span<const Diagnostic> diagnostics,
                               const Summary& summary);

}  // namespace kpilint::render
