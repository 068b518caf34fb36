-- wrk script: each request posts a new comment (a different reader and text every time, so no
-- duplicate rule refuses it) to one of the posts listed in POST_IDS (comma-separated), and counts
-- the answers by status. done() prints "acked N other M" (303s and the rest).
local ids = {}
for id in string.gmatch(os.getenv("POST_IDS") or "1", "%d+") do ids[#ids + 1] = id end
local threads = {}
local counter = 0
local tag

function setup(thread)
    thread:set("id", #threads + 1)
    threads[#threads + 1] = thread
end

function init(args)
    acked, other, last_other = 0, 0, 0
    math.randomseed(os.time() + id * 7919)
    tag = tostring(os.time()) .. "-" .. tostring(id) .. "-" .. tostring(math.random(1, 1000000000))
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

function request()
    counter = counter + 1
    local post = ids[(counter % #ids) + 1]
    local body = "comment_post_ID=" .. post .. "&comment_parent=0&author=Reader+" .. tag .. "-" .. counter ..
        "&email=reader" .. counter .. "%40bench.example&comment=Comment+" .. tag .. "-" .. counter ..
        "+on+the+story%2C+with+a+few+words+of+opinion."
    return wrk.format("POST", "/comment/", nil, body)
end

function response(status, headers, body)
    if status == 303 then
        acked = acked + 1
    else
        other = other + 1
        last_other = status
    end
end

function done(summary, latency, requests)
    local a, o, s = 0, 0, 0
    for _, t in ipairs(threads) do
        a = a + t:get("acked")
        o = o + t:get("other")
        if t:get("last_other") ~= 0 then s = t:get("last_other") end
    end
    io.write(string.format("acked %d other %d (last other status %d)\n", a, o, s))
end
