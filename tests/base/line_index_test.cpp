// The line index against a byte-by-byte reference: the word-at-a-time scan
// must find every newline and every non-ASCII byte, wherever it falls in an
// eight-byte word, and the columns must count what each encoding counts.
#include <catch2/catch.hpp>

#include <random>
#include <thread>
#include <vector>
#include <string>

#include "base/line_index.hpp"
#include "base/source.hpp"

using namespace kpilint;

namespace {

// Line and column by walking the text from the start.
LineColumn reference_position(std::string_view text, std::uint32_t offset, Encoding encoding) {
  LineColumn at;
  std::uint32_t line_start = 0;
  for (std::uint32_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++at.line;
      line_start = i + 1;
    }
  }
  at.column = encoded_length(text.substr(line_start, offset - line_start), encoding);
  return at;
}

}  // namespace

TEST_CASE("line index: newlines and non-ASCII bytes at every position of a word", "[base]") {
  for (std::size_t length = 0; length <= 72; ++length) {
    for (std::size_t at = 0; at < length; ++at) {
      std::string text(length, 'a');
      text[at] = '\n';
      const LineIndex lines(text);
      REQUIRE(lines.line_count() == 2);
      CHECK(lines.position(static_cast<std::uint32_t>(at + 1), Encoding::Utf32) == LineColumn{1, 0});
      CHECK(lines.position(static_cast<std::uint32_t>(at), Encoding::Utf32) == LineColumn{0, static_cast<std::uint32_t>(at)});
      text[at] = '\xC3';  // a lone lead byte: one character, and the text is no longer ASCII
      const LineIndex one_line(text);
      CHECK(one_line.line_count() == 1);
      CHECK(one_line.position(static_cast<std::uint32_t>(length), Encoding::Utf8).column == length);
    }
  }
}

TEST_CASE("line index: random texts agree with a byte-by-byte walk in every encoding", "[base]") {
  std::mt19937 random(12345);
  const std::string alphabet[] = {"a", "b", " ", "\n", "\r\n", "ã", "€", "😀", "\xFF", "\n\n"};
  for (int round = 0; round < 300; ++round) {
    std::string text;
    const int pieces = static_cast<int>(random() % 60);
    for (int i = 0; i < pieces; ++i) text += alphabet[random() % std::size(alphabet)];
    const LineIndex lines(text);
    std::uint32_t newlines = 0;
    for (char c : text) newlines += c == '\n';
    REQUIRE(lines.line_count() == newlines + 1);
    for (std::uint32_t offset = 0; offset <= text.size(); ++offset) {
      // Only offsets at character boundaries are asked for by callers.
      if (offset < text.size() && (static_cast<unsigned char>(text[offset]) & 0xC0) == 0x80) continue;
      for (Encoding encoding : {Encoding::Utf8, Encoding::Utf16, Encoding::Utf32}) {
        INFO("round " << round << " offset " << offset << " encoding " << static_cast<int>(encoding));
        CHECK(lines.position(offset, encoding) == reference_position(text, offset, encoding));
      }
    }
  }
}

TEST_CASE("line index: long texts (many kept line starts) agree with a walk, both ways", "[base]") {
  // The index keeps every 16th line start and counts from there: texts of
  // thousands of lines, lines of every length (none, one byte, past a
  // 32-byte block), blank runs longer than the stride, CRLF and non-ASCII.
  std::mt19937 random(777);
  const std::string alphabet[] = {"a", "bcdefghijklmnopqrstuvwxyz0123456789", "\n", "\r\n", "ã", "😀",
                                  std::string(20, '\n'), std::string(70, 'x') + "\n"};
  for (int round = 0; round < 12; ++round) {
    std::string text;
    const int pieces = 200 + static_cast<int>(random() % 3000);
    for (int i = 0; i < pieces; ++i) text += alphabet[random() % std::size(alphabet)];
    const LineIndex lines(text);

    // Each line by splitting the text.
    std::vector<std::uint32_t> starts{0};
    for (std::uint32_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') starts.push_back(i + 1);
    }
    REQUIRE(lines.line_count() == starts.size());
    for (std::uint32_t line = 0; line < starts.size(); ++line) {
      INFO("round " << round << " line " << line);
      std::uint32_t end = line + 1 < starts.size() ? starts[line + 1] - 1 : static_cast<std::uint32_t>(text.size());
      if (end > starts[line] && text[end - 1] == '\r') --end;
      REQUIRE(lines.line_span(line) == Span{starts[line], end});
      CHECK(lines.position(starts[line], Encoding::Utf16) == LineColumn{line, 0});
      CHECK(lines.offset({line, 0}, Encoding::Utf16) == starts[line]);
      CHECK(lines.offset({line, 1000}, Encoding::Utf8) == end);
    }
    CHECK(lines.line_span(static_cast<std::uint32_t>(starts.size())) == Span{static_cast<std::uint32_t>(text.size()), static_cast<std::uint32_t>(text.size())});
    CHECK(lines.offset({static_cast<std::uint32_t>(starts.size()), 0}, Encoding::Utf8) == text.size());

    // Offsets anywhere (at character boundaries), in every encoding, and back.
    for (int probe = 0; probe < 400; ++probe) {
      auto offset = static_cast<std::uint32_t>(random() % (text.size() + 1));
      while (offset < text.size() && (static_cast<unsigned char>(text[offset]) & 0xC0) == 0x80) ++offset;
      for (Encoding encoding : {Encoding::Utf8, Encoding::Utf16, Encoding::Utf32}) {
        INFO("round " << round << " offset " << offset << " encoding " << static_cast<int>(encoding));
        const LineColumn at = lines.position(offset, encoding);
        REQUIRE(at == reference_position(text, offset, encoding));
        // Back to the offset, but for one inside a CRLF (clamped to the line's end).
        if (offset == 0 || text[offset - 1] != '\r' || offset == text.size() || text[offset] != '\n') {
          CHECK(lines.offset(at, encoding) == offset);
        }
      }
    }
  }
}

TEST_CASE("a source file's line index is built once, whichever threads ask first", "[base]") {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "line " + std::to_string(i) + "\n";
  for (int round = 0; round < 20; ++round) {
    const SourceFile file("a.kpi", text);
    std::vector<const LineIndex*> seen(4, nullptr);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < seen.size(); ++t) threads.emplace_back([&, t] { seen[t] = &file.lines(); });
    for (auto& thread : threads) thread.join();
    for (const LineIndex* lines : seen) CHECK(lines == seen[0]);
    CHECK(seen[0]->line_count() == 5001);
    CHECK(&file.lines() == seen[0]);
  }
}
