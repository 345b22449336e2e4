-- Appended to every script: print machine-readable totals for bench/run.py.
done = function(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format("BENCH_JSON {\"requests\": %d, \"duration_us\": %d, \"non2xx\": %d, " ..
    "\"p50_ms\": %.3f, \"p99_ms\": %.3f, \"connect_errors\": %d, \"timeouts\": %d}\n",
    summary.requests, summary.duration, non2xx, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect, summary.errors.timeout))
end
