-- Headless Neovim 0.7.2 check of `podnet lsp` (see README.md). APIs used exist in 0.7:
-- vim.lsp.start_client, vim.lsp.buf_attach_client, vim.diagnostic.get, vim.wait.
local jar = assert(os.getenv('PODNET_JAR'), 'PODNET_JAR not set')
local expect = os.getenv('PODNET_EXPECT') or 'SYN001'
local out = assert(os.getenv('PODNET_RESULT'), 'PODNET_RESULT not set')

local function code_of(d)
  if d.code ~= nil then return d.code end
  if d.user_data and d.user_data.lsp then return d.user_data.lsp.code end
  return nil
end

local id = vim.lsp.start_client({
  name = 'podnet',
  cmd = { 'java', '-jar', jar, 'lsp' },
  root_dir = vim.fn.getcwd(),
})
if id == nil then
  io.stderr:write('could not start the podnet language server\n')
  vim.cmd('cq 2')
end
vim.lsp.buf_attach_client(0, id)

local ok = vim.wait(30000, function()
  for _, d in ipairs(vim.diagnostic.get(0)) do
    if code_of(d) == expect then return true end
  end
  return false
end, 50)

local f = assert(io.open(out, 'w'))
f:write(vim.fn.json_encode(vim.diagnostic.get(0)))
f:close()
vim.lsp.stop_client(id)
if ok then
  vim.cmd('qa!')
else
  io.stderr:write('no ' .. expect .. ' diagnostic from podnet within 30 s\n')
  vim.cmd('cq 1')
end
