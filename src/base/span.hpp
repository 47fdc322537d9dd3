#pragma once
// A half-open byte range inside one source text. Byte offsets are the only
// positions the library stores; lines and columns are computed at the edges
// (renderers, the language server) through LineIndex.
#include <cstdint>

namespace kpilint {

struct Span {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;

  constexpr std::uint32_t size() const { return end - begin; }
  constexpr bool empty() const { return begin == end; }
  constexpr bool contains(std::uint32_t offset) const { return begin <= offset && offset < end; }
  friend constexpr bool operator==(Span, Span) = default;
};

}  // namespace kpilint
