// SqliteStorage's rooms and users (the identities behind resume tokens).
#include "sqlite_storage.h"
#include "sqlite_worker.h"
#include "storage_rules.h"

namespace chalk::server {

using protocol::Room;
using protocol::User;
using sqlite_detail::textOrNull;

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

QCoro::Task<bool> SqliteStorage::saveUser(User user, QByteArray tokenHash)
{
    SqliteWorker *w = d.get();
    return awaitResult(w->write<bool>(
        [w, user, tokenHash] {
            if (user.uuid.isEmpty() || tokenHash.isEmpty()) {
                w->setError(QStringLiteral("a user needs a uuid and a token hash"));
                return false;
            }
            // A hash that belongs to another user violates UNIQUE and fails.
            QSqlQuery &q = w->query(QStringLiteral(
                "INSERT INTO users (uuid, name, token_hash, room_uuid) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (uuid) DO UPDATE SET name = excluded.name,"
                " token_hash = excluded.token_hash, room_uuid = excluded.room_uuid"));
            q.bindValue(0, user.uuid);
            q.bindValue(1, user.name);
            q.bindValue(2, tokenHash);
            q.bindValue(3, textOrNull(user.roomUuid));
            return w->exec(q);
        },
        false));
}

QCoro::Task<std::optional<User>> SqliteStorage::userByTokenHash(QByteArray tokenHash)
{
    SqliteWorker *w = d.get();
    return awaitResult(w->read([w, tokenHash]() -> std::optional<User> {
        QSqlQuery &q = w->query(
            QStringLiteral("SELECT uuid, name, room_uuid FROM users WHERE token_hash = ?"));
        q.bindValue(0, tokenHash);
        if (!w->exec(q) || !q.next()) {
            q.finish();
            return std::nullopt;
        }
        User u{q.value(0).toString(), q.value(1).toString(), q.value(2).toString()};
        q.finish();
        return u;
    }));
}

} // namespace chalk::server
