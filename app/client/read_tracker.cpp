// ReadTracker (read_tracker.h): when to send mark_read.
#include "read_tracker.h"

namespace chalk::client {

ReadTracker::ReadTracker(ClientClock &clock, Send send)
    : m_send(std::move(send))
    , m_timer(clock.createTimer(true, [this] { markNow(); }))
{
    m_timer->setInterval(std::chrono::milliseconds(800));
}

void ReadTracker::setDelay(std::chrono::milliseconds delay)
{
    m_timer->setInterval(delay);
}

void ReadTracker::reset()
{
    m_timer->stop();
    m_supported = false;
    m_room.clear();
    m_newest.clear();
    m_unseen = false;
    m_counts.clear();
    m_marked.clear();
    m_inFlight.clear();
}

void ReadTracker::roomEntered(const QString &room)
{
    if (room == m_room)
        return;
    markNow(); // what was seen in the room left behind
    m_timer->stop();
    m_room = room;
    m_newest.clear();
    m_unseen = m_counts.value(room) > 0;
}

void ReadTracker::roomLeft()
{
    markNow();
    m_timer->stop();
    m_room.clear();
    m_newest.clear();
    m_unseen = false;
}

void ReadTracker::newestPage(const QString &room, const QList<protocol::Message> &messages)
{
    if (room != m_room || messages.isEmpty())
        return;
    m_newest = messages.last().uuid;
    schedule();
}

void ReadTracker::messageArrived(const protocol::Message &message, const QString &me)
{
    if (message.roomUuid != m_room || m_room.isEmpty())
        return;
    m_newest = message.uuid;
    if (message.user.uuid != me)
        m_unseen = true;
    schedule();
}

void ReadTracker::serverCount(const QString &room, qint64 unread)
{
    m_counts.insert(room, unread);
    if (room != m_room)
        return;
    // Another device read it (0), or the server counts messages this one has not marked.
    m_unseen = unread > 0;
    schedule();
}

void ReadTracker::schedule()
{
    if (m_supported && m_unseen && !m_newest.isEmpty() && m_marked.value(m_room) != m_newest)
        m_timer->start(); // restarted by each newer message: one mark for a burst
}

void ReadTracker::markNow()
{
    if (!m_supported || !m_unseen || m_newest.isEmpty() || m_marked.value(m_room) == m_newest)
        return;
    if (m_send(m_room, m_newest)) {
        m_marked.insert(m_room, m_newest);
        m_inFlight.insert(m_room);
        m_unseen = false;
    }
}

} // namespace chalk::client
