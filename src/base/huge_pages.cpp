#include "base/huge_pages.hpp"

#include <sys/mman.h>

namespace kpilint::huge_pages {

void* allocate(std::size_t bytes) {
  void* pointer = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (pointer == MAP_FAILED) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
  ::madvise(pointer, bytes, MADV_HUGEPAGE);  // may fail (no THP): ordinary pages then
#endif
  return pointer;
}

void deallocate(void* pointer, std::size_t bytes) noexcept { ::munmap(pointer, bytes); }

}  // namespace kpilint::huge_pages
