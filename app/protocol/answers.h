// What the server sends, as types: each row of CHALK_RESULTS names its payload struct, and
// Answer<Result::RoomChanged> carries a RoomPayload. A client std::visit()s AnyAnswer with one
// overload per result, so a result it forgot to handle does not compile.
// Decoding is lenient on purpose, as the original client was: a missing key gives an empty
// value (the original server answers room_entered without a room, for one), never a failure.
#pragma once

#include "codec.h"
#include "objects.h"

#include <QAnyStringView>
#include <QList>
#include <QString>
#include <optional>
#include <utility>
#include <variant>

namespace chalk::protocol {

struct EmptyPayload {
    static EmptyPayload fromPayload(const QJsonObject &) { return {}; }
};

// user_created, user_changed, user_typing, resumed. token: user_created and resumed (ours).
struct UserPayload {
    User object;
    QString token;
    static UserPayload fromPayload(const QJsonObject &payload);
};

struct RoomPayload {
    Room object;
    static RoomPayload fromPayload(const QJsonObject &payload);
};

// rooms_listed; ours, additive: a page (the welcome's, or list_rooms {after, limit}) says
// has_more when rooms follow, and echoes the `after` it continues from.
struct RoomListPayload {
    QList<Room> list;
    bool hasMore = false;
    QString after;
    static RoomListPayload fromPayload(const QJsonObject &payload);
};

struct MessagePayload {
    Message object;
    static MessagePayload fromPayload(const QJsonObject &payload);
};

// messages_listed; hasMore and before are ours (history pages).
struct MessageListPayload {
    QList<Message> list;
    bool hasMore = false;
    QString before;
    static MessageListPayload fromPayload(const QJsonObject &payload);
};

// drawing_got {object: drawing}; ours, additive: `cleared_by` (a user) when reset_drawing
// emptied the board, so the room can be told who did.
struct DrawingPayload {
    Drawing object;
    User clearedBy; // empty uuid: a board loaded, not cleared
    static DrawingPayload fromPayload(const QJsonObject &payload);
    static User clearedByIn(const QJsonObject &payload);
};

struct LinePayload {
    Line object;
    static LinePayload fromPayload(const QJsonObject &payload);
};

// draw_line_removed {uuid, object: line}; uuid falls back to the object's.
struct LineRemovedPayload {
    QString uuid;
    Line object;
    static LineRemovedPayload fromPayload(const QJsonObject &payload);
};

// user_blocked, user_unblocked {user_uuid}.
struct UserRefPayload {
    QString userUuid;
    static UserRefPayload fromPayload(const QJsonObject &payload);
};

// users_listed {list: [{uuid, name, registered, online, last_seen}], has_more}.
struct UserListPayload {
    QList<UserPresence> list;
    bool hasMore = false;
    static UserListPayload fromPayload(const QJsonObject &payload);
};

// presence_changed {users: [{uuid, online, last_seen}]}: every change since the last one.
struct PresencePayload {
    QList<UserPresence> users;
    static PresencePayload fromPayload(const QJsonObject &payload);
};

// unread_changed {room_uuid, unread} (ours): the count of one room for this connection's user.
struct UnreadPayload {
    QString roomUuid;
    qint64 unread = 0;
    static UnreadPayload fromPayload(const QJsonObject &payload);
};

// message_deleted {room_uuid, message_uuid} (ours): that message is now a tombstone.
struct MessageDeletedPayload {
    QString roomUuid;
    QString messageUuid;
    static MessageDeletedPayload fromPayload(const QJsonObject &payload);
};

template <Result R> struct PayloadFor;
#define CHALK_PAYLOAD_ENTRY(e, n, original, payload)                                               \
    template <> struct PayloadFor<Result::e> {                                                     \
        using type = payload;                                                                      \
    };
CHALK_RESULTS(CHALK_PAYLOAD_ENTRY)
#undef CHALK_PAYLOAD_ENTRY

template <Result R> using PayloadOf = typename PayloadFor<R>::type;

template <Result R> struct Answer {
    static constexpr Result result = R;
    PayloadOf<R> payload;
    QString clientId; // echoed from the call this answers, when it gave one (ours)
};

template <std::size_t... I>
auto answerVariant(std::index_sequence<I...>) -> std::variant<Answer<Result(I)>...>;
using AnyAnswer = decltype(answerVariant(std::make_index_sequence<kResultCount>{}));

// The one object a result carries: under "object" (ours and the original's results), else the
// first of "room", "user", "message", "drawing", "line" that holds an object (older servers).
// decodeDrawingGot (drawing_json.h) picks the drawing by the same rule, with the rank below.
QJsonObject payloadObject(const QJsonObject &payload);
// A payload key's place in that order (0 for "object"), -1 for any other key.
int payloadObjectRank(QAnyStringView key);

// nullopt for an error, a call, or a result this table does not know.
std::optional<AnyAnswer> decodeAnswer(const Envelope &env);
// The answer of a known result whose payload was decoded elsewhere (drawing_got's fast
// reader on a worker thread): the same Answer, without a second decode.
template <Result R> AnyAnswer makeAnswer(PayloadOf<R> payload, QString clientId)
{
    return AnyAnswer(std::in_place_index<std::size_t(R)>,
                     Answer<R>{std::move(payload), std::move(clientId)});
}

// A typed error statement: the enum, detail, field, the call it answers and its client_id.
// nullopt for anything but an error this table knows (the name is then in env.message).
std::optional<CallError> decodeError(const Envelope &env);

} // namespace chalk::protocol
