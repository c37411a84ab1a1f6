-- wrk script: completes the shipments that create_orders.lua made, each once,
-- in the same per-thread numbering. Non-2xx answers show up in wrk's summary.
--
-- Environment (the same as create_orders.lua's):
--   SHIPLINE_BENCH_ORDERS     unset: completes b<thread>-<n>-1 for n = 1, 2, ...
--                             set (orders per thread, O): walks shipment-major,
--                             b<thread>-1-1 .. b<thread>-O-1, then -2 and so on,
--                             so that concurrent requests fall on different
--                             orders; past O * S shipments it runs out (404s)
--   SHIPLINE_BENCH_SHIPMENTS  S, shipments per order (default 1)
--   SHIPLINE_BENCH_STRIDE     K (with SHIPLINE_BENCH_ORDERS): walks the orders
--                             K apart, 1, 1+K, 1+2K, ..., then 2, 2+K, ...;
--                             with S = 1 and K = 100 consecutive completions
--                             are as far apart in the tables as with S = 100
local counter = 0
-- Several wrk processes (one per node) number their orders apart.
local prefix = os.getenv("SHIPLINE_BENCH_PREFIX") or "b"
local orders = tonumber(os.getenv("SHIPLINE_BENCH_ORDERS") or "")
local stride = tonumber(os.getenv("SHIPLINE_BENCH_STRIDE") or "1")
thread_id = 0  -- set per thread by setup(); global so that thread:set reaches it
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. (os.getenv("SHIPLINE_KEY") or "none")
end

function request()
  counter = counter + 1
  -- wrk calls the first thread's request() once before it runs, to check the
  -- request, and never sends that one (create_orders.lua counts the same way).
  local n = thread_id == 1 and counter - 1 or counter
  local number
  if orders then
    local order = (n - 1) % orders + 1
    if stride > 1 then
      -- Pass r visits r, r + K, r + 2K, ... up to O: every order once.
      local i = (n - 1) % orders
      for r = 1, math.min(stride, orders) do
        local count = math.floor((orders - r) / stride) + 1
        if i < count then
          order = r + i * stride
          break
        end
        i = i - count
      end
    end
    local shipment = math.floor((n - 1) / orders) + 1
    number = prefix .. thread_id .. "-" .. order .. "-" .. shipment
  else
    number = prefix .. thread_id .. "-" .. n .. "-1"
  end
  local body = '{"shipmentNumber":"' .. number .. '","carrierTrackingNumber":"1Z999AA10123456784"}'
  return wrk.format(nil, "/integration/api/shipping/v1/shipments/complete-shipment", nil, body)
end
