-- wrk script for bench/proxy.sh: POSTs a small chat completion request, with the bearer token from the
-- environment variable BENCH_TOKEN when set, and prints one machine-readable line when the run ends.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local token = os.getenv("BENCH_TOKEN")
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
wrk.body = '{"model":"gpt-4o-mini","temperature":0.7,"messages":['
  .. '{"role":"system","content":"You are a terse assistant."},'
  .. '{"role":"user","content":"Say hello to the benchmark in one short sentence."}]}'

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK requests=%d duration_us=%d non2xx=%d connect=%d read=%d write=%d timeout=%d"
      .. " p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.1f\n",
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
