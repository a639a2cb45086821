// Handlers of the drawing board calls: change and remove a line, get and reset the board.
#include "broadcaster.h"
#include "call_handlers.h"
#include "logging.h"

namespace chalk::server {

using namespace chalk::protocol;

namespace {

QJsonObject drawingJson(const QString &roomUuid, const QList<Line> &lines)
{
    return Drawing{Drawing::uuidForRoom(roomUuid), lines}.toJson();
}

} // namespace

QCoro::Task<bool> CallHandlers::ensureBoard(RoomPtr r)
{
    if (r->boardLoaded)
        co_return true;
    auto lines = co_await m_storage.lines(r->room.uuid);
    if (!lines)
        co_return false;
    // Another call may have loaded (and changed) the board meanwhile: memory wins then.
    if (!r->boardLoaded)
        r->setLines(std::move(*lines));
    co_return true;
}

// The caller's room with its board loaded; null (having answered storage_failed where
// that is the reason) when the handler should stop: the board could not be read, the
// caller disconnected or the room was deleted meanwhile.
QCoro::Task<RoomPtr> CallHandlers::boardRoom(SessionPtr s, Call call, QString clientId)
{
    const RoomPtr r = m_rooms.find(s->roomUuid());
    if (!r || !co_await ensureBoard(r)) {
        if (alive(s))
            Broadcaster::replyError(s, Error::StorageFailed,
                                    QStringLiteral("the drawing could not be read"), call,
                                    clientId);
        co_return RoomPtr();
    }
    if (!alive(s) || r->deleted)
        co_return RoomPtr();
    co_return r;
}

// change_draw_line
QCoro::Task<void> CallHandlers::handle(SessionPtr s, Request<Call::ChangeDrawLine> req)
{
    const RoomPtr r = co_await boardRoom(s, req.call, req.clientId);
    if (!r)
        co_return;
    const QList<double> &points = req.args.points;
    const QString &uuid = req.args.uuid;
    const bool append = req.args.append;
    const qsizetype maxNumbers = qsizetype(m_options.limits.pointsPerLine) * 2;
    Line line;
    std::optional<Line> before; // to put back when storage refuses the change
    if (const auto at = r->lineAt.constFind(uuid); at != r->lineAt.cend()) {
        line = r->lines[*at];
        before = line;
        if (line.userUuid != s->user().uuid) {
            Broadcaster::replyError(s, Error::NotYourLine,
                                    QStringLiteral("only its author may change a line"), req,
                                    QStringLiteral("uuid"));
            co_return;
        }
        if (append && line.points.size() + points.size() > maxNumbers) {
            Broadcaster::replyError(s, Error::DataTooLong,
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
            Broadcaster::replyError(s, Error::TooManyLines,
                                    QStringLiteral("the board holds at most %1 lines")
                                        .arg(m_options.limits.linesPerRoom),
                                    req);
            co_return;
        }
        line.uuid = uuid;
        line.points = points;
        line.userUuid = s->user().uuid;
        r->lineAt.insert(uuid, r->lines.size());
        r->lines.append(line);
    }
    line.color = req.args.color;
    line.tool = req.args.tool;
    if (req.args.width)
        line.width = *req.args.width;
    r->lines[r->lineAt.value(uuid)] = line;
    r->lineChanged(uuid);
    // Memory first (the next update of this stroke builds on it), then storage, then fan-out.
    const bool stored = co_await m_storage.upsertLine(r->room.uuid, line);
    if (!stored) {
        // Nothing refused stays on the board: a later get_drawing must not show it.
        if (!r->deleted)
            r->restoreLine(uuid, before);
        if (alive(s))
            Broadcaster::replyError(s, Error::StorageFailed,
                                    QStringLiteral("the line could not be stored"), req);
        co_return;
    }
    if (r->deleted)
        co_return;
    Broadcaster::fanOut(r->members, Result::DrawLineChanged, object(line.toJson()), ifAlive(s),
                        req.clientId);
}

// get_drawing
QCoro::Task<void> CallHandlers::handle(SessionPtr s, Request<Call::GetDrawing> req)
{
    const RoomPtr r = co_await boardRoom(s, req.call, req.clientId);
    if (!r)
        co_return;
    s->sendDirect(r->drawingFrame(req.clientId));
}

// reset_drawing
QCoro::Task<void> CallHandlers::handle(SessionPtr s, Request<Call::ResetDrawing> req)
{
    const RoomPtr r = m_rooms.find(s->roomUuid());
    if (!r) {
        Broadcaster::replyError(s, Error::NoSelectedRoom, QStringLiteral("enter a room first"),
                                req);
        co_return;
    }
    const User by = s->user(); // named to the room when it is done (ours: cleared_by)
    const QList<Line> cleared = std::exchange(r->lines, {});
    r->setLines({});
    const bool ok = co_await m_storage.resetDrawing(r->room.uuid);
    if (!ok) {
        // The board stays as stored: what was cleared comes back before what came since.
        if (!r->deleted)
            r->setLines(cleared + r->lines);
        if (alive(s))
            Broadcaster::replyError(s, Error::StorageFailed,
                                    QStringLiteral("the drawing could not be cleared"), req);
        co_return;
    }
    if (r->deleted)
        co_return;
    QJsonObject fields = object(drawingJson(r->room.uuid, {}));
    fields.insert(QStringLiteral("cleared_by"), by.toJson());
    Broadcaster::fanOut(r->members, Result::DrawingGot, fields, ifAlive(s), req.clientId);
}

// remove_draw_line
QCoro::Task<void> CallHandlers::handle(SessionPtr s, Request<Call::RemoveDrawLine> req)
{
    const RoomPtr r = co_await boardRoom(s, req.call, req.clientId);
    if (!r)
        co_return;
    const QString uuid = req.args.uuid;
    const auto at = r->lineAt.constFind(uuid);
    if (at == r->lineAt.cend()) {
        Broadcaster::replyError(s, Error::NoSuchLine,
                                QStringLiteral("no line with that uuid on this board"), req,
                                QStringLiteral("uuid"));
        co_return;
    }
    const Line line = r->lines[*at];
    if (line.userUuid != s->user().uuid) {
        Broadcaster::replyError(s, Error::NotYourLine,
                                QStringLiteral("only its author may remove a line"), req,
                                QStringLiteral("uuid"));
        co_return;
    }
    const qsizetype index = *at;
    r->lines.removeAt(index);
    r->reindex();
    r->lineChanged(uuid);
    const bool ok = co_await m_storage.removeLine(r->room.uuid, uuid);
    if (!ok) {
        if (!r->deleted)
            r->restoreLine(uuid, line, index);
        if (alive(s))
            Broadcaster::replyError(s, Error::StorageFailed,
                                    QStringLiteral("the line could not be removed"), req);
        co_return;
    }
    if (r->deleted)
        co_return;
    Broadcaster::fanOut(r->members, Result::DrawLineRemoved,
                        {{QStringLiteral("uuid"), uuid}, {QStringLiteral("object"), line.toJson()}},
                        ifAlive(s), req.clientId);
}

} // namespace chalk::server
