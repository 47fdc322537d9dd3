#include "render/json_writer.hpp"

#include <fmt/format.h>

#include "render/common.hpp"

namespace kpilint::render::detail {

void append_json_escaped(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::size_t run = 0;  // start of the bytes not yet copied
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      const Decoded d = decode_utf8(text, i);
      if (d.code_point >= 0) {
        i += d.length;
        continue;
      }
    }
    out.append(text.substr(run, i - run));
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c >= 0x80) {
          out += "\xEF\xBF\xBD";  // U+FFFD for a byte that starts no valid sequence
        } else {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xF];
        }
    }
    run = ++i;
  }
  out.append(text.substr(run));
}

void JsonWriter::indent(std::size_t depth) { out_.append(depth * 2, ' '); }

void JsonWriter::next_item() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (counts_.empty()) return;
  out_ += counts_.back()++ == 0 ? "\n" : ",\n";
  indent(counts_.size());
}

JsonWriter JsonWriter::continued_in(std::string& out, std::size_t items_before) const {
  JsonWriter part(out);
  part.counts_ = counts_;
  part.counts_.back() += items_before;
  return part;
}

void JsonWriter::open(char bracket) {
  next_item();
  out_ += bracket;
  counts_.push_back(0);
}

void JsonWriter::close(char bracket) {
  const bool empty = counts_.back() == 0;
  counts_.pop_back();
  if (!empty) {
    out_ += '\n';
    indent(counts_.size());
  }
  out_ += bracket;
}

void JsonWriter::key(std::string_view name) {
  next_item();
  out_ += '"';
  append_json_escaped(out_, name);
  out_ += "\": ";
  after_key_ = true;
}

void JsonWriter::value(std::string_view text) {
  next_item();
  out_ += '"';
  append_json_escaped(out_, text);
  out_ += '"';
}

void JsonWriter::value(std::uint64_t number) {
  next_item();
  fmt::format_to(std::back_inserter(out_), "{}", number);
}

void JsonWriter::value(std::int64_t number) {
  next_item();
  fmt::format_to(std::back_inserter(out_), "{}", number);
}

void JsonWriter::value(bool flag) {
  next_item();
  out_ += flag ? "true" : "false";
}

}  // namespace kpilint::render::detail
