// Presence: who is online (any device connected) and when each user was last seen (the time
// their last device left, kept in storage). Changes are coalesced: at most one
// presence_changed per interval reaches a connection, carrying every change since the last one
// (ServerOptions::presenceIntervalMs, presenceBatchMax). And bounded: a change of user U goes
// only to the devices of the users who share a direct conversation with U and, when U's last
// device leaves, to the connections in the room it left -- never to everyone. (Members of a
// room see who is in it from room_changed; being there is being online.) A device that comes
// online gets one presence_changed of its user's partners as they are (a snapshot), so a
// partner who is away shows when it was last seen without a change to wait for.
// Not for the list of users (list_users: CallHandlers and Storage::listUsers).
#pragma once

#include "server_options.h"

#include <QCoroTask>
#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

namespace chalk::server {

class RoomRegistry;
class Session;
class Storage;

class PresenceTracker : public QObject {
    Q_OBJECT
public:
    PresenceTracker(const ServerOptions &options, Storage &storage, const RoomRegistry &rooms,
                    QObject *parent = nullptr);

    // The session's device now belongs to its user (if it has an identity), or to nobody.
    // Called after every call and greeting: identities change only there (welcome, resume,
    // register, login, logout), so no handler has to remember it.
    void update(Session *s);
    // The session is going (before RoomRegistry::leave, so its room is still known).
    void drop(Session *s);
    // A direct conversation between `a` and `b` was created: each one's devices are told the
    // other's state (they became partners after their snapshots).
    void introduce(const QString &a, const QString &b);
    void stop();

    bool isOnline(const QString &userUuid) const { return m_devices.contains(userUuid); }
    // Users changed since the last flush (waiting for the next presence_changed).
    int pendingChanges() const { return int(m_pendingOrder.size()); }
    // presence_changed frames written so far (one per recipient per flush): for benchmarks.
    qint64 framesSent() const { return m_framesSent; }

private:
    void attach(Session *s, const QString &userUuid);
    void detach(Session *s, const QString &userUuid);
    // The state of the users `about` (partners of `userUuid`) for its device `s`, as they are:
    // one presence_changed (not awaited; it may read last seen from storage).
    QCoro::Task<void> sendStates(Session *s, QString userUuid, QList<QString> about);
    // A change of `userUuid` to send with the next flush.
    struct Pending {
        QDateTime lastSeen;  // when its last device left (offline only)
        QSet<QString> rooms; // rooms its devices left meanwhile (their members hear of it)
    };
    Pending &pending(const QString &userUuid);
    // The connections that hear of `userUuid`'s change.
    QSet<Session *> audience(const QString &userUuid, const Pending &change) const;
    void flush();

    const ServerOptions &m_options;
    Storage &m_storage;
    const RoomRegistry &m_rooms;
    QHash<Session *, QString> m_deviceUser;     // session -> its user's uuid
    QHash<QString, QList<Session *>> m_devices; // user uuid -> its connected sessions
    QHash<QString, Pending> m_pending;          // users changed since the last flush
    QList<QString> m_pendingOrder;              // first changed first (batches keep order)
    QTimer m_timer;
    qint64 m_framesSent = 0;
    bool m_stopped = false;
};

} // namespace chalk::server
