// A room with a whole board written into a SQLite file, for the benchmarks that measure what
// happens when a board of thousands of strokes is read back (board_join_bench,
// line_json_bench). Needs chalk_storage.
#pragma once

#include "protocol/objects.h"
#include "server/storage/sqlite_storage.h"

#include <QCoroTask>
#include <QDateTime>

namespace chalk::bench {

// Creates room `roomUuid` in the SQLite file `path` and stores `lines` on its board, one
// upsert each as the server does; false if any step failed.
inline bool fillBoardStorage(const QString &path, const QString &roomUuid,
                             const QList<protocol::Line> &lines)
{
    return QCoro::waitFor(
        [](QString path, QString roomUuid, QList<protocol::Line> lines) -> QCoro::Task<bool> {
            server::SqliteStorage storage(path);
            if (!co_await storage.open())
                co_return false;
            protocol::Room room;
            room.uuid = roomUuid;
            room.name = QStringLiteral("board");
            room.color = QStringLiteral("#4fadff");
            room.created = QDateTime::currentDateTimeUtc();
            if (!co_await storage.createRoom(room))
                co_return false;
            for (const protocol::Line &l : lines) {
                if (!co_await storage.upsertLine(roomUuid, l))
                    co_return false;
            }
            co_await storage.flush();
            co_return true;
        }(path, roomUuid, lines));
}

} // namespace chalk::bench
