-- wrk: POST /api/song/N (one play) for N drawn uniformly from 1..1000, the same sequence in every run.
math.randomseed(1283)
request = function()
    return wrk.format("POST", "/api/song/" .. math.random(1000))
end
