// The frame splice as the server does it and RapidJSON writers (json_library_writers.h).
#include "json_library_writers.h"

#include "protocol/codec.h"
#include "protocol/statements.h"
#include "server/json_splice.h" // the server's own splice, header only

#include <QJsonDocument>
#include <cmath>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace chalk::bench {

using protocol::Line;
using protocol::Result;
using protocol::Room;

using server::spliceValue;

QByteArray spliceRoomFrame(const Room &room, const QList<QByteArray> &memberJson)
{
    Room r = room;
    r.users.clear();
    QByteArray json = QJsonDocument(r.toJson()).toJson(QJsonDocument::Compact);
    QByteArray members("[");
    for (const QByteArray &m : memberJson) {
        if (members.size() > 1)
            members.append(',');
        members.append(m);
    }
    members.append(']');
    spliceValue(json, QLatin1String("users"), '[', members);
    QByteArray frame =
        protocol::encodeResult(Result::RoomChanged, {{QStringLiteral("object"), QJsonObject()}});
    spliceValue(frame, QLatin1String("object"), '{', json);
    return frame;
}

QByteArray spliceDrawingFrame(const QString &roomUuid, const QByteArray &joinedLines,
                              const QString &clientId)
{
    QJsonObject fields{{QStringLiteral("object"),
                        protocol::Drawing{protocol::Drawing::uuidForRoom(roomUuid), {}}.toJson()}};
    if (!clientId.isEmpty())
        fields.insert(QStringLiteral("client_id"), clientId);
    QByteArray envelope = protocol::encodeResult(Result::DrawingGot, fields);
    spliceValue(envelope, QLatin1String("lines"), '[', joinedLines);
    return envelope;
}

namespace {

// As QJsonValue(double) + QJsonDocument: whole numbers up to 2^53 as integers, other finite
// ones as the shortest digits (Writer::Double), the rest as null.
template <typename W> void number(W &w, double d)
{
    constexpr double kMaxExact = 9007199254740992.0; // 2^53
    if (!std::isfinite(d))
        w.Null();
    else if (std::abs(d) <= kMaxExact && d == std::trunc(d))
        w.Int64(int64_t(d));
    else
        w.Double(d);
}

using Utf8Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void text(Utf8Writer &w, const QString &s)
{
    const QByteArray utf8 = s.toUtf8();
    w.String(utf8.constData(), rapidjson::SizeType(utf8.size()));
}

void latin1(Utf8Writer &w, QLatin1String s)
{
    w.String(s.data(), rapidjson::SizeType(s.size()));
}

QByteArray bytes(const rapidjson::StringBuffer &buffer)
{
    return QByteArray(buffer.GetString(), qsizetype(buffer.GetSize()));
}

// The room object's keys in QJsonObject's (sorted) order; `users` by `members`.
template <typename Members> void roomFrame(Utf8Writer &w, const Room &room, Members members)
{
    w.StartObject();
    w.Key("payload");
    w.StartObject();
    w.Key("message");
    latin1(w, protocol::name(Result::RoomChanged));
    w.Key("object");
    w.StartObject();
    w.Key("color");
    text(w, room.color);
    if (room.created.isValid()) {
        w.Key("created");
        text(w, protocol::isoTime(room.created));
    }
    w.Key("name");
    text(w, room.name);
    w.Key("sum");
    number(w, double(room.sum));
    w.Key("users");
    w.StartArray();
    members();
    w.EndArray();
    w.Key("uuid");
    text(w, room.uuid);
    w.EndObject();
    w.EndObject();
    w.Key("type");
    latin1(w, protocol::typeName(protocol::Type::Result));
    w.EndObject();
}

} // namespace

struct RapidjsonLineWriter::Buffer {
    rapidjson::StringBuffer buffer;
};

RapidjsonLineWriter::RapidjsonLineWriter()
    : m_buffer(std::make_unique<Buffer>())
{}

RapidjsonLineWriter::~RapidjsonLineWriter() = default;

QByteArray RapidjsonLineWriter::encode(const Line &line)
{
    using Utf16 = rapidjson::UTF16<char16_t>;
    rapidjson::StringBuffer &buffer = m_buffer->buffer;
    buffer.Clear();
    rapidjson::Writer<rapidjson::StringBuffer, Utf16, rapidjson::UTF8<>> w(buffer);
    auto text = [&w](const QString &s) {
        w.String(reinterpret_cast<const char16_t *>(s.utf16()), rapidjson::SizeType(s.size()));
    };
    // Keys in QJsonObject's order (sorted); width and user_uuid only when Line::toJson has them.
    w.StartObject();
    w.Key(u"color");
    text(line.color);
    w.Key(u"name");
    text(line.name());
    w.Key(u"points");
    w.StartArray();
    for (const double d : line.points)
        number(w, d);
    w.EndArray();
    w.Key(u"tool");
    text(line.tool);
    if (!line.userUuid.isEmpty()) {
        w.Key(u"user_uuid");
        text(line.userUuid);
    }
    w.Key(u"uuid");
    text(line.uuid);
    if (line.width > 0) {
        w.Key(u"width");
        number(w, line.width);
    }
    w.EndObject();
    return bytes(buffer);
}

QByteArray rapidjsonRoomFrame(const Room &room, const QList<QByteArray> &memberJson)
{
    rapidjson::StringBuffer buffer;
    Utf8Writer w(buffer);
    roomFrame(w, room, [&] {
        for (const QByteArray &m : memberJson)
            w.RawValue(m.constData(), size_t(m.size()), rapidjson::kObjectType);
    });
    return bytes(buffer);
}

QByteArray rapidjsonRoomFrameUncached(const Room &room, const QList<protocol::User> &members)
{
    rapidjson::StringBuffer buffer;
    Utf8Writer w(buffer);
    roomFrame(w, room, [&] {
        for (const protocol::User &u : members) { // User::toJson's keys, sorted
            w.StartObject();
            w.Key("name");
            text(w, u.name);
            w.Key("room_uuid");
            if (u.roomUuid.isEmpty())
                w.Null();
            else
                text(w, u.roomUuid);
            w.Key("uuid");
            text(w, u.uuid);
            w.EndObject();
        }
    });
    return bytes(buffer);
}

QByteArray rapidjsonDrawingFrame(const QString &roomUuid, const QByteArray &joinedLines,
                                 const QString &clientId)
{
    const QString drawingUuid = protocol::Drawing::uuidForRoom(roomUuid);
    rapidjson::StringBuffer buffer;
    buffer.Reserve(size_t(joinedLines.size()) + 512);
    Utf8Writer w(buffer);
    w.StartObject();
    w.Key("payload");
    w.StartObject();
    if (!clientId.isEmpty()) {
        w.Key("client_id");
        text(w, clientId);
    }
    w.Key("message");
    latin1(w, protocol::name(Result::DrawingGot));
    w.Key("object");
    w.StartObject();
    w.Key("lines");
    w.RawValue(joinedLines.constData(), size_t(joinedLines.size()), rapidjson::kArrayType);
    w.Key("name");
    text(w, QStringLiteral("drawing-") + drawingUuid);
    w.Key("uuid");
    text(w, drawingUuid);
    w.EndObject();
    w.EndObject();
    w.Key("type");
    latin1(w, protocol::typeName(protocol::Type::Result));
    w.EndObject();
    return bytes(buffer);
}

} // namespace chalk::bench
