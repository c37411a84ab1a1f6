-- wrk script: creates orders b<thread>-<n>, each with one RELEASED shipment
-- b<thread>-<n>-1, for complete_shipment.lua to complete afterwards.
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
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("SHIPLINE_KEY")
end

function request()
  counter = counter + 1
  local number = prefix .. thread_id .. "-" .. counter
  local body = '{"orderNumber":"' .. number .. '","currency":"USD",' ..
    '"customer":{"name":"Bench","email":"bench@example.com"},' ..
    '"lineItems":[{"sku":"A","title":"Widget","quantity":1,"unitPrice":"10.00"}],' ..
    '"payment":{"provider":"manual","reference":"pi_' .. number .. '","amountAuthorized":"10.00"},' ..
    '"shipments":[{"shipmentNumber":"' .. number .. '-1","status":"RELEASED",' ..
    '"items":[{"sku":"A","quantity":1}]}]}'
  return wrk.format(nil, "/api/v1/orders", nil, body)
end
