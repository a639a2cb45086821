// Puts a paged rooms_listed back together. The server sends the first page of the room list
// unasked (the welcome) and the client asks for the others (list_rooms {after, limit}), so
// that a server full of rooms never sends one frame too big to greet anyone. The pages are
// collected and handed on as one list when the last arrives; what changes meanwhile
// (room_changed, room_deleted) is applied to the rooms collected so far, and a room created
// meanwhile comes at the end of the last page (rooms are listed in creation order).
// A server that does not page (socket_chat) sends one page without has_more: done at once.
#pragma once

#include "protocol/answers.h"

namespace chalk::client {

class RoomPager {
public:
    // A hostile server cannot make the client collect rooms without end.
    static constexpr qsizetype kMaxRooms = 100000;

    enum class Step {
        Done,    // the list is complete: rooms()
        More,    // ask for the rooms after nextAfter()
        Ignored, // a page of a listing given up (a newer one started)
    };
    Step take(protocol::RoomListPayload page);
    QList<protocol::Room> takeRooms() { return std::exchange(m_rooms, {}); }
    QString nextAfter() const { return m_cursor; }
    bool isListing() const { return m_listing; }

    void roomChanged(const protocol::Room &room);
    void roomDeleted(const QString &uuid);
    // The link is gone (or the cursor's room was deleted): what was collected is dropped.
    void clear();

private:
    QList<protocol::Room> m_rooms;
    QString m_cursor; // the last room of the last page: where the next page starts
    bool m_listing = false;
};

} // namespace chalk::client
