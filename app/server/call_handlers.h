// The calls' handlers, one handle() overload per call (a call without one does not compile:
// ServerCore::dispatch std::visit()s protocol::AnyRequest), in files by area: room_handlers.cpp,
// message_handlers.cpp, board_handlers.cpp, identity_handlers.cpp, account_handlers.cpp,
// direct_handlers.cpp, user_list_handlers.cpp, unread_handlers.cpp, own_message_handlers.cpp. Each
// receives its typed, validated arguments (protocol::Request<Call>, filled by the codec from the
// statement table) after ServerCore::dispatch checked what the call needs (protocol::needs), and
// may await storage: after every co_await it re-checks that its session (alive()) and room
// (RoomRegistry::find, RoomState::deleted) still exist.
#pragma once

#include "login_throttle.h"
#include "password_hasher.h"
#include "protocol/codec.h"
#include "room_registry.h"
#include "server_options.h"
#include "session.h"
#include "storage/storage.h"
#include "unread_counts.h"

#include <QCoroTask>
#include <QJsonArray>
#include <QSet>

namespace chalk::server {

class Broadcaster;
class ConnectionPolicy;
class PresenceTracker;

class CallHandlers {
public:
    CallHandlers(Storage &storage, const ServerOptions &options, RoomRegistry &rooms,
                 const Broadcaster &broadcaster, const ConnectionPolicy &policy,
                 PasswordHasher &hasher, LoginThrottle &throttle, PresenceTracker &presence,
                 UnreadCounts &unread)
        : m_storage(storage)
        , m_options(options)
        , m_rooms(rooms)
        , m_broadcaster(broadcaster)
        , m_policy(policy)
        , m_hasher(hasher)
        , m_throttle(throttle)
        , m_presence(presence)
        , m_unread(unread)
    {}

    using Call = protocol::Call;
    template <Call C> using Request = protocol::Request<C>;

    // Rooms (room_handlers.cpp).
    QCoro::Task<void> handle(SessionPtr s, Request<Call::CreateRoom> req);
    QCoro::Task<void> handle(SessionPtr s, Request<Call::EnterRoom> req);
    QCoro::Task<void> handle(SessionPtr s, Request<Call::LeaveRoom> req);
    QCoro::Task<void> handle(SessionPtr s, Request<Call::DeleteRoom> req);
    QCoro::Task<void> handle(SessionPtr s, Request<Call::ListRooms> req);
    QCoro::Task<void> handle(SessionPtr s, Request<Call::ChangeColor> req);
    QCoro::Task<void> handle(SessionPtr s, Request<Call::ChangeName> req);

    // Messages (message_handlers.cpp).
    QCoro::Task<void> handle(SessionPtr s, Request<Call::CreateMessage> req);
    QCoro::Task<void> handle(SessionPtr s, Request<Call::ListMessages> req);
    QCoro::Task<void> handle(SessionPtr s, Request<Call::Typing> req);

    // The drawing board (board_handlers.cpp).
    QCoro::Task<void> handle(SessionPtr s, Request<Call::ChangeDrawLine> req);
    QCoro::Task<void> handle(SessionPtr s, Request<Call::GetDrawing> req);
    QCoro::Task<void> handle(SessionPtr s, Request<Call::ResetDrawing> req);
    QCoro::Task<void> handle(SessionPtr s, Request<Call::RemoveDrawLine> req);

    // Identity (identity_handlers.cpp).
    QCoro::Task<void> handle(SessionPtr s, Request<Call::ChangeUserName> req);
    QCoro::Task<void> handle(SessionPtr s, Request<Call::Resume> req);
    QCoro::Task<void> handle(SessionPtr s, Request<Call::Authenticate> req);
    // A new connection (once authenticated, if the server asks a password): a new user,
    // user_created with its resume token, rooms_listed.
    QCoro::Task<void> welcome(SessionPtr s);
    // A connection admitted (no password asked, or given): welcome(), or where accounts are
    // required, the account_required prompt.
    QCoro::Task<void> greet(SessionPtr s);

    // Accounts (account_handlers.cpp).
    QCoro::Task<void> handle(SessionPtr s, Request<Call::Register> req);
    QCoro::Task<void> handle(SessionPtr s, Request<Call::Login> req);
    QCoro::Task<void> handle(SessionPtr s, Request<Call::Logout> req);
    QCoro::Task<void> handle(SessionPtr s, Request<Call::ChangePassword> req);

    // Direct conversations and blocks (direct_handlers.cpp).
    QCoro::Task<void> handle(SessionPtr s, Request<Call::OpenDirect> req);
    QCoro::Task<void> handle(SessionPtr s, Request<Call::BlockUser> req);
    QCoro::Task<void> handle(SessionPtr s, Request<Call::UnblockUser> req);

    // Own messages: edit and delete (own_message_handlers.cpp).
    QCoro::Task<void> handle(SessionPtr s, Request<Call::EditMessage> req);
    QCoro::Task<void> handle(SessionPtr s, Request<Call::DeleteMessage> req);

    // Read markers (unread_handlers.cpp).
    QCoro::Task<void> handle(SessionPtr s, Request<Call::MarkRead> req);

    // Finding users (user_list_handlers.cpp).
    QCoro::Task<void> handle(SessionPtr s, Request<Call::ListUsers> req);

private:
    // change_color and change_name: the same steps for one field of the room.
    template <Call C>
    QCoro::Task<void> changeRoomField(SessionPtr s, Request<C> req, QString protocol::Room::*field,
                                      QString value);
    // The room the call names by `uuid`; null, having answered no_specified_room, when there
    // is none (or it is being deleted).
    template <Call C> RoomPtr namedRoom(Session *s, const Request<C> &req) const;
    // The same for a room named by another field than `uuid`.
    template <Call C>
    RoomPtr namedRoom(Session *s, const Request<C> &req, const QString &uuid,
                      const QString &field) const;
    // Joins `room` and sends room_entered, the newest history page and the board.
    QCoro::Task<void> enter(SessionPtr s, RoomPtr room, QString clientId);
    QCoro::Task<bool> ensureBoard(RoomPtr room);
    // The caller's room with its board loaded; null (having answered storage_failed where
    // that is the reason) when the handler should stop.
    QCoro::Task<RoomPtr> boardRoom(SessionPtr s, Call call, QString clientId);
    void persistUser(Session *s);
    // The room list a connection gets unasked (its welcome, a new identity): the first page,
    // sent as an answer (not counted as backlog: a full server still greets everyone).
    void sendRoomList(Session *s);
    // The session becomes `user`: that user's unread counts are held (UnreadCounts::attach),
    // the previous identity's let go. Every identity change goes through here.
    void becomeUser(Session *s, protocol::User user, QByteArray tokenHash);
    // The identity `userUuid` is about to be taken by `s` (resume, login): its unread counts are
    // read first, so rooms_listed carries them. Held until releaseUnread(); false (released)
    // when the session went meanwhile.
    QCoro::Task<bool> readUnread(SessionPtr s, QString userUuid);
    void releaseUnread(const QString &userUuid) { m_unread.detach(userUuid); }
    // The caller follows the room it enters from now on, unless it did already.
    void follow(Session *s, const RoomState &room);
    // A stored message counts for every follower online but its author.
    void countMessage(const protocol::Message &stored);

    // True when no registered user other than `uuid` owns `name` (its login or display name);
    // false, having answered name_taken (`takenDetail`) or storage_failed, otherwise.
    QCoro::Task<bool> nameIsFree(SessionPtr s, QString name, QString uuid, Call call,
                                 QString clientId, QString takenDetail);
    // The session becomes `user` (leaving its room) with this device's token; one that had no
    // identity yet starts receiving broadcasts and gets rooms_listed after `answer`.
    void becomeAccount(Session *s, protocol::User user, QByteArray tokenHash,
                       protocol::Result answer, const QString &token, const QString &clientId);
    // False, having answered rate_limited (or closed the connection), when the account or the
    // connection must wait before its next password check.
    template <Call C>
    bool mayCheckPassword(Session *s, const QString &account, const Request<C> &req);
    // A wrong password: counted, answered bad_login (the same for an unknown name), and the
    // connection closed 1008 once it failed too often.
    template <Call C>
    void passwordFailed(Session *s, const QString &account, const Request<C> &req);

    // The direct conversation of the caller and `other`: the one stored, or a new one stored
    // now and announced to the two of them; null, having answered, when there is none.
    template <Call C>
    QCoro::Task<RoomPtr> directRoom(SessionPtr s, QString other, const Request<C> &req);
    // False, having answered blocked (or storage_failed), when `blocker` blocks the caller.
    template <Call C>
    QCoro::Task<bool> mayWriteTo(SessionPtr s, QString blocker, const Request<C> &req);
    // create_message, edit_message in a direct room: false, having answered blocked, when the
    // other member blocks the writer. True at once for a public room.
    template <Call C>
    QCoro::Task<bool> mayWriteIn(SessionPtr s, RoomPtr room, const Request<C> &req);

    // Own messages (own_message_handlers.cpp). The message `uuid` names with its room, when
    // the caller may see that room; nullopt, having answered (no_such_message, not_a_member,
    // storage_failed), otherwise.
    struct NamedMessage {
        protocol::Message message;
        RoomPtr room;
    };
    template <Call C>
    QCoro::Task<std::optional<NamedMessage>> namedMessage(SessionPtr s, QString uuid,
                                                          const Request<C> &req, QString field);
    // create_message's reply_to: false, having answered, when it names no message of the
    // caller's room that it could quote (no_such_message, already_deleted, storage_failed).
    QCoro::Task<bool> mayReplyTo(SessionPtr s, const Request<Call::CreateMessage> &req);
    // The room's members (and the caller, if not among them) get `fields`; the caller's copy
    // carries its client_id.
    void toRoomAndCaller(Session *caller, const RoomState &room, protocol::Result result,
                         const QJsonObject &fields, const QString &clientId);
    // After a delete: the online followers whose counts may have held the message read them
    // again; room_changed carries the new counts.
    QCoro::Task<void> recountAfterDelete(QString roomUuid, QString author);
    // block_user and unblock_user: the same steps, `on` telling which.
    template <Call C> QCoro::Task<void> setBlocked(SessionPtr s, Request<C> req, bool on);

    static QJsonObject object(const QJsonObject &o) { return {{QStringLiteral("object"), o}}; }
    static QJsonArray messagesJson(const QList<protocol::Message> &messages);

    Storage &m_storage;
    const ServerOptions &m_options;
    RoomRegistry &m_rooms;
    const Broadcaster &m_broadcaster;
    const ConnectionPolicy &m_policy;
    PasswordHasher &m_hasher;
    LoginThrottle &m_throttle;
    PresenceTracker &m_presence;
    UnreadCounts &m_unread;
    // Messages handed to storage whose message_created has not gone out yet (see enter()).
    QSet<QString> m_messagesInFlight;
};

} // namespace chalk::server
