// Read markers and unread counts: mark_read, and the steps other handlers take to keep the
// online users' counts (UnreadCounts) in step: identities taken, rooms entered, messages
// stored. docs/SERVER.md "Unread counts".
#include "broadcaster.h"
#include "call_handlers.h"
#include "logging.h"

namespace chalk::server {

using namespace chalk::protocol;

void CallHandlers::becomeUser(Session *s, User user, QByteArray tokenHash)
{
    const QString previous = s->user().uuid;
    m_unread.attach(user.uuid); // first: the same uuid again must not drop its counts
    s->becomeUser(std::move(user), std::move(tokenHash));
    m_unread.detach(previous);
}

QCoro::Task<bool> CallHandlers::readUnread(SessionPtr s, QString userUuid)
{
    m_unread.attach(userUuid);
    if (!co_await m_unread.refresh(userUuid))
        qCWarning(lcServer) << "could not read the unread counts of" << userUuid;
    if (alive(s))
        co_return true;
    m_unread.detach(userUuid);
    co_return false;
}

void CallHandlers::follow(Session *s, const RoomState &room)
{
    const QString user = s->user().uuid;
    if (m_unread.follows(user, room.room.uuid))
        return;
    m_unread.follow(user, room.room.uuid);
    // Not awaited (as persistUser): the marker at the room's newest message; one that exists
    // (the user followed it before, on another connection) is kept.
    m_storage.followRoom(user, room.room.uuid);
}

void CallHandlers::countMessage(const Message &stored)
{
    m_unread.messageStored(stored.roomUuid, stored.seq, stored.user.uuid);
}

// mark_read
QCoro::Task<void> CallHandlers::handle(SessionPtr s, Request<Call::MarkRead> req)
{
    const RoomPtr r = namedRoom(s, req, req.args.roomUuid, QStringLiteral("room_uuid"));
    if (!r)
        co_return;
    const QString user = s->user().uuid;
    const QString room = r->room.uuid;
    const ReadMarked marked = co_await m_storage.markRead(user, room, req.args.messageUuid);
    if (!alive(s))
        co_return;
    if (marked == ReadMarked::NoSuchMessage) {
        Broadcaster::replyError(s, Error::NoSuchMessage,
                                QStringLiteral("no message with that uuid in this room"), req,
                                QStringLiteral("message_uuid"));
        co_return;
    }
    if (marked == ReadMarked::Failed) {
        Broadcaster::replyError(s, Error::StorageFailed,
                                QStringLiteral("the read marker could not be stored"), req);
        co_return;
    }
    // The count from storage, after the marker moved (or stayed: the answer is the same).
    m_unread.follow(user, room);
    co_await m_unread.refresh(user, room);
    if (!alive(s))
        co_return;
    // Every connection of this user (its other devices) gets the new count; only the caller's
    // copy carries the client_id. A room_changed would repeat the whole member list (~150 KB
    // in a room of 1000) for one number, and is a room's shared state, not one user's.
    QList<Session *> devices = m_broadcaster.everyone();
    devices.removeIf([&](const Session *d) { return d->user().uuid != user; });
    const QJsonObject fields{
        {QStringLiteral("room_uuid"), room},
        {QStringLiteral("unread"), double(m_unread.count(user, room).value_or(0))}};
    Broadcaster::fanOut(devices, Result::UnreadChanged, fields, s.data(), req.clientId);
}

} // namespace chalk::server
