"""The readers of bench/newsroom_busy.py: wrk rotating over the site's addresses, counting 5xx
and 4xx answers itself (a Lua script), reporting one JSON line."""

import json
import math
import subprocess

from loadtest import BROWSER_ENCODING

WRK_SCRIPT = """
local paths = %s
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) n = math.random(#paths); errors5xx = 0; errors4xx = 0 end
function request()
  n = n %% #paths + 1
  return wrk.format("GET", paths[n], {["Accept-Encoding"] = "%s"})
end
function response(status, headers, body)
  if status >= 500 then errors5xx = errors5xx + 1
  elseif status >= 400 then errors4xx = errors4xx + 1 end
end
function done(summary, latency, requests)
  local e5, e4 = 0, 0
  for _, thread in ipairs(threads) do
    e5 = e5 + thread:get("errors5xx"); e4 = e4 + thread:get("errors4xx")
  end
  local e = summary.errors
  io.write(string.format(
    '\\nRESULT {"requests": %%d, "seconds": %%f, "p50": %%f, "p99": %%f, "max": %%f, ' ..
    '"errors5xx": %%d, "errors4xx": %%d, "socket_errors": %%d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(99) / 1e3, latency.max / 1e3, e5, e4,
    e.connect + e.read + e.write + e.timeout))
end
"""


def readers_script(path, urls):
    """Write the readers' Lua script for wrk, rotating over `urls`, at `path`; return it."""
    paths = "{" + ", ".join(json.dumps(url) for url in urls) + "}"
    path.write_text(WRK_SCRIPT % (paths, BROWSER_ENCODING))
    return path


def wrk(site, script, seconds, connections):
    """Start wrk over the rotation: a Popen whose output `wrk_result` reads."""
    return subprocess.Popen(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", script]
        + [site.url("/")],
        stdout=subprocess.PIPE,
        text=True,
    )


def wrk_result(process, seconds):
    output, _ = process.communicate(timeout=seconds + 60)
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    result["rps"] = result["requests"] / result["seconds"]
    if not result["requests"]:  # wrk then reports latencies of 0, which would pass.
        result.update(p50=math.inf, p99=math.inf, max=math.inf)
    return result
