// End-to-end runs of `kpilint fmt`: rewriting, --check, --diff, standard
// input, workspaces and directories, syntax errors, permissions, atomicity.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include <catch2/catch.hpp>

#include "support.hpp"

using kpilint::test::read_file;
using kpilint::test::run_kpilint;
using kpilint::test::TempDir;
namespace fs = std::filesystem;

namespace {

const char* kMessy = "# people\nperson ceo { name: \"Dana\"   function: executive } # the boss\n"
                     "kpi k {target:>=5 USD by 2026-Q4 +- 1}\n";
const char* kFormatted = "# people\nperson ceo {  # the boss\n  name: \"Dana\"\n  function: executive\n}\n\n"
                         "kpi k {\n  target: >= 5 USD by 2026-Q4 \xC2\xB1 1\n}\n";

std::size_t count_entries(const fs::path& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& entry : fs::recursive_directory_iterator(dir)) ++n;
  return n;
}

}  // namespace

TEST_CASE("fmt rewrites files in place and then leaves them alone", "[e2e][fmt]") {
  TempDir dir;
  dir.write("kpilint.toml", "");
  const fs::path file = dir.write("a.kpi", kMessy);
  const fs::path clean = dir.write("b.kpi", kFormatted);
  ::chmod(file.c_str(), 0640);
  const auto before_clean = fs::last_write_time(clean);

  const auto first = run_kpilint({"fmt"}, dir.path());
  INFO(first.err);
  CHECK(first.exit_code == 0);
  CHECK(read_file(file) == kFormatted);
  CHECK(read_file(clean) == kFormatted);
  CHECK(fs::last_write_time(clean) == before_clean);  // unchanged files are not rewritten
  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0640);
  CHECK(count_entries(dir.path()) == 3);  // no temporary file left behind
  CHECK(first.err.find("1 file reformatted") != std::string::npos);

  const auto second = run_kpilint({"fmt", "a.kpi"}, dir.path());
  CHECK(second.exit_code == 0);
  CHECK(read_file(file) == kFormatted);
}

TEST_CASE("fmt --check writes nothing and exits 1 when something would change", "[e2e][fmt]") {
  TempDir dir;
  dir.write("kpilint.toml", "");
  const fs::path file = dir.write("sub/a.kpi", kMessy);
  dir.write("b.kpi", kFormatted);

  const auto result = run_kpilint({"fmt", "--check"}, dir.path());
  CHECK(result.exit_code == 1);
  CHECK(result.out == "would reformat sub/a.kpi\n");
  CHECK(read_file(file) == kMessy);

  CHECK(run_kpilint({"fmt", "--check", "b.kpi"}, dir.path()).exit_code == 0);
  CHECK(run_kpilint({"fmt", "-q"}, dir.path()).exit_code == 0);
  const auto after = run_kpilint({"fmt", "--check"}, dir.path());
  CHECK(after.exit_code == 0);
  CHECK(after.out.empty());
}

TEST_CASE("fmt --diff prints a unified diff and writes nothing", "[e2e][fmt]") {
  TempDir dir;
  dir.write("kpilint.toml", "");
  const fs::path file = dir.write("a.kpi", "kpi k { title: \"K\" }\n");
  const auto result = run_kpilint({"fmt", "--diff", "a.kpi"}, dir.path());
  CHECK(result.exit_code == 1);
  CHECK(result.out ==
        "--- a/a.kpi\n+++ b/a.kpi\n@@ -1,1 +1,3 @@\n-kpi k { title: \"K\" }\n+kpi k {\n+  title: \"K\"\n+}\n");
  CHECK(read_file(file) == "kpi k { title: \"K\" }\n");
  CHECK(run_kpilint({"fmt", "--diff", "-q"}, dir.path()).out == result.out);
}

TEST_CASE("fmt leaves a file with syntax errors untouched and exits 2", "[e2e][fmt]") {
  TempDir dir;
  dir.write("kpilint.toml", "");
  const std::string broken = "kpi a {\n  title: \"A\"\n  level: : business\n}\n";
  const fs::path bad = dir.write("bad.kpi", broken);
  const fs::path good = dir.write("good.kpi", kMessy);
  const auto result = run_kpilint({"fmt"}, dir.path());
  CHECK(result.exit_code == 2);
  CHECK(result.err.find("bad.kpi:3:10") != std::string::npos);
  CHECK(read_file(bad) == broken);
  CHECK(read_file(good) == kFormatted);  // the other files are still formatted

  dir.write("good.kpi", kMessy);
  CHECK(run_kpilint({"fmt", "--check"}, dir.path()).exit_code == 2);  // 2 wins over 1
}

TEST_CASE("fmt formats standard input to standard output", "[e2e][fmt]") {
  TempDir dir;
  const auto dash = run_kpilint({"fmt", "-"}, dir.path(), kMessy);
  CHECK(dash.exit_code == 0);
  CHECK(dash.out == kFormatted);

  const auto named = run_kpilint({"fmt", "--stdin-filename", "x/y.kpi"}, dir.path(), kMessy);
  CHECK(named.exit_code == 0);
  CHECK(named.out == kFormatted);

  const auto check = run_kpilint({"fmt", "--check", "--stdin-filename", "y.kpi"}, dir.path(), kMessy);
  CHECK(check.exit_code == 1);
  CHECK(check.out == "would reformat y.kpi\n");
  CHECK(run_kpilint({"fmt", "--check", "-"}, dir.path(), kFormatted).exit_code == 0);

  const auto diff = run_kpilint({"fmt", "--diff", "--stdin-filename", "y.kpi"}, dir.path(), kMessy);
  CHECK(diff.exit_code == 1);
  CHECK(diff.out.rfind("--- a/y.kpi\n+++ b/y.kpi\n@@", 0) == 0);

  const auto broken = run_kpilint({"fmt", "--stdin-filename", "z.kpi"}, dir.path(), "kpi a {");
  CHECK(broken.exit_code == 2);
  CHECK(broken.err.find("z.kpi:1:8") != std::string::npos);
  CHECK(broken.out == "kpi a {");  // echoed unchanged

  CHECK(run_kpilint({"fmt", "-", "a.kpi"}, dir.path(), kMessy).exit_code == 2);
}

TEST_CASE("fmt walks directories, skipping hidden ones and kpilint.toml excludes", "[e2e][fmt]") {
  TempDir dir;
  dir.write("kpilint.toml", "[lint]\nexclude = [\"vendor\"]\n");
  const fs::path a = dir.write("kpis/a.kpi", kMessy);
  const fs::path b = dir.write("kpis/deep/b.kpi", kMessy);
  const fs::path hidden = dir.write(".hidden/c.kpi", kMessy);
  const fs::path vendor = dir.write("vendor/d.kpi", kMessy);
  const fs::path other = dir.write("kpis/notes.txt", kMessy);

  const auto in_dir = run_kpilint({"fmt", "kpis/deep"}, dir.path());
  CHECK(in_dir.exit_code == 0);
  CHECK(read_file(b) == kFormatted);
  CHECK(read_file(a) == kMessy);

  const auto whole = run_kpilint({"fmt", "--check"}, dir.path() / "kpis");  // the workspace, from a subdirectory
  CHECK(whole.exit_code == 1);
  CHECK(whole.out == "would reformat a.kpi\n");

  CHECK(run_kpilint({"fmt"}, dir.path()).exit_code == 0);
  CHECK(read_file(a) == kFormatted);
  CHECK(read_file(hidden) == kMessy);
  CHECK(read_file(vendor) == kMessy);
  CHECK(read_file(other) == kMessy);

  // `fmt .` is the workspace: the excludes hold there too.
  CHECK(run_kpilint({"fmt", "--check", "."}, dir.path()).exit_code == 0);
  // A directory named is walked even when excluded (as ruff does), but what
  // the excludes match below it stays out.
  const fs::path nested = dir.write("vendor/sub/vendor/e.kpi", kMessy);
  const auto named = run_kpilint({"fmt", "--check", "vendor"}, dir.path());
  CHECK(named.exit_code == 1);
  CHECK(named.out == "would reformat vendor/d.kpi\n");
  CHECK(read_file(nested) == kMessy);

  // A file named explicitly is formatted whatever its place or extension.
  CHECK(run_kpilint({"fmt", "vendor/d.kpi"}, dir.path()).exit_code == 0);
  CHECK(read_file(vendor) == kFormatted);
}

TEST_CASE("fmt reports missing and unwritable files with exit 2", "[e2e][fmt]") {
  TempDir dir;
  dir.write("kpilint.toml", "");
  const auto missing = run_kpilint({"fmt", "nope.kpi"}, dir.path());
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("nope.kpi") != std::string::npos);

  if (::geteuid() != 0) {  // root writes anywhere
    const fs::path locked = dir.write("locked/a.kpi", kMessy);
    ::chmod(locked.parent_path().c_str(), 0555);
    const auto result = run_kpilint({"fmt", "locked/a.kpi"}, dir.path());
    ::chmod(locked.parent_path().c_str(), 0755);
    CHECK(result.exit_code == 2);
    CHECK(read_file(locked) == kMessy);  // never a file that lost content
  }
  const fs::path readonly = dir.write("ro.kpi", kMessy);
  ::chmod(readonly.c_str(), 0444);
  if (::geteuid() != 0) {
    CHECK(run_kpilint({"fmt", "ro.kpi"}, dir.path()).exit_code == 2);
    CHECK(read_file(readonly) == kMessy);
  }
}

TEST_CASE("fmt keeps CRLF line endings and writes through symlinks", "[e2e][fmt]") {
  TempDir dir;
  dir.write("kpilint.toml", "");
  const fs::path file = dir.write("real/a.kpi", "kpi k { title: \"K\" }\r\n");
  fs::create_symlink(file, dir.path() / "link.kpi");
  CHECK(run_kpilint({"fmt", "link.kpi"}, dir.path()).exit_code == 0);
  CHECK(fs::is_symlink(dir.path() / "link.kpi"));
  CHECK(read_file(file) == "kpi k {\r\n  title: \"K\"\r\n}\r\n");
}
