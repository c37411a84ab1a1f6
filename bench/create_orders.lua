-- wrk script: creates orders b<thread>-<n>, each with RELEASED shipments
-- b<thread>-<n>-1 .. b<thread>-<n>-<S>, for complete_shipment.lua to complete
-- afterwards. Shipment k carries its own line item (sku A<k>, 10.00), as a
-- marketplace order splits into one shipment per seller.
--
-- Environment:
--   SHIPLINE_BENCH_SHIPMENTS  S, shipments per order (default 1)
--   SHIPLINE_BENCH_ORDERS     orders per wrk thread; when set, a thread stops
--                             once it has that many answers beyond its
--                             connections' share and leaves the file
--                             $SHIPLINE_BENCH_DONE/<prefix><thread> behind
--                             (run.sh then ends wrk); unset: create until wrk's
--                             duration ends
local counter = 0
local answers = 0
-- Several wrk processes (one per node) number their orders apart.
local prefix = os.getenv("SHIPLINE_BENCH_PREFIX") or "b"
local shipments = tonumber(os.getenv("SHIPLINE_BENCH_SHIPMENTS") or "1")
local orders = tonumber(os.getenv("SHIPLINE_BENCH_ORDERS") or "")
local done_dir = os.getenv("SHIPLINE_BENCH_DONE")
thread_id = 0  -- set per thread by setup(); global so that thread:set reaches it
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("SHIPLINE_KEY")
end

-- The part of the body that does not depend on the order number.
local line_items = {}
for k = 1, shipments do
  line_items[k] = '{"sku":"A' .. k .. '","title":"Widget ' .. k ..
    '","quantity":1,"unitPrice":"10.00"}'
end
line_items = table.concat(line_items, ",")
local amount = string.format("%d.00", 10 * shipments)

function request()
  counter = counter + 1
  -- wrk calls the first thread's request() once before it runs, to check the
  -- request, and never sends that one: number from there.
  local n = thread_id == 1 and counter - 1 or counter
  local number = prefix .. thread_id .. "-" .. n
  local parts = {}
  for k = 1, shipments do
    parts[k] = '{"shipmentNumber":"' .. number .. '-' .. k .. '","status":"RELEASED",' ..
      '"items":[{"sku":"A' .. k .. '","quantity":1}]}'
  end
  local body = '{"orderNumber":"' .. number .. '","currency":"USD",' ..
    '"customer":{"name":"Bench","email":"bench@example.com"},' ..
    '"lineItems":[' .. line_items .. '],' ..
    '"payment":{"provider":"manual","reference":"pi_' .. number ..
    '","amountAuthorized":"' .. amount .. '"},' ..
    '"shipments":[' .. table.concat(parts, ",") .. ']}'
  return wrk.format(nil, "/api/v1/orders", nil, body)
end

function response(status, headers, body)
  if not orders then return end
  answers = answers + 1
  -- Orders are numbered as they are sent and each connection has one request
  -- in flight: 64 answers (more than a thread's connections) past `orders`,
  -- the first `orders` have been answered unless one took that long (a missing
  -- one shows as 404s in the completion run); a few dozen extra orders are made.
  if answers == orders + 64 then
    if done_dir then
      local f = io.open(done_dir .. "/" .. prefix .. thread_id, "w")
      if f then f:write(counter, "\n"); f:close() end
    end
    wrk.thread:stop()
  end
end
