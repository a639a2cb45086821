#include "room_pager.h"

namespace chalk::client {

using namespace chalk::protocol;

RoomPager::Step RoomPager::take(RoomListPayload page)
{
    const bool fresh = page.after.isEmpty();
    if (!fresh && (!m_listing || page.after != m_cursor))
        return Step::Ignored;
    // The server's cursor is the last room it sent, even if that room was deleted since.
    if (!page.list.isEmpty())
        m_cursor = page.list.constLast().uuid;
    const bool more = page.hasMore && !page.list.isEmpty();
    if (fresh) {
        m_rooms = std::move(page.list); // a listing starts (again)
    } else {
        for (Room &room : page.list) {
            // A room changed between pages may come again: the newer copy wins.
            const auto same = [&room](const Room &r) { return r.uuid == room.uuid; };
            m_rooms.removeIf(same);
            m_rooms.append(std::move(room));
        }
    }
    if (m_rooms.size() > kMaxRooms)
        m_rooms.resize(kMaxRooms);
    m_listing = more && m_rooms.size() < kMaxRooms;
    return m_listing ? Step::More : Step::Done;
}

void RoomPager::roomChanged(const Room &room)
{
    if (!m_listing)
        return;
    for (Room &r : m_rooms) {
        if (r.uuid == room.uuid) {
            r = room;
            return;
        }
    }
}

void RoomPager::roomDeleted(const QString &uuid)
{
    if (m_listing)
        m_rooms.removeIf([&uuid](const Room &r) { return r.uuid == uuid; });
}

void RoomPager::clear()
{
    m_rooms.clear();
    m_cursor.clear();
    m_listing = false;
}

} // namespace chalk::client
