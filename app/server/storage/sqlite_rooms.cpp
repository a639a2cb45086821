// SqliteStorage's rooms. Users, tokens and accounts: sqlite_accounts.cpp.
#include "sqlite_storage.h"
#include "sqlite_worker.h"
#include "storage_rules.h"

namespace chalk::server {

using protocol::Room;

QCoro::Task<std::optional<QList<Room>>> SqliteStorage::listRooms()
{
    SqliteWorker *w = d.get();
    return awaitResult(w->read([w]() -> std::optional<QList<Room>> {
        QSqlQuery &q =
            w->query(QStringLiteral("SELECT uuid, name, color, created, message_count FROM rooms"
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
                "INSERT INTO rooms (uuid, name, color, created) VALUES (?, ?, ?, ?)"));
            q.bindValue(0, room.uuid);
            q.bindValue(1, room.name);
            q.bindValue(2, room.color);
            q.bindValue(3, storage_rules::normalizedTime(room.created).toMSecsSinceEpoch());
            return w->exec(q);
        },
        false));
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

} // namespace chalk::server
