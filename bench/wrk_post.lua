-- wrk script for bench/submit_bench.py: every wrk thread (run with -t N -c N, one connection a
-- thread) sends the POSTs of its own respondents, in turn, each with its own session cookie,
-- CSRF token and page address, read from the file named by SUBMIT_SESSIONS (one line a
-- respondent, tab-separated: path, cookie header, CSRF token, body A, body B, body C; thread
-- i of SUBMIT_THREADS takes lines i, i + SUBMIT_THREADS, ...). Each request carries a fresh
-- submission key (the server treats a reused key with the same answers as a replay and stores
-- nothing). A respondent's first POST of a run sends body C, the next ones B, A, B, ...: each
-- save differs from the one before it, in this run or the last, so a rating screen really
-- changes its rows. Statuses are counted in response() and reported by done() as one JSON line
-- starting with "SUBMIT_RESULT ".

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

local function split(line)
  local fields = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do
    table.insert(fields, field)
  end
  return fields
end

function init(args)
  local lines = {}
  for line in io.lines(os.getenv("SUBMIT_SESSIONS")) do
    table.insert(lines, line)
  end
  local threads_count = tonumber(os.getenv("SUBMIT_THREADS") or "")
  if threads_count == nil then
    error("SUBMIT_THREADS (wrk's -t) is not set")
  end
  respondents = {}
  for index, line in ipairs(lines) do
    if (index - 1) % threads_count == (id - 1) % threads_count then
      local fields = split(line)
      table.insert(respondents, {
        path = fields[1],
        bodies = { fields[4], fields[5], fields[6] },
        headers = {
          ["Cookie"] = fields[2],
          ["X-CSRFToken"] = fields[3],
          ["Content-Type"] = "application/x-www-form-urlencoded",
        },
      })
    end
  end
  if #respondents == 0 then
    error(string.format("no respondent for thread %d in %s", id, os.getenv("SUBMIT_SESSIONS")))
  end
  math.randomseed(os.time() * 100 + id)
  salt = string.format("%06d", math.random(0, 999999))
  sent, ok, redirects, client_errors, server_errors, other = 0, 0, 0, 0, 0, 0
  -- POSTs are sent for SUBMIT_SECONDS; then only GET /robots.txt (not counted) until wrk's own
  -- -d ends a few seconds later: no POST is left in flight uncounted, so accepted == stored
  -- holds exactly. The window is timed with the wall clock (date +%s.%N).
  started = now()
  stop_at = started + tonumber(os.getenv("SUBMIT_SECONDS"))
  stopped, posting = nil, true
end

function now()
  local clock = io.popen("date +%s.%N")
  local value = tonumber(clock:read("*l"))
  clock:close()
  return value
end

function request()
  if not posting then
    return wrk.format("GET", "/robots.txt")
  end
  sent = sent + 1
  local key = string.format("w%d-%s-%d", id, salt, sent)
  -- The respondents in turn; each one's own saves: C, then B, A, B, ...
  local count = #respondents
  local who = respondents[((sent - 1) % count) + 1]
  local round = math.floor((sent - 1) / count)
  local body = (round == 0 and who.bodies[3] or who.bodies[(round % 2) + 1])
    .. "&submission_key=" .. key
  return wrk.format("POST", who.path, who.headers, body)
end

function response(status, headers, body)
  if not posting then
    return
  end
  if os.time() >= math.floor(stop_at) then
    local t = now()
    if t >= stop_at then
      posting, stopped = false, t
    end
  end
  if status >= 200 and status < 300 then
    ok = ok + 1
  elseif status >= 300 and status < 400 then
    redirects = redirects + 1
  elseif status >= 400 and status < 500 then
    client_errors = client_errors + 1
  elseif status >= 500 then
    server_errors = server_errors + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local totals = { ok = 0, redirects = 0, client_errors = 0, server_errors = 0, other = 0 }
  local posts, window = 0, 0
  for _, thread in ipairs(threads) do
    posts = posts + thread:get("sent")
    window = math.max(window, (thread:get("stopped") or 0) - thread:get("started"))
    for name, _ in pairs(totals) do
      totals[name] = totals[name] + (thread:get(name) or 0)
    end
  end
  io.write(string.format(
    'SUBMIT_RESULT {"requests": %d, "window_s": %.3f, "socket_errors": %d, '
      .. '"status_2xx": %d, "status_3xx": %d, "status_4xx": %d, "status_5xx": %d, '
      .. '"status_other": %d, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f}\n',
    posts, window,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    totals.ok, totals.redirects, totals.client_errors, totals.server_errors, totals.other,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000
  ))
end
