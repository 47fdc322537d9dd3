#pragma once
// An allocator for the few large, long-lived arrays of a run (the model's
// entities): an allocation of 2 MiB or more is its own anonymous mapping,
// marked for transparent huge pages. A million-line workspace otherwise pays
// a page fault (and a TLB entry) for every 4 KiB it touches; with huge pages
// it is one per 2 MiB. Smaller allocations, or a kernel without THP, get
// ordinary memory: the advice is only advice.
#include <cstddef>
#include <limits>
#include <memory>
#include <new>

namespace kpilint {

namespace huge_pages {
inline constexpr std::size_t kThreshold = std::size_t{2} << 20;
// Sizes are rounded up to whole huge pages. A mapping given back is kept, up
// to kKeptAtMost bytes in all, for the next allocation of the same rounded
// size: a language server makes a model of the same shape after every edit,
// and fresh memory costs a page clearing (on a VM often a host fault too).
inline constexpr std::size_t kKeptAtMost = std::size_t{256} << 20;
void* allocate(std::size_t bytes);            // a kept mapping, or mmap + MADV_HUGEPAGE; throws std::bad_alloc
void deallocate(void* pointer, std::size_t bytes) noexcept;
std::size_t kept_bytes();                     // mappings kept for reuse now
}  // namespace huge_pages

template <typename T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) noexcept {}

  T* allocate(std::size_t n) {
    if (n > std::numeric_limits<std::size_t>::max() / sizeof(T)) throw std::bad_array_new_length();
    const std::size_t bytes = n * sizeof(T);
    if (bytes < huge_pages::kThreshold) return std::allocator<T>().allocate(n);
    return static_cast<T*>(huge_pages::allocate(bytes));
  }
  void deallocate(T* pointer, std::size_t n) noexcept {
    const std::size_t bytes = n * sizeof(T);
    if (bytes < huge_pages::kThreshold) return std::allocator<T>().deallocate(pointer, n);
    huge_pages::deallocate(pointer, bytes);
  }
  template <typename U>
  friend bool operator==(const HugePageAllocator&, const HugePageAllocator<U>&) noexcept {
    return true;
  }
};

}  // namespace kpilint
