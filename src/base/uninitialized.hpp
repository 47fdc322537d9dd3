#pragma once
// Large arrays that worker threads fill, left unwritten until then. Zeroing
// one first would be a serial pass that also takes every page fault on one
// core; left alone, the fill is the first touch of each page, on all cores.
#include <cstddef>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

namespace kpilint {

// An allocator whose value-initialization is default-initialization: a
// vector<T, NoInitAllocator<T>> resized to n leaves a trivially
// default-constructible T (a pointer, an integer) unwritten.
template <typename T>
struct NoInitAllocator : std::allocator<T> {
  template <typename U>
  struct rebind {
    using other = NoInitAllocator<U>;
  };
  NoInitAllocator() = default;
  template <typename U>
  NoInitAllocator(const NoInitAllocator<U>&) noexcept {}

  template <typename U>
  void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    std::construct_at(p, std::forward<Args>(args)...);
  }
};

// Room for n T's, none made: each is made with std::construct_at before it
// is read. Nothing destroys them, so T must not need it.
template <typename T>
struct RawArrayDelete {
  void operator()(T* p) const noexcept { ::operator delete(static_cast<void*>(p)); }
};
template <typename T>
using RawArray = std::unique_ptr<T[], RawArrayDelete<T>>;
template <typename T>
RawArray<T> make_raw_array(std::size_t n) {
  static_assert(std::is_trivially_destructible_v<T>);
  if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
  return RawArray<T>(static_cast<T*>(::operator new(n * sizeof(T))));
}

}  // namespace kpilint
