-- A blocked sender (envelope and From): quarantined, with the verdict header; then a
-- second message on the same connection is decided on its own.
local conn = mt.connect(socket, 40, 0.25)
if conn == nil then error("cannot connect to " .. socket) end
if mt.conninfo(conn, "client.example", "192.0.2.11") ~= nil then error("conninfo failed") end
if mt.mailfrom(conn, "<blocked@evil.example>") ~= nil then error("mailfrom failed") end
if mt.rcptto(conn, "<bob@gannet.test>") ~= nil then error("rcptto failed") end
if mt.header(conn, "From", "Boss <blocked@evil.example>") ~= nil then error("header failed") end
if mt.eoh(conn) ~= nil then error("eoh failed") end
if mt.bodystring(conn, "Buy gift cards now.\r\n") ~= nil then error("body failed") end
if mt.eom(conn) ~= nil then error("eom failed") end
if mt.getreply(conn) ~= SMFIR_CONTINUE then error("eom not continued") end
if not mt.eom_check(conn, MT_QUARANTINE) then error("blocked sender not quarantined") end
-- The verdict id at the end is random: match the rest exactly and the id's form.
if not string.match(mt.getheader(conn, "X-Gannet-Verdict", 0) or "", "^quarantine score=1%.000 category=policy model=none id=g%-[0-9a-z]+$") then
    error("verdict header missing or wrong")
end

-- Same connection, next message: a spoofed header From in a blocked domain.
if mt.mailfrom(conn, "<bounce@innocent.example>") ~= nil then error("second mailfrom failed") end
if mt.rcptto(conn, "<bob@gannet.test>") ~= nil then error("second rcptto failed") end
if mt.header(conn, "From", "Support <help@login.phish.test>") ~= nil then error("header failed") end
if mt.eoh(conn) ~= nil then error("eoh failed") end
if mt.eom(conn) ~= nil then error("second eom failed") end
if not mt.eom_check(conn, MT_QUARANTINE) then error("spoofed blocked domain not quarantined") end
mt.disconnect(conn)
