-- wrk: the pages a visitor of the combined site asks for, in turn: MonsterMash's home page, the songs list, the
-- gallery, the about page, its stylesheet, a song's play count (nginx sends it to a shard) and the list of every
-- count (the instances' counter gateway asks every shard).
local paths = { "/", "/songs", "/gallery", "/about", "/assets/mash.css", "/api/song/bench", "/api/" }
local next_path = 0
request = function()
    next_path = next_path % #paths + 1
    return wrk.format("GET", paths[next_path])
end
