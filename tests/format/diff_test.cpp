// The unified diff of `kpilint fmt --diff`: exact output on small cases, and
// on random ones, applying the diff to the old text gives the new text.
#include <algorithm>
#include <cstdio>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "format/format.hpp"

using kpilint::format::unified_diff;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t begin = 0;
  while (begin < text.size()) {
    const std::size_t lf = text.find('\n', begin);
    const std::size_t end = lf == std::string::npos ? text.size() : lf + 1;
    lines.push_back(text.substr(begin, end - begin));
    begin = end;
  }
  return lines;
}

// Applies a unified diff made by unified_diff (strict: context must match).
std::string apply_patch(const std::string& old_text, const std::string& diff) {
  const std::vector<std::string> old_lines = lines_of(old_text);
  const std::vector<std::string> patch = lines_of(diff);
  std::string out;
  std::size_t next_old = 0;  // 0-based index of the next old line not yet copied
  REQUIRE(patch.size() >= 2);
  REQUIRE(patch[0].rfind("--- ", 0) == 0);
  REQUIRE(patch[1].rfind("+++ ", 0) == 0);
  std::size_t old_remaining = 0, new_remaining = 0;
  for (std::size_t i = 2; i < patch.size(); ++i) {
    const std::string& line = patch[i];
    if (line.rfind("@@ -", 0) == 0) {
      REQUIRE(old_remaining == 0);
      REQUIRE(new_remaining == 0);
      unsigned old_start = 0, old_count = 0, new_start = 0, new_count = 0;
      REQUIRE(std::sscanf(line.c_str(), "@@ -%u,%u +%u,%u @@", &old_start, &old_count, &new_start, &new_count) == 4);
      const std::size_t first = old_count == 0 ? old_start : old_start - 1;
      REQUIRE(first >= next_old);
      for (; next_old < first; ++next_old) out += old_lines.at(next_old);
      old_remaining = old_count;
      new_remaining = new_count;
      continue;
    }
    if (line == "\\ No newline at end of file\n") {
      if (patch[i - 1][0] != '-') {  // the line just written had no line break
        REQUIRE(!out.empty());
        out.pop_back();
      }
      continue;
    }
    const char type = line[0];
    std::string body = line.substr(1);
    const bool no_newline = i + 1 < patch.size() && patch[i + 1] == "\\ No newline at end of file\n";
    if (type == ' ' || type == '-') {
      std::string expected = body;
      if (no_newline) expected.pop_back();
      REQUIRE(old_lines.at(next_old) == expected);
      ++next_old;
      REQUIRE(old_remaining > 0);
      --old_remaining;
    }
    if (type == ' ' || type == '+') {
      out += body;
      REQUIRE(new_remaining > 0);
      --new_remaining;
    }
  }
  for (; next_old < old_lines.size(); ++next_old) out += old_lines[next_old];
  return out;
}

}  // namespace

TEST_CASE("diff: equal texts give nothing", "[diff]") {
  CHECK(unified_diff("a\nb\n", "a\nb\n", "a/x", "b/x").empty());
  CHECK(unified_diff("", "", "a/x", "b/x").empty());
}

TEST_CASE("diff: a change in the middle with context", "[diff]") {
  const std::string before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
  const std::string after = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
  CHECK(unified_diff(before, after, "a/f.kpi", "b/f.kpi") ==
        "--- a/f.kpi\n+++ b/f.kpi\n"
        "@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
}

TEST_CASE("diff: far apart changes make two hunks, close ones one", "[diff]") {
  std::string before, after;
  for (int i = 1; i <= 20; ++i) {
    before += std::to_string(i) + "\n";
    after += (i == 2 || i == 18 ? "x" : std::to_string(i)) + "\n";
  }
  const std::string diff = unified_diff(before, after, "a", "b");
  CHECK(diff ==
        "--- a\n+++ b\n"
        "@@ -1,5 +1,5 @@\n 1\n-2\n+x\n 3\n 4\n 5\n"
        "@@ -15,6 +15,6 @@\n 15\n 16\n 17\n-18\n+x\n 19\n 20\n");
  CHECK(apply_patch(before, diff) == after);
  std::string close_after = before;
  close_after.replace(close_after.find("\n8\n") + 1, 1, "y");
  close_after.replace(close_after.find("\n2\n") + 1, 1, "x");
  const std::string one = unified_diff(before, close_after, "a", "b");
  CHECK(std::count(one.begin(), one.end(), '@') == 4);  // one hunk header
  CHECK(apply_patch(before, one) == close_after);
}

TEST_CASE("diff: insertions at the start, deletions at the end, empty sides", "[diff]") {
  CHECK(unified_diff("", "a\nb\n", "a", "b") == "--- a\n+++ b\n@@ -0,0 +1,2 @@\n+a\n+b\n");
  CHECK(unified_diff("a\nb\n", "", "a", "b") == "--- a\n+++ b\n@@ -1,2 +0,0 @@\n-a\n-b\n");
  CHECK(unified_diff("b\n", "a\nb\n", "a", "b") == "--- a\n+++ b\n@@ -1,1 +1,2 @@\n+a\n b\n");
}

TEST_CASE("diff: a missing final line break is marked", "[diff]") {
  const std::string diff = unified_diff("a\nb", "a\nb\n", "a", "b");
  CHECK(diff == "--- a\n+++ b\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n");
  CHECK(apply_patch("a\nb", diff) == "a\nb\n");
  CHECK(apply_patch("a\nb\n", unified_diff("a\nb\n", "a\nc", "a", "b")) == "a\nc");
}

TEST_CASE("diff: random texts round-trip through apply", "[diff]") {
  std::mt19937 rng(12345);
  for (int round = 0; round < 400; ++round) {
    const auto random_text = [&](int lines) {
      std::string text;
      for (int i = 0; i < lines; ++i) text += std::string(1, static_cast<char>('a' + rng() % 4)) + "\n";
      if (rng() % 5 == 0 && !text.empty()) text.pop_back();
      return text;
    };
    const std::string before = random_text(static_cast<int>(rng() % 30));
    const std::string after = random_text(static_cast<int>(rng() % 30));
    INFO("before:\n" << before << "\nafter:\n" << after);
    const std::string diff = unified_diff(before, after, "a", "b", static_cast<int>(rng() % 4));
    if (before == after) {
      CHECK(diff.empty());
    } else {
      INFO("diff:\n" << diff);
      CHECK(apply_patch(before, diff) == after);
    }
  }
}

TEST_CASE("diff: a large rewrite stays correct", "[diff]") {
  std::string before, after;
  for (int i = 0; i < 20000; ++i) {
    before += "old " + std::to_string(i) + "\n";
    after += "new " + std::to_string(i) + "\n";
  }
  const std::string diff = unified_diff(before, after, "a", "b");
  CHECK(apply_patch(before, diff) == after);
}
