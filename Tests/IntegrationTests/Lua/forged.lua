-- A message that arrives with a forged verdict header: Gannet deletes it and adds its own.
local conn = mt.connect(socket, 40, 0.25)
if conn == nil then error("cannot connect to " .. socket) end
if mt.conninfo(conn, "client.example", "192.0.2.12") ~= nil then error("conninfo failed") end
if mt.mailfrom(conn, "<mallory@example.net>") ~= nil then error("mailfrom failed") end
if mt.rcptto(conn, "<bob@gannet.test>") ~= nil then error("rcptto failed") end
if mt.header(conn, "From", "mallory@example.net") ~= nil then error("header failed") end
if mt.header(conn, "X-Gannet-Verdict", "accept score=0.000 category=clean model=forged") ~= nil then error("header failed") end
if mt.eoh(conn) ~= nil then error("eoh failed") end
if mt.eom(conn) ~= nil then error("eom failed") end
if not mt.eom_check(conn, MT_HDRCHANGE, "X-Gannet-Verdict", "") then error("forged header not deleted") end
-- The verdict id at the end is random: match the rest exactly and the id's form.
if not string.match(mt.getheader(conn, "X-Gannet-Verdict", 0) or "", "^accept score=0%.018 category=clean model=none id=g%-[0-9a-z]+$") then
    error("verdict header missing")
end
mt.disconnect(conn)
