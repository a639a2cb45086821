// Decides when this client marks the open room read: the newest message of the room it is in
// counts as seen, and after ClientOptions::markReadDelay without a newer one, mark_read is
// sent for it -- once, and never for a message already read (the server's count says nothing
// is unread, or it was marked already). Leaving the room marks at once what was seen in it. Only on
// a server that keeps unread counts. Not for showing counts (RoomListModel) nor for sending
// (ChatClient, through `send`).
#pragma once

#include "client_clock.h"
#include "protocol/objects.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <chrono>
#include <functional>
#include <memory>

namespace chalk::client {

class ReadTracker {
public:
    // send(room uuid, message uuid): false when it could not go out (no link).
    using Send = std::function<bool(const QString &, const QString &)>;
    ReadTracker(ClientClock &clock, Send send);

    void setDelay(std::chrono::milliseconds delay);
    // A new link: nothing is known of what the server counts.
    void reset();
    // Whether the server keeps counts (nothing is ever sent otherwise).
    void setSupported(bool supported) { m_supported = supported; }

    void roomEntered(const QString &room);
    void roomLeft();
    // The newest page of the open room (messages_listed without `before`).
    void newestPage(const QString &room, const QList<protocol::Message> &messages);
    // A new message; `me`: this client's user (its own messages are never unread).
    void messageArrived(const protocol::Message &message, const QString &me);
    // The server's count for a room (rooms_listed, room_changed, unread_changed).
    void serverCount(const QString &room, qint64 unread);
    // The answer to a mark_read from here (unread_changed) came for `room`.
    void markAnswered(const QString &room) { m_inFlight.remove(room); }
    // A mark_read for `room` is on its way: a count the server sent before it is stale.
    bool isMarking(const QString &room) const { return m_inFlight.contains(room); }

private:
    void schedule();
    void markNow();

    Send m_send;
    std::unique_ptr<ClientTimer> m_timer;
    bool m_supported = false;
    QString m_room;                   // the open room
    QString m_newest;                 // its newest message known here
    bool m_unseen = false;            // something in it is unread
    QHash<QString, qint64> m_counts;  // room uuid -> the server's count
    QHash<QString, QString> m_marked; // room uuid -> the last message marked from here
    QSet<QString> m_inFlight;         // rooms with a mark_read sent, not yet answered
};

} // namespace chalk::client
