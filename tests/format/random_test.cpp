// Random .kpi texts (random layout, separators, comments everywhere, CRLF)
// must format to text that means the same and formats to itself.
#include <random>
#include <string>

#include <catch2/catch.hpp>

#include "format/format.hpp"
#include "format_test_util.hpp"

namespace {

class Generator {
 public:
  explicit Generator(unsigned seed) : rng_(seed) {}

  std::string file() {
    std::string out;
    if (chance(10)) out += "\xEF\xBB\xBF";
    const int items = pick(0, 6);
    for (int i = 0; i < items; ++i) {
      out += gap(true);
      switch (pick(0, 5)) {
        case 0: out += "use std." + name(); break;
        case 1: out += comment(); out += '\n'; break;
        default: out += block(); break;
      }
    }
    out += gap(true);
    if (chance(3)) out += comment();
    if (chance(3)) {  // CRLF everywhere
      std::string crlf;
      for (const char c : out) {
        if (c == '\n') crlf += '\r';
        crlf += c;
      }
      return crlf;
    }
    return out;
  }

 private:
  std::mt19937 rng_;

  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool chance(int one_in) { return pick(1, one_in) == 1; }

  std::string blanks() {
    std::string s;
    for (int n = pick(0, 2); n > 0; --n) s += chance(3) ? '\t' : ' ';
    return s;
  }
  std::string some_blanks() { return " " + blanks(); }

  std::string comment() {
    static const char* texts[] = {"# note", "#", "# ünïcode ✓", "#no space", "# trailing   ", "# {[ a: b ]}"};
    return texts[pick(0, 5)];
  }

  // Whitespace that may cross lines and hold comments.
  std::string gap(bool need_break) {
    std::string s = blanks();
    if (chance(3)) s += comment() + "\n";
    for (int n = pick(need_break ? 1 : 0, 3); n > 0; --n) s += blanks() + "\n";
    if (chance(4)) s += blanks() + comment() + "\n";
    return s + blanks();
  }

  std::string name() {
    static const char* names[] = {"a", "revenue", "x_1", "Kpi2", "by", "use", "kpi_x", "_u"};
    return names[pick(0, 7)];
  }

  std::string word() {
    static const char* words[] = {"sum", "monthly", "business", "true", "USD", "percent", "pp", "ok"};
    return words[pick(0, 7)];
  }

  std::string number() {
    static const char* numbers[] = {"1", "1_200_000", "0.35", "18%", "4.5M", "-3", "2k", "7B", "12.5%"};
    return numbers[pick(0, 8)];
  }

  std::string string_literal() {
    static const char* strings[] = {"\"\"", "\"Maria Lopez\"", "\"Jo\xC3\xA3o\"", "\"a\\\"b\\\\c\\n\\t\"",
                                    "\"\\u{1F45F} shoes\"", "\"# not a comment\"", "\"[x, y]\""};
    return strings[pick(0, 6)];
  }

  std::string target() {
    static const char* comparators[] = {">=", "<=", ">", "<", "="};
    std::string s = comparators[pick(0, 4)] + blanks();
    s += chance(4) ? string_literal() : chance(4) ? word() : number();
    if (chance(2)) s += some_blanks() + word();
    if (chance(2)) s += some_blanks() + "by" + some_blanks() + (chance(2) ? "2026-12-31" : "2026-Q4");
    if (chance(2)) {
      s += some_blanks() + (chance(2) ? "+-" : "\xC2\xB1") + blanks() + number();
      if (chance(3)) s += some_blanks() + word();
    }
    return s;
  }

  std::string list(int depth) {
    std::string s = "[" + (chance(6) ? gap(false) : blanks());
    const int n = pick(0, 3);
    for (int i = 0; i < n; ++i) {
      if (i > 0) s += "," + (chance(8) ? gap(false) : blanks());
      s += value(depth + 1, false);
      s += chance(8) ? gap(false) : blanks();
    }
    if (n > 0 && chance(4)) s += "," + blanks();
    return s + "]";
  }

  std::string value(int depth, bool top) {
    switch (pick(0, top ? 9 : 8)) {
      case 0: return string_literal();
      case 1: return number();
      case 2: return chance(2) ? "2026-02-30" : "2026-Q1";
      case 3: return "@" + name();
      case 4: return depth < 3 ? list(depth) : word();
      case 5: return target();
      case 9: {  // words: only as a field value
        std::string s = word();
        for (int n = pick(1, 3); n > 0; --n) s += some_blanks() + word();
        return s;
      }
      default: return word();
    }
  }

  std::string block() {
    static const char* keywords[] = {"kpi", "person", "team", "objective", "metric", "experiment"};
    std::string s = std::string(keywords[pick(0, 5)]) + some_blanks() + name();
    s += chance(4) ? gap(false) : blanks();
    s += "{";
    const int fields = pick(0, 5);
    for (int i = 0; i < fields; ++i) {
      switch (pick(0, 3)) {
        case 0: s += gap(false); s += chance(2) ? " " : ""; break;
        case 1: s += blanks() + ";" + blanks(); break;
        default: s += gap(true); break;
      }
      if (i > 0 && s.back() != ' ' && s.back() != '\n' && s.back() != '\t' && s.back() != ';') s += ' ';
      s += name() + blanks() + ":" + blanks() + value(0, true);
      if (chance(4)) s += blanks() + comment() + "\n";
    }
    s += chance(2) ? gap(false) : blanks();
    s += "}";
    if (chance(4)) s += blanks() + comment();
    return s + "\n";
  }
};

}  // namespace

TEST_CASE("fmt: random files keep their meaning and are idempotent", "[format][random]") {
  Generator generator(20260101);
  int parsed = 0;
  for (int round = 0; round < 3000; ++round) {
    const std::string text = generator.file();
    const auto result = kpilint::format::format_text(text);
    if (!result.ok) continue;  // the generator can write things the grammar rejects
    ++parsed;
    INFO("round " << round << ", input:\n" << text);
    kpilint::format::test::check_properties(text);
  }
  CHECK(parsed > 1500);
}
