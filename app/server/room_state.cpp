// RoomState's frames: the room and its board encoded from the encodings it caches.
#include "room_state.h"

#include "json_splice.h"
#include "protocol/codec.h"
#include "protocol/drawing_json.h"
#include "session.h"

#include <QJsonDocument>
#include <QSet>

namespace chalk::server {

using namespace chalk::protocol;

QByteArray RoomState::bytes() const
{
    Room r = room;
    r.users.clear();
    QByteArray json = QJsonDocument(r.toJson()).toJson(QJsonDocument::Compact);
    QByteArray memberList("[");
    QSet<QString> seen; // one user may be connected twice (a resume before the old link died)
    for (Session *m : members) {
        if (seen.contains(m->user().uuid))
            continue;
        seen.insert(m->user().uuid);
        if (memberList.size() > 1)
            memberList.append(',');
        memberList.append(m->userJson());
    }
    memberList.append(']');
    spliceValue(json, QLatin1String("users"), '[', memberList);
    return json;
}

QJsonObject RoomState::json() const
{
    // The one member-list builder is bytes().
    return QJsonDocument::fromJson(bytes()).object();
}

WireFrame RoomState::frame(Result result, const QString &clientId) const
{
    return frameOf(result, bytes(), clientId);
}

WireFrame RoomState::frameOf(Result result, const QByteArray &roomJson, const QString &clientId)
{
    QJsonObject fields{{QStringLiteral("object"), QJsonObject()}};
    if (!clientId.isEmpty())
        fields.insert(QStringLiteral("client_id"), clientId);
    QByteArray json = encodeResult(result, fields);
    spliceValue(json, QLatin1String("object"), '{', roomJson);
    return WireFrame(std::move(json));
}

QByteArray RoomState::withUnread(QByteArray roomJson, std::optional<qint64> unread)
{
    if (!unread)
        return roomJson;
    // bytes() is one compact object: the last byte is its closing brace.
    Q_ASSERT(roomJson.endsWith('}'));
    roomJson.chop(1);
    roomJson.append(",\"unread\":").append(QByteArray::number(*unread)).append('}');
    return roomJson;
}

WireFrame RoomState::drawingFrame(const QString &clientId)
{
    if (joinedLines.isNull()) {
        QByteArray joined("[");
        for (const Line &line : std::as_const(lines)) {
            QByteArray &encoded = encodedLines[line.uuid];
            if (encoded.isEmpty())
                encoded = encodeLineJson(line);
            if (joined.size() > 1)
                joined.append(',');
            joined.append(encoded);
        }
        joined.append(']');
        joinedLines = joined;
    }
    // The envelope is encoded with an empty `lines` array and the lines are put into it.
    QJsonObject fields{
        {QStringLiteral("object"), Drawing{Drawing::uuidForRoom(room.uuid), {}}.toJson()}};
    if (!clientId.isEmpty())
        fields.insert(QStringLiteral("client_id"), clientId);
    QByteArray envelope = encodeResult(Result::DrawingGot, fields);
    spliceValue(envelope, QLatin1String("lines"), '[', joinedLines);
    return WireFrame(std::move(envelope));
}

} // namespace chalk::server
