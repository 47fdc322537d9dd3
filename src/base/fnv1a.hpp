#pragma once
// FNV-1a, 64 bits: a hash that is the same across runs, platforms and
// versions (SARIF fingerprints; the compiled rule pack's check that the rule
// texts are the ones it was made from). Chain it by passing the last result.
#include <cstdint>
#include <string_view>

namespace kpilint {

inline constexpr std::uint64_t kFnv1aOffset = 0xcbf29ce484222325ULL;

inline std::uint64_t fnv1a(std::string_view bytes, std::uint64_t hash = kFnv1aOffset) {
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

}  // namespace kpilint
