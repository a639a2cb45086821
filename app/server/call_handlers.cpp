// One handler per call; ServerCore::kRoutes maps calls to them. Each handler receives a
// validated request (protocol::validateCall) and may await storage: after every co_await it
// re-checks that its session (alive()) and room (room()) still exist.
#include "logging.h"
#include "protocol/colors.h"
#include "server_core.h"
#include "session.h"
#include "tokens.h"

#include <QJsonArray>

namespace chalk::server {

using namespace chalk::protocol;

namespace {

QString str(const CallRequest &req, const char *field)
{
    return req.payload.value(QLatin1String(field)).toString();
}

QJsonObject object(const QJsonObject &o)
{
    return {{QStringLiteral("object"), o}};
}

QJsonArray messagesJson(const QList<Message> &messages)
{
    QJsonArray list;
    for (const Message &m : messages)
        list.append(m.toJson());
    return list;
}

QJsonObject drawingJson(const QString &roomUuid, const QList<Line> &lines)
{
    return Drawing{Drawing::uuidForRoom(roomUuid), lines}.toJson();
}

} // namespace

QCoro::Task<void> ServerCore::createRoom(SessionPtr s, CallRequest req)
{
    Room r;
    r.uuid = newUuid();
    r.name = req.payload.contains(QLatin1String("name")) ? str(req, "name")
                                                         : QStringLiteral("room-") + r.uuid;
    r.color = req.payload.contains(QLatin1String("color")) ? str(req, "color") : randomRoomColor();
    r.created = QDateTime::currentDateTimeUtc();
    // Rooms being stored count too, so concurrent creates cannot overshoot the limit.
    if (m_options.maxRooms > 0 && m_rooms.size() + m_roomsBeingCreated >= m_options.maxRooms) {
        replyError(s, Error::TooManyRooms,
                   QStringLiteral("this server holds at most %1 rooms; delete one first")
                       .arg(m_options.maxRooms),
                   req);
        co_return;
    }
    ++m_roomsBeingCreated;
    const bool stored = co_await m_storage->createRoom(r);
    --m_roomsBeingCreated;
    if (!stored) {
        if (alive(s))
            replyError(s, Error::StorageFailed, QStringLiteral("the room could not be stored"),
                       req);
        co_return;
    }
    auto state = std::make_shared<RoomState>();
    state->room = r;
    state->boardLoaded = true; // a new room has an empty board; no need to ask storage
    m_rooms.insert(r.uuid, state);
    m_roomOrder.append(r.uuid);
    fanOut(everyone(), Result::RoomCreated, object(roomJson(*state)), alive(s) ? s.data() : nullptr,
           req.clientId);
}

QCoro::Task<void> ServerCore::enterRoom(SessionPtr s, CallRequest req)
{
    const RoomPtr r = room(str(req, "uuid"));
    if (!r || r->deleting) {
        replyError(s, Error::NoSpecifiedRoom, QStringLiteral("no room with that uuid"), req,
                   QStringLiteral("uuid"));
        co_return;
    }
    co_await enter(s, r, req.clientId);
    if (alive(s))
        persistUser(s);
}

QCoro::Task<void> ServerCore::enter(SessionPtr s, RoomPtr r, QString clientId)
{
    if (s->user.roomUuid != r->room.uuid) {
        leaveCurrentRoom(s);
        r->members.append(s);
        s->user.roomUuid = r->room.uuid;
        markRoomChanged(r->room.uuid);
    }
    // From here on the room's fan-out reaches this session, but is held back until the
    // history page is out: nothing is missed and the first three answers keep their order.
    s->hold();
    const auto page =
        co_await m_storage->listMessages(r->room.uuid, QString(), m_options.limits.pageDefault);
    const bool boardOk = co_await ensureBoard(r);
    if (!alive(s))
        co_return;
    if (!page)
        qCWarning(lcServer) << "could not read the history of room" << r->room.uuid;
    if (!boardOk)
        qCWarning(lcServer) << "could not read the drawing of room" << r->room.uuid;
    const MessagePage history = page.value_or(MessagePage{});
    s->sendDirect(roomFrame(Result::RoomEntered, *r, clientId));
    reply(s, Result::MessagesListed,
          {{QStringLiteral("list"), messagesJson(history.messages)},
           {QStringLiteral("has_more"), history.hasMore}},
          clientId);
    s->sendDirect(drawingFrame(*r, clientId));
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

QCoro::Task<void> ServerCore::leaveRoom(SessionPtr s, CallRequest req)
{
    const RoomPtr r = room(s->user.roomUuid);
    if (!r) {
        s->user.roomUuid.clear();
        replyError(s, Error::NoSpecifiedRoom, QStringLiteral("you are in no room"), req);
        co_return;
    }
    leaveCurrentRoom(s);
    s->sendDirect(roomFrame(Result::RoomLeft, *r, req.clientId));
    persistUser(s);
}

QCoro::Task<void> ServerCore::deleteRoom(SessionPtr s, CallRequest req)
{
    const RoomPtr r = room(str(req, "uuid"));
    if (!r || r->deleting) {
        replyError(s, Error::NoSpecifiedRoom, QStringLiteral("no room with that uuid"), req,
                   QStringLiteral("uuid"));
        co_return;
    }
    if (!r->members.isEmpty()) {
        replyError(s, Error::NotEmptyRoom, QStringLiteral("the room has people in it"), req,
                   QStringLiteral("uuid"));
        co_return;
    }
    r->deleting = true; // enter_room refuses it while storage works
    const bool ok = co_await m_storage->deleteRoom(r->room.uuid);
    if (!ok) {
        r->deleting = false;
        if (alive(s))
            replyError(s, Error::StorageFailed, QStringLiteral("the room could not be deleted"),
                       req);
        co_return;
    }
    const QJsonObject gone = object(roomJson(*r));
    r->deleted = true;
    m_rooms.remove(r->room.uuid);
    m_roomOrder.removeOne(r->room.uuid);
    m_dirtyRooms.remove(r->room.uuid);
    fanOut(everyone(), Result::RoomDeleted, gone, alive(s) ? s.data() : nullptr, req.clientId);
}

QCoro::Task<void> ServerCore::listRooms(SessionPtr s, CallRequest req)
{
    s->sendDirect(roomsListedFrame(req.clientId));
    co_return;
}

QCoro::Task<void> ServerCore::changeColor(SessionPtr s, CallRequest req)
{
    return changeRoomField(std::move(s), std::move(req), &Room::color, "color");
}

QCoro::Task<void> ServerCore::changeName(SessionPtr s, CallRequest req)
{
    return changeRoomField(std::move(s), std::move(req), &Room::name, "name");
}

// change_color and change_name: the same steps for one field of the room.
QCoro::Task<void> ServerCore::changeRoomField(SessionPtr s, CallRequest req, QString Room::*field,
                                              const char *key)
{
    const RoomPtr r = room(str(req, "uuid"));
    if (!r || r->deleting) {
        replyError(s, Error::NoSpecifiedRoom, QStringLiteral("no room with that uuid"), req,
                   QStringLiteral("uuid"));
        co_return;
    }
    Room changed = r->room;
    changed.*field = str(req, key);
    if (!co_await m_storage->updateRoom(changed)) {
        if (alive(s))
            replyError(s, Error::StorageFailed, QStringLiteral("the room could not be stored"),
                       req);
        co_return;
    }
    if (r->deleted)
        co_return;
    r->room.*field = changed.*field;
    markRoomChanged(r->room.uuid);
}

QCoro::Task<void> ServerCore::changeUserName(SessionPtr s, CallRequest req)
{
    s->user.name = str(req, "name");
    reply(s, Result::UserChanged, object(s->user.toJson()), req.clientId);
    if (!s->user.roomUuid.isEmpty())
        markRoomChanged(s->user.roomUuid);
    persistUser(s);
    co_return;
}

QCoro::Task<void> ServerCore::createMessage(SessionPtr s, CallRequest req)
{
    Message m;
    m.uuid = newUuid();
    m.body = str(req, "body");
    m.user = s->user;
    m.roomUuid = s->user.roomUuid;
    m.created = QDateTime::currentDateTimeUtc();
    m.clientId = req.clientId;
    // Acknowledged only once stored.
    m_messagesInFlight.insert(m.uuid);
    const auto stored = co_await m_storage->addMessage(m);
    m_messagesInFlight.remove(m.uuid);
    if (!stored) {
        if (alive(s))
            replyError(s, Error::StorageFailed,
                       QStringLiteral("the message could not be stored; send it again"), req);
        co_return;
    }
    const Message &saved = stored->message;
    if (stored->duplicate) {
        // A resend of a message already stored: acknowledge again, to the sender only.
        if (alive(s))
            reply(s, Result::MessageCreated, object(saved.toJson(true)), req.clientId);
        co_return;
    }
    const RoomPtr r = room(saved.roomUuid);
    if (!r)
        co_return;
    ++r->room.sum;
    markRoomChanged(r->room.uuid, false);
    // Members get one shared frame; the sender's copy carries its client_id. The sender is
    // acknowledged even if it left the room while the message was being stored.
    Session *const sender = alive(s) ? s.data() : nullptr;
    const bool ownCopy = sender && !req.clientId.isEmpty();
    const WireFrame shared = frame(Result::MessageCreated, object(saved.toJson(false)));
    for (Session *member : std::as_const(r->members)) {
        if (!(ownCopy && member == sender))
            member->send(shared, saved.uuid);
    }
    if (ownCopy)
        reply(sender, Result::MessageCreated, object(saved.toJson(true)), req.clientId);
    else if (sender && !r->members.contains(sender))
        sender->send(shared, saved.uuid);
}

QCoro::Task<void> ServerCore::listMessages(SessionPtr s, CallRequest req)
{
    const QString before = str(req, "before");
    const int limit = req.payload.contains(QLatin1String("limit"))
                          ? req.payload.value(QLatin1String("limit")).toInt()
                          : m_options.limits.pageDefault;
    const auto page = co_await m_storage->listMessages(
        s->user.roomUuid, before, std::clamp(limit, 1, m_options.limits.pageMax));
    if (!alive(s))
        co_return;
    if (!page) {
        if (!before.isEmpty())
            replyError(s, Error::NoSuchMessage, QStringLiteral("no message with that uuid here"),
                       req, QStringLiteral("before"));
        else
            replyError(s, Error::StorageFailed, QStringLiteral("the history could not be read"),
                       req);
        co_return;
    }
    QJsonObject fields{{QStringLiteral("list"), messagesJson(page->messages)},
                       {QStringLiteral("has_more"), page->hasMore}};
    if (!before.isEmpty())
        fields.insert(QStringLiteral("before"), before);
    reply(s, Result::MessagesListed, fields, req.clientId);
}

// The caller's room with its board loaded; null (having answered storage_failed where
// that is the reason) when the handler should stop: the board could not be read, the
// caller disconnected or the room was deleted meanwhile.
QCoro::Task<ServerCore::RoomPtr> ServerCore::boardRoom(SessionPtr s, CallRequest req)
{
    const RoomPtr r = room(s->user.roomUuid);
    if (!r || !co_await ensureBoard(r)) {
        if (alive(s))
            replyError(s, Error::StorageFailed, QStringLiteral("the drawing could not be read"),
                       req);
        co_return RoomPtr();
    }
    if (!alive(s) || r->deleted)
        co_return RoomPtr();
    co_return r;
}

QCoro::Task<void> ServerCore::changeDrawLine(SessionPtr s, CallRequest req)
{
    const RoomPtr r = co_await boardRoom(s, req);
    if (!r)
        co_return;
    QList<double> points;
    for (const QJsonValue &v : req.payload.value(QLatin1String("points")).toArray())
        points.append(v.toDouble());
    const QString uuid = str(req, "uuid");
    const bool append = req.payload.value(QLatin1String("append")).toBool();
    const qsizetype maxNumbers = qsizetype(m_options.limits.pointsPerLine) * 2;
    Line line;
    if (const auto at = r->lineAt.constFind(uuid); at != r->lineAt.cend()) {
        line = r->lines[*at];
        if (line.userUuid != s->user.uuid) {
            replyError(s, Error::NotYourLine, QStringLiteral("only its author may change a line"),
                       req, QStringLiteral("uuid"));
            co_return;
        }
        if (append && line.points.size() + points.size() > maxNumbers) {
            replyError(s, Error::DataTooLong,
                       QStringLiteral("a line holds at most %1 points")
                           .arg(m_options.limits.pointsPerLine),
                       req, QStringLiteral("points"));
            co_return;
        }
        if (append)
            line.points.append(points);
        else
            line.points = points;
        r->lines[*at] = line;
    } else {
        if (r->lines.size() >= m_options.limits.linesPerRoom) {
            replyError(s, Error::TooManyLines,
                       QStringLiteral("the board holds at most %1 lines")
                           .arg(m_options.limits.linesPerRoom),
                       req);
            co_return;
        }
        line.uuid = uuid;
        line.points = points;
        line.userUuid = s->user.uuid;
        r->lineAt.insert(uuid, r->lines.size());
        r->lines.append(line);
    }
    line.color = str(req, "color");
    line.tool = str(req, "tool");
    if (req.payload.contains(QLatin1String("width")))
        line.width = req.payload.value(QLatin1String("width")).toDouble();
    r->lines[r->lineAt.value(uuid)] = line;
    r->lineChanged(uuid);
    // Memory first (the next update of this stroke builds on it), then storage, then fan-out.
    const bool stored = co_await m_storage->upsertLine(r->room.uuid, line);
    if (!stored) {
        if (alive(s))
            replyError(s, Error::StorageFailed, QStringLiteral("the line could not be stored"),
                       req);
        co_return;
    }
    if (r->deleted)
        co_return;
    fanOut(r->members, Result::DrawLineChanged, object(line.toJson()),
           alive(s) ? s.data() : nullptr, req.clientId);
}

QCoro::Task<void> ServerCore::getDrawing(SessionPtr s, CallRequest req)
{
    const RoomPtr r = co_await boardRoom(s, req);
    if (!r)
        co_return;
    s->sendDirect(drawingFrame(*r, req.clientId));
}

QCoro::Task<void> ServerCore::resetDrawing(SessionPtr s, CallRequest req)
{
    const RoomPtr r = room(s->user.roomUuid);
    if (!r) {
        replyError(s, Error::NoSelectedRoom, QStringLiteral("enter a room first"), req);
        co_return;
    }
    r->setLines({});
    const bool ok = co_await m_storage->resetDrawing(r->room.uuid);
    if (!ok) {
        if (alive(s))
            replyError(s, Error::StorageFailed, QStringLiteral("the drawing could not be cleared"),
                       req);
        co_return;
    }
    if (r->deleted)
        co_return;
    fanOut(r->members, Result::DrawingGot, object(drawingJson(r->room.uuid, {})),
           alive(s) ? s.data() : nullptr, req.clientId);
}

QCoro::Task<void> ServerCore::typing(SessionPtr s, CallRequest req)
{
    const RoomPtr r = room(s->user.roomUuid);
    if (!r) {
        replyError(s, Error::NoSelectedRoom, QStringLiteral("enter a room first"), req);
        co_return;
    }
    QList<Session *> others = r->members;
    others.removeAll(s.data());
    fanOut(others, Result::UserTyping, object(s->user.toJson()), nullptr, {});
    co_return;
}

QCoro::Task<void> ServerCore::removeDrawLine(SessionPtr s, CallRequest req)
{
    const RoomPtr r = co_await boardRoom(s, req);
    if (!r)
        co_return;
    const QString uuid = str(req, "uuid");
    const auto at = r->lineAt.constFind(uuid);
    if (at == r->lineAt.cend()) {
        replyError(s, Error::NoSuchLine, QStringLiteral("no line with that uuid on this board"),
                   req, QStringLiteral("uuid"));
        co_return;
    }
    const Line line = r->lines[*at];
    if (line.userUuid != s->user.uuid) {
        replyError(s, Error::NotYourLine, QStringLiteral("only its author may remove a line"), req,
                   QStringLiteral("uuid"));
        co_return;
    }
    r->lines.removeAt(*at);
    r->reindex();
    r->lineChanged(uuid);
    const bool ok = co_await m_storage->removeLine(r->room.uuid, uuid);
    if (!ok) {
        if (alive(s))
            replyError(s, Error::StorageFailed, QStringLiteral("the line could not be removed"),
                       req);
        co_return;
    }
    if (r->deleted)
        co_return;
    fanOut(r->members, Result::DrawLineRemoved,
           {{QStringLiteral("uuid"), uuid}, {QStringLiteral("object"), line.toJson()}},
           alive(s) ? s.data() : nullptr, req.clientId);
}

QCoro::Task<void> ServerCore::resume(SessionPtr s, CallRequest req)
{
    const QByteArray hash = hashToken(str(req, "token"));
    const auto found = co_await m_storage->userByTokenHash(hash);
    if (!alive(s))
        co_return;
    if (!found) {
        replyError(s, Error::BadToken, QStringLiteral("unknown resume token"), req,
                   QStringLiteral("token"));
        co_return;
    }
    leaveCurrentRoom(s);
    s->user = User{found->uuid, found->name, {}};
    s->tokenHash = hash;
    reply(s, Result::Resumed, object(s->user.toJson()), req.clientId);
    const RoomPtr r = room(found->roomUuid);
    if (r && !r->deleting)
        co_await enter(s, r, req.clientId);
}

QCoro::Task<void> ServerCore::authenticate(SessionPtr s, CallRequest req)
{
    if (m_passwordHash.isEmpty() || s->authenticated) {
        reply(s, Result::Authenticated, {}, req.clientId);
        co_return;
    }
    if (!constantTimeEquals(hashToken(str(req, "password")), m_passwordHash)) {
        replyError(s, Error::Unauthorized, QStringLiteral("wrong password"), req,
                   QStringLiteral("password"));
        co_return;
    }
    reply(s, Result::Authenticated, {}, req.clientId);
    co_await welcome(s);
}

} // namespace chalk::server
