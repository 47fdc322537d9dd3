#pragma once
// The one diagnostic type every stage produces and every renderer consumes.
#include <string>
#include <string_view>
#include <vector>

#include "base/source.hpp"
#include "base/span.hpp"

namespace kpilint {

enum class Severity : unsigned char { Error, Warning, Info };

std::string_view to_string(Severity severity);

struct Location {
  const SourceFile* file = nullptr;
  Span span;
};

struct RelatedInfo {
  Location location;
  std::string message;
};

struct TextEdit {
  Location location;  // the bytes to replace (empty span: insert)
  std::string new_text;
};

struct Fix {
  std::string title;
  std::vector<TextEdit> edits;
};

struct Diagnostic {
  Location location;
  Severity severity = Severity::Error;
  std::string code;     // "KPI101": never reused, never renamed
  std::string rule;     // "missing-owner"
  std::string message;
  std::string help;     // optional one-line advice
  std::vector<RelatedInfo> related;
  std::vector<Fix> fixes;
};

// Orders diagnostics by file path, then position, then code: the stable order
// every output format uses.
void sort_diagnostics(std::vector<Diagnostic>& diagnostics);

}  // namespace kpilint
