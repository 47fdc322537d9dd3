-- Drives `kpilint lsp` from Neovim 0.7 (vim.lsp.start_client, not the 0.8+
-- vim.lsp.start): open a file, wait for publishDiagnostics through a handler,
-- collect vim.diagnostic.get(); edit the buffer, wait again, collect again;
-- hover; stop the client (shutdown + exit). Results go to a JSON file that the
-- Catch2 test (tests/lsp/lsp_clients_test.cpp) checks.
--
--   KPILINT_BIN=… KPILINT_ROOT=… KPILINT_FILE=… KPILINT_OUT=… \
--     nvim --headless --clean -n -c 'luafile tests/lsp/nvim/diagnostics.lua'
local bin = os.getenv("KPILINT_BIN")
local root = os.getenv("KPILINT_ROOT")
local file = os.getenv("KPILINT_FILE")
local out = os.getenv("KPILINT_OUT")
-- Where to type: the row and byte column of the fix, 0-based.
local edit_row = tonumber(os.getenv("KPILINT_EDIT_ROW"))
local edit_col = tonumber(os.getenv("KPILINT_EDIT_COL"))
local edit_text = os.getenv("KPILINT_EDIT_TEXT")
-- Where to hover: on the KPI's name.
local hover_row = tonumber(os.getenv("KPILINT_HOVER_ROW"))
local hover_col = tonumber(os.getenv("KPILINT_HOVER_COL"))

local results = { nvim = tostring(vim.version().major) .. "." .. tostring(vim.version().minor), publishes = {} }

local function strip(diagnostics)
  local list = {}
  for _, d in ipairs(diagnostics) do
    table.insert(list, {
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      severity = d.severity, code = d.code, source = d.source, message = d.message,
    })
  end
  return list
end

local function run()
  local client_id = vim.lsp.start_client({
    name = "kpilint",
    cmd = { bin, "lsp" },
    root_dir = root,
    handlers = {
      ["textDocument/publishDiagnostics"] = function(err, result, ctx, config)
        vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
        table.insert(results.publishes, { uri = result.uri, version = result.version, count = #result.diagnostics })
      end,
    },
    on_exit = function(code, signal)
      results.exit_code = code
      results.exit_signal = signal
    end,
  })
  results.client_started = client_id ~= nil
  vim.cmd("edit " .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(bufnr, client_id)
  results.buffer_uri = vim.uri_from_bufnr(bufnr)

  results.open_waited = vim.wait(15000, function() return #results.publishes >= 1 end, 10)
  results.open = strip(vim.diagnostic.get(bufnr))

  local before = #results.publishes
  vim.api.nvim_buf_set_text(bufnr, edit_row, edit_col, edit_row, edit_col, { edit_text })
  results.edit_waited = vim.wait(15000, function() return #results.publishes > before end, 10)
  results.edited = strip(vim.diagnostic.get(bufnr))
  results.changedtick = vim.api.nvim_buf_get_var(bufnr, "changedtick")

  local hover = vim.lsp.buf_request_sync(bufnr, "textDocument/hover", {
    textDocument = { uri = results.buffer_uri },
    position = { line = hover_row, character = hover_col },
  }, 5000)
  if hover and hover[client_id] and hover[client_id].result then
    results.hover = hover[client_id].result.contents.value
  end

  vim.lsp.stop_client(client_id)
  results.exit_waited = vim.wait(5000, function() return results.exit_code ~= nil end, 10)
end

local ok, err = pcall(run)
results.ok = ok
if not ok then results.error = tostring(err) end
vim.fn.writefile({ vim.fn.json_encode(results) }, out)
vim.cmd("qa!")
