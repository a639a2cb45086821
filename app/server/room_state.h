// A room as the server keeps it in memory: the stored room, who is in it (not persisted),
// and its drawing board once someone needed it (storage stays the source after a restart).
#pragma once

#include "protocol/objects.h"
#include "protocol/statements.h"
#include "wire_frame.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <optional>

namespace chalk::server {

class Session;

struct RoomState {
    protocol::Room room; // `users` unused here: members are the sessions below
    QList<Session *> members;
    bool deleting = false;       // delete_room is awaiting storage: nobody may enter
    bool deleted = false;        // gone; coroutines holding a pointer must not use it
    qint64 roomChangedAtMs = -1; // when room_changed last went out (ServerCore's clock)

    // Whether the user may see and use this room: anyone for a public room, only its two
    // members for a direct conversation (RoomRegistry and CallHandlers check it).
    bool admits(const QString &userUuid) const
    {
        return !room.isDirect() || room.members.contains(userUuid);
    }

    bool boardLoaded = false;
    QList<protocol::Line> lines;      // drawing order
    QHash<QString, qsizetype> lineAt; // line uuid -> index in `lines`

    // drawing_got for a board of 10 000 strokes is ~6 MB of JSON: each line is encoded once
    // and kept until it changes; the joined array is kept until any line changes.
    QHash<QString, QByteArray> encodedLines; // line uuid -> its JSON object
    QByteArray joinedLines;                  // the whole `lines` array; null: rebuild

    void setLines(QList<protocol::Line> loaded)
    {
        lines = std::move(loaded);
        reindex();
        boardLoaded = true;
        encodedLines.clear();
        joinedLines = QByteArray();
    }
    // Call after changing or removing the line `uuid`.
    void lineChanged(const QString &uuid)
    {
        encodedLines.remove(uuid);
        joinedLines = QByteArray();
    }
    // Puts `line` back as it was before a change storage refused: `before` is its earlier
    // version (none: it was new, and goes), at `index` if it was removed meanwhile.
    void restoreLine(const QString &uuid, const std::optional<protocol::Line> &before,
                     qsizetype index = -1)
    {
        if (const auto at = lineAt.constFind(uuid); at != lineAt.cend()) {
            if (before)
                lines[*at] = *before;
            else
                lines.removeAt(*at);
        } else if (before) {
            lines.insert(index < 0 || index > lines.size() ? lines.size() : index, *before);
        }
        reindex();
        lineChanged(uuid);
    }
    void reindex()
    {
        lineAt.clear();
        for (qsizetype i = 0; i < lines.size(); ++i)
            lineAt.insert(lines[i].uuid, i);
    }

    // The room as JSON bytes, members spliced in from each session's cached encoding: a join
    // to a room of 1000 costs a copy of ~150 KB instead of encoding 1000 users again.
    QByteArray bytes() const;
    // The same as an object, for room_created and room_deleted (rare, and empty rooms).
    QJsonObject json() const;
    // `result` (room_entered, room_changed, ...) carrying this room.
    WireFrame frame(protocol::Result result, const QString &clientId = {}) const;
    // The same from the room's bytes() (made once for many frames).
    static WireFrame frameOf(protocol::Result result, const QByteArray &roomJson,
                             const QString &clientId = {});
    // The room's bytes() with one user's unread count added (ours: rooms_listed, room_changed),
    // when it has one (a room it follows).
    static QByteArray withUnread(QByteArray roomJson, std::optional<qint64> unread);
    // drawing_got with the whole board, from the per-line encodings kept above.
    WireFrame drawingFrame(const QString &clientId);
};

} // namespace chalk::server
