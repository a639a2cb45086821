// Handlers of the room calls: create, enter, leave, delete, list, rename and recolour a room.
#include "broadcaster.h"
#include "call_handlers.h"
#include "logging.h"
#include "protocol/colors.h"
#include "tokens.h"

namespace chalk::server {

using namespace chalk::protocol;

QCoro::Task<void> CallHandlers::createRoom(SessionPtr s, CallRequest req)
{
    Room r;
    r.uuid = newUuid();
    r.name = req.payload.contains(QLatin1String("name")) ? str(req, "name")
                                                         : QStringLiteral("room-") + r.uuid;
    r.color = req.payload.contains(QLatin1String("color")) ? str(req, "color") : randomRoomColor();
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
    Broadcaster::fanOut(m_broadcaster.everyone(), Result::RoomCreated, object(state->json()),
                        alive(s) ? s.data() : nullptr, req.clientId);
}

QCoro::Task<void> CallHandlers::enterRoom(SessionPtr s, CallRequest req)
{
    const RoomPtr r = m_rooms.find(str(req, "uuid"));
    if (!r || r->deleting) {
        Broadcaster::replyError(s, Error::NoSpecifiedRoom, QStringLiteral("no room with that uuid"),
                                req, QStringLiteral("uuid"));
        co_return;
    }
    co_await enter(s, r, req.clientId);
    if (alive(s))
        persistUser(s);
}

QCoro::Task<void> CallHandlers::enter(SessionPtr s, RoomPtr r, QString clientId)
{
    m_rooms.join(s, r);
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
    s->sendDirect(r->frame(Result::RoomEntered, clientId));
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

QCoro::Task<void> CallHandlers::leaveRoom(SessionPtr s, CallRequest req)
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

QCoro::Task<void> CallHandlers::deleteRoom(SessionPtr s, CallRequest req)
{
    const RoomPtr r = m_rooms.find(str(req, "uuid"));
    if (!r || r->deleting) {
        Broadcaster::replyError(s, Error::NoSpecifiedRoom, QStringLiteral("no room with that uuid"),
                                req, QStringLiteral("uuid"));
        co_return;
    }
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
    m_rooms.remove(r);
    Broadcaster::fanOut(m_broadcaster.everyone(), Result::RoomDeleted, gone,
                        alive(s) ? s.data() : nullptr, req.clientId);
}

QCoro::Task<void> CallHandlers::listRooms(SessionPtr s, CallRequest req)
{
    s->sendDirect(m_rooms.listedFrame(req.clientId));
    co_return;
}

QCoro::Task<void> CallHandlers::changeColor(SessionPtr s, CallRequest req)
{
    return changeRoomField(std::move(s), std::move(req), &Room::color, "color");
}

QCoro::Task<void> CallHandlers::changeName(SessionPtr s, CallRequest req)
{
    return changeRoomField(std::move(s), std::move(req), &Room::name, "name");
}

// change_color and change_name: the same steps for one field of the room.
QCoro::Task<void> CallHandlers::changeRoomField(SessionPtr s, CallRequest req, QString Room::*field,
                                                const char *key)
{
    const RoomPtr r = m_rooms.find(str(req, "uuid"));
    if (!r || r->deleting) {
        Broadcaster::replyError(s, Error::NoSpecifiedRoom, QStringLiteral("no room with that uuid"),
                                req, QStringLiteral("uuid"));
        co_return;
    }
    Room changed = r->room;
    changed.*field = str(req, key);
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
