#include "answers.h"

#include <QJsonArray>
#include <array>

namespace chalk::protocol {
namespace {

QString stringOf(const QJsonObject &payload, const char *key)
{
    return payload.value(QLatin1String(key)).toString();
}

template <typename T> QList<T> listOf(const QJsonObject &payload)
{
    const QJsonArray array = payload.value(QLatin1String("list")).toArray();
    QList<T> list;
    list.reserve(array.size());
    for (const QJsonValue &v : array)
        list.append(T::fromJson(v.toObject()));
    return list;
}

template <Result R> AnyAnswer decodeOne(const QJsonObject &payload)
{
    return makeAnswer<R>(PayloadOf<R>::fromPayload(payload), stringOf(payload, "client_id"));
}

using Decoder = AnyAnswer (*)(const QJsonObject &);
template <std::size_t... I>
constexpr std::array<Decoder, sizeof...(I)> decoders(std::index_sequence<I...>)
{
    return {&decodeOne<Result(I)>...};
}
constexpr auto kDecoders = decoders(std::make_index_sequence<kResultCount>{});

} // namespace

UserPayload UserPayload::fromPayload(const QJsonObject &p)
{
    return {User::fromJson(payloadObject(p)), stringOf(p, "token")};
}

RoomPayload RoomPayload::fromPayload(const QJsonObject &p)
{
    return {Room::fromJson(payloadObject(p))};
}

RoomListPayload RoomListPayload::fromPayload(const QJsonObject &p)
{
    return {listOf<Room>(p), p.value(QLatin1String("has_more")).toBool(false),
            stringOf(p, "after")};
}

MessagePayload MessagePayload::fromPayload(const QJsonObject &p)
{
    return {Message::fromJson(payloadObject(p))};
}

MessageListPayload MessageListPayload::fromPayload(const QJsonObject &p)
{
    return {listOf<Message>(p), p.value(QLatin1String("has_more")).toBool(false),
            stringOf(p, "before")};
}

MessageDeletedPayload MessageDeletedPayload::fromPayload(const QJsonObject &p)
{
    return {stringOf(p, "room_uuid"), stringOf(p, "message_uuid")};
}

DrawingPayload DrawingPayload::fromPayload(const QJsonObject &p)
{
    return {Drawing::fromJson(payloadObject(p)), clearedByIn(p)};
}

User DrawingPayload::clearedByIn(const QJsonObject &p)
{
    const QJsonValue by = p.value(QLatin1String("cleared_by"));
    return by.isObject() ? User::fromJson(by.toObject()) : User{};
}

LinePayload LinePayload::fromPayload(const QJsonObject &p)
{
    return {Line::fromJson(payloadObject(p))};
}

LineRemovedPayload LineRemovedPayload::fromPayload(const QJsonObject &p)
{
    LineRemovedPayload removed{stringOf(p, "uuid"), Line::fromJson(payloadObject(p))};
    if (removed.uuid.isEmpty())
        removed.uuid = removed.object.uuid;
    return removed;
}

UserRefPayload UserRefPayload::fromPayload(const QJsonObject &p)
{
    return {stringOf(p, "user_uuid")};
}

UserListPayload UserListPayload::fromPayload(const QJsonObject &p)
{
    return {listOf<UserPresence>(p), p.value(QLatin1String("has_more")).toBool(false)};
}

PresencePayload PresencePayload::fromPayload(const QJsonObject &p)
{
    QList<UserPresence> users;
    for (const QJsonValue &v : p.value(QLatin1String("users")).toArray())
        users.append(UserPresence::fromJson(v.toObject()));
    return {users};
}

UnreadPayload UnreadPayload::fromPayload(const QJsonObject &p)
{
    return {stringOf(p, "room_uuid"), countFromJson(p.value(QLatin1String("unread")))};
}

namespace {
constexpr QLatin1StringView kObjectKeys[] = {
    QLatin1StringView("object"),  QLatin1StringView("room"),    QLatin1StringView("user"),
    QLatin1StringView("message"), QLatin1StringView("drawing"), QLatin1StringView("line")};
} // namespace

QJsonObject payloadObject(const QJsonObject &payload)
{
    for (QLatin1StringView key : kObjectKeys) {
        const QJsonValue v = payload.value(key);
        if (v.isObject())
            return v.toObject();
    }
    return {};
}

int payloadObjectRank(QAnyStringView key)
{
    for (int i = 0; i < int(std::size(kObjectKeys)); ++i) {
        if (key == kObjectKeys[i])
            return i;
    }
    return -1;
}

std::optional<AnyAnswer> decodeAnswer(const Envelope &env)
{
    if (env.type != Type::Result)
        return std::nullopt;
    const auto result = resultFromName(env.message);
    if (!result)
        return std::nullopt;
    return kDecoders[std::size_t(*result)](env.payload);
}

std::optional<CallError> decodeError(const Envelope &env)
{
    if (env.type != Type::Error)
        return std::nullopt;
    const auto error = errorFromName(env.message);
    if (!error)
        return std::nullopt;
    const QJsonObject &p = env.payload;
    return CallError{*error, stringOf(p, "detail"), stringOf(p, "field"), stringOf(p, "call"),
                     stringOf(p, "client_id")};
}

} // namespace chalk::protocol
