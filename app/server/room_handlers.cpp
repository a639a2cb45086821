// Handlers of the room calls: create, enter, leave, delete, list, rename and recolour a room.
#include "broadcaster.h"
#include "call_handlers.h"
#include "logging.h"
#include "protocol/colors.h"
#include "tokens.h"

namespace chalk::server {

using namespace chalk::protocol;

template <Call C> RoomPtr CallHandlers::namedRoom(Session *s, const Request<C> &req) const
{
    return namedRoom(s, req, req.args.uuid, QStringLiteral("uuid"));
}

template <Call C>
RoomPtr CallHandlers::namedRoom(Session *s, const Request<C> &req, const QString &uuid,
                                const QString &field) const
{
    const RoomPtr r = m_rooms.find(uuid);
    if (!r || r->deleting) {
        Broadcaster::replyError(s, Error::NoSpecifiedRoom, QStringLiteral("no room with that uuid"),
                                req, field);
        return nullptr;
    }
    if (!r->admits(s->user().uuid)) {
        Broadcaster::replyError(s, Error::NotAMember,
                                QStringLiteral("a direct conversation of two other users"), req,
                                field);
        return nullptr;
    }
    return r;
}

// mark_read's room (unread_handlers.cpp).
template RoomPtr CallHandlers::namedRoom(Session *, const Request<Call::MarkRead> &,
                                         const QString &, const QString &) const;

// create_room
QCoro::Task<void> CallHandlers::handle(SessionPtr s, Request<Call::CreateRoom> req)
{
    Room r;
    r.uuid = newUuid();
    r.name = req.args.name.value_or(QStringLiteral("room-") + r.uuid);
    r.color = req.args.color ? *req.args.color : randomRoomColor();
    r.created = QDateTime::currentDateTimeUtc();
    if (m_rooms.isFull()) {
        Broadcaster::replyError(
            s, Error::TooManyRooms,
            QStringLiteral("this server holds at most %1 rooms; delete one first")
                .arg(m_options.maxRooms),
            req);
        co_return;
    }
    m_rooms.startCreating();
    const bool stored = co_await m_storage.createRoom(r);
    m_rooms.finishCreating();
    if (!stored) {
        if (alive(s))
            Broadcaster::replyError(s, Error::StorageFailed,
                                    QStringLiteral("the room could not be stored"), req);
        co_return;
    }
    const RoomPtr state = m_rooms.add(r);
    Broadcaster::fanOut(m_rooms.audience(*state), Result::RoomCreated, object(state->json()),
                        ifAlive(s), req.clientId);
}

// enter_room
QCoro::Task<void> CallHandlers::handle(SessionPtr s, Request<Call::EnterRoom> req)
{
    const RoomPtr r = namedRoom(s, req);
    if (!r)
        co_return;
    co_await enter(s, r, req.clientId);
    if (alive(s))
        persistUser(s);
}

QCoro::Task<void> CallHandlers::enter(SessionPtr s, RoomPtr r, QString clientId)
{
    m_rooms.join(s, r);
    follow(s, *r);
    // From here on the room's fan-out reaches this session, but is held back until the
    // history page is out: nothing is missed and the first three answers keep their order.
    s->hold();
    const auto page =
        co_await m_storage.listMessages(r->room.uuid, QString(), m_options.limits.pageDefault);
    const bool boardOk = co_await ensureBoard(r);
    if (!alive(s))
        co_return;
    if (!page)
        qCWarning(lcServer) << "could not read the history of room" << r->room.uuid;
    if (!boardOk)
        qCWarning(lcServer) << "could not read the drawing of room" << r->room.uuid;
    const MessagePage history = page.value_or(MessagePage{});
    // With the caller's count (ours): its client knows at once that this server keeps them.
    s->sendDirect(RoomState::frameOf(
        Result::RoomEntered,
        RoomState::withUnread(r->bytes(), m_unread.count(s->user().uuid, r->room.uuid)), clientId));
    Broadcaster::reply(s, Result::MessagesListed,
                       {{QStringLiteral("list"), messagesJson(history.messages)},
                        {QStringLiteral("has_more"), history.hasMore}},
                       clientId);
    s->sendDirect(r->drawingFrame(clientId));
    QSet<QString> listed;
    QSet<QString> stillToCome;
    for (const Message &m : history.messages) {
        listed.insert(m.uuid);
        // Stored before the page was read, but its completion has not reached us yet
        // (completions of two storage calls may be handled in either order).
        if (m_messagesInFlight.contains(m.uuid))
            stillToCome.insert(m.uuid);
    }
    s->release(listed, std::move(stillToCome));
}

// leave_room
QCoro::Task<void> CallHandlers::handle(SessionPtr s, Request<Call::LeaveRoom> req)
{
    const RoomPtr r = m_rooms.find(s->roomUuid());
    if (!r) {
        m_rooms.leave(s); // its room is gone: only forget it
        Broadcaster::replyError(s, Error::NoSpecifiedRoom, QStringLiteral("you are in no room"),
                                req);
        co_return;
    }
    m_rooms.leave(s);
    s->sendDirect(r->frame(Result::RoomLeft, req.clientId));
    persistUser(s);
}

// delete_room
QCoro::Task<void> CallHandlers::handle(SessionPtr s, Request<Call::DeleteRoom> req)
{
    const RoomPtr r = namedRoom(s, req);
    if (!r)
        co_return;
    if (!r->members.isEmpty()) {
        Broadcaster::replyError(s, Error::NotEmptyRoom, QStringLiteral("the room has people in it"),
                                req, QStringLiteral("uuid"));
        co_return;
    }
    r->deleting = true; // enter_room refuses it while storage works
    const bool ok = co_await m_storage.deleteRoom(r->room.uuid);
    if (!ok) {
        r->deleting = false;
        if (alive(s))
            Broadcaster::replyError(s, Error::StorageFailed,
                                    QStringLiteral("the room could not be deleted"), req);
        co_return;
    }
    const QJsonObject gone = object(r->json());
    const QList<Session *> audience = m_rooms.audience(*r);
    m_rooms.remove(r);
    m_unread.roomDeleted(r->room.uuid); // storage dropped its markers with it
    Broadcaster::fanOut(audience, Result::RoomDeleted, gone, ifAlive(s), req.clientId);
}

// list_rooms
QCoro::Task<void> CallHandlers::handle(SessionPtr s, Request<Call::ListRooms> req)
{
    if (!req.args.paged()) {
        s->sendDirect(m_rooms.listedFrame(s.data(), req.clientId)); // the original's whole list
        co_return;
    }
    const int limit = req.args.limit.value_or(m_options.limits.roomPageDefault);
    const auto page =
        m_rooms.listedPage(s.data(), req.args.after.value_or(QString()), limit, req.clientId);
    if (!page) {
        Broadcaster::replyError(s, Error::NoSpecifiedRoom,
                                QStringLiteral("no room with that uuid to list after"), req,
                                QStringLiteral("after"));
        co_return;
    }
    s->sendDirect(*page);
    co_return;
}

void CallHandlers::sendRoomList(Session *s)
{
    const auto page = m_rooms.listedPage(s, {}, m_options.limits.roomPageDefault);
    s->sendDirect(*page); // from the first room: always a page
}

// change_color
QCoro::Task<void> CallHandlers::handle(SessionPtr s, Request<Call::ChangeColor> req)
{
    const QString color = req.args.color;
    return changeRoomField(std::move(s), std::move(req), &Room::color, color);
}

// change_name
QCoro::Task<void> CallHandlers::handle(SessionPtr s, Request<Call::ChangeName> req)
{
    const QString name = req.args.name;
    return changeRoomField(std::move(s), std::move(req), &Room::name, name);
}

// change_color and change_name: the same steps for one field of the room.
template <Call C>
QCoro::Task<void> CallHandlers::changeRoomField(SessionPtr s, Request<C> req, QString Room::*field,
                                                QString value)
{
    const RoomPtr r = namedRoom(s, req);
    if (!r)
        co_return;
    Room changed = r->room;
    changed.*field = value;
    if (!co_await m_storage.updateRoom(changed)) {
        if (alive(s))
            Broadcaster::replyError(s, Error::StorageFailed,
                                    QStringLiteral("the room could not be stored"), req);
        co_return;
    }
    if (r->deleted)
        co_return;
    r->room.*field = changed.*field;
    m_rooms.markChanged(r->room.uuid);
}

} // namespace chalk::server
