#pragma once
// A vector that worker threads fill, left unwritten until then. Zeroing it
// first would be a serial pass that also takes every page fault on one core;
// left alone, the fill is the first touch of each page, on all cores. (The
// model's own arrays are Model::PlacedArray, made in place the same way.)
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

}  // namespace kpilint
