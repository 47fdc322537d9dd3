#pragma once
// A streaming JSON writer for the machine-readable formats. It writes what
// nlohmann::json's dump(2) writes (two-space indent, "key": value, [] and {}
// when empty, non-ASCII kept as UTF-8), without building a document first:
// a large workspace's report is written in one pass, with no tree of
// thousands of small maps. Invalid UTF-8 becomes U+FFFD.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kpilint::render::detail {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }

  // In an object: the key of the next value.
  void key(std::string_view name);

  void value(std::string_view text);
  void value(const char* text) { value(std::string_view(text)); }
  void value(std::uint64_t number);
  void value(std::int64_t number);
  void value(std::uint32_t number) { value(std::uint64_t{number}); }
  void value(int number) { value(std::int64_t{number}); }
  void value(bool flag);

  // A writer that continues this one's innermost container in `out`, as if
  // `items_before` items had been written to it: a large array written in
  // parts, each on its own thread, appended in order. Once a part is
  // appended, add_items(n) tells this writer about its n items.
  JsonWriter continued_in(std::string& out, std::size_t items_before) const;
  void add_items(std::size_t n) { counts_.back() += n; }

  // Shorthands for a member of an object.
  template <typename T>
  void member(std::string_view name, const T& v) {
    key(name);
    value(v);
  }

 private:
  void open(char bracket);
  void close(char bracket);
  void next_item();  // separator and indent before a member or array element
  void indent(std::size_t depth);

  std::string& out_;
  std::vector<std::size_t> counts_;  // items so far in each open container
  bool after_key_ = false;
};

// `text` as a JSON string literal body (no quotes), appended to out.
void append_json_escaped(std::string& out, std::string_view text);

}  // namespace kpilint::render::detail
