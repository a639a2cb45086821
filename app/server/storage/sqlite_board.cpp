// SqliteStorage's drawing boards: the lines of each room in drawing order, their points as a
// little-endian blob of doubles.
#include "sqlite_storage.h"
#include "sqlite_worker.h"

#include <QtEndian>
#include <cstring>

namespace chalk::server {

using protocol::Line;
using sqlite_detail::textOrNull;

namespace {

QByteArray encodePoints(const QList<double> &points)
{
    QByteArray blob(points.size() * qsizetype(sizeof(quint64)), Qt::Uninitialized);
    char *out = blob.data();
    for (double p : points) {
        quint64 bits;
        std::memcpy(&bits, &p, sizeof bits);
        qToLittleEndian(bits, out);
        out += sizeof bits;
    }
    return blob;
}

QList<double> decodePoints(const QByteArray &blob)
{
    QList<double> points;
    const qsizetype n = blob.size() / qsizetype(sizeof(quint64));
    points.reserve(n);
    for (qsizetype i = 0; i < n; ++i) {
        const quint64 bits = qFromLittleEndian<quint64>(blob.constData() + i * sizeof(quint64));
        double p;
        std::memcpy(&p, &bits, sizeof p);
        points.append(p);
    }
    return points;
}

} // namespace

QCoro::Task<std::optional<QList<Line>>> SqliteStorage::lines(QString roomUuid)
{
    SqliteWorker *w = d.get();
    return awaitResult(w->read([w, roomUuid]() -> std::optional<QList<Line>> {
        QSqlQuery &q =
            w->query(QStringLiteral("SELECT uuid, points, tool, color, width, user_uuid FROM lines"
                                    " WHERE room_uuid = ? ORDER BY seq"));
        q.bindValue(0, roomUuid);
        if (!w->exec(q))
            return std::nullopt;
        QList<Line> lines;
        while (q.next()) {
            Line l;
            l.uuid = q.value(0).toString();
            l.points = decodePoints(q.value(1).toByteArray());
            l.tool = q.value(2).toString();
            l.color = q.value(3).toString();
            l.width = q.value(4).toDouble();
            l.userUuid = q.value(5).toString();
            lines.append(l);
        }
        q.finish();
        return lines;
    }));
}

QCoro::Task<bool> SqliteStorage::upsertLine(QString roomUuid, Line line)
{
    SqliteWorker *w = d.get();
    return awaitResult(w->write<bool>(
        [w, roomUuid, line] {
            if (line.uuid.isEmpty()) {
                w->setError(QStringLiteral("a line needs a uuid"));
                return false;
            }
            // A new line goes last; an update keeps its place and author. A uuid that
            // belongs to another room's line changes nothing (0 rows) and fails.
            QSqlQuery &q = w->query(QStringLiteral(
                "INSERT INTO lines (uuid, room_uuid, seq, points, tool, color, width, user_uuid)"
                " VALUES (?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM lines WHERE room_uuid = ?),"
                " ?, ?, ?, ?, ?)"
                " ON CONFLICT (uuid) DO UPDATE SET points = excluded.points,"
                " tool = excluded.tool, color = excluded.color, width = excluded.width"
                " WHERE lines.room_uuid = excluded.room_uuid"));
            q.bindValue(0, line.uuid);
            q.bindValue(1, roomUuid);
            q.bindValue(2, roomUuid);
            q.bindValue(3, encodePoints(line.points));
            q.bindValue(4, line.tool);
            q.bindValue(5, line.color);
            q.bindValue(6, line.width);
            q.bindValue(7, textOrNull(line.userUuid));
            return w->execChangingRow(q, [&] {
                return QStringLiteral("line %1 belongs to another room").arg(line.uuid);
            });
        },
        false));
}

QCoro::Task<bool> SqliteStorage::removeLine(QString roomUuid, QString lineUuid)
{
    SqliteWorker *w = d.get();
    return awaitResult(w->write<bool>(
        [w, roomUuid, lineUuid] {
            QSqlQuery &q =
                w->query(QStringLiteral("DELETE FROM lines WHERE uuid = ? AND room_uuid = ?"));
            q.bindValue(0, lineUuid);
            q.bindValue(1, roomUuid);
            return w->execChangingRow(
                q, [&] { return QStringLiteral("no line %1 in room %2").arg(lineUuid, roomUuid); });
        },
        false));
}

QCoro::Task<bool> SqliteStorage::resetDrawing(QString roomUuid)
{
    SqliteWorker *w = d.get();
    return awaitResult(w->write<bool>(
        [w, roomUuid] {
            QSqlQuery &room = w->query(QStringLiteral("SELECT 1 FROM rooms WHERE uuid = ?"));
            room.bindValue(0, roomUuid);
            if (!w->exec(room))
                return false;
            const bool exists = room.next();
            room.finish();
            if (!exists) {
                w->setError(QStringLiteral("no room %1").arg(roomUuid));
                return false;
            }
            QSqlQuery &q = w->query(QStringLiteral("DELETE FROM lines WHERE room_uuid = ?"));
            q.bindValue(0, roomUuid);
            return w->exec(q);
        },
        false));
}

} // namespace chalk::server
