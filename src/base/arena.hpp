#pragma once
// A monotonic arena for what a large run allocates once and keeps to the end:
// the source texts and parse trees of a workspace. Allocation is a pointer
// bump; nothing is freed until the arena goes. Chunks grow geometrically, so
// a ten-file run stays in a few small malloc'd chunks while a million-line
// one soon works in chunks of 2 MiB and more on transparent huge pages (one
// page fault per 2 MiB instead of per 4 KiB). Not thread-safe: one per thread.
#include <cstddef>
#include <memory>
#include <type_traits>
#include <vector>

namespace kpilint {

class Arena {
 public:
  Arena() = default;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  ~Arena();

  void* allocate(std::size_t bytes, std::size_t alignment);
  std::size_t reserved() const { return reserved_; }  // bytes in chunks so far

 private:
  struct Chunk {
    void* base;
    std::size_t size;
    bool huge;
  };
  void grow(std::size_t at_least);

  std::vector<Chunk> chunks_;
  char* next_ = nullptr;
  char* end_ = nullptr;
  std::size_t reserved_ = 0;
};

// A standard allocator over an Arena, or over the heap when it has none: a
// container can live in an arena when there is one without changing type.
// Deallocation in an arena is a no-op (the arena frees everything at once).
template <typename T>
struct ArenaAllocator {
  using value_type = T;
  using propagate_on_container_move_assignment = std::true_type;
  using propagate_on_container_swap = std::true_type;
  using is_always_equal = std::false_type;

  ArenaAllocator() = default;
  explicit ArenaAllocator(Arena* arena_in) noexcept : arena(arena_in) {}
  template <typename U>
  ArenaAllocator(const ArenaAllocator<U>& other) noexcept : arena(other.arena) {}

  T* allocate(std::size_t n) {
    if (arena == nullptr) return std::allocator<T>().allocate(n);
    return static_cast<T*>(arena->allocate(n * sizeof(T), alignof(T)));
  }
  void deallocate(T* pointer, std::size_t n) noexcept {
    if (arena == nullptr) std::allocator<T>().deallocate(pointer, n);
  }
  template <typename U>
  friend bool operator==(const ArenaAllocator& a, const ArenaAllocator<U>& b) noexcept {
    return a.arena == b.arena;
  }

  Arena* arena = nullptr;
};

}  // namespace kpilint
