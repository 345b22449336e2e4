-- Mixed read/write load for bench/load.py: one connection per wrk thread (-t N -c N), so every
-- response belongs to the request the thread sent last (no pipelining) and each thread can count
-- what it sent, what answered 2xx, 4xx, 5xx, and which writes are still unanswered when wrk stops.
-- Environment: TOKEN (JWT), COOKIE ("sessionid=..."), MARKER (unique per run), STUDENT, CLASS (ids).
local token, cookie, marker = os.getenv("TOKEN"), os.getenv("COOKIE"), os.getenv("MARKER")
local student, class = os.getenv("STUDENT"), os.getenv("CLASS")

-- {weight, kind, method, path, body builder (writes only)}
local mix = {
  {4, "read", "GET", "/api/v1/physed/students/?page_size=50"},
  {2, "read", "GET", "/api/v1/physed/students/" .. student .. "/"},
  {2, "read", "GET", "/api/v1/physed/classes/?page_size=50"},
  {1, "read", "GET", "/api/v1/physed/classes/" .. class .. "/"},
  {2, "read", "GET", "/api/v1/physed/sessions/?page_size=25"},
  {2, "read", "GET", "/api/v1/memory/memories/?page_size=20"},
  {1, "read", "GET", "/api/v1/progress/goals/?page_size=25"},
  {1, "read", "GET", "/api/v1/notifications/unread-count/"},
  {3, "page", "GET", "/dashboard/"},
  {1, "page", "GET", "/students/"},
  {3, "memory", "POST", "/api/v1/memory/memories/", function(n)
    return '{"content": "Load test note ' .. n .. ' ' .. marker .. '"}'
  end},
  {1, "goal", "POST", "/api/v1/progress/goals/", function(n)
    return '{"student": ' .. student .. ', "title": "Load goal ' .. n .. ' ' .. marker .. '", ' ..
      '"metric_key": "fitness.pacer_20m", "target": "40", "deadline": "2027-06-01"}'
  end},
}
local total = 0
for _, entry in ipairs(mix) do total = total + entry[1] end

local threads = {}
function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

-- per-thread counters (read back in done() through thread:get)
sent, ok2xx, s4xx, s5xx, other = 0, 0, 0, 0, 0
writes_sent, writes_2xx, writes_4xx, writes_5xx = 0, 0, 0, 0
memory_2xx, goal_2xx = 0, 0
pending = nil -- kind of the request waiting for its response

function init(args)
  math.randomseed(os.time() + tid * 7919)
end

local function pick()
  local r = math.random(total)
  for _, entry in ipairs(mix) do
    r = r - entry[1]
    if r <= 0 then return entry end
  end
  return mix[1]
end

function request()
  local entry = pick()
  local kind, method, path = entry[2], entry[3], entry[4]
  sent = sent + 1
  pending = kind
  local headers = {}
  if kind == "page" then
    headers["Cookie"] = cookie
  else
    headers["Authorization"] = "Bearer " .. token
  end
  if method == "POST" then
    writes_sent = writes_sent + 1
    headers["Content-Type"] = "application/json"
    return wrk.format("POST", path, headers, entry[5](tid .. "-" .. sent))
  end
  return wrk.format("GET", path, headers)
end

function response(status, headers, body)
  local kind = pending
  pending = nil
  local write = kind == "memory" or kind == "goal"
  if status >= 200 and status < 300 then
    ok2xx = ok2xx + 1
    if write then
      writes_2xx = writes_2xx + 1
      if kind == "memory" then memory_2xx = memory_2xx + 1 else goal_2xx = goal_2xx + 1 end
    end
  elseif status >= 500 then
    s5xx = s5xx + 1
    if write then writes_5xx = writes_5xx + 1 end
  elseif status >= 400 then
    s4xx = s4xx + 1
    if write then writes_4xx = writes_4xx + 1 end
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local keys = {"sent", "ok2xx", "s4xx", "s5xx", "other", "writes_sent", "writes_2xx", "writes_4xx",
    "writes_5xx", "memory_2xx", "goal_2xx"}
  local totals = {}
  for _, key in ipairs(keys) do totals[key] = 0 end
  local unanswered_writes = 0
  for _, thread in ipairs(threads) do
    for _, key in ipairs(keys) do totals[key] = totals[key] + thread:get(key) end
    local p = thread:get("pending")
    if p == "memory" or p == "goal" then unanswered_writes = unanswered_writes + 1 end
  end
  local parts = {}
  for _, key in ipairs(keys) do table.insert(parts, string.format('"%s": %d', key, totals[key])) end
  io.write(string.format('LOAD_JSON {%s, "unanswered_writes": %d, "requests": %d, "duration_us": %d, ' ..
    '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d, "p50_ms": %.3f, ' ..
    '"p99_ms": %.3f}\n', table.concat(parts, ", "), unanswered_writes, summary.requests, summary.duration,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
