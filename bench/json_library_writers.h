// Line and frame writers for json_library_bench: the server's way (encodeLineJson; frames
// encoded by QJsonDocument with an empty value and the cached pieces spliced in, as
// app/server/server_core.cpp does) and RapidJSON's Writer, which must give the same bytes.
#pragma once

#include "protocol/objects.h"

#include <QByteArray>
#include <QList>
#include <memory>

namespace chalk::bench {

// As ServerCore::roomFrame(RoomChanged) with roomBytes(): `memberJson` are the sessions'
// cached user objects (Session::userJson). `room.users` is not read.
QByteArray spliceRoomFrame(const protocol::Room &room, const QList<QByteArray> &memberJson);
// As ServerCore::drawingFrame: `joinedLines` is the room's cached `lines` array, brackets too.
QByteArray spliceDrawingFrame(const QString &roomUuid, const QByteArray &joinedLines,
                              const QString &clientId);

// One line as encodeLineJson writes it, with a Writer reading UTF-16 (no UTF-8 copy of the
// strings) into one reused buffer; whole numbers up to 2^53 as integers, as QJsonDocument.
class RapidjsonLineWriter {
public:
    RapidjsonLineWriter();
    ~RapidjsonLineWriter();
    QByteArray encode(const protocol::Line &line);

private:
    struct Buffer;
    std::unique_ptr<Buffer> m_buffer;
};

// The room frame written whole by a Writer, the cached members put in with RawValue().
QByteArray rapidjsonRoomFrame(const protocol::Room &room, const QList<QByteArray> &memberJson);
// The same without the cache: every member written from its User.
QByteArray rapidjsonRoomFrameUncached(const protocol::Room &room,
                                      const QList<protocol::User> &members);
// The drawing_got frame written by a Writer, the cached lines put in with RawValue().
QByteArray rapidjsonDrawingFrame(const QString &roomUuid, const QByteArray &joinedLines,
                                 const QString &clientId);

} // namespace chalk::bench
