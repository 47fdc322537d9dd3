#pragma once
// One source text and its line index. Parse trees and diagnostics keep
// string_views and spans into `text`, so a SourceFile is created once, held by
// pointer, and never moved.
#include <memory>
#include <string>
#include <string_view>

#include "base/line_index.hpp"
#include "base/span.hpp"

namespace kpilint {

struct SourceFile {
  SourceFile(std::string path, std::string text);
  SourceFile(const SourceFile&) = delete;
  SourceFile& operator=(const SourceFile&) = delete;

  std::string path;  // as shown to the user (relative to the current directory)
  std::string text;
  LineIndex lines;

  std::string_view slice(Span span) const { return std::string_view(text).substr(span.begin, span.size()); }
};

}  // namespace kpilint
