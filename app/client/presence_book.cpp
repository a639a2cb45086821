// PresenceBook (presence_book.h).
#include "presence_book.h"

namespace chalk::client {

void PresenceBook::update(const QList<protocol::UserPresence> &users)
{
    QList<QString> changed;
    for (const protocol::UserPresence &p : users) {
        State &s = m_states[p.user.uuid];
        s.known = true;
        s.online = p.online;
        s.lastSeen = p.online ? QDateTime() : p.lastSeen;
        changed.append(p.user.uuid);
    }
    if (!changed.isEmpty())
        emit this->changed(changed);
}

void PresenceBook::markOnline(const QList<protocol::User> &users)
{
    QList<QString> changed;
    for (const protocol::User &u : users) {
        State &s = m_states[u.uuid];
        if (s.known && s.online)
            continue;
        s = State{true, true, {}};
        changed.append(u.uuid);
    }
    if (!changed.isEmpty())
        emit this->changed(changed);
}

void PresenceBook::clear()
{
    if (m_states.isEmpty())
        return;
    const QList<QString> all = m_states.keys();
    m_states.clear();
    emit changed(all);
}

} // namespace chalk::client
