-- An ordinary message: Gannet adds its verdict header and lets the message through.
-- Run: miltertest -D socket=unix:/path/milter.sock -s accept.lua
local conn = mt.connect(socket, 40, 0.25)
if conn == nil then error("cannot connect to " .. socket) end
if mt.conninfo(conn, "client.example", "192.0.2.10") ~= nil then error("conninfo failed") end
if mt.getreply(conn) ~= SMFIR_CONTINUE then error("connect not continued") end
if mt.helo(conn, "client.example") ~= nil then error("helo failed") end
mt.macro(conn, SMFIC_MAIL, "i", "4AbCdE1")
if mt.mailfrom(conn, "<alice@example.org>") ~= nil then error("mailfrom failed") end
if mt.getreply(conn) ~= SMFIR_CONTINUE then error("mailfrom not continued") end
if mt.rcptto(conn, "<bob@gannet.test>") ~= nil then error("rcptto failed") end
if mt.header(conn, "From", "Alice <alice@example.org>") ~= nil then error("header failed") end
if mt.header(conn, "Subject", "lunch") ~= nil then error("header failed") end
if mt.eoh(conn) ~= nil then error("eoh failed") end
if mt.bodystring(conn, "See you at noon.\r\n") ~= nil then error("body failed") end
if mt.eom(conn) ~= nil then error("eom failed") end
if mt.getreply(conn) ~= SMFIR_CONTINUE then error("eom not continued") end
-- The verdict id at the end is random: match the rest exactly and the id's form.
if not string.match(mt.getheader(conn, "X-Gannet-Verdict", 0) or "", "^accept score=0%.018 category=clean model=none id=g%-[0-9a-z]+$") then
    error("verdict header missing or wrong")
end
if mt.eom_check(conn, MT_QUARANTINE) then error("an ordinary message was quarantined") end
mt.disconnect(conn)
