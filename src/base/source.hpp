#pragma once
// One source text and its line index. Parse trees and diagnostics keep
// string_views and spans into `text`, so a SourceFile is created once, held by
// pointer, and never moved.
#include <atomic>
#include <memory>
#include <string>
#include <string_view>

#include "base/line_index.hpp"
#include "base/span.hpp"

namespace kpilint {

// Tag: the text is kept elsewhere (a workspace's Arena) for longer than the
// SourceFile lives.
struct BorrowText {};

struct SourceFile {
  SourceFile(std::string path, std::string text);  // owns its text
  SourceFile(std::string path, std::string_view text, BorrowText);
  SourceFile(const SourceFile&) = delete;
  SourceFile& operator=(const SourceFile&) = delete;
  ~SourceFile();

  std::string path;  // as shown to the user (relative to the current directory)

 private:
  std::string owned_text_;  // empty when borrowed

 public:
  std::string_view text;

  // Built on first use: most files of a large workspace never have a finding,
  // so their line starts are never needed. Safe to call from several threads.
  const LineIndex& lines() const;

  std::string_view slice(Span span) const { return std::string_view(text).substr(span.begin, span.size()); }

 private:
  // Published with one compare-and-swap (std::call_once made a futex call
  // per file, a thousand of them in a large report); two threads that race
  // both build it, and one keeps its own.
  mutable std::atomic<const LineIndex*> lines_{nullptr};
};

}  // namespace kpilint
