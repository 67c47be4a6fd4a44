-- wrk script: cycles through the tokens in the file named after "--" (one a line), each thread from its own
-- offset, one token per request. With no file, sends no Authorization header: the same Lua cost per request,
-- so a run of / with this script is the fair baseline of a run of /secured with it.
local tokens = {}
local next_thread = 0
local position = 0

function setup(thread)
    thread:set("id", next_thread)
    next_thread = next_thread + 1
end

function init(args)
    if args[1] then
        for line in io.lines(args[1]) do
            if #line > 0 then tokens[#tokens + 1] = line end
        end
    end
    if #tokens > 0 then
        position = (id * 7919) % #tokens
    end
end

function request()
    if #tokens == 0 then
        return wrk.format(nil, nil, {})
    end
    position = position % #tokens + 1
    return wrk.format(nil, nil, { ["Authorization"] = "Bearer " .. tokens[position] })
end
