// The calls' handlers, one member per call, in files by area: room_handlers.cpp,
// message_handlers.cpp, board_handlers.cpp, identity_handlers.cpp. Each receives a validated
// request (protocol::validateCall) from ServerCore::dispatch, which has already checked the
// caller's authentication and room, and may await storage: after every co_await it re-checks
// that its session (alive()) and room (RoomRegistry::find, RoomState::deleted) still exist.
#pragma once

#include "protocol/codec.h"
#include "room_registry.h"
#include "server_options.h"
#include "session.h"
#include "storage/storage.h"

#include <QCoroTask>
#include <QJsonArray>
#include <QSet>

namespace chalk::server {

class Broadcaster;
class ConnectionPolicy;

class CallHandlers {
public:
    CallHandlers(Storage &storage, const ServerOptions &options, RoomRegistry &rooms,
                 const Broadcaster &broadcaster, const ConnectionPolicy &policy)
        : m_storage(storage)
        , m_options(options)
        , m_rooms(rooms)
        , m_broadcaster(broadcaster)
        , m_policy(policy)
    {}

    // Rooms (room_handlers.cpp).
    QCoro::Task<void> createRoom(SessionPtr s, protocol::CallRequest req);
    QCoro::Task<void> enterRoom(SessionPtr s, protocol::CallRequest req);
    QCoro::Task<void> leaveRoom(SessionPtr s, protocol::CallRequest req);
    QCoro::Task<void> deleteRoom(SessionPtr s, protocol::CallRequest req);
    QCoro::Task<void> listRooms(SessionPtr s, protocol::CallRequest req);
    QCoro::Task<void> changeColor(SessionPtr s, protocol::CallRequest req);
    QCoro::Task<void> changeName(SessionPtr s, protocol::CallRequest req);

    // Messages (message_handlers.cpp).
    QCoro::Task<void> createMessage(SessionPtr s, protocol::CallRequest req);
    QCoro::Task<void> listMessages(SessionPtr s, protocol::CallRequest req);
    QCoro::Task<void> typing(SessionPtr s, protocol::CallRequest req);

    // The drawing board (board_handlers.cpp).
    QCoro::Task<void> changeDrawLine(SessionPtr s, protocol::CallRequest req);
    QCoro::Task<void> getDrawing(SessionPtr s, protocol::CallRequest req);
    QCoro::Task<void> resetDrawing(SessionPtr s, protocol::CallRequest req);
    QCoro::Task<void> removeDrawLine(SessionPtr s, protocol::CallRequest req);

    // Identity (identity_handlers.cpp).
    QCoro::Task<void> changeUserName(SessionPtr s, protocol::CallRequest req);
    QCoro::Task<void> resume(SessionPtr s, protocol::CallRequest req);
    QCoro::Task<void> authenticate(SessionPtr s, protocol::CallRequest req);
    // A new connection (once authenticated, if the server asks a password): a new user,
    // user_created with its resume token, rooms_listed.
    QCoro::Task<void> welcome(SessionPtr s);

private:
    // change_color and change_name: the same steps for one field of the room.
    QCoro::Task<void> changeRoomField(SessionPtr s, protocol::CallRequest req,
                                      QString protocol::Room::*field, const char *key);
    // Joins `room` and sends room_entered, the newest history page and the board.
    QCoro::Task<void> enter(SessionPtr s, RoomPtr room, QString clientId);
    QCoro::Task<bool> ensureBoard(RoomPtr room);
    QCoro::Task<RoomPtr> boardRoom(SessionPtr s, protocol::CallRequest req);
    void persistUser(Session *s);

    static QString str(const protocol::CallRequest &req, const char *field)
    {
        return req.payload.value(QLatin1String(field)).toString();
    }
    static QJsonObject object(const QJsonObject &o) { return {{QStringLiteral("object"), o}}; }
    static QJsonArray messagesJson(const QList<protocol::Message> &messages);

    Storage &m_storage;
    const ServerOptions &m_options;
    RoomRegistry &m_rooms;
    const Broadcaster &m_broadcaster;
    const ConnectionPolicy &m_policy;
    // Messages handed to storage whose message_created has not gone out yet (see enter()).
    QSet<QString> m_messagesInFlight;
};

} // namespace chalk::server
