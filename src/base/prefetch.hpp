#pragma once
// Asks the memory system for the cache line holding `address`, ahead of a
// read that would otherwise wait for it. Only a hint: it never faults and
// changes no result, so the address may lie past the end of a buffer.
//
// GCC 12 drops some __builtin_prefetch calls at -O2 and -O3 (all of those in
// the rule loop, as objdump showed); a volatile asm statement is kept.
#include <cstdint>

namespace kpilint {

inline void prefetch(const void* address) noexcept {
#if defined(__x86_64__) || defined(__i386__)
  asm volatile("prefetcht0 (%0)" : : "r"(address));
#else
  __builtin_prefetch(address);
#endif
}

// The `lines` cache lines from `address` on, by address arithmetic (no
// pointer past the end of an object is formed).
inline void prefetch_lines(const void* address, std::uintptr_t lines) noexcept {
  const auto at = reinterpret_cast<std::uintptr_t>(address);
  for (std::uintptr_t line = 0; line < lines; ++line) prefetch(reinterpret_cast<const void*>(at + 64 * line));
}

}  // namespace kpilint
