// A room as the server keeps it in memory: the stored room, who is in it (not persisted),
// and its drawing board once someone needed it (storage stays the source after a restart).
#pragma once

#include "protocol/objects.h"

#include <QHash>
#include <QList>

namespace chalk::server {

class Session;

struct RoomState {
    protocol::Room room; // `users` unused here: members are the sessions below
    QList<Session *> members;
    bool deleting = false; // delete_room is awaiting storage: nobody may enter
    bool deleted = false;  // gone; coroutines holding a pointer must not use it

    bool boardLoaded = false;
    QList<protocol::Line> lines;      // drawing order
    QHash<QString, qsizetype> lineAt; // line uuid -> index in `lines`

    void setLines(QList<protocol::Line> loaded)
    {
        lines = std::move(loaded);
        reindex();
        boardLoaded = true;
    }
    void reindex()
    {
        lineAt.clear();
        for (qsizetype i = 0; i < lines.size(); ++i)
            lineAt.insert(lines[i].uuid, i);
    }
};

} // namespace chalk::server
