// Handlers of direct conversations: open_direct (the one private room of two users) and
// block_user / unblock_user. Who may see or use a direct room is RoomState::admits(), checked
// by namedRoom() for the calls that name a room and by RoomRegistry for what it lists and
// fans out; create_message asks mayWriteTo() before storing into one.
#include "broadcaster.h"
#include "call_handlers.h"
#include "logging.h"
#include "presence_tracker.h"
#include "protocol/colors.h"

#include <QUuid>

namespace chalk::server {

using namespace chalk::protocol;

namespace {

// Direct rooms have a uuid derived from their two members (a name-based uuid, v5), so both
// sides open the same room without looking it up, and it is created at most once.
const QUuid kDirectNamespace = QUuid::fromString(u"6f3c2f0e-8d1a-4c55-9a57-1f0b7d0c2a11");

QStringList sortedPair(const QString &a, const QString &b)
{
    return a < b ? QStringList{a, b} : QStringList{b, a};
}

} // namespace

template <Call C>
QCoro::Task<bool> CallHandlers::mayWriteTo(SessionPtr s, QString blocker, const Request<C> &req)
{
    const auto blocked = co_await m_storage.isBlocked(blocker, s->user().uuid);
    if (!alive(s))
        co_return false;
    if (!blocked) {
        Broadcaster::replyError(s, Error::StorageFailed, QStringLiteral("could not check blocks"),
                                req);
        co_return false;
    }
    if (*blocked) {
        Broadcaster::replyError(s, Error::Blocked,
                                QStringLiteral("this user does not accept your messages"), req);
        co_return false;
    }
    co_return true;
}

template <Call C>
QCoro::Task<RoomPtr> CallHandlers::directRoom(SessionPtr s, QString other, const Request<C> &req)
{
    const QStringList members = sortedPair(s->user().uuid, other);
    const QString uuid = QUuid::createUuidV5(kDirectNamespace, members.join(QLatin1Char(' ')))
                             .toString(QUuid::WithoutBraces);
    if (const RoomPtr r = m_rooms.find(uuid)) {
        if (!r->deleting)
            co_return r;
        Broadcaster::replyError(s, Error::StorageFailed,
                                QStringLiteral("the conversation is being deleted; try again"),
                                req);
        co_return RoomPtr();
    }
    // A new conversation needs the other user to exist: online now, or a registered account
    // (an anonymous user who is offline cannot be told apart from a made-up uuid).
    QString otherName;
    for (Session *peer : m_broadcaster.everyone()) {
        if (peer->user().uuid == other)
            otherName = peer->user().name;
    }
    if (otherName.isEmpty()) {
        const AccountLookup account = co_await m_storage.accountOf(other);
        if (!alive(s))
            co_return RoomPtr();
        if (account.account)
            otherName = account.account->user.name;
    }
    if (otherName.isEmpty()) {
        Broadcaster::replyError(s, Error::NoSuchUser,
                                QStringLiteral("no such user online or registered"), req,
                                QStringLiteral("user_uuid"));
        co_return RoomPtr();
    }
    if (m_rooms.isFull()) {
        Broadcaster::replyError(
            s, Error::TooManyRooms,
            QStringLiteral("this server holds at most %1 rooms").arg(m_options.maxRooms), req);
        co_return RoomPtr();
    }
    Room room;
    room.uuid = uuid;
    room.name =
        QStringLiteral("%1 & %2").arg(s->user().name, otherName).left(m_options.limits.roomName);
    room.color = randomRoomColor();
    room.created = QDateTime::currentDateTimeUtc();
    room.members = members;
    m_rooms.startCreating();
    const bool stored = co_await m_storage.createRoom(room);
    m_rooms.finishCreating();
    // Both opened it at once: the other open_direct stored it first, and this store failed.
    if (const RoomPtr r = m_rooms.find(uuid))
        co_return alive(s) ? r : RoomPtr();
    if (!stored) {
        if (alive(s))
            Broadcaster::replyError(s, Error::StorageFailed,
                                    QStringLiteral("the conversation could not be stored"), req);
        co_return RoomPtr();
    }
    const RoomPtr state = m_rooms.add(room);
    // Storage gave both members a marker at its start: everything the other writes counts.
    for (const QString &member : std::as_const(room.members))
        m_unread.follow(member, room.uuid);
    Broadcaster::fanOut(m_rooms.audience(*state), Result::RoomCreated, object(state->json()),
                        nullptr, {});
    m_presence.introduce(room.members.value(0), room.members.value(1));
    co_return alive(s) ? state : RoomPtr();
}

// open_direct
QCoro::Task<void> CallHandlers::handle(SessionPtr s, Request<Call::OpenDirect> req)
{
    const QString other = req.args.userUuid;
    if (other == s->user().uuid) {
        Broadcaster::replyError(s, Error::BadData,
                                QStringLiteral("a direct conversation needs another user"), req,
                                QStringLiteral("user_uuid"));
        co_return;
    }
    if (!co_await mayWriteTo(s, other, req))
        co_return;
    const RoomPtr r = co_await directRoom(s, other, req);
    if (!r)
        co_return;
    co_await enter(s, r, req.clientId);
    if (alive(s))
        persistUser(s);
}

template <Call C> QCoro::Task<void> CallHandlers::setBlocked(SessionPtr s, Request<C> req, bool on)
{
    const QString other = req.args.userUuid;
    if (other == s->user().uuid) {
        Broadcaster::replyError(s, Error::BadData, QStringLiteral("you cannot block yourself"), req,
                                QStringLiteral("user_uuid"));
        co_return;
    }
    const bool ok = co_await m_storage.setBlocked(s->user().uuid, other, on);
    if (!alive(s))
        co_return;
    if (!ok) {
        Broadcaster::replyError(s, Error::StorageFailed,
                                QStringLiteral("the block could not be stored"), req);
        co_return;
    }
    Broadcaster::reply(s, on ? Result::UserBlocked : Result::UserUnblocked,
                       {{QStringLiteral("user_uuid"), other}}, req.clientId);
}

// block_user
QCoro::Task<void> CallHandlers::handle(SessionPtr s, Request<Call::BlockUser> req)
{
    return setBlocked(std::move(s), std::move(req), true);
}

// unblock_user
QCoro::Task<void> CallHandlers::handle(SessionPtr s, Request<Call::UnblockUser> req)
{
    return setBlocked(std::move(s), std::move(req), false);
}

// create_message's and edit_message's check for a direct room (message_handlers.cpp,
// own_message_handlers.cpp): false, having answered, when the other member blocks the writer.
template <Call C>
QCoro::Task<bool> CallHandlers::mayWriteIn(SessionPtr s, RoomPtr r, const Request<C> &req)
{
    if (!r->room.isDirect())
        co_return true;
    const QString me = s->user().uuid;
    const QString other = r->room.members.value(r->room.members.first() == me ? 1 : 0);
    co_return co_await mayWriteTo(s, other, req);
}

template QCoro::Task<bool> CallHandlers::mayWriteIn(SessionPtr, RoomPtr,
                                                    const Request<Call::CreateMessage> &);
template QCoro::Task<bool> CallHandlers::mayWriteIn(SessionPtr, RoomPtr,
                                                    const Request<Call::EditMessage> &);

} // namespace chalk::server
