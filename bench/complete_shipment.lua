-- wrk script: completes the shipments that create_orders.lua made, each once,
-- in the same per-thread order. Non-2xx answers show up in wrk's summary.
local counter = 0
-- Several wrk processes (one per node) number their orders apart.
local prefix = os.getenv("SHIPLINE_BENCH_PREFIX") or "b"
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
  local number = prefix .. thread_id .. "-" .. counter .. "-1"
  local body = '{"shipmentNumber":"' .. number .. '","carrierTrackingNumber":"1Z999AA10123456784"}'
  return wrk.format(nil, "/integration/api/shipping/v1/shipments/complete-shipment", nil, body)
end
