// The rooms the server holds: by uuid and in creation order, who is in each (join, leave),
// and the coalesced room_changed that tells everyone when a room's members, name, colour or
// message count changed. A direct conversation is seen only by its two members: every frame
// about it goes to audience(), and rooms_listed leaves it out for anyone else. Not for the calls
// themselves (CallHandlers) nor for storage.
#pragma once

#include "room_state.h"
#include "server_options.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>
#include <memory>

namespace chalk::server {

class Broadcaster;
class Session;
class UnreadCounts;

using RoomPtr = std::shared_ptr<RoomState>;

class RoomRegistry : public QObject {
    Q_OBJECT
public:
    // `unread`: each recipient's count goes into its rooms_listed and room_changed.
    RoomRegistry(const ServerOptions &options, const Broadcaster &broadcaster,
                 const UnreadCounts &unread, QObject *parent = nullptr);

    // The stored rooms at start (members are not persisted).
    void load(const QList<protocol::Room> &rooms);
    qsizetype size() const { return m_rooms.size(); }
    // The room `uuid`, unless it is gone.
    RoomPtr find(const QString &uuid) const;
    // Adds a room just stored (its board empty) at the end of the creation order.
    RoomPtr add(const protocol::Room &room);
    // Forgets a room just deleted from storage; coroutines holding it see `deleted`.
    void remove(const RoomPtr &room);

    // create_room's limit counts the rooms being stored too, so concurrent creates cannot
    // overshoot ServerOptions::maxRooms.
    bool isFull() const;
    void startCreating() { ++m_roomsBeingCreated; }
    void finishCreating() { --m_roomsBeingCreated; }

    // Moves `s` into `room` (leaving its current one); nothing if it is there already.
    void join(Session *s, const RoomPtr &room);
    // Takes `s` out of its room, if any.
    void leave(Session *s);

    // membersToo=false: only the message count changed; members saw every message_created.
    void markChanged(const QString &roomUuid, bool membersToo = true);
    void stop();

    // The connections that may hear of `room`: every one for a public room, only its members'
    // for a direct conversation.
    QList<Session *> audience(const RoomState &room) const;

    // Whether `userUuid` is a member of some direct conversation.
    bool hasDirectFor(const QString &userUuid) const { return m_partners.contains(userUuid); }
    // The users who share a direct conversation with `userUuid` (presence goes to them).
    QList<QString> directPartners(const QString &userUuid) const
    {
        return m_partners.value(userUuid).values();
    }

    // rooms_listed for `viewer`: every room it may see (RoomState::admits), in creation order,
    // each with the viewer's unread count.
    WireFrame listedFrame(const Session *viewer, const QString &clientId = {}) const;
    // One page of it (ours): the rooms after `after` (empty: from the first), at most `limit`,
    // ending early once past Limits::roomPageBytes; `has_more` when rooms follow and `after`
    // echoed. nullopt when `after` is no room the viewer may see.
    std::optional<WireFrame> listedPage(const Session *viewer, const QString &after, int limit,
                                        const QString &clientId = {}) const;

private:
    void flushChanges();
    WireFrame listed(const Session *viewer, qsizetype from, int limit, QJsonObject fields) const;

    const ServerOptions &m_options;
    const Broadcaster &m_broadcaster;
    const UnreadCounts &m_unread;
    QHash<QString, RoomPtr> m_rooms;
    void indexPartners(const protocol::Room &room, bool add);

    QList<QString> m_roomOrder; // creation order, for rooms_listed
    // user uuid -> the users it has a direct conversation with (both ways).
    QHash<QString, QSet<QString>> m_partners;
    QHash<QString, bool> m_dirtyRooms; // room uuid -> its members need room_changed too
    QTimer m_roomChangeTimer;
    int m_roomsBeingCreated = 0;
    QElapsedTimer m_clock; // monotonic, for RoomState::roomChangedAtMs
};

} // namespace chalk::server
