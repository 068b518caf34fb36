-- wrk script: GETs the paths listed in PATHS_FILE (one a line, most read first) with a Zipf
-- distribution of exponent ZIPF_S (default 1.0): the k-th path is read in proportion to 1/k^s,
-- as readers of a news site crowd on a few stories and trickle over the archive. With
-- THINK_MS set, each connection waits a random time of that mean (exponential) between its
-- requests, so that the load is a steady rate the server can carry, not all it can take. With
-- SEARCH_EVERY=N, one request in N is instead a search for a word of the generated site's prose
-- and a page of its results, which no cache holds (bench/nodes.sh's uncached reads).
local paths, cdf = {}, {}
local think = tonumber(os.getenv("THINK_MS") or "0")
local search_every = tonumber(os.getenv("SEARCH_EVERY") or "0")
local words = {"council", "budget", "library", "hall", "residents", "officials", "meeting", "vote", "plan", "tuesday"}

function init(args)
    local f = assert(io.open(os.getenv("PATHS_FILE"), "r"))
    for line in f:lines() do
        if #line > 0 then paths[#paths + 1] = line end
    end
    f:close()
    local s = tonumber(os.getenv("ZIPF_S") or "1.0")
    local total = 0
    for k = 1, #paths do
        total = total + 1 / (k ^ s)
        cdf[k] = total
    end
    for k = 1, #paths do cdf[k] = cdf[k] / total end
    math.randomseed(os.time() + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0) % 100000)
end

function request()
    if search_every > 0 and math.random(search_every) == 1 then
        return wrk.format("GET", "/?s=" .. words[math.random(#words)] .. "&paged=" .. math.random(5))
    end
    local r, lo, hi = math.random(), 1, #cdf
    while lo < hi do
        local mid = math.floor((lo + hi) / 2)
        if cdf[mid] < r then lo = mid + 1 else hi = mid end
    end
    return wrk.format("GET", paths[lo])
end

function delay()
    if think <= 0 then return 0 end
    return -math.log(1 - math.random()) * think
end
