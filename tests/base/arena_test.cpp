// The arena behind a large workspace's texts and trees.
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "base/arena.hpp"
#include "base/huge_pages.hpp"

using kpilint::Arena;
using kpilint::ArenaAllocator;

TEST_CASE("arena: aligned, non-overlapping allocations across many chunks", "[base][arena]") {
  Arena arena;
  struct Block {
    unsigned char* at;
    std::size_t size;
    unsigned char fill;
  };
  std::vector<Block> blocks;
  std::size_t total = 0;
  for (std::size_t i = 0; total < (std::size_t{40} << 20); ++i) {  // past the 2 MiB (huge page) chunks
    const std::size_t size = (i * 7919) % 70000 + 1;
    const std::size_t alignment = std::size_t{1} << (i % 7);  // 1 .. 64
    auto* at = static_cast<unsigned char*>(arena.allocate(size, alignment));
    REQUIRE(reinterpret_cast<std::uintptr_t>(at) % alignment == 0);
    const auto fill = static_cast<unsigned char>(i);
    std::memset(at, fill, size);
    blocks.push_back({at, size, fill});
    total += size;
  }
  CHECK(arena.reserved() >= total);
  // Every block kept its bytes: nothing was handed out twice.
  for (const Block& block : blocks) {
    bool intact = true;
    for (std::size_t k = 0; k < block.size; ++k) intact = intact && block.at[k] == block.fill;
    REQUIRE(intact);
  }
}

TEST_CASE("arena: one allocation larger than any chunk", "[base][arena]") {
  Arena arena;
  const std::size_t big = std::size_t{100} << 20;
  auto* at = static_cast<char*>(arena.allocate(big, 8));
  at[0] = 'a';
  at[big - 1] = 'z';
  CHECK(arena.reserved() >= big);
  auto* next = static_cast<char*>(arena.allocate(16, 8));
  CHECK((next + 16 <= at || next >= at + big));
}

TEST_CASE("arena allocator: in an arena, or on the heap without one", "[base][arena]") {
  Arena arena;
  std::vector<std::string, ArenaAllocator<std::string>> in_arena{ArenaAllocator<std::string>(&arena)};
  std::vector<std::string, ArenaAllocator<std::string>> on_heap;
  for (int i = 0; i < 1000; ++i) {
    in_arena.push_back("value number " + std::to_string(i) + " long enough to leave the small-string buffer");
    on_heap.push_back(std::to_string(i));
  }
  CHECK(in_arena[999].rfind("value number 999", 0) == 0);
  CHECK(on_heap[999] == "999");
  CHECK(arena.reserved() > 0);
  CHECK(on_heap.get_allocator().arena == nullptr);
  // A move takes the arena along (the tree's fields move with their document).
  auto moved = std::move(in_arena);
  CHECK(moved.get_allocator().arena == &arena);
  CHECK(moved.size() == 1000);
}

TEST_CASE("huge-page allocator: large arrays get their own mapping, small ones the heap", "[base][arena]") {
  kpilint::HugePageAllocator<std::uint64_t> allocator;
  const std::size_t big = (kpilint::huge_pages::kThreshold / sizeof(std::uint64_t)) * 3;
  std::uint64_t* many = allocator.allocate(big);
  for (std::size_t i = 0; i < big; i += 512) many[i] = i;
  CHECK(many[big / 512 * 512 - 512] == big / 512 * 512 - 512);
  allocator.deallocate(many, big);
  std::uint64_t* few = allocator.allocate(4);
  few[3] = 3;
  CHECK(few[3] == 3);
  allocator.deallocate(few, 4);
}

// A language server makes a model of the same shape after every edit: a
// mapping given back is kept for the next allocation of its rounded size,
// up to a cap, instead of being unmapped and faulted in afresh.
TEST_CASE("huge-page mappings given back are reused for the same rounded size", "[base][arena]") {
  namespace hp = kpilint::huge_pages;
  const std::size_t size = hp::kThreshold * 3 + 100;  // rounds up to 4 huge pages
  void* first = hp::allocate(size);
  static_cast<char*>(first)[hp::kThreshold * 4 - 1] = 'x';  // the rounded size is usable
  const std::size_t kept_before = hp::kept_bytes();
  hp::deallocate(first, size);
  CHECK(hp::kept_bytes() == kept_before + hp::kThreshold * 4);
  void* again = hp::allocate(hp::kThreshold * 4);  // the same rounded size: the kept mapping
  CHECK(again == first);
  CHECK(hp::kept_bytes() == kept_before);
  hp::deallocate(again, hp::kThreshold * 4);
  // Past the cap, mappings are unmapped.
  std::vector<void*> blocks;
  for (int i = 0; i < 150; ++i) blocks.push_back(hp::allocate(hp::kThreshold));  // 300 MiB
  for (void* block : blocks) hp::deallocate(block, hp::kThreshold);
  CHECK(hp::kept_bytes() <= hp::kKeptAtMost);
  CHECK(hp::kept_bytes() + hp::kThreshold > hp::kKeptAtMost);
  // A size no mapping can have is refused, not rounded past the end of size_t.
  CHECK_THROWS_AS(hp::allocate(std::numeric_limits<std::size_t>::max() - 5), std::bad_alloc);
  CHECK_THROWS_AS(kpilint::HugePageAllocator<std::uint64_t>().allocate(std::numeric_limits<std::size_t>::max() / 4),
                  std::bad_alloc);
}
