// UnreadCounts (unread_counts.h): the online users' unread counts, kept in step.
#include "unread_counts.h"

namespace chalk::server {

void UnreadCounts::attach(const QString &user)
{
    if (user.isEmpty())
        return;
    std::shared_ptr<Entry> &e = m_users[user];
    if (!e)
        e = std::make_shared<Entry>();
    ++e->holders;
}

void UnreadCounts::detach(const QString &user)
{
    const auto it = m_users.find(user);
    if (it == m_users.end() || --(*it)->holders > 0)
        return;
    for (auto room = (*it)->rooms.cbegin(); room != (*it)->rooms.cend(); ++room) {
        const auto followers = m_followers.find(room.key());
        if (followers != m_followers.end()) {
            followers->remove(user);
            if (followers->isEmpty())
                m_followers.erase(followers);
        }
    }
    m_users.erase(it);
    m_refreshing.remove(user);
}

QCoro::Task<bool> UnreadCounts::refresh(QString user, QString room)
{
    const std::shared_ptr<Entry> e = m_users.value(user);
    if (!e)
        co_return true;
    const quint64 n = ++e->issued;
    ++e->refreshing;
    m_refreshing.insert(user);
    const auto counts = co_await m_storage.unreadCounts(user, room);
    --e->refreshing;
    const bool held = m_users.value(user) == e;
    for (const UnreadCount &c : counts &&held ? *counts : QList<UnreadCount>()) {
        Count &count = e->rooms[c.roomUuid];
        // Reads run in the order they were issued; only a newer one than the count held may
        // replace it (completions can be handled in either order).
        if (n <= count.readBy)
            continue;
        count = {c.unread, n};
        // Counted here while the read was in flight, stored after it: add them.
        for (const Seen &s : std::as_const(e->seen))
            count.unread += s.room == c.roomUuid && s.seq > c.throughSeq ? 1 : 0;
        m_followers[c.roomUuid].insert(user);
    }
    // A room the read did not list stays: markers are only removed with their room
    // (roomDeleted), so it was followed after the read.
    if (e->refreshing == 0) {
        e->seen.clear();
        if (held)
            m_refreshing.remove(user);
    }
    co_return counts.has_value();
}

void UnreadCounts::messageStored(const QString &room, qint64 seq, const QString &author)
{
    // Users reading their counts: remember the message, the read may not have seen it.
    for (const QString &user : std::as_const(m_refreshing)) {
        if (user != author)
            m_users.value(user)->seen.append({room, seq});
    }
    const auto followers = m_followers.constFind(room);
    if (followers == m_followers.cend())
        return;
    for (const QString &user : *followers) {
        if (user != author)
            ++m_users.value(user)->rooms[room].unread;
    }
}

QStringList UnreadCounts::countingFollowers(const QString &room, const QString &except) const
{
    QStringList users;
    for (const QString &user : m_followers.value(room)) {
        if (user != except && count(user, room).value_or(0) > 0)
            users.append(user);
    }
    return users;
}

void UnreadCounts::follow(const QString &user, const QString &room)
{
    const std::shared_ptr<Entry> e = m_users.value(user);
    if (!e || e->rooms.contains(room))
        return;
    e->rooms.insert(room, Count{});
    m_followers[room].insert(user);
}

bool UnreadCounts::follows(const QString &user, const QString &room) const
{
    const std::shared_ptr<Entry> e = m_users.value(user);
    return e && e->rooms.contains(room);
}

bool UnreadCounts::followsAny(const QString &user) const
{
    const std::shared_ptr<Entry> e = m_users.value(user);
    return e && !e->rooms.isEmpty();
}

void UnreadCounts::roomDeleted(const QString &room)
{
    for (const QString &user : m_followers.take(room)) {
        if (const std::shared_ptr<Entry> e = m_users.value(user))
            e->rooms.remove(room);
    }
}

std::optional<qint64> UnreadCounts::count(const QString &user, const QString &room) const
{
    const auto e = m_users.constFind(user);
    if (e == m_users.cend())
        return std::nullopt;
    const auto c = (*e)->rooms.constFind(room);
    return c == (*e)->rooms.cend() ? std::nullopt : std::optional(c->unread);
}

} // namespace chalk::server
