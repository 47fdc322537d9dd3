// End-to-end: messages in Portuguese with `--lang pt` or a Portuguese locale
// (LANG, LC_ALL), `--lang en` over a Portuguese locale, and English by default.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support.hpp"

using kpilint::test::run_kpilint;
using kpilint::test::TempDir;
using json = nlohmann::json;

namespace {

// A syntax error (KPI001), a KPI without an owner (KPI101) and a misspelt
// owner (KPI003, with a fix).
struct Workspace {
  TempDir dir;
  Workspace() {
    dir.write("kpilint.toml", "[lint]\nselect = [\"KPI101\"]\n");
    dir.write("broken.kpi", "kpi draft {\n  level:\n}\n");
    dir.write("kpis.kpi",
              "person ana { name: \"Ana\" function: finance }\n"
              "\n"
              "kpi receita {\n"
              "  title: \"Receita\"\n"
              "  level: business\n"
              "  source: \"erp.receita\"\n"
              "}\n"
              "\n"
              "kpi margem {\n"
              "  title: \"Margem\"\n"
              "  owner: @anaa\n"
              "}\n");
  }
};

const char* kPortuguese = R"(broken.kpi:2:9: erro[KPI001]: esperado um valor depois de `level:`
  |
2 |   level:
  |         ^

kpis.kpi:3:5: erro[KPI101]: A KPI 'receita' não tem responsável
  |
3 | kpi receita {
  |     ^^^^^^^
  = ajuda: Toda KPI precisa de um responsável: adicione `owner: @alguem` (uma pessoa ou uma equipe).

kpis.kpi:11:10: erro[KPI003]: não existe pessoa ou equipe com o nome 'anaa'; você quis dizer 'ana'?
   |
11 |   owner: @anaa
   |          ^^^^^
   = correção: substituir por 'ana'

3 erros em 2 arquivos.
)";

const char* kEnglish = R"(broken.kpi:2:9: error[KPI001]: expected a value after `level:`
  |
2 |   level:
  |         ^

kpis.kpi:3:5: error[KPI101]: KPI 'receita' has no owner
  |
3 | kpi receita {
  |     ^^^^^^^
  = help: Every KPI needs one accountable owner: add `owner: @someone` (a person or a team).

kpis.kpi:11:10: error[KPI003]: no person or team named 'anaa'; did you mean 'ana'?
   |
11 |   owner: @anaa
   |          ^^^^^
   = fix: replace with 'ana'

Found 3 errors in 2 files.
)";

}  // namespace

TEST_CASE("check --lang pt prints Portuguese messages, help lines and summary", "[e2e][i18n]") {
  Workspace ws;
  const auto result = run_kpilint({"check", "--lang", "pt"}, ws.dir.path());
  CHECK(result.out == kPortuguese);
  CHECK(result.err.empty());
  CHECK(result.exit_code == 1);
}

TEST_CASE("a Portuguese locale (LANG, LC_ALL, LC_MESSAGES) gives Portuguese, and --lang en overrides it", "[e2e][i18n]") {
  Workspace ws;
  CHECK(run_kpilint({"check"}, ws.dir.path()).out == kEnglish);  // the default
  CHECK(run_kpilint({"check"}, ws.dir.path(), "", {"LANG=pt_BR.UTF-8"}).out == kPortuguese);
  CHECK(run_kpilint({"check"}, ws.dir.path(), "", {"LC_ALL=pt_BR.UTF-8"}).out == kPortuguese);
  CHECK(run_kpilint({"check"}, ws.dir.path(), "", {"LANG=en_US.UTF-8", "LC_MESSAGES=pt_BR.UTF-8"}).out == kPortuguese);
  CHECK(run_kpilint({"check", "--lang", "en"}, ws.dir.path(), "", {"LANG=pt_BR.UTF-8"}).out == kEnglish);
  CHECK(run_kpilint({"check", "--lang=en"}, ws.dir.path(), "", {"LC_ALL=pt_BR.UTF-8"}).out == kEnglish);
  CHECK(run_kpilint({"check", "--lang", "pt"}, ws.dir.path(), "", {"LANG=en_US.UTF-8"}).out == kPortuguese);
}

TEST_CASE("machine formats keep their English severity words - the messages are translated", "[e2e][i18n]") {
  Workspace ws;
  const auto result = run_kpilint({"check", "--lang", "pt", "--format", "json"}, ws.dir.path());
  const json report = json::parse(result.out);
  REQUIRE(report["diagnostics"].size() == 3);
  CHECK(report["diagnostics"][0]["severity"] == "error");
  CHECK(report["diagnostics"][0]["message"] == "esperado um valor depois de `level:`");
  CHECK(report["diagnostics"][1]["help"] ==
        "Toda KPI precisa de um responsável: adicione `owner: @alguem` (uma pessoa ou uma equipe).");
  const auto gcc = run_kpilint({"check", "--lang", "pt", "--format", "gcc"}, ws.dir.path());
  CHECK(gcc.out.find("kpis.kpi:3:5: error: A KPI 'receita' não tem responsável [KPI101]\n") != std::string::npos);
  const auto github = run_kpilint({"check", "--lang", "pt", "--format", "github"}, ws.dir.path());
  CHECK(github.out.find("::error file=kpis.kpi,line=3,col=5,endLine=3,endColumn=12,title=KPI101 missing-owner::"
                        "A KPI 'receita' não tem responsável%0Aajuda: Toda KPI") != std::string::npos);
}

TEST_CASE("command-line errors, fmt, rules and explain speak Portuguese too", "[e2e][i18n]") {
  Workspace ws;
  auto result = run_kpilint({"check", "--lang", "pt", "nada.kpi"}, ws.dir.path());
  CHECK(result.err == "kpilint: erro: nada.kpi: arquivo ou diretório não encontrado\n");
  CHECK(result.exit_code == 2);
  result = run_kpilint({"check", "--severity", "KPI101"}, ws.dir.path(), "", {"LANG=pt_BR.UTF-8"});
  CHECK(result.err == "kpilint: erro: --severity espera CÓDIGO=NÍVEL, mas recebeu 'KPI101'\n");
  CHECK(result.exit_code == 2);
  result = run_kpilint({"explain", "KPI999", "--lang", "pt"}, ws.dir.path());
  CHECK(result.err == "kpilint: erro: regra desconhecida 'KPI999'; `kpilint rules` lista todas\n");
  result = run_kpilint({"explain", "missing-owner"}, ws.dir.path(), "", {"LANG=pt_BR.UTF-8"});
  CHECK(result.out.rfind("KPI101 missing-owner (error)\n\ntoda KPI tem um responsável\n", 0) == 0);
  result = run_kpilint({"rules", "--lang", "pt"}, ws.dir.path());
  CHECK(result.out.rfind("CÓDIGO  NOME", 0) == 0);
  CHECK(result.out.find("toda KPI tem um responsável\n") != std::string::npos);

  TempDir dir;
  dir.write("kpilint.toml", "");
  dir.write("a.kpi", "person ceo { name: \"Dana\"   function: executive }\n");
  result = run_kpilint({"fmt", "--check", "--lang", "pt"}, dir.path());
  CHECK(result.out == "seria reformatado: a.kpi\n");
  CHECK(result.err == "1 arquivo seria reformatado, 0 arquivos já formatados\n");
  CHECK(result.exit_code == 1);
  result = run_kpilint({"fmt", "--check"}, dir.path());
  CHECK(result.out == "would reformat a.kpi\n");
  CHECK(result.err == "1 file would be reformatted, 0 files already formatted\n");

  result = run_kpilint({"check", "--help"}, dir.path(), "", {"LANG=pt_BR.UTF-8"});
  CHECK(result.out.find("Idioma das mensagens") != std::string::npos);
  CHECK(result.out.find("Opções:") != std::string::npos);
  result = run_kpilint({"check", "--help"}, dir.path());
  CHECK(result.out.find("Message language") != std::string::npos);
  CHECK(result.out.find("Options:") != std::string::npos);
}

TEST_CASE("configuration errors are translated, with their did-you-mean", "[e2e][i18n]") {
  TempDir dir;
  dir.write("kpilint.toml", "[lint]\nignroe = [\"KPI110\"]\n");
  dir.write("a.kpi", "");
  const auto result = run_kpilint({"check", "--lang", "pt"}, dir.path());
  CHECK(result.err.find("kpilint.toml:2:1: chave desconhecida 'ignroe' em [lint]; você quis dizer 'ignore'?\n") !=
        std::string::npos);
  CHECK(result.exit_code == 2);
}
