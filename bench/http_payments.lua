-- wrk script: POST /v1/payments, each request a new payment signed ahead by the bank source
-- (api_server sign). Thread N reads the file named by the environment variable
-- PAYMENTS_FILE with ".N" appended. Every answer that is not 201 (a committed, new payment)
-- is counted and reported, so a replayed or refused request can never pass for throughput.

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  requests = {}
  created, other = 0, 0
  local file = assert(io.open(os.getenv("PAYMENTS_FILE") .. "." .. id, "r"))
  for line in file:lines() do
    local webhook_id, timestamp, signature, body = line:match("^([^\t]+)\t([^\t]+)\t([^\t]+)\t(.*)$")
    requests[#requests + 1] = wrk.format("POST", "/v1/payments", {
      ["Content-Type"] = "application/json",
      ["webhook-id"] = webhook_id,
      ["webhook-timestamp"] = timestamp,
      ["webhook-signature"] = signature,
    }, body)
  end
  file:close()
  position = 0
end

function request()
  position = position + 1
  if position > #requests then position = 1 end  -- a replay: answered 200, counted as "other"
  return requests[position]
end

function response(status, headers, body)
  if status == 201 then created = created + 1 else other = other + 1 end
end

function done(summary, latency, requests_done)
  local total_created, total_other = 0, 0
  for _, thread in ipairs(threads) do
    total_created = total_created + thread:get("created")
    total_other = total_other + thread:get("other")
  end
  io.write(string.format("created: %d\nother: %d\n", total_created, total_other))
end
