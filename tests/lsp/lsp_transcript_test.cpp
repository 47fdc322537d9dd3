// Transcript tests: the built `kpilint lsp` driven over pipes with raw framed
// JSON-RPC, as an editor would. Every test also checks that stdout carried
// nothing but frames.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <set>
#include <thread>

#include "fixtures.hpp"
#include "lsp_client.hpp"
#include "support.hpp"

using namespace kpilint::test;
using namespace kpilint::test::fixtures;
namespace fs = std::filesystem;

namespace {

std::uint32_t utf16_length(std::string_view text) {
  std::uint32_t units = 0;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte & 0xC0) != 0x80) units += byte >= 0xF0 ? 2 : 1;
  }
  return units;
}

json with_code(const json& diagnostics, const std::string& code) {
  for (const auto& d : diagnostics) {
    if (d["code"] == code) return d;
  }
  return nullptr;
}

json pos(int line, int character) { return {{"line", line}, {"character", character}}; }
json doc(const std::string& uri) { return {{"uri", uri}}; }
json at(const std::string& uri, int line, int character) { return {{"textDocument", doc(uri)}, {"position", pos(line, character)}}; }

// A workspace of three files on disk (people, objectives, kpis).
struct Workspace {
  TempDir dir;
  fs::path people, objectives, kpis;
  Workspace() {
    dir.write("kpilint.toml", "");
    people = dir.write("people.kpi", kPeople);
    objectives = dir.write("objectives.kpi", kObjectives);
    kpis = dir.write("kpis.kpi", kKpis);
  }
};

void finish(LspProcess& lsp) {
  CHECK(lsp.request("shutdown", nullptr)["result"].is_null());
  lsp.notify("exit", nullptr);
  CHECK(lsp.wait_exit() == 0);
  INFO(lsp.framing_error());
  CHECK(lsp.framing_ok());
}

}  // namespace

TEST_CASE("initialize declares every provider - positionEncoding is utf-16 unless utf-8 is offered") {
  Workspace ws;
  {
    LspProcess lsp(ws.dir.path());
    const json reply = lsp.initialize(ws.dir.path());
    const json caps = reply["result"]["capabilities"];
    CHECK(caps["positionEncoding"] == "utf-16");
    CHECK(caps["textDocumentSync"]["openClose"] == true);
    CHECK(caps["textDocumentSync"]["change"] == 2);
    for (const char* provider : {"hoverProvider", "definitionProvider", "referencesProvider", "documentSymbolProvider",
                                 "workspaceSymbolProvider",
                                 "completionProvider", "renameProvider", "codeActionProvider", "documentFormattingProvider"}) {
      INFO(provider);
      CHECK(caps.contains(provider));
    }
    CHECK(caps["renameProvider"]["prepareProvider"] == true);
    CHECK(reply["result"]["serverInfo"]["name"] == "kpilint");
    finish(lsp);
  }
  {
    LspProcess lsp(ws.dir.path());
    json capabilities = default_capabilities();
    capabilities["general"]["positionEncodings"] = {"utf-32", "utf-8", "utf-16"};
    CHECK(lsp.initialize(ws.dir.path(), capabilities)["result"]["capabilities"]["positionEncoding"] == "utf-8");
    finish(lsp);
  }
}

TEST_CASE("lifecycle: not initialized, unknown method, shutdown, exit codes") {
  Workspace ws;
  SECTION("requests before initialize get -32002; exit after shutdown is 0") {
    LspProcess lsp(ws.dir.path());
    const json early = lsp.request("textDocument/hover", at(file_uri(ws.kpis), 0, 0));
    CHECK(early["error"]["code"] == -32002);
    lsp.open(file_uri(ws.kpis), kKpis);  // a notification before initialize: ignored
    lsp.initialize(ws.dir.path());
    CHECK(lsp.request("kpilint/unknown", json::object())["error"]["code"] == -32601);
    CHECK(lsp.request("shutdown", nullptr)["result"].is_null());
    CHECK(lsp.request("textDocument/hover", at(file_uri(ws.kpis), 0, 0))["error"]["code"] == -32600);
    lsp.notify("exit", nullptr);
    CHECK(lsp.wait_exit() == 0);
    CHECK(lsp.framing_ok());
  }
  SECTION("exit without shutdown is 1") {
    LspProcess lsp(ws.dir.path());
    lsp.initialize(ws.dir.path());
    lsp.notify("exit", nullptr);
    CHECK(lsp.wait_exit() == 1);
  }
  SECTION("the input ending without exit is 1, promptly") {
    LspProcess lsp(ws.dir.path());
    lsp.initialize(ws.dir.path());
    lsp.close_input();
    CHECK(lsp.wait_exit(3000) == 1);
  }
  SECTION("exit before initialize is 1") {
    LspProcess lsp(ws.dir.path());
    lsp.notify("exit", nullptr);
    CHECK(lsp.wait_exit() == 1);
  }
}

TEST_CASE("diagnostics: published on open with version, string code, source, severity - UTF-16 columns") {
  Workspace ws;
  const fs::path accents = ws.dir.write("acentos.kpi", kAccents);
  LspProcess lsp(ws.dir.path());
  lsp.initialize(ws.dir.path());
  const std::string uri = file_uri(accents);
  lsp.open(uri, kAccents, 7);
  const json published = lsp.wait_diagnostics(uri);
  CHECK(published["version"] == 7);
  const json dangling = with_code(published["diagnostics"], "KPI003");
  REQUIRE(!dangling.is_null());
  CHECK(dangling["source"] == "kpilint");
  CHECK(dangling["severity"] == 1);
  CHECK(dangling["code"].is_string());
  // The range covers `revenue_totl`, counted in UTF-16 units after "Conversão da ação 🚀".
  const std::string line = "  title: \"Conversão da ação 🚀\"  parent: ";
  CHECK(dangling["range"]["start"] == pos(2, static_cast<int>(utf16_length(line))));
  CHECK(dangling["range"]["end"] == pos(2, static_cast<int>(utf16_length(line)) + 12));
  CHECK(utf16_length(line) != line.size());  // the test means something
  CHECK(dangling["message"].get<std::string>().find("revenue_total") != std::string::npos);  // did you mean
  finish(lsp);
}

TEST_CASE("diagnostics: utf-8 encoding gives byte columns - a dangling @name starts at the '@'") {
  Workspace ws;
  const std::string text = "kpi x {\n  title: \"ção 🚀\"  owner: @ninguem\n}\n";
  const fs::path file = ws.dir.write("x.kpi", text);
  LspProcess lsp(ws.dir.path());
  json capabilities = default_capabilities();
  capabilities["general"]["positionEncodings"] = {"utf-8", "utf-16"};
  lsp.initialize(ws.dir.path(), capabilities);
  lsp.open(file_uri(file), text);
  const json dangling = with_code(lsp.wait_diagnostics(file_uri(file))["diagnostics"], "KPI003");
  REQUIRE(!dangling.is_null());
  const std::string before = "  title: \"ção 🚀\"  owner: ";
  CHECK(dangling["range"]["start"] == pos(1, static_cast<int>(before.size())));  // bytes, at the '@'
  CHECK(dangling["range"]["end"] == pos(1, static_cast<int>(before.size() + std::string("@ninguem").size())));
  finish(lsp);
}

TEST_CASE("diagnostics: incremental and full changes republish - a clean file gets an empty list") {
  Workspace ws;
  const fs::path accents = ws.dir.write("acentos.kpi", kAccents);
  LspProcess lsp(ws.dir.path());
  lsp.initialize(ws.dir.path());
  const std::string uri = file_uri(accents);
  lsp.open(uri, kAccents, 1);
  REQUIRE(!with_code(lsp.wait_diagnostics(uri, 1)["diagnostics"], "KPI003").is_null());

  // Fix the typo: insert the missing 'a' of revenue_total (after "revenue_tot", in UTF-16 units).
  const int column = static_cast<int>(utf16_length("  title: \"Conversão da ação 🚀\"  parent: revenue_tot"));
  lsp.change(uri, 2, json::array({{{"range", {{"start", pos(2, column)}, {"end", pos(2, column)}}}, {"text", "a"}}}));
  const json fixed = lsp.wait_diagnostics(uri, 2);
  CHECK(with_code(fixed["diagnostics"], "KPI003").is_null());

  // Full sync: replace everything with a clean person.
  lsp.change(uri, 3, json::array({{{"text", "person solo { name: \"Só\" function: sales }\n"}}}));
  const json clean = lsp.wait_diagnostics(uri, 3);
  CHECK(clean["diagnostics"].is_array());
  CHECK(clean["diagnostics"].empty());
  finish(lsp);
}

TEST_CASE("diagnostics: a change in one file republishes the other open files it breaks") {
  Workspace ws;
  LspProcess lsp(ws.dir.path());
  lsp.initialize(ws.dir.path());
  const std::string kpis = file_uri(ws.kpis), objectives = file_uri(ws.objectives);
  lsp.open(kpis, kKpis, 1);
  lsp.open(objectives, kObjectives, 1);
  CHECK(with_code(lsp.wait_diagnostics(kpis)["diagnostics"], "KPI003").is_null());
  lsp.wait_diagnostics(objectives);
  // Rename the objective in its own file: the KPI in the other file now dangles.
  lsp.change(objectives, 2, json::array({{{"range", {{"start", pos(0, 10)}, {"end", pos(0, 16)}}}, {"text", "expansion"}}}));
  const json broken = lsp.wait_diagnostics(kpis);
  const json dangling = with_code(broken["diagnostics"], "KPI003");
  REQUIRE(!dangling.is_null());
  CHECK(dangling["range"]["start"] == pos(5, 13));
  CHECK(broken["version"] == 1);  // its own text did not change
  lsp.wait_diagnostics(objectives, 2);
  finish(lsp);
}

TEST_CASE("diagnostics: relatedInformation for a duplicate points at the first definition") {
  Workspace ws;
  const std::string text = "person ceo { name: \"Other\" function: sales }\n";
  const fs::path file = ws.dir.write("zz_dup.kpi", text);
  LspProcess lsp(ws.dir.path());
  lsp.initialize(ws.dir.path());
  lsp.open(file_uri(file), text);
  const json duplicate = with_code(lsp.wait_diagnostics(file_uri(file))["diagnostics"], "KPI002");
  REQUIRE(!duplicate.is_null());
  REQUIRE(duplicate.contains("relatedInformation"));
  CHECK(duplicate["relatedInformation"][0]["location"]["uri"] == file_uri(ws.people));
  CHECK(duplicate["relatedInformation"][0]["location"]["range"]["start"] == pos(0, 7));
  finish(lsp);
}

TEST_CASE("hover: a KPI's owner, source, unit, target and roll-up chain - a rule on a diagnostic") {
  Workspace ws;
  LspProcess lsp(ws.dir.path());
  lsp.initialize(ws.dir.path());
  const std::string uri = file_uri(ws.kpis);
  lsp.open(uri, kKpis);
  lsp.wait_diagnostics(uri);
  SECTION("on the declaration's name") {
    const json hover = lsp.request("textDocument/hover", at(uri, 13, 6))["result"];
    REQUIRE(hover.is_object());
    const std::string text = hover["contents"]["value"];
    CHECK(hover["contents"]["kind"] == "markdown");
    CHECK(text.find("ecom_sales") != std::string::npos);
    CHECK(text.find("@joao") != std::string::npos);
    CHECK(text.find("João Pereira") != std::string::npos);
    CHECK(text.find("shopify.orders") != std::string::npos);
    CHECK(text.find("currency (from metric `revenue`)") != std::string::npos);
    CHECK(text.find(">= 2M USD by 2026-09-30") != std::string::npos);
    CHECK(text.find("`ecom_sales` → `revenue_total` (business) → objective `growth`") != std::string::npos);
    CHECK(hover["range"] == json{{"start", pos(13, 4)}, {"end", pos(13, 14)}});
  }
  SECTION("on a reference") {
    const json hover = lsp.request("textDocument/hover", at(uri, 16, 12))["result"];
    REQUIRE(hover.is_object());
    CHECK(hover["contents"]["value"].get<std::string>().find("**kpi** `revenue_total`") != std::string::npos);
    CHECK(hover["range"] == json{{"start", pos(16, 10)}, {"end", pos(16, 23)}});
  }
  SECTION("on a diagnostic's range: the rule's summary and rationale") {
    lsp.change(uri, 2, json::array({{{"range", {{"start", pos(8, 0)}, {"end", pos(9, 0)}}}, {"text", ""}}}));  // drop the source
    const json d = with_code(lsp.wait_diagnostics(uri, 2)["diagnostics"], "KPI102");
    REQUIRE(!d.is_null());
    const json hover = lsp.request("textDocument/hover", {{"textDocument", doc(uri)}, {"position", d["range"]["start"]}})["result"];
    const std::string text = hover["contents"]["value"];
    CHECK(text.find("KPI102") != std::string::npos);
    CHECK(text.find("missing-source") != std::string::npos);
  }
  SECTION("on nothing, and past the end of the document") {
    CHECK(lsp.request("textDocument/hover", at(uri, 1, 0))["result"].is_null());
    const json past = lsp.request("textDocument/hover", at(uri, 400, 3));
    CHECK(past.contains("result"));
    CHECK(past["result"].is_null());
  }
  finish(lsp);
}

TEST_CASE("definition and references: name tokens across files, never the '@', strings or comments") {
  Workspace ws;
  LspProcess lsp(ws.dir.path());
  lsp.initialize(ws.dir.path());
  const std::string kpis = file_uri(ws.kpis);
  lsp.open(kpis, kKpis);
  lsp.wait_diagnostics(kpis);

  const json definition = lsp.request("textDocument/definition", at(kpis, 5, 14))["result"];  // objective: growth
  CHECK(definition["uri"] == file_uri(ws.objectives));
  CHECK(definition["range"] == json{{"start", pos(0, 10)}, {"end", pos(0, 16)}});

  const json owner = lsp.request("textDocument/definition", at(kpis, 18, 10))["result"];  // owner: @joao
  CHECK(owner["uri"] == file_uri(ws.people));
  CHECK(owner["range"]["start"] == pos(1, 7));

  // References to revenue_total: the declaration and `parent: revenue_total`, not the string or the comment.
  const json refs = lsp.request("textDocument/references",
                                {{"textDocument", doc(kpis)}, {"position", pos(2, 6)}, {"context", {{"includeDeclaration", true}}}})["result"];
  REQUIRE(refs.size() == 2);
  CHECK(refs[0]["range"] == json{{"start", pos(2, 4)}, {"end", pos(2, 17)}});
  CHECK(refs[1]["range"] == json{{"start", pos(16, 10)}, {"end", pos(16, 23)}});

  // References to joao span two files and exclude the '@'.
  const json people = lsp.request("textDocument/references",
                                  {{"textDocument", doc(kpis)}, {"position", pos(18, 12)}, {"context", {{"includeDeclaration", false}}}})["result"];
  REQUIRE(people.size() == 2);
  std::set<std::string> files;
  for (const auto& r : people) files.insert(r["uri"]);
  CHECK(files == std::set<std::string>{kpis, file_uri(ws.people)});
  for (const auto& r : people) {
    if (r["uri"] == kpis) CHECK(r["range"]["start"] == pos(18, 10));
  }
  // A stdlib metric has no file to go to.
  CHECK(lsp.request("textDocument/definition", at(kpis, 6, 11))["result"].is_null());
  finish(lsp);
}

TEST_CASE("completion: keywords, fields, enum words and names of the right kind, on lines that do not parse") {
  Workspace ws;
  LspProcess lsp(ws.dir.path());
  lsp.initialize(ws.dir.path());
  const std::string uri = file_uri(ws.dir.path() / "novo.kpi");  // a buffer not on disk joins the workspace
  const std::string text = "use std.marketing\n\nkpi novo {\n  parent: \n  owner: @\n  level: \n  metric: \n  \n}\n\n";
  lsp.open(uri, text);
  lsp.wait_diagnostics(uri);
  const auto labels = [&](int line, int character) {
    const json result = lsp.request("textDocument/completion", at(uri, line, character))["result"];
    std::set<std::string> out;
    for (const auto& item : result["items"]) out.insert(item["label"]);
    return out;
  };
  SECTION("parent: offers KPIs only, never the KPI itself") {
    const auto items = labels(3, 10);
    CHECK(items == std::set<std::string>{"revenue_total", "ecom_sales"});
  }
  SECTION("owner: @ offers people and teams") {
    const auto items = labels(4, 10);
    CHECK(items == std::set<std::string>{"@ceo", "@joao", "@growth_team"});
    const json result = lsp.request("textDocument/completion", at(uri, 4, 10))["result"];
    CHECK(result["items"][0]["textEdit"]["range"]["start"] == pos(4, 9));  // replaces the typed '@'
  }
  SECTION("level: offers the enum words") {
    CHECK(labels(5, 9) == std::set<std::string>{"business", "marketing"});
  }
  SECTION("metric: offers stdlib metrics of the used module") {
    const auto items = labels(6, 10);
    CHECK(items.count("revenue"));
    CHECK(items.count("mql_count"));
    CHECK_FALSE(items.count("gross_margin"));  // std.business is not used here
    CHECK_FALSE(items.count("ecom_sales"));
  }
  SECTION("an empty line in a body offers the fields not written yet") {
    const auto items = labels(7, 2);
    CHECK(items.count("source"));
    CHECK(items.count("target"));
    CHECK_FALSE(items.count("parent"));
    CHECK_FALSE(items.count("members"));  // a team field
  }
  SECTION("top level offers declaration keywords") {
    CHECK(labels(9, 0) == std::set<std::string>{"use", "person", "team", "objective", "kpi", "metric", "experiment"});
  }
  SECTION("nothing inside a string or a comment") {
    lsp.change(uri, 2, json::array({{{"text", "kpi novo {\n  title: \"pa\" # par\n}\n"}}}));
    CHECK(labels(1, 12).empty());
    CHECK(labels(1, 19).empty());
  }
  finish(lsp);
}

TEST_CASE("rename: a WorkspaceEdit over every file - invalid names are refused") {
  Workspace ws;
  LspProcess lsp(ws.dir.path());
  lsp.initialize(ws.dir.path());
  const std::string kpis = file_uri(ws.kpis);
  lsp.open(kpis, kKpis);
  lsp.wait_diagnostics(kpis);
  const json prepared = lsp.request("textDocument/prepareRename", at(kpis, 18, 11))["result"];
  CHECK(prepared["placeholder"] == "joao");
  CHECK(prepared["range"] == json{{"start", pos(18, 10)}, {"end", pos(18, 14)}});

  const json edit = lsp.request("textDocument/rename",
                                {{"textDocument", doc(kpis)}, {"position", pos(18, 11)}, {"newName", "joana"}})["result"];
  const json changes = edit["changes"];
  REQUIRE(changes.contains(kpis));
  REQUIRE(changes.contains(file_uri(ws.people)));
  CHECK(changes[kpis].size() == 1);
  CHECK(changes[file_uri(ws.people)].size() == 2);  // the declaration and the team member
  for (const auto& [uri, edits] : changes.items()) {
    for (const auto& e : edits) CHECK(e["newText"] == "joana");
  }
  CHECK(lsp.request("textDocument/rename", {{"textDocument", doc(kpis)}, {"position", pos(18, 11)}, {"newName", "not valid"}})["error"]["code"] == -32602);
  CHECK(lsp.request("textDocument/rename", {{"textDocument", doc(kpis)}, {"position", pos(18, 11)}, {"newName", "kpi"}}).contains("error"));
  CHECK(lsp.request("textDocument/rename", {{"textDocument", doc(kpis)}, {"position", pos(18, 11)}, {"newName", "ceo"}}).contains("error"));
  CHECK(lsp.request("textDocument/rename", {{"textDocument", doc(kpis)}, {"position", pos(1, 0)}, {"newName", "x"}}).contains("error"));
  finish(lsp);
}

TEST_CASE("document symbols: hierarchical, declaration range, name as selection range, fields as children") {
  Workspace ws;
  LspProcess lsp(ws.dir.path());
  lsp.initialize(ws.dir.path());
  const std::string uri = file_uri(ws.objectives);
  lsp.open(uri, kObjectives);
  lsp.wait_diagnostics(uri);
  const json symbols = lsp.request("textDocument/documentSymbol", {{"textDocument", doc(uri)}})["result"];
  REQUIRE(symbols.size() == 1);
  CHECK(symbols[0]["name"] == "growth");
  CHECK(symbols[0]["range"] == json{{"start", pos(0, 0)}, {"end", pos(5, 1)}});
  CHECK(symbols[0]["selectionRange"] == json{{"start", pos(0, 10)}, {"end", pos(0, 16)}});
  REQUIRE(symbols[0]["children"].size() == 4);
  CHECK(symbols[0]["children"][1]["name"] == "owner");
  CHECK(symbols[0]["children"][1]["selectionRange"]["start"] == pos(2, 2));
  finish(lsp);
}

TEST_CASE("document symbols: flat SymbolInformation for clients without hierarchy support") {
  Workspace ws;
  LspProcess lsp(ws.dir.path());
  json capabilities = default_capabilities();
  capabilities["textDocument"]["documentSymbol"]["hierarchicalDocumentSymbolSupport"] = false;
  lsp.initialize(ws.dir.path(), capabilities);
  const std::string uri = file_uri(ws.people);
  lsp.open(uri, kPeople);
  lsp.wait_diagnostics(uri);
  const json symbols = lsp.request("textDocument/documentSymbol", {{"textDocument", doc(uri)}})["result"];
  REQUIRE(symbols.size() >= 3);
  CHECK(symbols[0]["name"] == "ceo");
  CHECK(symbols[0]["location"]["uri"] == uri);
  CHECK(symbols[1]["containerName"] == "ceo");
  finish(lsp);
}

TEST_CASE("workspace symbols: declarations of every file whose names hold the query as a subsequence") {
  Workspace ws;
  LspProcess lsp(ws.dir.path());
  lsp.initialize(ws.dir.path());
  const std::string uri = file_uri(ws.kpis);
  lsp.open(uri, kKpis);
  lsp.wait_diagnostics(uri);
  const auto names = [&](const std::string& query) {
    std::vector<std::string> out;
    const json reply = lsp.request("workspace/symbol", {{"query", query}});  // kept alive: the loop reads into it
    for (const auto& symbol : reply["result"]) out.push_back(symbol["name"]);
    return out;
  };
  // Path order: kpis.kpi, objectives.kpi, people.kpi; files not open come from disk.
  CHECK(names("grow") == std::vector<std::string>{"growth", "growth_team"});
  CHECK(names("GRWTM") == std::vector<std::string>{"growth_team"});
  CHECK(names("nothing_like_this").empty());
  const json symbols = lsp.request("workspace/symbol", {{"query", "ceo"}})["result"];
  REQUIRE(symbols.size() == 1);
  CHECK(symbols[0]["kind"] == 19);  // Object: a person
  CHECK(symbols[0]["containerName"] == "person");
  CHECK(symbols[0]["location"]["uri"] == file_uri(ws.people));
  CHECK(symbols[0]["location"]["range"]["start"] == pos(0, 0));
  CHECK(names("") == std::vector<std::string>{"revenue_total", "ecom_sales", "growth", "ceo", "joao", "growth_team"});
  finish(lsp);
}

TEST_CASE("code actions: did-you-mean fixes, missing-field skeletons, ignore comments") {
  Workspace ws;
  LspProcess lsp(ws.dir.path());
  lsp.initialize(ws.dir.path());
  const std::string uri = file_uri(ws.dir.path() / "acoes.kpi");
  const std::string text = "kpi solta {\n  title: \"Solta\"\n  level: business\n  objective: growht\n}\n";
  lsp.open(uri, text);
  const json diagnostics = lsp.wait_diagnostics(uri)["diagnostics"];
  const auto actions_at = [&](const json& range) {
    return lsp.request("textDocument/codeAction",
                       {{"textDocument", doc(uri)}, {"range", range}, {"context", {{"diagnostics", json::array()}}}})["result"];
  };
  const auto titled = [](const json& actions, const std::string& title) {
    for (const auto& a : actions) {
      if (a["title"] == title) return a;
    }
    return json(nullptr);
  };
  SECTION("the library's fix for a typo") {
    const json d = with_code(diagnostics, "KPI003");
    REQUIRE(!d.is_null());
    const json actions = actions_at(d["range"]);
    json fix;
    for (const auto& a : actions) {
      if (a["title"].get<std::string>().find("growth") != std::string::npos) fix = a;
    }
    REQUIRE(!fix.is_null());
    CHECK(fix["kind"] == "quickfix");
    CHECK(fix["edit"]["changes"][uri][0]["newText"] == "growth");
    CHECK(fix["edit"]["changes"][uri][0]["range"] == d["range"]);
  }
  SECTION("a missing owner: insert `owner: @` before the closing brace; or ignore it") {
    const json d = with_code(diagnostics, "KPI101");
    REQUIRE(!d.is_null());
    const json actions = actions_at(d["range"]);
    const json add = titled(actions, "Add `owner: @`");
    REQUIRE(!add.is_null());
    CHECK(add["edit"]["changes"][uri][0]["newText"] == "  owner: @\n");
    CHECK(add["edit"]["changes"][uri][0]["range"]["start"] == pos(4, 0));
    CHECK(add["diagnostics"][0]["code"] == "KPI101");
    const json ignore = titled(actions, "Ignore KPI101 for `solta`");
    REQUIRE(!ignore.is_null());
    CHECK(ignore["edit"]["changes"][uri][0]["newText"] == "# kpilint: ignore KPI101\n");
    CHECK(ignore["edit"]["changes"][uri][0]["range"]["start"] == pos(0, 0));
  }
  SECTION("applying the ignore silences the finding") {
    lsp.change(uri, 2, json::array({{{"text", "# kpilint: ignore KPI101\n" + text}}}));
    CHECK(with_code(lsp.wait_diagnostics(uri, 2)["diagnostics"], "KPI101").is_null());
  }
  finish(lsp);
}

TEST_CASE("formatting: one edit to the canonical layout") {
  Workspace ws;
  LspProcess lsp(ws.dir.path());
  lsp.initialize(ws.dir.path());
  const std::string uri = file_uri(ws.dir.path() / "feio.kpi");
  lsp.open(uri, "person   feio {name: \"Feio\"   function: sales}\n");
  lsp.wait_diagnostics(uri);
  const json edits = lsp.request("textDocument/formatting",
                                 {{"textDocument", doc(uri)}, {"options", {{"tabSize", 2}, {"insertSpaces", true}}}})["result"];
  REQUIRE(edits.is_array());
  REQUIRE(edits.size() == 1);
  CHECK(edits[0]["newText"].get<std::string>().find("person feio {\n  name: \"Feio\"\n") == 0);
  finish(lsp);
}

TEST_CASE("URIs: lower-case percent escapes (Neovim) are echoed back exactly") {
  TempDir dir;
  const fs::path folder = dir.path() / "ação";
  fs::create_directories(folder);
  const std::string text = "kpi k {\n  parent: nada\n}\n";
  const fs::path file = dir.write("ação/k.kpi", text);
  std::string uri = file_uri(file);
  for (std::size_t i = 0; i + 2 < uri.size(); ++i) {
    if (uri[i] == '%') {
      uri[i + 1] = static_cast<char>(std::tolower(uri[i + 1]));
      uri[i + 2] = static_cast<char>(std::tolower(uri[i + 2]));
    }
  }
  REQUIRE(uri.find("%c3%a7") != std::string::npos);
  LspProcess lsp(dir.path());
  lsp.initialize(folder);
  lsp.open(uri, text);
  const json published = lsp.wait_diagnostics(uri);
  CHECK(published["uri"] == uri);
  const json symbols = lsp.request("textDocument/documentSymbol", {{"textDocument", doc(uri)}})["result"];
  CHECK(symbols.size() == 1);
  finish(lsp);
}

TEST_CASE("watched files: a file changed on disk re-checks the open ones") {
  Workspace ws;
  LspProcess lsp(ws.dir.path());
  lsp.initialize(ws.dir.path());
  const std::string kpis = file_uri(ws.kpis);
  lsp.open(kpis, kKpis);
  CHECK(with_code(lsp.wait_diagnostics(kpis)["diagnostics"], "KPI003").is_null());
  ws.dir.write("objectives.kpi", "objective other { title: \"x\" owner: @ceo horizon: 2026-Q4 review: yearly }\n");
  lsp.notify("workspace/didChangeWatchedFiles", {{"changes", json::array({{{"uri", file_uri(ws.objectives)}, {"type", 2}}})}});
  CHECK(!with_code(lsp.wait_diagnostics(kpis)["diagnostics"], "KPI003").is_null());
  finish(lsp);
}

TEST_CASE("robustness: bad input never crashes or hangs the server") {
  Workspace ws;
  LspProcess lsp(ws.dir.path());
  lsp.initialize(ws.dir.path());
  const std::string uri = file_uri(ws.kpis);
  lsp.open(uri, kKpis);
  lsp.wait_diagnostics(uri);
  const auto alive = [&] {
    const json reply = lsp.request("textDocument/documentSymbol", {{"textDocument", doc(uri)}});
    return reply.contains("result") && reply["result"].is_array() && !reply["result"].empty();
  };

  SECTION("malformed JSON gets a parse error with a null id") {
    lsp.send_raw("Content-Length: 12\r\n\r\n{\"jsonrpc\":,");
    const auto reply = lsp.wait_for([](const json& m) { return m.contains("error"); });
    REQUIRE(reply);
    CHECK((*reply)["error"]["code"] == -32700);
    CHECK((*reply)["id"].is_null());
    CHECK(alive());
  }
  SECTION("a Content-Length too long swallows the next message; the server resynchronises") {
    const std::string body = R"({"jsonrpc":"2.0","id":900,"method":"shutdownx"})";
    const std::string next = json{{"jsonrpc", "2.0"}, {"id", 901}, {"method", "kpilint/unknown"}}.dump();
    lsp.send_raw("Content-Length: " + std::to_string(body.size() + 30) + "\r\n\r\n" + body +
                 "Content-Length: " + std::to_string(next.size()) + "\r\n\r\n" + next);
    CHECK(lsp.wait_response(901)["error"]["code"] == -32601);
    CHECK(alive());
  }
  SECTION("a Content-Length too short, and a frame with no Content-Length") {
    const std::string body = R"({"jsonrpc":"2.0","id":902,"method":"kpilint/unknown"})";
    lsp.send_raw("Content-Length: 10\r\n\r\n" + body);
    lsp.send_raw("Content-Type: application/json\r\n\r\n");
    CHECK(alive());
  }
  SECTION("binary garbage and invalid UTF-8 inside a JSON string") {
    static const char garbage[] = "\x00\x01\xff\xfe garbage \r\n\r\n";
    lsp.send_raw(std::string(garbage, sizeof garbage - 1));
    lsp.send_raw("Content-Length: 4\r\n\r\n\xff\xfe\xfd\xfc");
    const std::string bad = "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":"
                            "{\"uri\":\"file:///tmp/x.kpi\",\"languageId\":\"kpi\",\"version\":1,\"text\":\"kpi \xc3\x28\"}}}";
    lsp.send_raw("Content-Length: " + std::to_string(bad.size()) + "\r\n\r\n" + bad);
    CHECK(alive());
  }
  SECTION("a change range outside the text is refused and the text kept") {
    lsp.change(uri, 2, json::array({{{"range", {{"start", pos(900, 0)}, {"end", pos(901, 0)}}}, {"text", "x"}}}));
    CHECK(alive());
    const json hover = lsp.request("textDocument/hover", at(uri, 13, 6))["result"];
    CHECK(hover["contents"]["value"].get<std::string>().find("ecom_sales") != std::string::npos);
    CHECK(lsp.stderr_text().find("outside the document") != std::string::npos);
  }
  SECTION("unknown URIs and positions past the end get null") {
    CHECK(lsp.request("textDocument/hover", at("file:///nowhere/x.kpi", 0, 0))["result"].is_null());
    CHECK(lsp.request("textDocument/definition", at("untitled:Untitled-1", 0, 0))["result"].is_null());
    CHECK(lsp.request("textDocument/completion", at(uri, 9999, 9999))["result"].is_null());
    CHECK(lsp.request("textDocument/hover", at(uri, 0, 9999)).contains("result"));
    CHECK(lsp.request("textDocument/hover", {{"textDocument", doc(uri)}, {"position", "x"}})["error"]["code"] == -32602);
    CHECK(lsp.request("textDocument/hover", json::array())["error"]["code"] == -32602);
    lsp.notify("textDocument/didChange", {{"textDocument", {{"uri", "file:///nowhere/x.kpi"}, {"version", 2}}}, {"contentChanges", json::array()}});
    lsp.notify("textDocument/didClose", {{"textDocument", {{"uri", "file:///nowhere/x.kpi"}}}});
    lsp.notify("kpilint/whatever", json::object());
    CHECK(alive());
  }
  SECTION("a 5 MB document: framed, checked, edited at its end") {
    // Mostly comments (cheap to check), with a dangling reference at the very end.
    std::string big = "use std.marketing\n";
    while (big.size() < 5u * 1024 * 1024) big += "# Comentário longo sobre a ação de marketing 🚀 com muitos caracteres acentuados: çãõé\n";
    big += "kpi fim {\n  parent: nada\n}\n";
    const std::string big_uri = file_uri(ws.dir.path() / "big.kpi");
    lsp.open(big_uri, big);
    const json published = lsp.wait_diagnostics(big_uri, 1, 60000);
    const json dangling = with_code(published["diagnostics"], "KPI003");
    REQUIRE(!dangling.is_null());
    const int last = static_cast<int>(std::count(big.begin(), big.end(), '\n'));
    CHECK(dangling["range"]["start"] == pos(last - 2, 10));
    lsp.change(big_uri, 2, json::array({{{"range", {{"start", pos(last - 2, 10)}, {"end", pos(last - 2, 14)}}}, {"text", "revenue_total"}}}));
    CHECK(with_code(lsp.wait_diagnostics(big_uri, 2, 60000)["diagnostics"], "KPI003").is_null());
    CHECK(alive());
  }
  SECTION("cancelled requests are answered exactly once") {
    const int first = lsp.send_request("textDocument/documentSymbol", {{"textDocument", doc(uri)}});
    lsp.notify("$/cancelRequest", {{"id", first}});
    const json reply = lsp.wait_response(first);
    CHECK((reply.contains("result") || reply["error"]["code"] == -32800));
    CHECK_FALSE(lsp.wait_for([&](const json& m) { return m.contains("id") && m["id"] == first; }, 300));
  }
  finish(lsp);
}

TEST_CASE("robustness: an edit that splits a character leaves invalid UTF-8 in the buffer") {
  Workspace ws;
  LspProcess lsp(ws.dir.path());
  json capabilities = default_capabilities();
  capabilities["general"]["positionEncodings"] = {"utf-8"};
  lsp.initialize(ws.dir.path(), capabilities);
  const std::string uri = file_uri(ws.dir.path() / "quebrado.kpi");
  lsp.open(uri, "kpi quebrado {\n  title: \"ção\" parent: nada\n}\n");
  lsp.wait_diagnostics(uri, 1);
  // In utf-8 units the client may address any byte: delete the second byte of 'ç'.
  lsp.change(uri, 2, json::array({{{"range", {{"start", pos(1, 11)}, {"end", pos(1, 12)}}}, {"text", ""}}}));
  const json published = lsp.wait_diagnostics(uri, 2);
  CHECK(!published["diagnostics"].empty());
  CHECK(lsp.request("textDocument/hover", at(uri, 1, 10)).contains("result"));
  CHECK(lsp.request("textDocument/documentSymbol", {{"textDocument", doc(uri)}})["result"].size() == 1);
  finish(lsp);
}

namespace {

// initialize with a `locale` (LSP 3.16), then initialized.
void initialize_with_locale(LspProcess& lsp, const fs::path& root, const std::string& locale) {
  json params{{"processId", nullptr},
              {"rootUri", file_uri(root)},
              {"locale", locale},
              {"capabilities", default_capabilities()},
              {"workspaceFolders", json::array({{{"uri", file_uri(root)}, {"name", "test"}}})}};
  REQUIRE(lsp.request("initialize", std::move(params))["result"].is_object());
  lsp.notify("initialized", json::object());
}

}  // namespace

TEST_CASE("locale: initialize.locale pt-BR gives Portuguese diagnostics and hovers - en and --lang win as they should") {
  Workspace ws;
  const fs::path accents = ws.dir.write("acentos.kpi", kAccents);
  const std::string uri = file_uri(accents);
  SECTION("pt-BR") {
    LspProcess lsp(ws.dir.path());
    initialize_with_locale(lsp, ws.dir.path(), "pt-BR");
    lsp.open(uri, kAccents);
    const json dangling = with_code(lsp.wait_diagnostics(uri)["diagnostics"], "KPI003");
    REQUIRE(!dangling.is_null());
    CHECK(dangling["message"] == "não existe KPI com o nome 'revenue_totl'; você quis dizer 'revenue_total'?");
    const json hover = lsp.request("textDocument/hover", {{"textDocument", doc(uri)}, {"position", dangling["range"]["start"]}})["result"];
    REQUIRE(hover.is_object());
    CHECK(hover["contents"]["value"].get<std::string>().find("_uma referência não aponta para nada_") != std::string::npos);
    finish(lsp);
  }
  SECTION("en-US over a Portuguese environment") {
    LspProcess lsp(ws.dir.path(), {"lsp"}, {"LANG=pt_BR.UTF-8"});
    initialize_with_locale(lsp, ws.dir.path(), "en-US");
    lsp.open(uri, kAccents);
    const json dangling = with_code(lsp.wait_diagnostics(uri)["diagnostics"], "KPI003");
    REQUIRE(!dangling.is_null());
    CHECK(dangling["message"] == "no KPI named 'revenue_totl'; did you mean 'revenue_total'?");
    finish(lsp);
  }
  SECTION("no locale: the environment decides") {
    LspProcess lsp(ws.dir.path(), {"lsp"}, {"LANG=pt_BR.UTF-8"});
    lsp.initialize(ws.dir.path());
    lsp.open(uri, kAccents);
    const json dangling = with_code(lsp.wait_diagnostics(uri)["diagnostics"], "KPI003");
    REQUIRE(!dangling.is_null());
    CHECK(dangling["message"].get<std::string>().rfind("não existe KPI", 0) == 0);
    finish(lsp);
  }
  SECTION("kpilint lsp --lang pt ignores the client's locale") {
    LspProcess lsp(ws.dir.path(), {"lsp", "--lang", "pt"});
    initialize_with_locale(lsp, ws.dir.path(), "en");
    lsp.open(uri, kAccents);
    const json dangling = with_code(lsp.wait_diagnostics(uri)["diagnostics"], "KPI003");
    REQUIRE(!dangling.is_null());
    CHECK(dangling["message"].get<std::string>().rfind("não existe KPI", 0) == 0);
    finish(lsp);
  }
}

// After a change the server loads the workspace again and takes over the
// documents whose text did not change (the verbose log says how many); the
// diagnostics still follow every edit, including one made on disk.
TEST_CASE("edits: unchanged documents are taken over from the previous analysis, changed ones parsed again") {
  Workspace ws;
  LspProcess lsp(ws.dir.path(), {"lsp"}, {"KPILINT_LSP_VERBOSE=1"});
  lsp.initialize(ws.dir.path());
  const std::string uri = file_uri(ws.kpis);
  lsp.open(uri, kKpis);
  lsp.wait_diagnostics(uri, 1);
  // Drop the source line: a KPI102 appears.
  lsp.change(uri, 2, json::array({{{"range", {{"start", pos(8, 0)}, {"end", pos(9, 0)}}}, {"text", ""}}}));
  CHECK(!with_code(lsp.wait_diagnostics(uri, 2)["diagnostics"], "KPI102").is_null());
  // The person it is owned by is renamed on disk, outside the editor: the
  // next analysis reads that file again and the owner no longer resolves.
  std::string people = kPeople;
  const auto at_ceo = people.find("person ceo");
  REQUIRE(at_ceo != std::string::npos);
  people.replace(at_ceo, 10, "person cfo");
  ws.dir.write("people.kpi", people);
  lsp.change(uri, 3, json::array({{{"range", {{"start", pos(0, 0)}, {"end", pos(0, 0)}}}, {"text", "# edited\n"}}}));
  const json third = lsp.wait_diagnostics(uri, 3)["diagnostics"];
  CHECK(!with_code(third, "KPI102").is_null());
  CHECK(!with_code(third, "KPI003").is_null());
  finish(lsp);
  const std::string log = lsp.stderr_text();
  INFO(log);
  CHECK(log.find("; 0 of 3 documents unchanged") != std::string::npos);  // the first analysis has none to take
  CHECK(log.find("2 of 3 documents unchanged") != std::string::npos);     // after the first edit
  CHECK(log.find("1 of 3 documents unchanged") != std::string::npos);     // after the edit and the change on disk
}
