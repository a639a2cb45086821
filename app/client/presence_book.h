// What this client knows of other users' presence: online or not, and when they were last
// seen. Fed by ChatClient from presence_changed (the server's snapshot of one's direct partners
// on connect, then their changes), users_listed, and the members of the rooms it hears of (a
// member is connected, so online). Forgotten when the link drops: the next link's snapshot
// says it again. Read by the Users list and the Direct section.
#pragma once

#include "protocol/objects.h"

#include <QDateTime>
#include <QHash>
#include <QObject>

namespace chalk::client {

class PresenceBook : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    struct State {
        bool known = false; // nothing heard of this user yet
        bool online = false;
        QDateTime lastSeen; // when its last device left (offline only; may be unknown)
    };
    State state(const QString &userUuid) const { return m_states.value(userUuid); }

    void update(const QList<protocol::UserPresence> &users);
    // These users are connected (members of a room).
    void markOnline(const QList<protocol::User> &users);
    void clear();

signals:
    void changed(const QList<QString> &userUuids);

private:
    QHash<QString, State> m_states;
};

} // namespace chalk::client
