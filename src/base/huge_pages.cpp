#include "base/huge_pages.hpp"

#include <sys/mman.h>

#include <limits>
#include <mutex>
#include <utility>
#include <vector>

// LeakSanitizer looks for pointers in the heap, stacks and globals, not in
// memory mapped by hand: heap blocks that only an arena chunk or the entity
// array points to (a list's items, a KPI's children) would look leaked when
// a run ends without tearing the workspace down, as the CLI does. Such
// mappings are registered as root regions.
#if defined(__SANITIZE_ADDRESS__)
#define KPILINT_LSAN_ROOTS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KPILINT_LSAN_ROOTS 1
#endif
#endif
#ifdef KPILINT_LSAN_ROOTS
#include <sanitizer/lsan_interface.h>
#endif

namespace kpilint::huge_pages {

namespace {
std::size_t rounded(std::size_t bytes) { return (bytes + kThreshold - 1) / kThreshold * kThreshold; }
struct Kept {
  std::mutex mutex;
  std::vector<std::pair<void*, std::size_t>> mappings;
  std::size_t bytes = 0;
};
Kept& kept() {
  static Kept* instance = new Kept;  // never destroyed: deallocations may come during exit
  return *instance;
}
}  // namespace

std::size_t kept_bytes() {
  Kept& k = kept();
  std::lock_guard lock(k.mutex);
  return k.bytes;
}

void* allocate(std::size_t bytes) {
  if (bytes > std::numeric_limits<std::size_t>::max() / 2) throw std::bad_alloc();  // and rounding cannot wrap
  bytes = rounded(bytes);
  {
    Kept& k = kept();
    std::lock_guard lock(k.mutex);
    for (auto it = k.mappings.begin(); it != k.mappings.end(); ++it) {
      if (it->second != bytes) continue;
      void* pointer = it->first;
      k.mappings.erase(it);
      k.bytes -= bytes;
#ifdef KPILINT_LSAN_ROOTS
      __lsan_register_root_region(pointer, bytes);
#endif
      return pointer;
    }
  }
  void* pointer = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (pointer == MAP_FAILED) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
  ::madvise(pointer, bytes, MADV_HUGEPAGE);  // may fail (no THP): ordinary pages then
#endif
#ifdef KPILINT_LSAN_ROOTS
  __lsan_register_root_region(pointer, bytes);
#endif
  return pointer;
}

void deallocate(void* pointer, std::size_t bytes) noexcept {
  bytes = rounded(bytes);
#ifdef KPILINT_LSAN_ROOTS
  __lsan_unregister_root_region(pointer, bytes);
#endif
  {
    Kept& k = kept();
    std::lock_guard lock(k.mutex);
    if (k.bytes + bytes <= kKeptAtMost) {
      try {
        k.mappings.emplace_back(pointer, bytes);
        k.bytes += bytes;
        return;
      } catch (...) {
      }
    }
  }
  ::munmap(pointer, bytes);
}

}  // namespace kpilint::huge_pages
