// A small line-based unified diff for `kpilint fmt --diff`: common prefix and
// suffix trimmed, then Myers' O((N+M)·D) greedy algorithm on the rest,
// keeping one V array per step for the backtrack (O(D²) memory, capped).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "format/format.hpp"

namespace kpilint::format {

namespace {

constexpr std::size_t kMaxTraceCells = 8u << 20;  // 32 MB; beyond it, replace the middle wholesale

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t begin = 0;
  while (begin < text.size()) {
    const std::size_t lf = text.find('\n', begin);
    const std::size_t end = lf == std::string_view::npos ? text.size() : lf + 1;
    lines.push_back(text.substr(begin, end - begin));  // with its line break
    begin = end;
  }
  return lines;
}

struct Op {
  char type;      // ' ' same, '-' only in the old text, '+' only in the new
  std::size_t a;  // old line index (for '+': old lines consumed so far)
  std::size_t b;  // new line index (for '-': new lines consumed so far)
};

// The edit script turning a[0..n) into b[0..m) (indices relative to the slices).
bool myers(const std::string_view* a, std::size_t n, const std::string_view* b, std::size_t m, std::vector<Op>& out) {
  using Index = std::int64_t;
  using Cell = std::int32_t;
  if (n > INT32_MAX / 2 || m > INT32_MAX / 2) return false;
  const Index N = static_cast<Index>(n), M = static_cast<Index>(m);
  std::vector<std::vector<Cell>> trace;  // trace[d][k + d]: furthest x on diagonal k after d edits
  std::size_t cells = 0;
  Index found = -1;
  for (Index d = 0; d <= N + M; ++d) {
    std::vector<Cell> v(static_cast<std::size_t>(2 * d + 1));
    cells += v.size();
    if (cells > kMaxTraceCells) return false;
    for (Index k = -d; k <= d; k += 2) {
      Index x;
      if (d == 0) {
        x = 0;
      } else {
        const std::vector<Cell>& prev = trace.back();
        const auto at = [&](Index kk) { return prev[static_cast<std::size_t>(kk + d - 1)]; };
        x = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? at(k + 1) : at(k - 1) + 1;
      }
      Index y = x - k;
      while (x < N && y < M && a[x] == b[y]) ++x, ++y;
      v[static_cast<std::size_t>(k + d)] = static_cast<Cell>(x);
      if (x >= N && y >= M) found = d;
    }
    trace.push_back(std::move(v));
    if (found >= 0) break;
  }
  // Walk back from (N, M).
  std::vector<Op> reversed;
  Index x = N, y = M;
  for (Index d = found; d > 0; --d) {
    const std::vector<Cell>& prev = trace[static_cast<std::size_t>(d - 1)];
    const auto at = [&](Index kk) { return prev[static_cast<std::size_t>(kk + d - 1)]; };
    const Index k = x - y;
    const Index prev_k = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? k + 1 : k - 1;
    const Index prev_x = at(prev_k);
    const Index prev_y = prev_x - prev_k;
    const Index step_x = prev_k == k + 1 ? prev_x : prev_x + 1;  // where the edit lands
    while (x > step_x) {
      --x, --y;
      reversed.push_back({' ', static_cast<std::size_t>(x), static_cast<std::size_t>(y)});
    }
    if (prev_k == k + 1) {
      reversed.push_back({'+', static_cast<std::size_t>(prev_x), static_cast<std::size_t>(prev_y)});
    } else {
      reversed.push_back({'-', static_cast<std::size_t>(prev_x), static_cast<std::size_t>(prev_y)});
    }
    x = prev_x, y = prev_y;
  }
  while (x > 0) {
    --x, --y;
    reversed.push_back({' ', static_cast<std::size_t>(x), static_cast<std::size_t>(y)});
  }
  out.insert(out.end(), reversed.rbegin(), reversed.rend());
  return true;
}

void append_line(std::string& out, char type, std::string_view line) {
  out += type;
  out += line;
  if (line.empty() || line.back() != '\n') out += "\n\\ No newline at end of file\n";
}

void append_range(std::string& out, std::size_t start, std::size_t count) {
  // `start` is 0-based; an empty range names the line before it (GNU diff).
  out += std::to_string(count == 0 ? start : start + 1);
  out += ',';
  out += std::to_string(count);
}

}  // namespace

std::string unified_diff(std::string_view before, std::string_view after, std::string_view old_label,
                         std::string_view new_label, int context) {
  if (before == after) return {};
  const std::vector<std::string_view> a = split_lines(before), b = split_lines(after);
  std::size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  std::size_t suffix = 0;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
         a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix]) {
    ++suffix;
  }

  std::vector<Op> ops;
  for (std::size_t i = 0; i < prefix; ++i) ops.push_back({' ', i, i});
  const std::size_t n = a.size() - prefix - suffix, m = b.size() - prefix - suffix;
  std::vector<Op> middle;
  if (!myers(a.data() + prefix, n, b.data() + prefix, m, middle)) {
    middle.clear();
    for (std::size_t i = 0; i < n; ++i) middle.push_back({'-', i, 0});
    for (std::size_t j = 0; j < m; ++j) middle.push_back({'+', n, j});
  }
  for (Op op : middle) ops.push_back({op.type, op.a + prefix, op.b + prefix});
  for (std::size_t i = 0; i < suffix; ++i) ops.push_back({' ', a.size() - suffix + i, b.size() - suffix + i});

  const std::size_t ctx = static_cast<std::size_t>(std::max(context, 0));
  std::string out;
  out += "--- ";
  out += old_label;
  out += "\n+++ ";
  out += new_label;
  out += '\n';
  std::size_t i = 0;
  while (i < ops.size()) {
    while (i < ops.size() && ops[i].type == ' ') ++i;
    if (i == ops.size()) break;
    const std::size_t start = i >= ctx ? i - ctx : 0;
    std::size_t end = i;  // one past the last change of this hunk
    for (;;) {
      while (end < ops.size() && ops[end].type != ' ') ++end;
      std::size_t same = end;
      while (same < ops.size() && ops[same].type == ' ') ++same;
      if (same == ops.size() || same - end > 2 * ctx) break;
      end = same;  // the next change is close: same hunk
    }
    const std::size_t stop = std::min(ops.size(), end + ctx);
    std::size_t old_count = 0, new_count = 0;
    for (std::size_t k = start; k < stop; ++k) {
      old_count += ops[k].type != '+';
      new_count += ops[k].type != '-';
    }
    out += "@@ -";
    append_range(out, ops[start].a, old_count);
    out += " +";
    append_range(out, ops[start].b, new_count);
    out += " @@\n";
    for (std::size_t k = start; k < stop; ++k) {
      append_line(out, ops[k].type, ops[k].type == '+' ? b[ops[k].b] : a[ops[k].a]);
    }
    i = stop;
  }
  return out;
}

}  // namespace kpilint::format
