#include "base/diagnostic.hpp"

#include <algorithm>
#include <tuple>

namespace kpilint {

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Info: return "info";
  }
  return "error";
}

void sort_diagnostics(std::vector<Diagnostic>& diagnostics) {
  std::stable_sort(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
    const std::string_view pa = a.location.file ? std::string_view(a.location.file->path) : std::string_view();
    const std::string_view pb = b.location.file ? std::string_view(b.location.file->path) : std::string_view();
    return std::tie(pa, a.location.span.begin, a.code) < std::tie(pb, b.location.span.begin, b.code);
  });
}

}  // namespace kpilint
