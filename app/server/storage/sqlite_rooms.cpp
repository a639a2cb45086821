// SqliteStorage's rooms, and the blocks of direct conversations. Users, tokens and accounts:
// sqlite_accounts.cpp.
#include "sqlite_storage.h"
#include "sqlite_worker.h"
#include "storage_rules.h"

namespace chalk::server {

using protocol::Room;

QCoro::Task<std::optional<QList<Room>>> SqliteStorage::listRooms()
{
    SqliteWorker *w = d.get();
    return awaitResult(w->read([w]() -> std::optional<QList<Room>> {
        QSqlQuery &q = w->query(
            QStringLiteral("SELECT uuid, name, color, created, message_count, members FROM rooms"
                           " ORDER BY created, rowid"));
        if (!w->exec(q))
            return std::nullopt;
        QList<Room> rooms;
        while (q.next()) {
            Room r;
            r.uuid = q.value(0).toString();
            r.name = q.value(1).toString();
            r.color = q.value(2).toString();
            r.created = QDateTime::fromMSecsSinceEpoch(q.value(3).toLongLong(), Qt::UTC);
            r.sum = q.value(4).toLongLong();
            if (!q.value(5).isNull())
                r.members = q.value(5).toString().split(QLatin1Char(' '), Qt::SkipEmptyParts);
            rooms.append(r);
        }
        q.finish();
        return rooms;
    }));
}

QCoro::Task<bool> SqliteStorage::createRoom(Room room)
{
    SqliteWorker *w = d.get();
    return awaitResult(w->write<bool>(
        [w, room] {
            if (room.uuid.isEmpty()) {
                w->setError(QStringLiteral("a room needs a uuid"));
                return false;
            }
            QSqlQuery &q = w->query(QStringLiteral(
                "INSERT INTO rooms (uuid, name, color, created, members) VALUES (?, ?, ?, ?, ?)"));
            q.bindValue(0, room.uuid);
            q.bindValue(1, room.name);
            q.bindValue(2, room.color);
            q.bindValue(3, storage_rules::normalizedTime(room.created).toMSecsSinceEpoch());
            q.bindValue(4, room.isDirect() ? QVariant(room.members.join(QLatin1Char(' ')))
                                           : QVariant(QMetaType::fromType<QString>()));
            if (!w->exec(q))
                return false;
            // A direct conversation counts from its start for both members. Several rows: a
            // direct room is stored in a transaction of its own (rolled back on failure).
            for (const QString &member : room.members) {
                QSqlQuery &m =
                    w->query(QStringLiteral("INSERT OR IGNORE INTO read_markers (user_uuid, "
                                            "room_uuid, seq) VALUES (?, ?, 0)"));
                m.bindValue(0, member);
                m.bindValue(1, room.uuid);
                if (!w->exec(m))
                    return false;
            }
            return true;
        },
        false, room.isDirect()));
}

QCoro::Task<bool> SqliteStorage::updateRoom(Room room)
{
    SqliteWorker *w = d.get();
    return awaitResult(w->write<bool>(
        [w, room] {
            QSqlQuery &q =
                w->query(QStringLiteral("UPDATE rooms SET name = ?, color = ? WHERE uuid = ?"));
            q.bindValue(0, room.name);
            q.bindValue(1, room.color);
            q.bindValue(2, room.uuid);
            return w->execChangingRow(q,
                                      [&] { return QStringLiteral("no room %1").arg(room.uuid); });
        },
        false));
}

QCoro::Task<bool> SqliteStorage::deleteRoom(QString roomUuid)
{
    SqliteWorker *w = d.get();
    return awaitResult(w->write<bool>(
        [w, roomUuid] {
            // Messages and lines go with it (ON DELETE CASCADE), in the same statement.
            QSqlQuery &q = w->query(QStringLiteral("DELETE FROM rooms WHERE uuid = ?"));
            q.bindValue(0, roomUuid);
            return w->execChangingRow(q,
                                      [&] { return QStringLiteral("no room %1").arg(roomUuid); });
        },
        false));
}

QCoro::Task<bool> SqliteStorage::setBlocked(QString blocker, QString blocked, bool on)
{
    SqliteWorker *w = d.get();
    return awaitResult(w->write<bool>(
        [w, blocker, blocked, on] {
            QSqlQuery &q = w->query(
                on ? QStringLiteral("INSERT OR IGNORE INTO blocks (blocker, blocked) VALUES (?, ?)")
                   : QStringLiteral("DELETE FROM blocks WHERE blocker = ? AND blocked = ?"));
            q.bindValue(0, blocker);
            q.bindValue(1, blocked);
            return w->exec(q);
        },
        false));
}

QCoro::Task<std::optional<bool>> SqliteStorage::isBlocked(QString blocker, QString blocked)
{
    SqliteWorker *w = d.get();
    return awaitResult(w->read([w, blocker, blocked]() -> std::optional<bool> {
        QSqlQuery &q =
            w->query(QStringLiteral("SELECT 1 FROM blocks WHERE blocker = ? AND blocked = ?"));
        q.bindValue(0, blocker);
        q.bindValue(1, blocked);
        if (!w->exec(q))
            return std::nullopt;
        const bool found = q.next();
        q.finish();
        return found;
    }));
}

} // namespace chalk::server
