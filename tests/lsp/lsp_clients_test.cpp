// Real clients against the built `kpilint lsp`: Debian's Neovim 0.7
// (tests/lsp/nvim/diagnostics.lua) and the npm vscode-languageserver-protocol
// client (tests/lsp/node/client.js). Each writes what it saw to a JSON file
// that these tests check. They skip (with the reason) only when the program
// itself is not installed.
#include <catch2/catch.hpp>

#include <string>

#include "fixtures.hpp"
#include "lsp_client.hpp"
#include "support.hpp"

using namespace kpilint::test;
using namespace kpilint::test::fixtures;
namespace fs = std::filesystem;

namespace {

// The workspace both clients open, in a folder whose name needs percent-escapes.
struct ClientWorkspace {
  TempDir dir;
  fs::path root, kpis, accents;
  ClientWorkspace() {
    root = dir.path() / "ação";
    dir.write("ação/kpilint.toml", "");
    dir.write("ação/people.kpi", kPeople);
    dir.write("ação/objectives.kpi", kObjectives);
    kpis = dir.write("ação/kpis.kpi", kKpis);
    accents = dir.write("ação/acentos.kpi", kAccents);
  }
};

const std::string kAccentLine = "  title: \"Conversão da ação 🚀\"  parent: ";

std::uint32_t utf16_units(std::string_view text) {
  std::uint32_t units = 0;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte & 0xC0) != 0x80) units += byte >= 0xF0 ? 2 : 1;
  }
  return units;
}

json find_code(const json& list, const std::string& code) {
  for (const auto& d : list) {
    if (d.value("code", "") == code) return d;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("neovim 0.7: diagnostics after open and after an edit, byte columns right after accents and an emoji") {
  const auto nvim = find_program("nvim");
  if (!nvim) {
    WARN("skipped: `nvim` is not installed (apt-get install neovim)");
    return;
  }
  ClientWorkspace ws;
  const fs::path out = ws.dir.path() / "nvim-result.json";
  const fs::path script = source_dir() / "tests/lsp/nvim/diagnostics.lua";
  const std::size_t edit_col = kAccentLine.size() + std::string("revenue_tot").size();  // bytes: nvim buffers are UTF-8
  const CommandResult run = run_command(
      {nvim->string(), "--headless", "--clean", "-n", "-i", "NONE", "-c", "luafile " + script.string()}, ws.dir.path(),
      {"KPILINT_BIN=" + std::string(KPILINT_BINARY), "KPILINT_ROOT=" + ws.root.string(),
       "KPILINT_FILE=" + ws.accents.string(), "KPILINT_OUT=" + out.string(), "KPILINT_EDIT_ROW=2",
       "KPILINT_EDIT_COL=" + std::to_string(edit_col), "KPILINT_EDIT_TEXT=a", "KPILINT_HOVER_ROW=1", "KPILINT_HOVER_COL=5", "HOME=" + ws.dir.path().string(),
       "XDG_STATE_HOME=" + ws.dir.path().string(), "XDG_DATA_HOME=" + ws.dir.path().string()},
      60000);
  INFO("nvim output: " << run.output);
  REQUIRE(run.exit_code == 0);
  REQUIRE(fs::exists(out));
  const json result = json::parse(read_file(out));
  INFO(result.dump(2));
  REQUIRE(result["ok"] == true);
  CHECK(result["nvim"] == "0.7");
  REQUIRE(result["open_waited"] == true);

  // vim.diagnostic.get() columns are bytes, converted by Neovim from the
  // server's UTF-16 columns through the buffer text: they land exactly on the name.
  const json dangling = find_code(result["open"], "KPI003");
  REQUIRE(!dangling.is_null());
  CHECK(dangling["lnum"] == 2);
  CHECK(dangling["col"] == kAccentLine.size());
  CHECK(dangling["end_col"] == kAccentLine.size() + 12);
  CHECK(dangling["source"] == "kpilint");
  CHECK(dangling["severity"] == 1);
  CHECK(result["publishes"][0]["uri"] == result["buffer_uri"]);  // echoed exactly as Neovim wrote it

  REQUIRE(result["edit_waited"] == true);
  CHECK(find_code(result["edited"], "KPI003").is_null());
  CHECK(result["publishes"].back()["version"] == result["changedtick"]);
  CHECK(result.value("hover", "").find("**kpi** `conversao`") != std::string::npos);
  CHECK(result["exit_waited"] == true);
  CHECK(result["exit_code"] == 0);
}

TEST_CASE("vscode-languageserver-protocol client: open, edit, hover, definition, completion, rename, shutdown") {
  const auto node = find_program("node");
  if (!node) {
    WARN("skipped: `node` is not installed (apt-get install nodejs npm; then npm ci in tests/lsp/node)");
    return;
  }
  const fs::path package = source_dir() / "tests/lsp/node";
  if (!fs::exists(package / "node_modules/vscode-languageserver-protocol/package.json")) {
    FAIL("node is installed but tests/lsp/node has no node_modules: run `npm ci` in tests/lsp/node");
  }
  ClientWorkspace ws;
  const fs::path out = ws.dir.path() / "node-result.json";
  const CommandResult run = run_command({node->string(), (package / "client.js").string(), KPILINT_BINARY,
                                         ws.root.string(), out.string()},
                                        package, {}, 60000);
  INFO("node output: " << run.output);
  REQUIRE(run.exit_code == 0);
  const json result = json::parse(read_file(out));
  INFO(result.dump(2));
  REQUIRE_FALSE(result.contains("error"));
  CHECK(result["positionEncoding"] == "utf-16");

  // JavaScript counts UTF-16 units itself: the server's column must match it.
  const json expected = result["expected"];
  CHECK(expected["character"] == utf16_units(kAccentLine));
  CHECK(expected["character"] != expected["bytes"]);
  const json dangling = find_code(result["opened"], "KPI003");
  REQUIRE(!dangling.is_null());
  CHECK(dangling["range"]["start"]["line"] == expected["line"]);
  CHECK(dangling["range"]["start"]["character"] == expected["character"]);
  CHECK(find_code(result["edited"], "KPI003").is_null());

  CHECK(result.value("hover", "").find("**kpi** `conversao`") != std::string::npos);
  CHECK(result.value("hover", "").find("`conversao` → `revenue_total`") != std::string::npos);
  CHECK(result["definition"]["uri"] == file_uri(ws.kpis));
  CHECK(result["completion"] == json::array({"conversao", "ecom_sales", "revenue_total"}));
  REQUIRE(result["rename"]["changes"].size() == 1);
  CHECK(result["rename"]["changes"].begin().value()[0]["newText"] == "conversao_site");
  CHECK(result["invalidRename"]["code"] == -32602);
  CHECK(result["exitCode"] == 0);
}
