-- Drives the Log Forensics server from Neovim's own LSP client (the 0.7 API: no lspconfig, no
-- vim.lsp.start), as a user's config would, and writes what the editor saw as JSON for
-- test/editors/neovim.test.ts to judge. Inputs come from the environment:
--   LF_SERVER     the server bundle (dist/server.js)
--   LF_WORKSPACE  a scratch workspace folder
--   LF_LOG        the log with findings, LF_OTHER another log of the same incident
--   LF_RESULT     where to write the JSON
local env = vim.env
local seen = { diagnostics = {}, messages = {} }
local TIMEOUT = 30000

local function uri(path) return vim.uri_from_fname(path) end

local function write_result(result)
  local file = assert(io.open(env.LF_RESULT, 'w'))
  file:write(vim.fn.json_encode(result))
  file:close()
end

local function record_message(_, result)
  table.insert(seen.messages, result and result.message or '')
  return vim.NIL
end

local function open(path, client_id)
  vim.cmd('edit ' .. vim.fn.fnameescape(path))
  local buf = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(buf, client_id)
  return buf
end

local function request(client, method, params, buf)
  local response, reason = client.request_sync(method, params, TIMEOUT, buf)
  if not response then error(method .. ': no answer (' .. tostring(reason) .. ')') end
  if response.err then error(method .. ': ' .. vim.inspect(response.err)) end
  return response.result
end

local function has_code(list, code)
  for _, d in ipairs(list or {}) do if d.code == code then return true end end
  return false
end

local function run()
  local client_id = vim.lsp.start_client({
    name = 'log-forensics',
    cmd = { 'node', env.LF_SERVER, '--stdio' },
    root_dir = env.LF_WORKSPACE,
    workspace_folders = { { uri = uri(env.LF_WORKSPACE), name = 'incident' } },
    handlers = {
      ['textDocument/publishDiagnostics'] = function(_, result) seen.diagnostics[result.uri] = result.diagnostics end,
      ['window/showMessage'] = record_message,
      -- The default asks with inputlist(), which would wait for a key in a headless editor.
      ['window/showMessageRequest'] = record_message,
      ['client/registerCapability'] = function() return vim.NIL end,
    },
  })
  if not client_id then error('vim.lsp.start_client did not start the server') end
  local client = vim.lsp.get_client_by_id(client_id)
  local log_buf = open(env.LF_LOG, client_id)
  open(env.LF_OTHER, client_id)
  if not vim.wait(TIMEOUT, function() return client.initialized end, 20) then error('the server did not initialize') end
  local log_uri = uri(env.LF_LOG)

  vim.wait(TIMEOUT, function() local d = seen.diagnostics[log_uri]; return d ~= nil and #d > 0 end, 20)
  local first = vim.deepcopy(seen.diagnostics[log_uri] or {})
  if #first == 0 then error('no diagnostics for ' .. log_uri) end
  local finding = first[1]
  local line = finding.range.start.line
  local document = { uri = log_uri }

  local hover = request(client, 'textDocument/hover', { textDocument = document, position = { line = line, character = 40 } }, log_buf)
  local references = request(client, 'textDocument/references', {
    textDocument = document, position = { line = line, character = 3 }, context = { includeDeclaration = true },
  }, log_buf)

  local actions = request(client, 'textDocument/codeAction', {
    textDocument = document,
    range = { start = { line = line, character = 0 }, ['end'] = { line = line, character = 0 } },
    context = { diagnostics = {} },
  }, log_buf) or {}
  local disable
  for _, action in ipairs(actions) do
    if action.command and action.command.command == 'logForensics.disableRuleInWorkspace' and action.command.arguments[2] == finding.code then disable = action end
  end
  if not disable then error('no "Disable signature" action for ' .. tostring(finding.code) .. ' among ' .. vim.inspect(actions)) end
  local executed = request(client, 'workspace/executeCommand', { command = disable.command.command, arguments = disable.command.arguments }, log_buf)
  local vanished = vim.wait(TIMEOUT, function() return not has_code(seen.diagnostics[log_uri], finding.code) end, 20)

  local titles = {}
  for _, action in ipairs(actions) do table.insert(titles, action.title) end
  client.stop()
  vim.wait(5000, function() return client.is_stopped() end, 20)
  return {
    commands = (client.server_capabilities and client.server_capabilities.executeCommandProvider or {}).commands,
    first = first,
    hover = hover,
    references = references,
    actions = titles,
    executed = executed,
    vanished = vanished,
    after = seen.diagnostics[log_uri],
    messages = seen.messages,
  }
end

local ok, result = pcall(run)
if ok then
  write_result(result)
  vim.cmd('qall!')
else
  write_result({ error = tostring(result), messages = seen.messages })
  vim.cmd('cquit 1')
end
