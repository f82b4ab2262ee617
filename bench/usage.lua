-- wrk script: single-instrument usage queries over bench-0000..bench-(N-1), a window of W seconds ending now.
-- Each connection waits D ms before each request, so the offered rate is about connections * 1000 / (D + latency):
-- Debian's wrk has no constant-rate mode (that is wrk2), and this keeps the rate near the target instead of flooding.
-- Usage: wrk -t2 -c20 -d30s --latency -s bench/usage.lua http://host:port -- <window s> <delay ms> <instruments>
local window, pause, count = 3600, 100, 20
local k = 0

function init(args)
  window = tonumber(args[1] or window)
  pause = tonumber(args[2] or pause)
  count = tonumber(args[3] or count)
end

function delay()
  return pause
end

function request()
  k = (k + 1) % count
  local to = os.time()
  local path = string.format("/api/v1/instruments/bench-%04d/usage?from=%s&to=%s", k,
    os.date("!%Y-%m-%dT%H:%M:%SZ", to - window), os.date("!%Y-%m-%dT%H:%M:%SZ", to))
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  io.write(string.format("achieved %.0f req/s, %d errors (status %d, timeout %d)\n",
    summary.requests / (summary.duration / 1e6), summary.errors.status + summary.errors.timeout,
    summary.errors.status, summary.errors.timeout))
end
