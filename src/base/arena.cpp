#include "base/arena.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <new>

#include "base/huge_pages.hpp"

namespace kpilint {

namespace {
constexpr std::size_t kFirstChunk = std::size_t{256} << 10;
constexpr std::size_t kLargestChunk = std::size_t{32} << 20;
}  // namespace

Arena::~Arena() {
  for (const Chunk& chunk : chunks_) {
    if (chunk.huge) {
      huge_pages::deallocate(chunk.base, chunk.size);
    } else {
      ::operator delete(chunk.base);
    }
  }
}

void Arena::grow(std::size_t at_least) {
  std::size_t size = chunks_.empty() ? kFirstChunk : std::min(chunks_.back().size * 2, kLargestChunk);
  size = std::max(size, at_least);
  Chunk chunk{nullptr, size, size >= huge_pages::kThreshold};
  chunk.base = chunk.huge ? huge_pages::allocate(size) : ::operator new(size);
  chunks_.push_back(chunk);
  next_ = static_cast<char*>(chunk.base);
  end_ = next_ + size;
  reserved_ += size;
}

void* Arena::allocate(std::size_t bytes, std::size_t alignment) {
  if (bytes > (std::numeric_limits<std::size_t>::max() >> 2)) throw std::bad_alloc();
  auto aligned = [&] {
    const auto at = reinterpret_cast<std::uintptr_t>(next_);
    return reinterpret_cast<char*>((at + alignment - 1) & ~(std::uintptr_t{alignment} - 1));
  };
  char* at = aligned();
  if (next_ == nullptr || at > end_ || static_cast<std::size_t>(end_ - at) < bytes) {
    grow(bytes + alignment);
    at = aligned();
  }
  next_ = at + bytes;
  return at;
}

}  // namespace kpilint
