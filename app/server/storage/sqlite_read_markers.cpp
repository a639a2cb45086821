// SqliteStorage's read markers: following a room, moving the marker forward, and the unread
// counts of a user (schema v5, sqlite_schema.cpp).
#include "sqlite_storage.h"
#include "sqlite_worker.h"

namespace chalk::server {

QCoro::Task<bool> SqliteStorage::followRoom(QString userUuid, QString roomUuid)
{
    SqliteWorker *w = d.get();
    return awaitResult(w->write<bool>(
        [w, userUuid, roomUuid] {
            // Fails (foreign key) for a room that is gone; keeps a marker that exists.
            QSqlQuery &q = w->query(QStringLiteral(
                "INSERT OR IGNORE INTO read_markers (user_uuid, room_uuid, seq)"
                " SELECT ?, ?, COALESCE(MAX(seq), 0) FROM messages WHERE room_uuid = ?"));
            q.bindValue(0, userUuid);
            q.bindValue(1, roomUuid);
            q.bindValue(2, roomUuid);
            return w->exec(q);
        },
        false));
}

QCoro::Task<ReadMarked> SqliteStorage::markRead(QString userUuid, QString roomUuid,
                                                QString messageUuid)
{
    SqliteWorker *w = d.get();
    return awaitResult(w->write<ReadMarked>(
        [w, userUuid, roomUuid, messageUuid] {
            QSqlQuery &m = w->query(
                QStringLiteral("SELECT seq FROM messages WHERE uuid = ? AND room_uuid = ?"));
            m.bindValue(0, messageUuid);
            m.bindValue(1, roomUuid);
            if (!w->exec(m))
                return ReadMarked::Failed;
            if (!m.next()) {
                m.finish();
                return ReadMarked::NoSuchMessage;
            }
            const qint64 seq = m.value(0).toLongLong();
            m.finish();
            // Only forward: the update's WHERE leaves a marker past this message alone.
            QSqlQuery &q = w->query(QStringLiteral(
                "INSERT INTO read_markers (user_uuid, room_uuid, seq) VALUES (?, ?, ?)"
                " ON CONFLICT (user_uuid, room_uuid) DO UPDATE SET seq = excluded.seq"
                " WHERE excluded.seq > read_markers.seq"));
            q.bindValue(0, userUuid);
            q.bindValue(1, roomUuid);
            q.bindValue(2, seq);
            if (!w->exec(q))
                return ReadMarked::Failed;
            return q.numRowsAffected() > 0 ? ReadMarked::Moved : ReadMarked::Kept;
        },
        ReadMarked::Failed));
}

QCoro::Task<std::optional<QList<UnreadCount>>> SqliteStorage::unreadCounts(QString userUuid,
                                                                           QString roomUuid)
{
    SqliteWorker *w = d.get();
    return awaitResult(w->read([w, userUuid, roomUuid]() -> std::optional<QList<UnreadCount>> {
        QSqlQuery &q = w->query(
            roomUuid.isEmpty()
                ? QStringLiteral("SELECT room_uuid, seq FROM read_markers WHERE user_uuid = ?")
                : QStringLiteral("SELECT room_uuid, seq FROM read_markers"
                                 " WHERE user_uuid = ? AND room_uuid = ?"));
        q.bindValue(0, userUuid);
        if (!roomUuid.isEmpty())
            q.bindValue(1, roomUuid);
        if (!w->exec(q))
            return std::nullopt;
        QList<QPair<QString, qint64>> markers;
        while (q.next())
            markers.append({q.value(0).toString(), q.value(1).toLongLong()});
        q.finish();
        // Per room: everything after the marker (messages_by_room) minus the user's own
        // (messages_by_room_user) minus the others' tombstones (messages_deleted_by_room),
        // each counted in the index alone; and the newest seq.
        QSqlQuery &c = w->query(QStringLiteral(
            "SELECT (SELECT COUNT(*) FROM messages WHERE room_uuid = ? AND seq > ?)"
            " - (SELECT COUNT(*) FROM messages WHERE room_uuid = ? AND user_uuid = ? AND seq > ?)"
            " - (SELECT COUNT(*) FROM messages WHERE room_uuid = ? AND seq > ? AND deleted = 1"
            " AND user_uuid <> ?),"
            " (SELECT COALESCE(MAX(seq), 0) FROM messages WHERE room_uuid = ?)"));
        QList<UnreadCount> counts;
        counts.reserve(markers.size());
        for (const auto &[room, seq] : std::as_const(markers)) {
            c.bindValue(0, room);
            c.bindValue(1, seq);
            c.bindValue(2, room);
            c.bindValue(3, userUuid);
            c.bindValue(4, seq);
            c.bindValue(5, room);
            c.bindValue(6, seq);
            c.bindValue(7, userUuid);
            c.bindValue(8, room);
            if (!w->exec(c) || !c.next()) {
                c.finish();
                return std::nullopt;
            }
            counts.append({room, c.value(0).toLongLong(), c.value(1).toLongLong()});
            c.finish();
        }
        return counts;
    }));
}

} // namespace chalk::server
