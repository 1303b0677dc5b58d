-- wrk script for the ingest benchmark (see load.ts): each request is a 10-event batch of page
-- views whose ids were never sent before, in the same UUID v7 form as load.ts's benchId.
-- Arguments after `--`: site key, tag, timestamp (ms), "accepted" to check each answer.
local threads = {}
local counter, tag, site, ts, verify, bad = 0, 0, "", 0, false, 0
local tid = 0

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  site, tag, ts, verify = args[1], tonumber(args[2]), tonumber(args[3]), args[4] == "accepted"
  tid = tonumber(wrk.thread:get("tid")) or 0
  -- Threads count from disjoint ranges.
  counter = tid * 1e12
end

local function id(c)
  return string.format("%08x-%04x-7%03x-%x%03x-%03x%03x%06x",
    math.floor(ts / 65536), ts % 65536,
    math.floor(c / 2^48) % 4096, 8 + tag % 4, math.floor(c / 2^36) % 4096,
    math.floor(tag / 4), math.floor(c / 2^24) % 4096, c % 2^24)
end

function request()
  local n = counter
  counter = counter + 1
  local anon = "bench-" .. (n % 5000)
  local events = {}
  for k = 0, 9 do
    events[#events + 1] = string.format('{"id":"%s","type":"page_view","ts":%d,"site":"%s","anonymousId":"%s","sessionId":"s-%s","url":"https://acme.test/page/%d","title":"A page of the benchmark site"}',
      id(n * 10 + k), ts, site, anon, anon, k)
  end
  local body = '{"events":[' .. table.concat(events, ",") .. '],"sentAt":' .. ts .. '}'
  return wrk.format("POST", "/v1/events", { ["Content-Type"] = "text/plain" }, body)
end

function response(status, headers, body)
  if verify and (status ~= 200 or not string.find(body, '{"accepted":10,', 1, true)) then bad = bad + 1 end
end

function done(summary, latency, requests)
  local mismatches = 0
  for _, t in ipairs(threads) do mismatches = mismatches + (tonumber(t:get("bad")) or 0) end
  local e = summary.errors
  io.write(string.format('{"rps":%f,"requests":%d,"p50":%f,"p99":%f,"errors":%d,"non2xx":%d,"mismatches":%d}\n',
    summary.requests / (summary.duration / 1e6), summary.requests, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout, e.status, mismatches))
end
